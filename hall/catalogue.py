"""The hall's catalogue (config bundle pushed by the centre): frozen, validated, searchable.

Both the centre (on publish) and the kiosk (on receive) call ``Catalogue.from_dict(d)``, so a bad
bundle is refused where it is made and again where it lands, with a ``CatalogueError`` whose
message names the key path and what was expected ("matters[3].zone: unknown zone 'Z'"). Pure
Python: no Qt, no I/O. Search by pinyin initials ("hyd" finds 婚姻登记) is precomputed once per
catalogue so typing on the kiosk keypad stays instant.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import types
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Availability",
    "Catalogue",
    "CatalogueError",
    "Guide",
    "Hall",
    "Hours",
    "Integrated",
    "Material",
    "Matter",
    "Notice",
    "ReportSettings",
    "ServiceSettings",
    "TextOverride",
    "Timeouts",
    "Zone",
]


class CatalogueError(ValueError):
    """A bundle that cannot be used; ``str()`` is one line: ``<key path>: <what was expected>``."""

    def __init__(self, path: str, expected: str) -> None:
        self.path = path
        self.expected = expected
        super().__init__(f"{path}: {expected}")


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Hours:
    """A daily window on the given ISO weekdays (1 = Monday): a matter's, or staff on site."""

    open: dt.time
    close: dt.time
    days: tuple[int, ...]

    def closes_at(self, when: dt.datetime) -> dt.datetime | None:
        """When this window closes if ``when`` falls inside it, else None."""
        if when.isoweekday() in self.days and self.open <= when.time() < self.close:
            return dt.datetime.combine(when.date(), self.close, tzinfo=when.tzinfo)
        return None

    def next_start(self, after: dt.datetime) -> dt.datetime | None:
        """The first opening strictly after ``after`` within a week, or None."""
        for offset in range(8):
            day = after.date() + dt.timedelta(days=offset)
            if day.isoweekday() in self.days:
                start = dt.datetime.combine(day, self.open, tzinfo=after.tzinfo)
                if start > after:
                    return start
        return None


@dataclass(frozen=True)
class Hall:
    """Who and where the hall is, and the URL templates printed as QR codes."""

    name: str
    name_en: str
    hotline: str
    director_hotline: str
    staffed_hours: str
    staffed_hours_en: str
    # contains {tracking_no}, and {check_code} where the hall's page takes it; empty: the
    # centre's own progress page (its receipt answer's progress_url)
    tracking_url: str
    # contains {ticket_id}; empty: the centre's own phone page (its ticket answer's track_url)
    queue_url: str
    #: When staff are on site; empty when the centre does not say (then they are assumed to be).
    staffed: tuple[Hours, ...] = ()
    #: The hall's IANA time zone; when set, kiosks show and print their times in it.
    timezone: str = ""

    def tracking_link(self, tracking_no: str, check_code: str = "") -> str:
        return (self.tracking_url.replace("{tracking_no}", tracking_no)
                .replace("{check_code}", check_code))

    def queue_link(self, ticket_id: str) -> str:
        return self.queue_url.replace("{ticket_id}", ticket_id)


@dataclass(frozen=True)
class Notice:
    """An announcement for the home screen, optionally limited to a date range (inclusive)."""

    zh: str
    en: str
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None

    def active_on(self, day: dt.date) -> bool:
        if self.valid_from is not None and day < self.valid_from:
            return False
        return not (self.valid_until is not None and day > self.valid_until)


@dataclass(frozen=True)
class Zone:
    """A floor area of the hall with its windows; a ticket's zone tells the citizen where to go.

    One shape for the catalogue's zones and for the zone in a ticket answer. A ticket answer may
    leave out ``windows`` (older centres do): it then reads as empty.
    """

    id: str
    name: str
    name_en: str
    floor: int
    windows: str = field(default="", kw_only=True)  # keyword-only: optional in a ticket answer
    location: str
    location_en: str


