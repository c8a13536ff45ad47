"""The hall's clock: every time the kiosk shows, prints or logs is in the hall's time zone.

The machine's zone is whatever the image came with (UTC on a fresh Debian), and the centre
issues tickets in its own: a kiosk that used the system zone printed receipts eight hours
apart from the queue ticket of the same citizen. The zone comes from kiosk.toml's
``[hall] timezone`` and, when the centre's signed bundle names one, from the bundle; it is set
once per change for the whole process (the flows, the printer's templates and the log lines
read it here). Plain Python: no Qt.
"""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Asia/Shanghai"
_WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")

_zone = ZoneInfo(DEFAULT_ZONE)


def zone_error(name: str) -> str | None:
    """Why ``name`` is not a time zone this machine knows (None when it is one)."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return f"expected an IANA time zone such as {DEFAULT_ZONE!r}, got {name!r}"
    return None


def set_zone(name: str) -> bool:
    """Use ``name`` from now on; False (and the old zone kept) when it is not a known zone."""
    global _zone
    if zone_error(name):
        return False
    _zone = ZoneInfo(name)
    return True


def zone() -> ZoneInfo:
    return _zone


def now() -> dt.datetime:
    """The hall's wall clock, time-zone aware."""
    return dt.datetime.now(_zone)


def today() -> dt.date:
    return now().date()


def in_hall(moment: dt.datetime) -> dt.datetime:
    """An aware time as the hall's clock shows it (a naive one is taken as hall time already)."""
    return moment.astimezone(_zone) if moment.tzinfo is not None else moment.replace(tzinfo=_zone)


def log_time(seconds: float | None = None) -> time.struct_time:
    """logging.Formatter.converter: log lines stamped in hall time, whatever TZ says."""
    return dt.datetime.fromtimestamp(time.time() if seconds is None else seconds, _zone).timetuple()


def home_clock(language: str, moment: dt.datetime | None = None) -> str:
    """The home screen's date and time line: "2026年12月3日 星期四  20:05" / "Thursday 3
    December 2026  20:05"."""
    moment = in_hall(moment) if moment is not None else now()
    hm = moment.strftime("%H:%M")
    if language == "en":
        return (f"{_WEEKDAYS_EN[moment.weekday()]} {moment.day} {_MONTHS_EN[moment.month - 1]} "
                f"{moment.year}  {hm}")
    return f"{moment.year}年{moment.month}月{moment.day}日 {_WEEKDAYS_ZH[moment.weekday()]}  {hm}"
