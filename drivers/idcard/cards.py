"""Library of fictional test cards for the simulator, tests and simulation mode.

Every name, number and address is invented ("测试", "示例" ...); check digits are computed by
code so the valid cards pass the same checks as a real card, and the invalid ones break exactly
one rule each.  Text blocks are built field by field per hardware.md 1.5/1.6.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from drivers.idcard.card import LONG_TERM, id_check_char
from drivers.idcard.protocol import APPENDED_ADDRESS_SIZE, PHOTO_SIZE, TEXT_SIZE


def ucs2(value: str, size: int) -> bytes:
    """UCS-2LE field padded with spaces; refuses text a card could not carry."""
    if any(ord(ch) > 0xFFFF for ch in value):
        raise ValueError("UCS-2 cannot carry characters outside the BMP")
    raw = value.encode("utf-16-le")
    if len(raw) > size:
        raise ValueError(f"{value!r} needs {len(raw)} bytes, field has {size}")
    return raw + " ".encode("utf-16-le") * ((size - len(raw)) // 2)


def make_id_number(region: str, birth: dt.date, sequence: str) -> str:
    """A syntactically valid 18-character number with its MOD 11-2 check character."""
    first17 = f"{region}{birth:%Y%m%d}{sequence}"
    return first17 + id_check_char(first17)


def _ymd(day: dt.date | None) -> str:
    return LONG_TERM if day is None else f"{day:%Y%m%d}"


def resident_text(
    *,
    name: str,
    sex: int,
    nation: str,
    birth: dt.date,
    address: str,
    id_number: str,
    issuer: str,
    valid_from: dt.date,
    valid_to: dt.date | None,
    flag: str = " ",
) -> bytes:
    """256-byte text block of a mainland resident ID card."""
    text = (
        ucs2(name, 30)
        + ucs2(str(sex), 2)
        + ucs2(nation, 4)
        + ucs2(f"{birth:%Y%m%d}", 16)
        + ucs2(address, 70)
        + ucs2(id_number, 36)
        + ucs2(issuer, 30)
        + ucs2(f"{valid_from:%Y%m%d}", 16)
        + ucs2(_ymd(valid_to), 16)
        + ucs2("", 28)
        + ucs2(flag, 2)
        + ucs2("", 6)
    )
    assert len(text) == TEXT_SIZE
    return text


def hkmt_text(
    *,
    name: str,
    sex: int,
    birth: dt.date,
    address: str,
    id_number: str,
    issuer: str,
    valid_from: dt.date,
    valid_to: dt.date | None,
    pass_number: str,
    issue_count: int,
) -> bytes:
    """256-byte text block of a Hong Kong/Macau/Taiwan residence permit ('J')."""
    text = (
        ucs2(name, 30)
        + ucs2(str(sex), 2)
        + ucs2("", 4)
        + ucs2(f"{birth:%Y%m%d}", 16)
        + ucs2(address, 70)
        + ucs2(id_number, 36)
        + ucs2(issuer, 30)
        + ucs2(f"{valid_from:%Y%m%d}", 16)
        + ucs2(_ymd(valid_to), 16)
        + ucs2(pass_number, 18)
        + ucs2(f"{issue_count:02d}", 4)
        + ucs2("", 6)
        + ucs2("J", 2)
        + ucs2("", 6)
    )
    assert len(text) == TEXT_SIZE
    return text


def foreigner_2017_text(
    *,
    english_name: str,
    sex: int,
    number: str,
    nationality: str,
    chinese_name: str,
    valid_from: dt.date,
    valid_to: dt.date | None,
    birth: dt.date,
    office: str = "1500",
) -> bytes:
    """256-byte text block of the 2017 foreigner permanent-residence card ('I')."""
    text = (
        ucs2(english_name, 120)
        + ucs2(str(sex), 2)
        + ucs2(number, 30)
        + ucs2(nationality, 6)
        + ucs2(chinese_name, 30)
        + ucs2(f"{valid_from:%Y%m%d}", 16)
        + ucs2(_ymd(valid_to), 16)
        + ucs2(f"{birth:%Y%m%d}", 16)
        + ucs2("01", 4)
        + ucs2(office, 8)
        + ucs2("I", 2)
        + ucs2("", 6)
    )
    assert len(text) == TEXT_SIZE
    return text


def foreigner_2023_text(
    *,
    chinese_name: str,
    sex: int,
    renewals: int,
    birth: dt.date,
    english_name: str,
    number: str,
    valid_from: dt.date,
    valid_to: dt.date | None,
    nationality: str,
) -> bytes:
    """256-byte text block of the 2023 foreigner permanent-residence ID card ('Y')."""
    first, rest = english_name[:35], english_name[35:]
    text = (
        ucs2(chinese_name, 30)
        + ucs2(str(sex), 2)
        + ucs2(f"{renewals:02d}", 4)
        + ucs2(f"{birth:%Y%m%d}", 16)
        + ucs2(first, 70)
        + ucs2(number, 36)
        + ucs2("", 30)
        + ucs2(f"{valid_from:%Y%m%d}", 16)
        + ucs2(_ymd(valid_to), 16)
        + ucs2(rest, 22)
        + ucs2(nationality, 6)
        + ucs2("Y", 2)
        + ucs2("", 6)
    )
    assert len(text) == TEXT_SIZE
    return text


def fake_wlt(seed: str) -> bytes:
    """1024 bytes standing in for a WLT photo: opaque, deterministic, different per card."""
    out = b"WLT-TEST"
    counter = 0
    while len(out) < PHOTO_SIZE:
        out += hashlib.sha256(f"{seed}:{counter}".encode()).digest()
        counter += 1
    return out[:PHOTO_SIZE]


@dataclass(frozen=True)
class SimCard:
    """A card the simulator can hold: raw blocks plus how the simulated chip behaves.

    ``read_status`` forces the SW3 of the read command (e.g. 0x41 read failed, 0x40 unknown card
    type); ``corrupt_checksum`` makes every read reply carry a wrong CHK; ``valid`` says whether
    the text should parse (tests use it to know what to expect).
    """

    label: str
    text: bytes
    photo: bytes
    appended_address: str | None = None
    fingerprint: bytes = b""
    read_status: int | None = None
    corrupt_checksum: bool = False
    valid: bool = True
    description: str = ""

    def appended_address_block(self) -> bytes:
        assert self.appended_address is not None
        return ucs2(self.appended_address, APPENDED_ADDRESS_SIZE)

    def __repr__(self) -> str:
        return f"SimCard({self.label!r})"


D = dt.date


def _resident(label: str, description: str, **kw: object) -> SimCard:
    appended = kw.pop("appended_address", None)
    valid = bool(kw.pop("valid", True))
    return SimCard(
        label=label,
        # The card table passes each card's fields by keyword; resident_text checks them.
        text=resident_text(**kw),  # type: ignore[arg-type]
        photo=fake_wlt(label),
        appended_address=appended,  # type: ignore[arg-type]  # a str or None, from the table
        valid=valid,
        description=description,
    )


_BIRTH_A = D(1990, 3, 7)
_BIRTH_B = D(1962, 5, 20)
_BIRTH_C = D(1985, 11, 11)
_BIRTH_D = D(1978, 8, 30)
_BIRTH_E = D(2001, 1, 15)


def _build_library() -> dict[str, SimCard]:
    cards = [
        _resident(
            "resident",
            "张测试, male, Han, 20-year validity",
            name="张测试",
            sex=1,
            nation="01",
            birth=_BIRTH_A,
            address="北京市东城区测试路1号示例小区2栋3单元401室",
            id_number=make_id_number("110101", _BIRTH_A, "001"),
            issuer="北京市公安局东城分局",
            valid_from=D(2020, 1, 1),
            valid_to=D(2040, 1, 1),
        ),
        _resident(
            "long_term",
            "李示例, female, Manchu, 长期 validity",
            name="李示例",
            sex=2,
            nation="11",
            birth=_BIRTH_B,
            address="辽宁省沈阳市示例区样本街88号",
            id_number=make_id_number("210102", _BIRTH_B, "002"),
            issuer="沈阳市公安局示例分局",
            valid_from=D(2015, 6, 1),
            valid_to=None,
        ),
        _resident(
            "long_name",
            "15-character Uyghur name with a middle dot, longest address",
            name="阿依古丽·测试示例样本名字长名",
            sex=2,
            nation="05",
            birth=_BIRTH_D,
            address="新疆维吾尔自治区乌鲁木齐市天山区示例路测试巷样本小区一号楼二单元三零一",
            id_number=make_id_number("650102", _BIRTH_D, "024"),
            issuer="乌鲁木齐市公安局天山分局",
            valid_from=D(2018, 2, 2),
            valid_to=D(2038, 2, 2),
        ),
        _resident(
            "rare_chars",
            "rare BMP characters 堃 龑 䶮 in the name, Mongol",
            name="王堃龑䶮",
            sex=1,
            nation="02",
            birth=_BIRTH_E,
            address="内蒙古自治区呼和浩特市示例区测试路7号",
            id_number=make_id_number("150102", _BIRTH_E, "013"),
            issuer="呼和浩特市公安局示例分局",
            valid_from=D(2017, 3, 3),
            valid_to=D(2027, 3, 3),
        ),
        _resident(
            "appended_address",
            "赵样本, Hui, with an appended address (追加住址), X check digit",
            name="赵样本",
            sex=1,
            nation="03",
            birth=D(1949, 12, 31),
            address="河南省郑州市金水区示例路1号",
            id_number=make_id_number("410105", D(1949, 12, 31), "059"),
            issuer="郑州市公安局金水分局",
            valid_from=D(2010, 5, 5),
            valid_to=None,
            appended_address="河南省郑州市郑东新区测试大道100号",
        ),
        SimCard(
            label="hkmt_permit",
            text=hkmt_text(
                name="陈样例",
                sex=2,
                birth=_BIRTH_C,
                address="广东省深圳市福田区示例路2号",
                id_number=make_id_number("810000", _BIRTH_C, "006"),
                issuer="深圳市公安局",
                valid_from=D(2019, 9, 9),
                valid_to=D(2024, 9, 9),
                pass_number="H00000001",
                issue_count=1,
            ),
            photo=fake_wlt("hkmt_permit"),
            description="Hong Kong residence permit with pass number and issue count",
        ),
        SimCard(
            label="foreigner_2017",
            text=foreigner_2017_text(
                english_name="TESTER, SAMPLE EXAMPLE",
                sex=1,
                number="CAN110085111101",
                nationality="CAN",
                chinese_name="测样",
                valid_from=D(2017, 7, 1),
                valid_to=D(2027, 7, 1),
                birth=D(1985, 11, 11),
            ),
            photo=fake_wlt("foreigner_2017"),
            description="2017 foreigner permanent-residence card ('I')",
        ),
        SimCard(
            label="foreigner_2023",
            text=foreigner_2023_text(
                chinese_name="马示例",
                sex=2,
                renewals=0,
                birth=D(1992, 4, 4),
                english_name="EXAMPLE-TESTER, MARIA SAMPLE LONGNAME OVERFLOW",
                number=make_id_number("911124", D(1992, 4, 4), "017"),
                valid_from=D(2024, 1, 2),
                valid_to=D(2034, 1, 2),
                nationality="ESP",
            ),
            photo=fake_wlt("foreigner_2023"),
            description="2023 foreigner permanent-residence ID card ('Y'), name spans two fields",
        ),
        # --- cards that must never become a record -----------------------------------------
        _resident(
            "bad_check_digit",
            "ID number with a wrong check character",
            name="孙无效",
            sex=1,
            nation="01",
            birth=_BIRTH_A,
            address="北京市东城区测试路3号",
            id_number=_wrong_check(make_id_number("110101", _BIRTH_A, "005")),
            issuer="北京市公安局东城分局",
            valid_from=D(2020, 1, 1),
            valid_to=D(2040, 1, 1),
            valid=False,
        ),
        _resident(
            "birth_mismatch",
            "valid check digit but the number's birth date disagrees with the birth field",
            name="周错生",
            sex=1,
            nation="01",
            birth=_BIRTH_A,
            address="北京市东城区测试路5号",
            id_number=make_id_number("110101", D(1990, 3, 8), "007"),
            issuer="北京市公安局东城分局",
            valid_from=D(2020, 1, 1),
            valid_to=D(2040, 1, 1),
            valid=False,
        ),
        _resident(
            "unknown_flag",
            "card-type flag 'Z' that no known card uses",
            name="吴未知",
            sex=2,
            nation="01",
            birth=_BIRTH_A,
            address="北京市东城区测试路9号",
            id_number=make_id_number("110101", _BIRTH_A, "008"),
            issuer="北京市公安局东城分局",
            valid_from=D(2020, 1, 1),
            valid_to=D(2040, 1, 1),
            flag="Z",
            valid=False,
        ),
        SimCard(
            label="read_fails",
            text=b"",
            photo=b"",
            read_status=0x41,
            valid=False,
            description="chip answers find/select but every read fails (SW3 41)",
        ),
        SimCard(
            label="unknown_card_type",
            text=b"",
            photo=b"",
            read_status=0x40,
            valid=False,
            description="reader reports an unknown card type (SW3 40)",
        ),
    ]
    library = {card.label: card for card in cards}
    resident = library["resident"]
    library["bad_frame_checksum"] = SimCard(
        label="bad_frame_checksum",
        text=resident.text,
        photo=resident.photo,
        corrupt_checksum=True,
        valid=False,
        description="valid data but every read reply has a wrong frame checksum",
    )
    return library


def _wrong_check(number: str) -> str:
    """Same number with a different (wrong) check character."""
    alternatives = "0123456789X"
    return number[:17] + alternatives[(alternatives.index(number[17]) + 1) % len(alternatives)]


CARDS: dict[str, SimCard] = _build_library()
VALID_CARDS: list[SimCard] = [card for card in CARDS.values() if card.valid]
INVALID_CARDS: list[SimCard] = [card for card in CARDS.values() if not card.valid]
