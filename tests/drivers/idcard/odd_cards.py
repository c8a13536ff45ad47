"""Cards no genuine reader produces, for the parser and the reader tests."""

from __future__ import annotations

from collections.abc import Callable

from drivers.idcard.cards import CARDS, ucs2

_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _field_text(text: bytes, offset: int, size: int) -> str:
    return text[offset:offset + size].decode("utf-16-le").strip(" ")


def non_ascii_digit_card(label: str, offset: int, size: int,
                         change: Callable[[str], str]) -> bytes:
    """A library card with one field's digits replaced by look-alike Unicode digits."""
    text = bytearray(CARDS[label].text)
    text[offset:offset + size] = ucs2(change(_field_text(bytes(text), offset, size)), size)
    return bytes(text)


#: (card, field offset, size, change): digits no genuine card carries, in every digit rule.
NON_ASCII_DIGITS = {
    "full-width ID number": ("resident", 122, 36, lambda v: v.translate(_FULL_WIDTH)),
    "Arabic-Indic birth date": ("resident", 36, 16, lambda v: v.translate(_ARABIC_INDIC)),
    "full-width valid-from": ("resident", 188, 16, lambda v: v.translate(_FULL_WIDTH)),
    "full-width sex code": ("resident", 30, 2, lambda v: v.translate(_FULL_WIDTH)),
    "superscript sex code": ("resident", 30, 2, lambda v: "¹"),
    "superscript issue count": ("hkmt_permit", 238, 4, lambda v: "0²"),
    "full-width issue count": ("hkmt_permit", 238, 4, lambda v: v.translate(_FULL_WIDTH)),
    "full-width permit ID": ("hkmt_permit", 122, 36, lambda v: v.translate(_FULL_WIDTH)),
    "full-width 2017 number": ("foreigner_2017", 122, 30, lambda v: v.translate(_FULL_WIDTH)),
    "superscript 2023 renewals": ("foreigner_2023", 32, 4, lambda v: "²"),
    "full-width 2023 number": ("foreigner_2023", 122, 36, lambda v: v.translate(_FULL_WIDTH)),
}
