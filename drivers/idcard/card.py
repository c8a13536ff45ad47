"""Card record: parse, validate and mask the 256-byte text block of an ID card read.

A record is either fully valid (ID number check digit and birth date agree, dates parse, codes
are known) or it is never produced: :class:`CardUnreadable` is raised instead.  Digits are
ASCII digits only: the regex digit class, ``str.isdigit()`` and ``int()`` also accept
full-width (１), Arabic-Indic (٣) or superscript (²) digits, which no genuine card carries, so
every rule here spells out ``[0-9]`` and anything else is ``card.invalid``, never an exception.
``repr``/``str`` show masked values only; the full ID number leaves through :meth:`CardRecord.full_id_number`
(explicit) or as an HMAC via :meth:`CardRecord.id_hash` (the only form that leaves the kiosk).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass, field

from drivers.idcard.protocol import APPENDED_ADDRESS_SIZE, TEXT_SIZE
from hall.idhash import hash_id_number

# GB 3304 nation codes (hardware.md 1.7).
NATIONS: dict[str, str] = {
    "01": "汉", "02": "蒙古", "03": "回", "04": "藏", "05": "维吾尔", "06": "苗", "07": "彝",
    "08": "壮", "09": "布依", "10": "朝鲜", "11": "满", "12": "侗", "13": "瑶", "14": "白",
    "15": "土家", "16": "哈尼", "17": "哈萨克", "18": "傣", "19": "黎", "20": "傈僳", "21": "佤",
    "22": "畲", "23": "高山", "24": "拉祜", "25": "水", "26": "东乡", "27": "纳西", "28": "景颇",
    "29": "柯尔克孜", "30": "土", "31": "达斡尔", "32": "仫佬", "33": "羌", "34": "布朗",
    "35": "撒拉", "36": "毛南", "37": "仡佬", "38": "锡伯", "39": "阿昌", "40": "普米",
    "41": "塔吉克", "42": "怒", "43": "乌孜别克", "44": "俄罗斯", "45": "鄂温克", "46": "德昂",
    "47": "保安", "48": "裕固", "49": "京", "50": "塔塔尔", "51": "独龙", "52": "鄂伦春",
    "53": "赫哲", "54": "门巴", "55": "珞巴", "56": "基诺", "97": "其他", "98": "外国血统中国籍人士",
}  # fmt: skip

LONG_TERM = "长期"
_ID_NUMBER = re.compile("[0-9]{17}[0-9X]")
_DATE = re.compile("[0-9]{8}")
_COUNT = re.compile("[0-9]{1,4}")
_SEX_CODE = re.compile("[0-9]")
_CHECK_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"


class CardType(enum.Enum):
    """Which document was placed, from the flag character at text offset 248."""

    RESIDENT = " "
    FOREIGNER_2017 = "I"
    FOREIGNER_2023 = "Y"
    HKMT_PERMIT = "J"


class Sex(enum.IntEnum):
    """GB/T 2261.1 sex codes as stored on the card."""

    UNKNOWN = 0
    MALE = 1
    FEMALE = 2
    UNSPECIFIED = 9

    @property
    def zh(self) -> str:
        return {0: "未知", 1: "男", 2: "女", 9: "未说明"}[self.value]

    @property
    def en(self) -> str:
        return {0: "Unknown", 1: "Male", 2: "Female", 9: "Unspecified"}[self.value]


class CardUnreadable(Exception):
    """The card's data cannot be trusted; ``reason_key`` is for the citizen, ``detail`` for logs.

    ``detail`` never contains card data, only what kind of check failed.
    """

    def __init__(self, reason_key: str, detail: str) -> None:
        super().__init__(f"{reason_key}: {detail}")
        self.reason_key = reason_key
        self.detail = detail


def id_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character for the first 17 digits (GB 11643)."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("need exactly 17 ASCII digits")
    total = sum(int(digit) * weight for digit, weight in zip(first17, _CHECK_WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def is_valid_id_number(number: str) -> bool:
    """True for an 18-character number whose check character is right."""
    if len(number) != 18 or not _ID_NUMBER.fullmatch(number):
        return False
    return id_check_char(number[:17]) == number[17]


def mask_name(name: str) -> str:
    """张*明, 李*, 欧**明: first and last character kept, the rest starred."""
    if len(name) <= 1:
        return "*" * len(name)
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_id(number: str) -> str:
    """110105********002X for 18 characters; other numbers keep three in front, two behind."""
    if len(number) == 18:
        return number[:6] + "*" * 8 + number[-4:]
    if len(number) > 6:
        return number[:3] + "*" * (len(number) - 5) + number[-2:]
    return "*" * len(number)


def mask_address(address: str) -> str:
    """Keep the first six characters (roughly province and city), star the rest."""
    if len(address) <= 6:
        return "*" * len(address)
    return address[:6] + "*" * min(len(address) - 6, 8)


@dataclass(frozen=True, repr=False)
class CardRecord:
    """One valid card read.  ``repr``/``str`` are masked; use the accessors on purpose."""

    name: str
    sex: Sex
    nation: str  # GB 3304 name for residents; ISO 3166 alpha-3 nationality for foreigners
    birth: dt.date
    address: str
    issuer: str
    valid_from: dt.date
    valid_to: dt.date | None  # None means 长期 (long-term)
    card_type: CardType
    _id_number: str = field(compare=True)
    pass_number: str = ""  # HK/Macau/Taiwan permit: the travel pass number
    issue_count: int = 0  # HK/Macau/Taiwan permit: issue count; 2023 foreigner: renewals
    appended_address: str | None = None
    photo_wlt: bytes = b""
    english_name: str = ""  # foreigners' cards only

    def full_id_number(self) -> str:
        """The ID number in clear. Call only where the full number is truly needed."""
        return self._id_number

    def masked_name(self) -> str:
        return mask_name(self.name)

    def masked_id(self) -> str:
        return mask_id(self._id_number)

    def masked_address(self) -> str:
        return mask_address(self.appended_address or self.address)

    def id_hash(self, salt: bytes) -> str:
        """HMAC-SHA256 (hex) of the ID number keyed by ``salt``: the only form that leaves.

        The rule is :func:`hall.idhash.hash_id_number`, the one the centre matches against.
        """
        return hash_id_number(self._id_number, salt)

    def age_on(self, day: dt.date) -> int:
        """Completed years of age on ``day``."""
        years = day.year - self.birth.year
        if (day.month, day.day) < (self.birth.month, self.birth.day):
            years -= 1
        return years

    def is_valid_on(self, day: dt.date) -> bool:
        """Whether the card is within its validity period on ``day`` (长期 never expires)."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def masked_dict(self) -> dict[str, object]:
        """A JSON-friendly view with nothing that identifies the holder in clear."""
        return {
            "card_type": self.card_type.name,
            "name": self.masked_name(),
            "id_number": self.masked_id(),
            "sex": self.sex.zh,
            "nation": self.nation,
            "birth_year": self.birth.year,
            "address": self.masked_address(),
            "issuer": self.issuer,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else LONG_TERM,
            "has_appended_address": self.appended_address is not None,
            "photo_bytes": len(self.photo_wlt),
        }

    def __repr__(self) -> str:
        return f"CardRecord({self.card_type.name}, name={self.masked_name()!r}, id={self.masked_id()!r})"

    __str__ = __repr__


