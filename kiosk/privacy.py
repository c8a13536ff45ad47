"""The shapes of personal numbers, shared by the outbox guard and the log filter.

One set of patterns, so what the outbox refuses to store and what the log filter blanks can
never drift apart. Each :class:`Shape` says whether it is an identity *document* number (the
outbox refuses those anywhere in a payload: only the salted ``id_hash`` may leave) or a phone
number (the report's own ``phone`` field legitimately holds one, so the outbox keeps it until
delivery; logs blank it).

What people type is matched, not only what a card reader produces: spaces and dashes inside
an ID or phone number (``110101 19900307 0011``, ``138-0013-8000``), ``+86``/``0086``/``86``
in front of a phone number, and full-width digits from a Chinese input method
(``１３８００１３８０００``). Ordinary text stays as it is: tracking numbers (R202611240001),
ticket numbers (A012), dates, times, window and version numbers. Plain Python, no Qt.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_D = "[0-9\uff10-\uff19]"  # an ASCII or full-width digit
_SEP = "[ \u3000\\-\u2010-\u2015\u2212\uff0d]"  # one space or dash a person may type inside
_NOT_ALNUM_BEFORE = "(?<![0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a])"
_NOT_ALNUM_AFTER = "(?![0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a])"
_SIGNIFICANT = re.compile("[0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def _spaced(*classes: str) -> str:
    """Character classes in a row, each pair optionally split by one space or dash."""
    return f"{_SEP}?".join(classes)


# GB 11643: 6 region digits (not starting with 0), birth date YYYYMMDD (18xx-20xx), 3 sequence
# digits, a check character. The date's structure keeps 18-digit order numbers out.
_ID_18 = _spaced("[1-9\uff11-\uff19]", *[_D] * 5, "[12\uff11\uff12]", *[_D] * 3,
                 "[01\uff10\uff11]", _D, "[0-3\uff10-\uff13]", _D, *[_D] * 3,
                 "[0-9\uff10-\uff19Xx\uff38\uff58]")
_86 = "[8\uff18][6\uff16]"
_COUNTRY = (f"(?:(?:[+\uff0b]|[0\uff10]{{2}})?{_SEP}?{_86}{_SEP}?"
            f"|[(\uff08][+\uff0b]?{_86}[)\uff09]{_SEP}?)")
_MOBILE = f"{_COUNTRY}?" + _spaced("[1\uff11]", "[3-9\uff13-\uff19]", *[_D] * 9)
# Landlines: 0 + area code (10, 2x, or three digits) + 7-8 digits starting 2-9; or +86 without 0.
_AREA = f"(?:[1\uff11][0\uff10]|[2\uff12]{_D}|[3-9\uff13-\uff19]{_D}{{2}})"
_LANDLINE = (f"(?:{_COUNTRY}|[0\uff10]){_AREA}{_SEP}?[2-9\uff12-\uff19]"
             f"(?:{_SEP}?{_D}){{6,7}}")


@dataclass(frozen=True)
class Shape:
    """One kind of personal number: how to find it and how much of it a log may show."""

    name: str
    pattern: re.Pattern[str]
    document: bool  # an identity document: the outbox refuses it; else a phone number
    head: int  # letters/digits kept in front when masking (the rest of the middle is *)
    tail: int  # letters/digits kept at the end


def _shape(name: str, body: str, *, document: bool, head: int, tail: int,
           flags: int = 0) -> Shape:
    pattern = re.compile(_NOT_ALNUM_BEFORE + f"(?P<n>{body})" + _NOT_ALNUM_AFTER, flags)
    return Shape(name, pattern, document, head, tail)


#: Every shape, most specific first (an ID number is masked before a phone could match in it).
SHAPES: tuple[Shape, ...] = (
    _shape("ID number", _ID_18, document=True, head=6, tail=4),
    # 2017 permanent-residence card: nationality letters + 12 digits.
    _shape("permanent-residence number", f"[A-Z]{{3}}{_D}{{12}}", document=True, head=3,
           tail=2),
    # Passports: E12345678, EA1234567 (ordinary e-passport), G12345678 (older ordinary),
    # DE/SE/PE + 7 digits (diplomatic, service, official).
    _shape("passport number", f"(?:[EG]{_D}{{8}}|E[A-HJ-NP-Z]{_D}{{7}}|[DSP]E{_D}{{7}})",
           document=True, head=1, tail=2, flags=re.IGNORECASE),
    # 港澳通行证 (mainland residents to Hong Kong/Macau): C + 8 characters, C12345678/CA1234567.
    _shape("Hong Kong/Macau permit number", f"C[0-9A-HJ-NP-Z]{_D}{{7}}", document=True,
           head=1, tail=2, flags=re.IGNORECASE),
    # 回乡证 (Hong Kong/Macau residents' home-return permit): H/M + 8 digits (+ 2: issue count).
    _shape("home-return permit number", f"[HM]{_D}{{8}}(?:{_D}{{2}})?", document=True,
           head=1, tail=2, flags=re.IGNORECASE),
    # 台胞证 (Taiwan residents' travel permit): 8 digits (since 2015) or 10 characters
    # (8 digits + issue code, 12345678(B) or 1234567890). Bare 8 digits are also dates and
    # order numbers, so only after the permit's name.
    Shape("Taiwan permit number",
          re.compile("(?:台胞证|台湾居民来往大陆通行证|MTP)[^0-9\uff10-\uff19]{0,6}?"
                     f"(?P<n>{_D}{{8}}(?:{_D}{{2}}|[(（][A-Za-z][)）]|[A-Za-z])?)"
                     + _NOT_ALNUM_AFTER),
          document=True, head=2, tail=2),
    _shape("mobile number", _MOBILE, document=False, head=3, tail=4),
    _shape("landline number", _LANDLINE, document=False, head=4, tail=2),
)


def find_document(text: str) -> str | None:
    """The kind of the first identity-document number in ``text`` (what the outbox refuses)."""
    for shape in SHAPES:
        if shape.document and shape.pattern.search(text):
            return shape.name
    return None


def _masker(shape: Shape) -> Callable[[re.Match[str]], str]:
    def mask(match: re.Match[str]) -> str:
        whole, number = match.group(0), match.group("n")
        start = match.start("n") - match.start(0)
        positions = [m.start() for m in _SIGNIFICANT.finditer(number)]
        head = shape.head
        if shape.name == "mobile number":  # keep the country code and the 3-digit prefix
            head = len(positions) - 8
        hidden = set(positions[head:len(positions) - shape.tail])
        masked = "".join("*" if i in hidden else ch for i, ch in enumerate(number))
        return whole[:start] + masked + whole[start + len(number):]

    return mask


_MASKERS = [(shape.pattern, _masker(shape)) for shape in SHAPES]


def redact(text: str) -> str:
    """Blank the middle of every personal number, keeping its shape visible for debugging:
    110105********002X, 139****5678, +86 138 **** 8000, E******78."""
    for pattern, mask in _MASKERS:
        text = pattern.sub(mask, text)
    return text
