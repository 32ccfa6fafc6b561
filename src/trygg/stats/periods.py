"""Periods: a calendar year, a calendar month or a range of days, and the one before.

Public figures come only for whole calendar years and whole calendar months. A range of
days could be differenced against the range one day longer, and any union of months
against its parts, so the public view publishes only the two levels that
:mod:`trygg.suppression` protects together (a year and its months).

Examples
--------
>>> Period.year_of(2024).previous().label
'2023'
>>> Period.of(None, dt.date(2024, 3, 1), dt.date(2024, 3, 31)).kind
'month'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from trygg.errors import TryggError
from trygg.scales import FIRST_YEAR, LAST_YEAR
from trygg.strings import t

YEAR, MONTH, RANGE = "year", "month", "range"


@dataclass(frozen=True)
class Period:
    """[start, end) with its kind: ``year``, ``month`` or ``range`` (whole days)."""

    start: dt.datetime
    end: dt.datetime
    kind: str

    @classmethod
    def year_of(cls, year: int) -> Period:
        check_year(year)
        return cls(dt.datetime(year, 1, 1), dt.datetime(year + 1, 1, 1), YEAR)

    @classmethod
    def month_of(cls, year: int, month: int) -> Period:
        check_year(year)
        after = dt.datetime(year + (month == 12), month % 12 + 1, 1)
        return cls(dt.datetime(year, month, 1), after, MONTH)

    @classmethod
    def of(cls, year: int | None, start: dt.date | None = None, end: dt.date | None = None):
        """``--from``/``--to`` (both days inclusive) if given, else ``--year``."""
        if start is None and end is None:
            return cls.year_of(year)
        first = start or dt.date(FIRST_YEAR, 1, 1)
        last = end or dt.date(LAST_YEAR, 12, 31)
        for day in (first, last):
            check_year(day.year)
        if last < first:
            raise TryggError(t("err.period_order", start=first, end=last))
        if first.day == 1 and last == _month_end(first):
            return cls.month_of(first.year, first.month)
        if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31) and (
            first.year == last.year
        ):
            return cls.year_of(first.year)
        begin = dt.datetime.combine(first, dt.time())
        return cls(begin, dt.datetime.combine(last + dt.timedelta(days=1), dt.time()), RANGE)

    @property
    def label(self) -> str:
        """ "2024", "2024-03" or "2024-03-05–2024-04-02"."""
        if self.kind == YEAR:
            return str(self.start.year)
        if self.kind == MONTH:
            return self.start.strftime("%Y-%m")
        return f"{self.start.date()}–{self.last_day}"

    @property
    def last_day(self) -> dt.date:
        return (self.end - dt.timedelta(days=1)).date()

    def previous(self) -> Period:
        """The year or month before, or the range of the same length just before."""
        if self.kind == YEAR:
            return Period.year_of(self.start.year - 1)
        if self.kind == MONTH:
            before = self.start - dt.timedelta(days=1)
            return Period.month_of(before.year, before.month)
        return Period(self.start - (self.end - self.start), self.start, RANGE)

    def as_dict(self) -> dict:
        return {"from": self.start.date().isoformat(), "to": self.last_day.isoformat()}


def _month_end(day: dt.date) -> dt.date:
    after = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return after - dt.timedelta(days=1)


def check_year(year: int) -> int:
    """Refuse a year outside :data:`~trygg.scales.FIRST_YEAR`–:data:`~trygg.scales.LAST_YEAR`."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise TryggError(t("err.year_range", year=year, first=FIRST_YEAR, last=LAST_YEAR))
    return year


def require_public(period: Period) -> Period:
    """A public figure is for a whole calendar year or month; refuse anything else."""
    if period.kind not in (YEAR, MONTH):
        raise TryggError(t("err.public_period", period=period.label))
    return period