@dataclass(frozen=True)
class Material:
    """One document the citizen must bring: how many originals and copies."""

    name: str
    name_en: str
    originals: int = 1
    copies: int = 0
    note: str = ""
    note_en: str = ""


@dataclass(frozen=True)
class Guide:
    """The one-time notification content (一次性告知) of a matter."""

    conditions: tuple[str, ...] = ()
    conditions_en: tuple[str, ...] = ()
    materials: tuple[Material, ...] = ()
    time_limit: str = ""
    time_limit_en: str = ""
    fee: str = ""
    fee_en: str = ""
    place: str = ""
    place_en: str = ""
    hours_text: str = ""
    hours_text_en: str = ""
    online_url: str = ""


@dataclass(frozen=True)
class Matter:
    """A service matter citizens take numbers for and read guides of."""

    id: str
    zone: str
    prefix: str
    name: str
    name_en: str
    windows: str
    hours: Hours
    daily_quota: int = 0  # 0 = no quota
    needs_staff: bool = True
    appointment: bool = False
    guide: Guide | None = None


@dataclass(frozen=True)
class Integrated:
    """An integrated service (一件事一次办): several matters, one merged slip."""

    id: str
    name: str
    name_en: str
    matters: tuple[str, ...]


@dataclass(frozen=True)
class TextOverride:
    """A centre-supplied replacement for one UI string key."""

    key: str
    zh: str
    en: str


@dataclass(frozen=True)
class Timeouts:
    """Idle policy in seconds: prompt after ``idle_s``, reset ``idle_prompt_s`` later."""

    idle_s: int = 90
    idle_prompt_s: int = 20
    elder_idle_s: int = 180


@dataclass(frozen=True)
class ServiceSettings:
    """Service-menu access: a PBKDF2 hash of the PIN, never the PIN itself."""

    pin_hash: str = ""


@dataclass(frozen=True)
class ReportSettings:
    """Promised answer times of 办不成事 reports, in working days (simple: 0 = the same day)."""

    ordinary_days: int = 5
    complex_days: int = 10
    simple_days: int = 0


@dataclass(frozen=True)
class RatingSettings:
    """Follow-up of a 差评 (好差评), in working days on the hall's calendar: the 整改
    (rectification) is due ``rectify_days`` after the rating arrived, the 回访 (call back)
    ``callback_days`` after the rectification was done."""

    rectify_days: int = 5
    callback_days: int = 2


@dataclass(frozen=True)
class Availability:
    """Whether a matter (or the hall's staff) is there at a moment; truthy when open, else
    says when it opens next."""

    open: bool
    next_open: dt.datetime | None  # None when open now or never opens
    closes_at: dt.datetime | None = None  # today's closing time when open

    def __bool__(self) -> bool:
        return self.open


@dataclass(frozen=True)
class _SearchKey:
    """Precomputed lowercase forms of one searchable name."""

    name: str
    name_en: str
    initials: tuple[str, ...]  # one spelling per combination of polyphone readings
    full_pinyin: tuple[str, ...]


# --------------------------------------------------------------------------- catalogue