# ---------------------------------------------------------------------------------------------
# Parsing


def _field(text: bytes, offset: int, size: int, strip: bool = True) -> str:
    """Decode one UCS-2LE field, stripping the space padding (and stray NULs)."""
    raw = text[offset : offset + size]
    try:
        value = raw.decode("utf-16-le")
    except UnicodeDecodeError as error:
        raise CardUnreadable("card.invalid", f"field at {offset} is not UCS-2") from error
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        raise CardUnreadable("card.invalid", f"field at {offset} is not UCS-2")
    value = value.strip(" \x00") if strip else value.replace("\x00", " ")
    if any(not ch.isprintable() for ch in value):
        raise CardUnreadable("card.invalid", f"field at {offset} has control characters")
    return value


def _date(value: str, what: str) -> dt.date:
    if not _DATE.fullmatch(value):
        raise CardUnreadable("card.invalid", f"{what} is not YYYYMMDD")
    try:
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError as error:
        raise CardUnreadable("card.invalid", f"{what} is not a calendar date") from error


def _valid_to(value: str) -> dt.date | None:
    if value == LONG_TERM:
        return None
    return _date(value, "valid-to date")


def _sex(value: str) -> Sex:
    if not _SEX_CODE.fullmatch(value):
        raise CardUnreadable("card.invalid", "unknown sex code")
    try:
        return Sex(int(value))
    except ValueError as error:
        raise CardUnreadable("card.invalid", "unknown sex code") from error


