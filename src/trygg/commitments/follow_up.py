"""Has it been done: a commitment's status, its next follow-up and whether it is late.

One rule decides a commitment's status everywhere (the map, the Löften page, the CLI):

- with follow-ups, it is the status of the latest one by date (of two on the same day,
  the one recorded last);
- without any, it is the status the medborgarlöfte file gave (the importer's default is
  "pågår"); a stored status the scale does not know counts as "ej påbörjad".

The next follow-up falls one cadence (tertial = 4 months, halvår = 6, år = 12) after the
latest follow-up, or after the start of the löfte's period when there is none. It is
late (*försenad*) when that day is before ``today`` while the löfte is still in force and
the commitment is still open (neither "genomförd" nor "inställd"). A löfte whose period
ended before ``today`` is *avslutat*: it has no next follow-up and nothing is late.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from trygg.scales import (
    CADENCES,
    CLOSED_STATUSES,
    NO_FOLLOW_UP_STATUS,
    STATUS_SUMMARY_ORDER,
    STATUSES,
    THEMES,
)
from trygg.strings import t


@dataclass(frozen=True)
class Progress:
    """Where a commitment's follow-up stands on a given day.

    Attributes
    ----------
    status : str
        The commitment's status (see the module's rule).
    latest : date or None
        The day of the latest follow-up.
    next_due : date or None
        The day the next follow-up is due; None without a cadence, after the löfte's
        end, or for a closed commitment.
    overdue : bool
        Whether ``next_due`` has passed while the löfte is in force.
    ended : bool
        Whether the löfte's period ended before the day asked about.
    """

    status: str
    latest: date | None
    next_due: date | None
    overdue: bool
    ended: bool


def as_date(value) -> date | None:
    """A date from a ``date`` or an ISO string; None stays None."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def latest(follow_ups: Iterable[Mapping]) -> Mapping | None:
    """The latest follow-up by date; of equal dates the last one in the list.

    Examples
    --------
    >>> latest([{"date": "2024-09-30", "status": "pågår"}, {"date": "2024-05-02"}])
    {'date': '2024-09-30', 'status': 'pågår'}
    >>> latest([{"date": "2024-05-02", "n": 1}, {"date": "2024-05-02", "n": 2}])["n"]
    2
    >>> latest([]) is None
    True
    """
    indexed = list(enumerate(follow_ups))
    if not indexed:
        return None
    return max(indexed, key=lambda pair: (as_date(pair[1]["date"]), pair[0]))[1]


def newest_first(follow_ups: Iterable[Mapping]) -> list[Mapping]:
    """The follow-ups as a timeline, the latest first (of equal dates, the last recorded).

    Examples
    --------
    >>> [f["n"] for f in newest_first([{"date": "2024-09-01", "n": 1},
    ...     {"date": "2025-01-01", "n": 2}, {"date": "2024-09-01", "n": 3}])]
    [2, 3, 1]
    """
    indexed = sorted(enumerate(follow_ups), key=lambda pair: (as_date(pair[1]["date"]), pair[0]))
    return [entry for _, entry in reversed(indexed)]


def current_status(stored: str | None, follow_ups: Iterable[Mapping]) -> str:
    """The commitment's status: its latest follow-up's, else the stored one.

    Examples
    --------
    >>> current_status("genomförd", [{"date": "2017-06-15", "status": "pågår"}])
    'pågår'
    >>> current_status("genomförd", []), current_status(None, [])
    ('genomförd', 'ej påbörjad')
    """
    found = latest(follow_ups)
    if found is not None:
        return found["status"]
    return stored if stored in STATUSES else NO_FOLLOW_UP_STATUS


def add_months(day: date, months: int) -> date:
    """``day`` moved ``months`` calendar months on, kept within the month's length.

    Examples
    --------
    >>> add_months(date(2024, 5, 12), 4), add_months(date(2023, 10, 31), 4)
    (datetime.date(2024, 9, 12), datetime.date(2024, 2, 29))
    """
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_follow_up(cadence: str | None, last: date | None, start: date | None) -> date | None:
    """The day one ``cadence`` after ``last`` (or after ``start`` before the first one).

    Examples
    --------
    >>> next_follow_up("tertial", date(2024, 5, 12), date(2024, 1, 1))
    datetime.date(2024, 9, 12)
    >>> next_follow_up("halvår", None, date(2024, 1, 1))
    datetime.date(2024, 7, 1)
    >>> next_follow_up(None, date(2024, 5, 12), None) is None
    True
    """
    months = CADENCES.get(cadence) if cadence else None
    base = last or start
    if months is None or base is None:
        return None
    return add_months(base, months)


def has_ended(period_to: date | None, today: date) -> bool:
    """Whether a löfte's period ended before ``today`` (an open period never ends)."""
    return period_to is not None and period_to < today