@dataclass(frozen=True)
class Catalogue:
    """The whole validated bundle plus lookup and search helpers."""

    hall: Hall
    zones: tuple[Zone, ...]
    matters: tuple[Matter, ...]
    notices: tuple[Notice, ...] = ()
    integrated: tuple[Integrated, ...] = ()
    texts: tuple[TextOverride, ...] = ()
    timeouts: Timeouts = field(default_factory=Timeouts)
    service: ServiceSettings = field(default_factory=ServiceSettings)
    report: ReportSettings = field(default_factory=ReportSettings)
    ratings: RatingSettings = field(default_factory=RatingSettings)
    _zones_by_id: Mapping[str, Zone] = field(init=False, repr=False, compare=False, hash=False)
    _matters_by_id: Mapping[str, Matter] = field(init=False, repr=False, compare=False, hash=False)
    _integrated_by_id: Mapping[str, Integrated] = field(
        init=False, repr=False, compare=False, hash=False
    )
    _texts_by_key: Mapping[str, TextOverride] = field(
        init=False, repr=False, compare=False, hash=False
    )
    _search_keys: Mapping[str, _SearchKey] = field(
        init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        def index(items: Iterable[Any], attr: str = "id") -> Mapping[str, Any]:
            return types.MappingProxyType({getattr(item, attr): item for item in items})

        object.__setattr__(self, "_zones_by_id", index(self.zones))
        object.__setattr__(self, "_matters_by_id", index(self.matters))
        object.__setattr__(self, "_integrated_by_id", index(self.integrated))
        object.__setattr__(self, "_texts_by_key", index(self.texts, "key"))
        keys = {f"m:{m.id}": _search_key(m.name, m.name_en) for m in self.matters}
        keys.update({f"i:{s.id}": _search_key(s.name, s.name_en) for s in self.integrated})
        object.__setattr__(self, "_search_keys", types.MappingProxyType(keys))

    # ---- construction

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Catalogue:
        """Validate the dict form of a bundle (parsed TOML or JSON) and build the catalogue."""
        return _parse(d)

    # ---- lookup

    def zone(self, zone_id: str) -> Zone:
        try:
            return self._zones_by_id[zone_id]
        except KeyError:
            raise KeyError(f"unknown zone {zone_id!r}") from None

    def matter(self, matter_id: str) -> Matter:
        try:
            return self._matters_by_id[matter_id]
        except KeyError:
            raise KeyError(f"unknown matter {matter_id!r}") from None

    def integrated_service(self, service_id: str) -> Integrated:
        try:
            return self._integrated_by_id[service_id]
        except KeyError:
            raise KeyError(f"unknown integrated service {service_id!r}") from None

    def has_matter(self, matter_id: str) -> bool:
        return matter_id in self._matters_by_id

    def matters_in_zone(self, zone_id: str) -> list[Matter]:
        """Matters of one zone in catalogue order (unknown zone: empty list)."""
        return [m for m in self.matters if m.zone == zone_id]

    def matters_of(self, service: Integrated) -> list[Matter]:
        return [self._matters_by_id[mid] for mid in service.matters]

    def active_notices(self, day: dt.date) -> list[Notice]:
        return [n for n in self.notices if n.active_on(day)]

    def text(self, key: str) -> TextOverride | None:
        """The centre's override of a UI string, if it sent one."""
        return self._texts_by_key.get(key)

    # ---- opening hours

    def is_open(self, matter: Matter, when: dt.datetime) -> Availability:
        """Whether ``matter`` takes citizens at ``when``; if not, when it opens next.

        Self-service matters (``needs_staff = false``) are always open.
        """
        if not matter.needs_staff:
            return Availability(True, None)
        closes = matter.hours.closes_at(when)
        if closes is not None:
            return Availability(True, None, closes)
        return Availability(False, self.next_opening(matter, when))

    def next_opening(self, matter: Matter, after: dt.datetime) -> dt.datetime | None:
        """First opening time strictly after ``after`` (e.g. tomorrow when today's quota is gone)."""
        return matter.hours.next_start(after)

    def staff_on_site(self, when: dt.datetime) -> Availability:
        """Whether the hall's staff are on site at ``when`` (a help call brings someone); if
        not, when they are back. A hall that does not declare its staffed hours counts as
        staffed: the kiosk then promises what it always did."""
        windows = self.hall.staffed
        if not windows:
            return Availability(True, None)
        for hours in windows:
            closes = hours.closes_at(when)
            if closes is not None:
                return Availability(True, None, closes)
        starts = [start for hours in windows if (start := hours.next_start(when)) is not None]
        return Availability(False, min(starts) if starts else None)

    def next_opening_after_today(self, matter: Matter, now: dt.datetime) -> dt.datetime | None:
        """When to come back once today is no good (quota gone): the first opening from tomorrow."""
        end_of_day = dt.datetime.combine(now.date(), dt.time.max, tzinfo=now.tzinfo)
        return self.next_opening(matter, end_of_day)

    # ---- search

    def search(self, query: str, limit: int = 20) -> list[Matter]:
        """Matters matching Chinese, English or pinyin (initials or full), best first."""
        return [self._matters_by_id[k[2:]] for k in self._rank(query, "m:")][:limit]

    def search_integrated(self, query: str, limit: int = 20) -> list[Integrated]:
        """Integrated services matching ``query`` the same way as ``search``."""
        return [self._integrated_by_id[k[2:]] for k in self._rank(query, "i:")][:limit]

    def _rank(self, query: str, kind: str) -> list[str]:
        q = _normalise(query)
        if not q:
            return []
        order = {key: i for i, key in enumerate(self._search_keys)}
        scored = []
        for key, sk in self._search_keys.items():
            if not key.startswith(kind):
                continue
            score = _score(q, sk)
            if score:
                scored.append((-score, len(sk.name), order[key], key))
        scored.sort()
        return [key for *_, key in scored]


# --------------------------------------------------------------------------- search helpers


def _normalise(text: str) -> str:
    return "".join(ch for ch in text.lower() if not ch.isspace())


def _keep_alnum(chars: str) -> list[str]:
    return [c.lower() for c in chars if c.isalnum()]


def _search_key(name: str, name_en: str) -> _SearchKey:
    # Imported here, off the start-up path, and without pypinyin's phrase dictionary: it costs
    # ~0.4 s and ~45 MB; polyphones are covered by indexing their other readings instead.
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "true")
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "true")
    from pypinyin import Style, pinyin

    # The common reading of every character, plus each other reading of each polyphone one at
    # a time (行: xing/hang), so 银行 is found by "yh" without the phrase dictionary; linear in
    # the name's length, never a combinatorial blow-up.
    readings = [list(dict.fromkeys(o.lower() for o in options if o)) or [""]
                for options in pinyin(name, style=Style.NORMAL, heteronym=True,
                                      errors=_keep_alnum)]  # type: ignore[arg-type]  # a list is fine
    primary = [options[0] for options in readings]
    spellings = [primary]
    for i, options in enumerate(readings):
        spellings += [[*primary[:i], other, *primary[i + 1:]] for other in options[1:]]
    full = tuple(dict.fromkeys("".join(sp) for sp in spellings))
    initials = tuple(dict.fromkeys("".join(part[:1] for part in sp) for sp in spellings))
    return _SearchKey(_normalise(name), name_en.lower(), initials, full)


