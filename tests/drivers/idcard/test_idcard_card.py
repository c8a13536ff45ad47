"""Card record tests: every card type, validation, masking and the photo hook."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import subprocess
from pathlib import Path

import pytest

from drivers.idcard.card import (
    CardType,
    CardUnreadable,
    Sex,
    id_check_char,
    is_valid_id_number,
    mask_id,
    mask_name,
    parse_card,
)
from drivers.idcard.cards import CARDS, VALID_CARDS, make_id_number, resident_text, ucs2
from drivers.idcard.photo import BMP_SIZE, WltDecoder
from tests.drivers.idcard.odd_cards import NON_ASCII_DIGITS, non_ascii_digit_card


def record_of(label: str):
    card = CARDS[label]
    return parse_card(card.text, card.photo, card.appended_address)


def test_check_character_of_the_published_example() -> None:
    assert id_check_char("11010519491231002") == "X"
    assert is_valid_id_number("11010519491231002X")
    assert not is_valid_id_number("110105194912310021")
    assert not is_valid_id_number("11010519491231002x")


def test_resident_card_fields() -> None:
    record = record_of("resident")
    assert record.card_type is CardType.RESIDENT
    assert (record.name, record.sex, record.nation) == ("张测试", Sex.MALE, "汉")
    assert record.birth == dt.date(1990, 3, 7)
    assert record.address == "北京市东城区测试路1号示例小区2栋3单元401室"
    assert record.issuer == "北京市公安局东城分局"
    assert (record.valid_from, record.valid_to) == (dt.date(2020, 1, 1), dt.date(2040, 1, 1))
    assert record.full_id_number() == make_id_number("110101", dt.date(1990, 3, 7), "001")
    assert record.photo_wlt == CARDS["resident"].photo and len(record.photo_wlt) == 1024
    assert record.appended_address is None


def test_long_term_validity_and_female_manchu() -> None:
    record = record_of("long_term")
    assert record.valid_to is None
    assert (record.sex.zh, record.sex.en, record.nation) == ("女", "Female", "满")
    assert record.is_valid_on(dt.date(2099, 1, 1))
    assert record.masked_dict()["valid_to"] == "长期"


def test_fifteen_character_name_and_full_address_survive() -> None:
    record = record_of("long_name")
    assert record.name == "阿依古丽·测试示例样本名字长名" and len(record.name) == 15
    assert len(record.address) == 35
    assert record.nation == "维吾尔"


def test_rare_bmp_characters_are_kept() -> None:
    assert record_of("rare_chars").name == "王堃龑䶮"
    assert record_of("rare_chars").nation == "蒙古"


def test_text_outside_the_bmp_cannot_be_put_on_a_card() -> None:
    with pytest.raises(ValueError, match="BMP"):
        ucs2("𠮷", 30)


def test_appended_address_and_x_check_digit() -> None:
    record = record_of("appended_address")
    assert record.appended_address == "河南省郑州市郑东新区测试大道100号"
    assert record.full_id_number().endswith("X")
    assert record.nation == "回"


def test_hong_kong_macau_taiwan_permit() -> None:
    record = record_of("hkmt_permit")
    assert record.card_type is CardType.HKMT_PERMIT
    assert (record.pass_number, record.issue_count) == ("H00000001", 1)
    assert record.full_id_number().startswith("81")
    assert record.nation == ""


def test_foreigner_2017_card() -> None:
    record = record_of("foreigner_2017")
    assert record.card_type is CardType.FOREIGNER_2017
    assert (record.name, record.english_name, record.nation) == ("测样", "TESTER, SAMPLE EXAMPLE", "CAN")
    assert record.birth == dt.date(1985, 11, 11)
    assert record.full_id_number() == "CAN110085111101"
    assert record.masked_id() == "CAN**********01"


def test_foreigner_2023_card_with_name_spanning_two_fields() -> None:
    record = record_of("foreigner_2023")
    assert record.card_type is CardType.FOREIGNER_2023
    assert record.english_name == "EXAMPLE-TESTER, MARIA SAMPLE LONGNAME OVERFLOW"
    assert record.nation == "ESP" and record.full_id_number().startswith("9")


@pytest.mark.parametrize(
    ("label", "reason"),
    [
        ("bad_check_digit", "card.invalid"),
        ("birth_mismatch", "card.invalid"),
        ("unknown_flag", "card.unsupported"),
    ],
)
def test_invalid_cards_never_become_records(label: str, reason: str) -> None:
    card = CARDS[label]
    with pytest.raises(CardUnreadable) as caught:
        parse_card(card.text, card.photo)
    assert caught.value.reason_key == reason
    # The error explains the failed rule without repeating the card's data.
    assert "孙" not in str(caught.value) and "1101011990" not in str(caught.value)


def _resident_with(**changes: object) -> bytes:
    fields: dict[str, object] = {
        "name": "钱测试", "sex": 1, "nation": "01", "birth": dt.date(1990, 3, 7),
        "address": "测试地址", "id_number": make_id_number("110101", dt.date(1990, 3, 7), "011"),
        "issuer": "测试分局", "valid_from": dt.date(2020, 1, 1), "valid_to": dt.date(2030, 1, 1),
    }  # fmt: skip
    fields.update(changes)
    return resident_text(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "changes",
    [
        {"nation": "77"},
        {"sex": 5},
        {"name": ""},
        {"valid_to": dt.date(2019, 1, 1)},
        {"id_number": make_id_number("910101", dt.date(1990, 3, 7), "011")},
    ],
    ids=["unknown-nation", "unknown-sex", "empty-name", "ends-before-start", "foreign-number"],
)
def test_each_broken_rule_is_unreadable(changes: dict[str, object]) -> None:
    with pytest.raises(CardUnreadable):
        parse_card(_resident_with(**changes))


def test_garbled_dates_and_non_ucs2_text_are_unreadable() -> None:
    text = bytearray(_resident_with())
    text[36:52] = "19900230".encode("utf-16-le") + ucs2("", 0)  # 30 February
    with pytest.raises(CardUnreadable):
        parse_card(bytes(text))
    text = bytearray(_resident_with())
    text[0:2] = b"\x00\xd8"  # lone surrogate
    with pytest.raises(CardUnreadable):
        parse_card(bytes(text))
    with pytest.raises(CardUnreadable):
        parse_card(_resident_with()[:-2])


def test_repr_str_and_logs_show_masked_values_only(caplog: pytest.LogCaptureFixture) -> None:
    record = record_of("resident")
    full = record.full_id_number()
    for text in (repr(record), str(record), f"{record}", str([record])):
        assert "张*试" in text and "110101********0011" in text
        assert full not in text and "张测试" not in text and "东城区" not in text
    logging.getLogger("test").warning("read %s / %r", record, record)
    assert full not in caplog.text and "张测试" not in caplog.text


def test_masks() -> None:
    assert mask_name("张三明") == "张*明"
    assert mask_name("李四") == "李*"
    assert mask_name("欧阳明月") == "欧**月"
    assert mask_id("11010519491231002X") == "110105********002X"


def test_id_hash_is_keyed_and_stable() -> None:
    record = record_of("resident")
    again = record_of("resident")
    assert record.id_hash(b"salt-a") == again.id_hash(b"salt-a")
    assert record.id_hash(b"salt-a") != record.id_hash(b"salt-b")
    assert record.full_id_number() not in record.id_hash(b"salt-a")
    assert len(record.id_hash(b"salt-a")) == 64


def test_age_on_birthday_boundaries() -> None:
    record = record_of("resident")  # born 1990-03-07
    assert record.age_on(dt.date(2026, 3, 6)) == 35
    assert record.age_on(dt.date(2026, 3, 7)) == 36


def test_every_valid_library_card_parses() -> None:
    for card in VALID_CARDS:
        assert parse_card(card.text, card.photo, card.appended_address).name


def test_photo_without_a_library_gives_none() -> None:
    assert WltDecoder(None).decode(CARDS["resident"].photo) is None
    assert WltDecoder("/nonexistent/libwlt.so").decode(CARDS["resident"].photo) is None


FAKE_VENDOR_C = r"""
#include <string.h>
/* Stand-in for the vendor's libwlt.so (a binary that cannot exist here): same signature. */
int unpack(char *src, char *dst, int save) {
    if (save != 0 || memcmp(src, "WLT-TEST", 8) != 0) return -1;
    memset(dst, 0x7f, 38862);
    dst[0] = 'B'; dst[1] = 'M';
    return 1;
}
"""


@pytest.mark.skipif(shutil.which("cc") is None, reason="no C compiler for the stand-in library")
def test_photo_hook_calls_the_configured_library(tmp_path: Path) -> None:
    source = tmp_path / "fakewlt.c"
    source.write_text(FAKE_VENDOR_C)
    library = tmp_path / "libfakewlt.so"
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(library), str(source)], check=True)
    decoder = WltDecoder(str(library))
    bmp = decoder.decode(CARDS["resident"].photo)
    assert bmp is not None and bmp.startswith(b"BM") and len(bmp) == BMP_SIZE
    assert decoder.decode(b"not a photo" + bytes(1013)) is None  # library says no
    assert set(tmp_path.iterdir()) == {source, library}  # the photo was not written to disk


@pytest.mark.parametrize("case", sorted(NON_ASCII_DIGITS))
def test_non_ascii_digits_anywhere_make_the_card_invalid_never_an_error(case: str) -> None:
    """``\\d``, ``isdigit()`` and ``int()`` take full-width, Arabic-Indic or superscript
    digits; before the fix these cards either raised ValueError inside the parser or were
    even accepted as records."""
    label, offset, size, change = NON_ASCII_DIGITS[case]
    text = non_ascii_digit_card(label, offset, size, change)
    assert text != CARDS[label].text
    with pytest.raises(CardUnreadable) as caught:
        parse_card(text, CARDS[label].photo)
    assert caught.value.reason_key == "card.invalid"
    assert not is_valid_id_number("１１０１０５１９４９１２３１００２X")