def progress(
    *,
    stored_status: str | None,
    follow_ups: Iterable[Mapping],
    cadence: str | None,
    period_from: date | None,
    period_to: date | None,
    today: date,
) -> Progress:
    """Where a commitment stands on ``today``: status, next follow-up, overdue, ended.

    Parameters
    ----------
    stored_status : str or None
        The status stored with the commitment (the file's, or the last recorded).
    follow_ups : iterable of mappings
        Each with ``date`` (a date or ISO string) and ``status``.
    cadence : str or None
        The löfte's follow-up cadence (a key of :data:`trygg.scales.CADENCES`).
    period_from, period_to : date or None
        The löfte's period.
    today : date
        The day to judge on (the page passes ``date.today()``).

    Examples
    --------
    >>> follow = [{"date": "2024-05-12", "status": "pågår"}]
    >>> p = progress(stored_status="pågår", follow_ups=follow, cadence="tertial",
    ...              period_from=date(2024, 1, 1), period_to=date(2025, 12, 31),
    ...              today=date(2024, 9, 13))
    >>> p.next_due, p.overdue, p.ended
    (datetime.date(2024, 9, 12), True, False)
    """
    follow_ups = list(follow_ups)
    status = current_status(stored_status, follow_ups)
    found = latest(follow_ups)
    last = as_date(found["date"]) if found is not None else None
    ended = has_ended(period_to, today)
    next_due = None
    if not ended and status not in CLOSED_STATUSES:
        next_due = next_follow_up(cadence, last, period_from)
    return Progress(
        status=status,
        latest=last,
        next_due=next_due,
        overdue=next_due is not None and next_due < today,
        ended=ended,
    )


def status_counts(statuses: Iterable[str]) -> dict[str, int]:
    """How many commitments have each status, in the summary bar's order.

    Examples
    --------
    >>> status_counts(["pågår", "genomförd", "pågår"])
    {'genomförd': 1, 'pågår': 2, 'ej påbörjad': 0, 'inställd': 0}
    """
    counts = dict.fromkeys(STATUS_SUMMARY_ORDER, 0)
    for status in statuses:
        counts[status if status in counts else NO_FOLLOW_UP_STATUS] += 1
    return counts


# --- In words, in the current language ------------------------------------------------

#: The catalogue's key word for each status and cadence (the keys stay ASCII).
STATUS_WORDS = {
    "ej påbörjad": "not_started",
    "pågår": "ongoing",
    "genomförd": "done",
    "inställd": "cancelled",
}
CADENCE_WORDS = {"tertial": "tertial", "halvår": "halfyear", "år": "year"}


def status_label(status: str) -> str:
    """A status as the page's language says it ("pågår", "ongoing"); unknown ones as is."""
    word = STATUS_WORDS.get(status)
    return t(f"loften.status_{word}") if word else status


def summary_label(status: str) -> str:
    """The summary bar's plural heading of a status ("Genomförda", "Done")."""
    word = STATUS_WORDS.get(status)
    return t(f"loften.summary_{word}") if word else status


def party_label(party: str) -> str:
    """Who promised, in the page's language ("Polisen", "The police")."""
    key = f"loften.party_{party}"
    return t(key) if party in ("gemensamt", "polisen", "kommunen") else party


def theme_label(theme: str) -> str:
    """A theme in the page's language; a theme outside the list as it is."""
    return t(f"loften.theme_{theme}") if theme in THEMES else theme


def cadence_phrase(cadence: str | None) -> str:
    """ "uppföljning varje halvår", or "ingen fast uppföljningstakt" without a cadence."""
    word = CADENCE_WORDS.get(cadence or "")
    if word is None:
        return t("loften.cadence_none")
    return t("loften.cadence", cadence=t(f"loften.cadence_{word}"))


def period_phrase(period_from, period_to, today: date) -> str:
    """The löfte's period and whether it still holds.

    Examples
    --------
    >>> period_phrase("2024-01-01", "2025-12-31", date(2026, 1, 1))
    'Period 2024-01-01 – 2025-12-31, avslutat 2025-12-31'
    >>> period_phrase("2024-01-01", "2025-12-31", date(2025, 12, 31))
    'Period 2024-01-01 – 2025-12-31, gäller till 2025-12-31'
    """
    span, holds = period_span(period_from, period_to), holds_phrase(period_to, today)
    return f"{span}, {holds}" if span else holds


def period_span(period_from, period_to) -> str:
    """ "Period 2024-01-01 – 2025-12-31", "Period från 2024-01-01", or "" without dates."""
    start, end = as_date(period_from), as_date(period_to)
    if end is None:
        return t("loften.period_open", start=start) if start else ""
    return t("loften.period", start=start or "", end=end)


def holds_phrase(period_to, today: date) -> str:
    """ "avslutat 2025-12-31", "gäller till 2025-12-31" or "gäller tills vidare"."""
    end = as_date(period_to)
    if end is None:
        return t("loften.in_force")
    return t("loften.ended" if has_ended(end, today) else "loften.in_force_until", date=end)


def due_phrase(next_due, overdue: bool) -> str | None:
    """ "uppföljning försenad sedan 2024-09-12", "nästa uppföljning senast …" or None.

    Examples
    --------
    >>> due_phrase("2024-09-12", True)
    'uppföljning försenad sedan 2024-09-12'
    >>> due_phrase(None, False) is None
    True
    """
    if next_due is None:
        return None
    return t("loften.overdue" if overdue else "loften.next_due", date=next_due)


def timeline_text(entry: Mapping) -> str:
    """A follow-up after its date in the timeline: status, comment, demo marker.

    Examples
    --------
    >>> timeline_text({"date": "2024-05-20", "status": "pågår", "comment": "Möte", "demo": True})
    'pågår – Möte (syntetiska demodata)'
    """
    text = status_label(entry["status"])
    if entry.get("comment"):
        text += f" – {entry['comment']}"
    if entry.get("demo"):
        text += f" ({t('dash.demo_marker')})"
    return text