def _score(q: str, sk: _SearchKey) -> int:
    """Relevance of normalised query ``q`` for one name; 0 means no match."""
    best = 0
    if q == sk.name:
        best = 100
    elif sk.name.startswith(q):
        best = 90
    elif q in sk.name:
        best = 70
    if q.isascii():
        for initials in sk.initials:
            if q == initials:
                best = max(best, 95)
            elif initials.startswith(q):
                best = max(best, 85)
            elif q in initials:
                best = max(best, 60)
        for full in sk.full_pinyin:
            if full.startswith(q):
                best = max(best, 80)
            elif len(q) >= 2 and q in full:
                best = max(best, 50)
        en = sk.name_en
        en_compact = en.replace(" ", "")
        if en_compact.startswith(q):
            best = max(best, 78)
        elif any(word.startswith(q) for word in re.split(r"[\s\-/,()]+", en)):
            best = max(best, 75)
        elif len(q) >= 2 and q in en_compact:
            best = max(best, 55)
    return best


# --------------------------------------------------------------------------- parsing


_SECTIONS = {
    "hall", "notices", "zones", "matters", "integrated", "texts", "timeouts", "service", "report",
    "ratings",
}
_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_TIME_RE = re.compile(r"(\d{1,2}):(\d{2})")
#: Window numbers as screens and tickets say them ("{windows}号窗口"): 5, 1-4, 21,23 or 1-4、7.
_WINDOWS_RE = re.compile(r"\d+(\s*-\s*\d+)?(\s*[,，、]\s*\d+(\s*-\s*\d+)?)*")
_PIN_HASH_RE = re.compile(r"pbkdf2_sha256\$\d+\$[A-Za-z0-9+/=_-]+\$[A-Za-z0-9+/=_-]+")


