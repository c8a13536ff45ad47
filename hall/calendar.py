"""The hall's working-day calendar: China's statutory holidays and make-up working days.

Promised answer dates for 办不成事 reports count working days, and the State Council moves
weekends around holidays (a Saturday can be a working day, a Wednesday a day off). The
``holidays`` package tracks those announcements (``China().weekend_workdays``); a hall can
still add or remove days in its config (``[calendar] extra_holidays / extra_workdays``) when a
local announcement or a late national one is not in the installed package yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import holidays


class HallCalendar:
    """Answers "is this a working day?" for one hall."""

    def __init__(self, extra_holidays: Iterable[dt.date] = (),
                 extra_workdays: Iterable[dt.date] = ()) -> None:
        self._national = holidays.country_holidays("CN")
        self._extra_holidays = set(extra_holidays)
        self._extra_workdays = set(extra_workdays)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self._extra_workdays:
            return True
        if day in self._extra_holidays:
            return False
        # is_working_day knows both the holiday list and the make-up weekend workdays.
        return bool(self._national.is_working_day(day))

    def is_holiday(self, day: dt.date) -> bool:
        """A statutory day off that would otherwise be a working day (the hall is closed)."""
        return day in self._extra_holidays or (
            day not in self._extra_workdays and day in self._national
        )

    def is_makeup_workday(self, day: dt.date) -> bool:
        """A Saturday or Sunday declared a working day (调休上班)."""
        return day.isoweekday() >= 6 and self.is_working_day(day)

    def add_working_days(self, start: dt.date, count: int) -> dt.date:
        """The date ``count`` working days after ``start`` (the start day itself not counted)."""
        day = start
        remaining = count
        while remaining > 0:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def matter_open_on(self, day: dt.date, weekdays: Iterable[int]) -> bool:
        """Whether a matter with these ISO weekdays is served on ``day``.

        Closed on statutory days off; on a make-up working day open as on a weekday if the
        matter is served on any weekday at all.
        """
        days = set(weekdays)
        if self.is_holiday(day) and day.isoweekday() <= 5:
            return False
        if day.isoweekday() <= 5 and not self.is_working_day(day):
            return False
        if self.is_makeup_workday(day):
            return bool(days & {1, 2, 3, 4, 5}) or day.isoweekday() in days
        if day.isoweekday() >= 6 and day in self._national:
            return False
        return day.isoweekday() in days


def parse_dates(values: Iterable[str]) -> list[dt.date]:
    return [dt.date.fromisoformat(v) for v in values]