def _checked_id(number: str, birth: dt.date, first: str = "") -> str:
    """Check an 18-character number: MOD 11-2, embedded birth date, optional leading digit."""
    if not is_valid_id_number(number):
        raise CardUnreadable("card.invalid", "ID number fails its MOD 11-2 check")
    if number[6:14] != birth.strftime("%Y%m%d"):
        raise CardUnreadable("card.invalid", "ID number disagrees with the birth date")
    if first and not number.startswith(first):
        raise CardUnreadable("card.invalid", f"ID number should start with {first}")
    return number


def _check_validity(valid_from: dt.date, valid_to: dt.date | None, birth: dt.date) -> None:
    if valid_to is not None and valid_to < valid_from:
        raise CardUnreadable("card.invalid", "validity ends before it starts")
    if valid_from < birth:
        raise CardUnreadable("card.invalid", "issued before the holder's birth")


def card_type_of(text: bytes) -> CardType:
    """The card type from the flag at text offset 248."""
    flag = text[248:250].decode("utf-16-le", errors="replace")
    if flag == "\x00":
        flag = " "  # some readers zero the reserved area
    try:
        return CardType(flag)
    except ValueError as error:
        raise CardUnreadable("card.unsupported", "unknown card-type flag") from error


def decode_appended_address(data: bytes) -> str:
    """Decode the 70-byte appended-address block (command 30 03)."""
    if len(data) != APPENDED_ADDRESS_SIZE:
        raise CardUnreadable("card.try_again", "appended address has the wrong size")
    return _field(data, 0, APPENDED_ADDRESS_SIZE)


def parse_card(text: bytes, photo_wlt: bytes = b"", appended_address: str | None = None) -> CardRecord:
    """Build a validated :class:`CardRecord` from the text block, or raise CardUnreadable."""
    if len(text) != TEXT_SIZE:
        raise CardUnreadable("card.try_again", f"text block of {len(text)} bytes")
    card_type = card_type_of(text)
    try:
        if card_type is CardType.FOREIGNER_2017:
            return _parse_foreigner_2017(text, photo_wlt)
        if card_type is CardType.FOREIGNER_2023:
            return _parse_foreigner_2023(text, photo_wlt)
        return _parse_resident_layout(text, photo_wlt, appended_address, card_type)
    except (ValueError, IndexError, KeyError, OverflowError) as error:
        # A rule above that still let odd data through is a bad card, not a reader failure.
        # Only the exception's type: its message may quote the card's data.
        if isinstance(error, CardUnreadable):
            raise
        raise CardUnreadable("card.invalid", f"unexpected {type(error).__name__} in a field"
                             ) from None