class _Reader:
    """Typed access to one table of the bundle that remembers its key path for errors."""

    def __init__(self, path: str, table: Any, allowed: Iterable[str]) -> None:
        if not isinstance(table, Mapping):
            raise CatalogueError(path or "bundle", f"expected a table, got {_kind(table)}")
        self.path = path
        self.table = table
        allowed = set(allowed)
        for key in table:
            if key not in allowed:
                hint = difflib.get_close_matches(str(key), sorted(allowed), n=1)
                extra = f" (did you mean {hint[0]!r}?)" if hint else ""
                raise CatalogueError(self.at(str(key)), f"unknown key{extra}")

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def raw(self, key: str, default: Any = ...) -> Any:
        if key in self.table:
            return self.table[key]
        if default is ...:
            raise CatalogueError(self.at(key), "missing")
        return default

    def text(self, key: str, default: Any = ..., *, nonempty: bool = True) -> str:
        value = self.raw(key, default)
        if not isinstance(value, str):
            raise CatalogueError(self.at(key), f"expected text, got {_kind(value)}")
        if nonempty and default is ... and not value.strip():
            raise CatalogueError(self.at(key), "expected non-empty text")
        return value

    def integer(self, key: str, default: Any = ..., *, minimum: int | None = None) -> int:
        value = self.raw(key, default)
        if not isinstance(value, int) or isinstance(value, bool):
            raise CatalogueError(self.at(key), f"expected an integer, got {_kind(value)}")
        if minimum is not None and value < minimum:
            raise CatalogueError(self.at(key), f"expected at least {minimum}, got {value}")
        return value

    def boolean(self, key: str, default: Any = ...) -> bool:
        value = self.raw(key, default)
        if not isinstance(value, bool):
            raise CatalogueError(self.at(key), f"expected true or false, got {_kind(value)}")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.raw(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise CatalogueError(self.at(key), "expected a list of texts")
        return tuple(value)

    def identifier(self, key: str) -> str:
        value = self.text(key)
        if not _ID_RE.fullmatch(value):
            raise CatalogueError(
                self.at(key), f"expected an id of letters, digits, '.', '_' or '-', got {value!r}"
            )
        return value

    def table_list(self, key: str) -> list[Any]:
        value = self.raw(key, [])
        if not isinstance(value, list):
            raise CatalogueError(self.at(key), f"expected a list of tables, got {_kind(value)}")
        return value


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return f"boolean {value!r}"
    if isinstance(value, (int, float)):
        return f"number {value!r}"
    if isinstance(value, str):
        return f"text {value!r}"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _parse(d: Mapping[str, Any]) -> Catalogue:
    root = _Reader("", d, _SECTIONS)
    hall = _parse_hall(_Reader("hall", root.raw("hall"), Hall.__dataclass_fields__))
    notices = tuple(
        _parse_notice(f"notices[{i}]", t) for i, t in enumerate(root.table_list("notices"))
    )

    zones = _parse_unique(root, "zones", _parse_zone, "duplicate zone id", required=True)
    zone_ids = {z.id for z in zones}
    matters = _parse_unique(root, "matters", lambda path, t: _parse_matter(path, t, zone_ids),
                            "duplicate matter id", required=True)
    matter_ids = {m.id for m in matters}
    integrated = _parse_unique(
        root, "integrated", lambda path, t: _parse_integrated(path, t, matter_ids), "duplicate id")

    return Catalogue(
        hall=hall,
        zones=tuple(zones),
        matters=tuple(matters),
        notices=notices,
        integrated=tuple(integrated),
        texts=_parse_texts(root.raw("texts", {})),
        timeouts=_parse_timeouts(root.raw("timeouts", {})),
        service=_parse_service(root.raw("service", {})),
        report=_parse_report(root.raw("report", {})),
        ratings=_parse_ratings(root.raw("ratings", {})),
    )


def _parse_hall(r: _Reader) -> Hall:
    hall = Hall(
        name=r.text("name"),
        name_en=r.text("name_en"),
        hotline=r.text("hotline"),
        director_hotline=r.text("director_hotline"),
        staffed_hours=r.text("staffed_hours"),
        staffed_hours_en=r.text("staffed_hours_en"),
        tracking_url=r.text("tracking_url", ""),
        queue_url=r.text("queue_url", ""),
        staffed=_parse_windows(r, "staffed"),
        timezone=r.text("timezone", ""),
    )
    if hall.timezone:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(hall.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise CatalogueError(r.at("timezone"), f"expected an IANA time zone such as "
                                 f"'Asia/Shanghai', got {hall.timezone!r}") from None
    for key, placeholder in (("tracking_url", "{tracking_no}"), ("queue_url", "{ticket_id}")):
        url = getattr(hall, key)
        if not url:  # the centre's own page
            continue
        if not re.match(r"https?://", url) or placeholder not in url:
            raise CatalogueError(
                r.at(key), f"expected an http(s) URL containing {placeholder}, got {url!r}"
            )
    for key in ("hotline", "director_hotline"):
        if not re.fullmatch(r"[0-9][0-9 \-]{2,19}", getattr(hall, key)):
            raise CatalogueError(r.at(key), "expected a phone number of digits, spaces or '-'")
    return hall


def _parse_date(r: _Reader, key: str) -> dt.date | None:
    value = r.raw(key, None)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise CatalogueError(r.at(key), f"expected a date YYYY-MM-DD, got {_kind(value)}")


def _parse_notice(path: str, table: Any) -> Notice:
    r = _Reader(path, table, ("zh", "en", "from", "until"))
    notice = Notice(r.text("zh"), r.text("en"), _parse_date(r, "from"), _parse_date(r, "until"))
    if notice.valid_from and notice.valid_until and notice.valid_until < notice.valid_from:
        raise CatalogueError(r.at("until"), "expected a date on or after 'from'")
    return notice


def _parse_unique(root: Any, name: str, parse: Any, duplicate: str, *,
                  required: bool = False) -> list[Any]:
    """Parse the tables of one list, refusing repeated ids (and an empty list if required)."""
    items: list[Any] = []
    for i, table in enumerate(root.table_list(name)):
        item = parse(f"{name}[{i}]", table)
        if any(other.id == item.id for other in items):
            raise CatalogueError(f"{name}[{i}].id", f"{duplicate} {item.id!r}")
        items.append(item)
    if required and not items:
        raise CatalogueError(name, f"expected at least one {name[:-1]}")
    return items


def _parse_zone(path: str, table: Any) -> Zone:
    r = _Reader(path, table, Zone.__dataclass_fields__)
    return Zone(
        id=r.identifier("id"),
        name=r.text("name"),
        name_en=r.text("name_en"),
        floor=r.integer("floor"),
        windows=_windows(r, required=True),
        location=r.text("location"),
        location_en=r.text("location_en"),
    )


def _windows(r: _Reader, *, required: bool) -> str:
    """Window numbers ("5", "1-4"), or a place in words; a self-service matter may leave them
    out. Words are kept as written (bundles published before numbers were the rule stay valid):
    screens say "{windows}号窗口" only for numbers (``window_numbers``)."""
    value = r.text("windows") if required else r.text("windows", "", nonempty=False)
    return value.strip()


def window_numbers(windows: str) -> bool:
    """Whether ``windows`` holds window numbers (5, 1-4, 21,23 ...) rather than words."""
    return bool(_WINDOWS_RE.fullmatch(windows.strip()))


def _parse_time(r: _Reader, key: str) -> dt.time:
    value = r.raw(key)
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str):
        m = _TIME_RE.fullmatch(value.strip())
        if m and int(m[1]) < 24 and int(m[2]) < 60:
            return dt.time(int(m[1]), int(m[2]))
    raise CatalogueError(r.at(key), f"expected a time HH:MM, got {_kind(value)}")


def _parse_windows(r: _Reader, key: str) -> tuple[Hours, ...]:
    """An optional list of daily windows (``[[hall.staffed]]`` tables)."""
    windows = r.raw(key, [])
    if not isinstance(windows, list):
        raise CatalogueError(r.at(key), f"expected a list of opening windows, got {_kind(windows)}")
    return tuple(_parse_hours(f"{r.at(key)}[{index}]", table) for index, table in enumerate(windows))


def _parse_hours(path: str, table: Any) -> Hours:
    r = _Reader(path, table, ("open", "close", "days"))
    opens, closes = _parse_time(r, "open"), _parse_time(r, "close")
    if closes <= opens:
        raise CatalogueError(r.at("close"), "expected a closing time after the opening time")
    days = r.raw("days")
    if (
        not isinstance(days, list)
        or not days
        or not all(isinstance(x, int) and not isinstance(x, bool) and 1 <= x <= 7 for x in days)
        or len(set(days)) != len(days)
    ):
        raise CatalogueError(
            r.at("days"), f"expected distinct ISO weekdays 1-7 (1 = Monday), got {days!r}"
        )
    return Hours(opens, closes, tuple(sorted(days)))


def _parse_material(path: str, table: Any) -> Material:
    r = _Reader(path, table, Material.__dataclass_fields__)
    material = Material(
        name=r.text("name"),
        name_en=r.text("name_en"),
        originals=r.integer("originals", 1, minimum=0),
        copies=r.integer("copies", 0, minimum=0),
        note=r.text("note", ""),
        note_en=r.text("note_en", ""),
    )
    if material.originals == 0 and material.copies == 0:
        raise CatalogueError(path, "expected at least one original or one copy")
    return material


def _parse_guide(path: str, table: Any) -> Guide:
    r = _Reader(path, table, Guide.__dataclass_fields__)
    conditions, conditions_en = r.texts("conditions"), r.texts("conditions_en")
    if len(conditions) != len(conditions_en):
        raise CatalogueError(
            r.at("conditions_en"),
            f"expected {len(conditions)} entries, one per Chinese condition, got "
            f"{len(conditions_en)}",
        )
    materials = tuple(
        _parse_material(f"{path}.materials[{i}]", t)
        for i, t in enumerate(r.table_list("materials"))
    )
    online_url = r.text("online_url", "")
    if online_url and not re.match(r"https?://", online_url):
        raise CatalogueError(r.at("online_url"), f"expected an http(s) URL, got {online_url!r}")
    return Guide(
        conditions=conditions,
        conditions_en=conditions_en,
        materials=materials,
        time_limit=r.text("time_limit", ""),
        time_limit_en=r.text("time_limit_en", ""),
        fee=r.text("fee", ""),
        fee_en=r.text("fee_en", ""),
        place=r.text("place", ""),
        place_en=r.text("place_en", ""),
        hours_text=r.text("hours_text", ""),
        hours_text_en=r.text("hours_text_en", ""),
        online_url=online_url,
    )


def _parse_matter(path: str, table: Any, zone_ids: set[str]) -> Matter:
    r = _Reader(path, table, Matter.__dataclass_fields__)
    zone = r.text("zone")
    if zone not in zone_ids:
        raise CatalogueError(
            r.at("zone"), f"unknown zone {zone!r} (known: {', '.join(sorted(zone_ids))})"
        )
    prefix = r.text("prefix")
    if not re.fullmatch(r"[A-Z]", prefix):
        raise CatalogueError(r.at("prefix"), f"expected one capital letter A-Z, got {prefix!r}")
    guide_table = r.raw("guide", None)
    return Matter(
        id=r.identifier("id"),
        zone=zone,
        prefix=prefix,
        name=r.text("name"),
        name_en=r.text("name_en"),
        windows=_windows(r, required=False),
        hours=_parse_hours(r.at("hours"), r.raw("hours")),
        daily_quota=r.integer("daily_quota", 0, minimum=0),
        needs_staff=r.boolean("needs_staff", True),
        appointment=r.boolean("appointment", False),
        guide=None if guide_table is None else _parse_guide(r.at("guide"), guide_table),
    )


def _parse_integrated(path: str, table: Any, matter_ids: set[str]) -> Integrated:
    r = _Reader(path, table, Integrated.__dataclass_fields__)
    members = r.raw("matters")
    if not isinstance(members, list) or len(members) < 2:
        raise CatalogueError(r.at("matters"), "expected a list of at least two matter ids")
    for j, mid in enumerate(members):
        if mid not in matter_ids:
            raise CatalogueError(f"{r.at('matters')}[{j}]", f"unknown matter {mid!r}")
    if len(set(members)) != len(members):
        raise CatalogueError(r.at("matters"), "expected each matter once")
    return Integrated(r.identifier("id"), r.text("name"), r.text("name_en"), tuple(members))


def _parse_texts(table: Any) -> tuple[TextOverride, ...]:
    if not isinstance(table, Mapping):
        raise CatalogueError("texts", f"expected a table, got {_kind(table)}")
    out = []
    for key, value in table.items():
        r = _Reader(f'texts."{key}"', value, ("zh", "en"))
        out.append(TextOverride(str(key), r.text("zh"), r.text("en")))
    return tuple(out)


def _parse_timeouts(table: Any) -> Timeouts:
    r = _Reader("timeouts", table, Timeouts.__dataclass_fields__)
    t = Timeouts(
        idle_s=r.integer("idle_s", 90, minimum=10),
        idle_prompt_s=r.integer("idle_prompt_s", 20, minimum=5),
        elder_idle_s=r.integer("elder_idle_s", 180, minimum=10),
    )
    if t.elder_idle_s < t.idle_s:
        raise CatalogueError("timeouts.elder_idle_s", f"expected at least idle_s ({t.idle_s})")
    return t


def _parse_service(table: Any) -> ServiceSettings:
    r = _Reader("service", table, ("pin_hash",))
    pin_hash = r.text("pin_hash", "")
    if pin_hash and not _PIN_HASH_RE.fullmatch(pin_hash):
        raise CatalogueError(
            "service.pin_hash", "expected pbkdf2_sha256$<iterations>$<salt-b64>$<hash-b64>"
        )
    return ServiceSettings(pin_hash)


def _parse_report(table: Any) -> ReportSettings:
    r = _Reader("report", table, ReportSettings.__dataclass_fields__)
    s = ReportSettings(
        ordinary_days=r.integer("ordinary_days", 5, minimum=0),
        complex_days=r.integer("complex_days", 10, minimum=0),
        simple_days=r.integer("simple_days", 0, minimum=0),
    )
    if s.simple_days > s.ordinary_days:
        raise CatalogueError("report.simple_days", "expected at most ordinary_days")
    if s.complex_days < s.ordinary_days:
        raise CatalogueError("report.complex_days", "expected at least ordinary_days")
    return s


def _parse_ratings(table: Any) -> RatingSettings:
    r = _Reader("ratings", table, RatingSettings.__dataclass_fields__)
    return RatingSettings(
        rectify_days=r.integer("rectify_days", 5, minimum=1),
        callback_days=r.integer("callback_days", 2, minimum=1),
    )