def _parse_resident_layout(
    text: bytes, photo_wlt: bytes, appended_address: str | None, card_type: CardType
) -> CardRecord:
    name = _field(text, 0, 30)
    if not name:
        raise CardUnreadable("card.invalid", "empty name")
    birth = _date(_field(text, 36, 16), "birth date")
    valid_from = _date(_field(text, 188, 16), "valid-from date")
    valid_to = _valid_to(_field(text, 204, 16))
    _check_validity(valid_from, valid_to, birth)
    pass_number, issue_count = "", 0
    if card_type is CardType.HKMT_PERMIT:
        nation = ""  # the nation field is reserved on residence permits
        id_number = _checked_id(_field(text, 122, 36), birth, first="8")
        pass_number = _field(text, 220, 18)
        count_text = _field(text, 238, 4)
        if not re.fullmatch(r"[A-Z0-9]{8,9}", pass_number):
            raise CardUnreadable("card.invalid", "malformed pass number")
        if not _COUNT.fullmatch(count_text):
            raise CardUnreadable("card.invalid", "malformed issue count")
        issue_count = int(count_text)
    else:
        code = _field(text, 32, 4)
        if code not in NATIONS:
            raise CardUnreadable("card.invalid", "unknown nation code")
        nation = NATIONS[code]
        id_number = _checked_id(_field(text, 122, 36), birth)
        if id_number.startswith("9"):
            raise CardUnreadable("card.invalid", "foreigner number on a resident card")
    return CardRecord(
        name=name,
        sex=_sex(_field(text, 30, 2)),
        nation=nation,
        birth=birth,
        address=_field(text, 52, 70),
        issuer=_field(text, 158, 30),
        valid_from=valid_from,
        valid_to=valid_to,
        card_type=card_type,
        _id_number=id_number,
        pass_number=pass_number,
        issue_count=issue_count,
        appended_address=appended_address,
        photo_wlt=bytes(photo_wlt),
    )


def _nationality(value: str) -> str:
    if not re.fullmatch(r"[A-Z]{3}", value):
        raise CardUnreadable("card.invalid", "malformed nationality code")
    return value


def _parse_foreigner_2017(text: bytes, photo_wlt: bytes) -> CardRecord:
    """2017 permanent-residence card ('I'): 15-character number, 3 letters + 12 digits.

    The old number's check rule is not public (hardware.md has none), so only its shape and
    its nationality prefix are checked.
    """
    english_name = _field(text, 0, 120)
    number = _field(text, 122, 30)
    nationality = _nationality(_field(text, 152, 6))
    chinese_name = _field(text, 158, 30)
    if not re.fullmatch("[A-Z]{3}[0-9]{12}", number) or number[:3] != nationality:
        raise CardUnreadable("card.invalid", "malformed permanent-residence number")
    birth = _date(_field(text, 220, 16), "birth date")
    valid_from = _date(_field(text, 188, 16), "valid-from date")
    valid_to = _valid_to(_field(text, 204, 16))
    _check_validity(valid_from, valid_to, birth)
    name = chinese_name or english_name
    if not name:
        raise CardUnreadable("card.invalid", "empty name")
    return CardRecord(
        name=name,
        sex=_sex(_field(text, 120, 2)),
        nation=nationality,
        birth=birth,
        address="",
        issuer=_field(text, 240, 8),  # issuing-office code
        valid_from=valid_from,
        valid_to=valid_to,
        card_type=CardType.FOREIGNER_2017,
        _id_number=number,
        photo_wlt=bytes(photo_wlt),
        english_name=english_name,
    )


def _parse_foreigner_2023(text: bytes, photo_wlt: bytes) -> CardRecord:
    """2023 permanent-residence ID card ('Y'): 18 digits starting with 9, MOD 11-2 checked."""
    chinese_name = _field(text, 0, 30)
    english_name = (_field(text, 52, 70, strip=False) + _field(text, 220, 22, strip=False)).strip()
    birth = _date(_field(text, 36, 16), "birth date")
    number = _checked_id(_field(text, 122, 36), birth, first="9")
    valid_from = _date(_field(text, 188, 16), "valid-from date")
    valid_to = _valid_to(_field(text, 204, 16))
    _check_validity(valid_from, valid_to, birth)
    renewals = _field(text, 32, 4)
    if not _COUNT.fullmatch(renewals):
        raise CardUnreadable("card.invalid", "malformed renewal count")
    name = chinese_name or english_name
    if not name:
        raise CardUnreadable("card.invalid", "empty name")
    return CardRecord(
        name=name,
        sex=_sex(_field(text, 30, 2)),
        nation=_nationality(_field(text, 242, 6)),
        birth=birth,
        address="",
        issuer="",
        valid_from=valid_from,
        valid_to=valid_to,
        card_type=CardType.FOREIGNER_2023,
        _id_number=number,
        issue_count=int(renewals),
        photo_wlt=bytes(photo_wlt),
        english_name=english_name,
    )
