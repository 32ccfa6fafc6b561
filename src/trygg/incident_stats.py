"""Incident figures: counts per place and period, rates, and when things happen.

Counting is by exact containment in the place polygons (a point inside overlapping
places counts in each), summing ``antal``. Public figures suppress counts below k.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select

from trygg.batches import ACTIVE
from trygg.incidents import BATCH_KIND as INCIDENTS_KIND
from trygg.incidents import incident_sums, load_incidents
from trygg.scales import INCIDENT_CATEGORIES, MIN_INCIDENTS_PUBLIC, WEEKDAYS
from trygg.store import schema


def period_bounds(
    year: int | None, start: dt.date | None = None, end: dt.date | None = None
) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) for ``--year`` or ``--from``/``--to`` (both dates inclusive)."""
    if start is not None or end is not None:
        first = dt.datetime.combine(start or dt.date(1900, 1, 1), dt.time())
        last = dt.datetime.combine((end or dt.date(2999, 12, 30)) + dt.timedelta(days=1), dt.time())
        return first, last
    return dt.datetime(year, 1, 1), dt.datetime(year + 1, 1, 1)


def previous_period(start: dt.datetime, end: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The period of the same length just before (the previous year for a calendar year)."""
    if start.month == start.day == 1 and end == start.replace(year=start.year + 1):
        return start.replace(year=start.year - 1), start
    return start - (end - start), start


def incident_years(engine: Engine, kommun: str) -> list[int]:
    """Calendar years with active incidents (from each batch's recorded period)."""
    batch = schema.import_batch
    with engine.connect() as connection:
        summaries = connection.execute(
            select(batch.c.summary).where(
                batch.c.kommun_kod == kommun,
                batch.c.kind == INCIDENTS_KIND,
                batch.c.status == ACTIVE,
            )
        ).scalars()
        years = set()
        for summary in summaries:
            span = (summary or {}).get("years") or []
            years.update(range(span[0], span[-1] + 1) if span else [])
    return sorted(years)


def _suppress(value: int, public: bool, k: int) -> int | None:
    return None if public and 0 < value < k else int(value)


def suppress_parts(parts: dict, public: bool, k: int) -> dict:
    """Suppress counts below k, and more, so the parts can't be recovered from their total.

    When the hidden parts add up to fewer than k, the next smallest shown parts are hidden
    too until they reach k (secondary suppression): subtracting the shown parts from a
    published total then only reveals a sum of at least k.
    """
    shown = {key: _suppress(int(value), public, k) for key, value in parts.items()}
    hidden = sum(int(parts[key]) for key, value in shown.items() if value is None)
    for key in sorted((key for key in shown if shown[key]), key=lambda key: parts[key]):
        if not 0 < hidden < k:
            break
        shown[key] = None
        hidden += int(parts[key])
    return shown


def incident_block(
    sums: pd.DataFrame,
    previous: pd.DataFrame,
    area_m2: float | None,
    population: int | None,
    public: bool = False,
    k: int = MIN_INCIDENTS_PUBLIC,
) -> dict:
    """One place's (or the kommun's) incident figures from its category sums."""
    by_category = sums.groupby("category")["count"].sum()
    total = int(by_category.sum())
    shown = _suppress(total, public, k)
    return {
        "total": shown,
        "by_category": suppress_parts(
            {c: int(by_category[c]) for c in INCIDENT_CATEGORIES if c in by_category.index},
            public,
            k,
        ),
        "per_1000_inv": None
        if shown is None or not population
        else round(1000 * total / population, 3),
        "per_km2": None if shown is None or not area_m2 else round(total / (area_m2 / 1e6), 3),
        "previous_total": _suppress(int(previous["count"].sum()), public, k),
        "suppressed": shown is None,
    }


def incident_figures(
    engine: Engine,
    kommun: str,
    places: pd.DataFrame,
    start: dt.datetime,
    end: dt.datetime,
    public: bool = False,
    k: int = MIN_INCIDENTS_PUBLIC,
) -> dict:
    """Incident blocks by place id (and None for the whole kommun).

    ``places`` needs columns place_id, area_m2 and population.
    """
    periods = [(start, end), previous_period(start, end)]
    by_place = incident_sums(engine, kommun, periods, by_place=True)
    kommun_sums = incident_sums(engine, kommun, periods, by_place=False)
    groups = {key: frame for key, frame in by_place.groupby(["place_id", "period"])}
    empty = by_place.iloc[0:0]
    figures = {
        int(p.place_id): incident_block(
            groups.get((p.place_id, 0), empty),
            groups.get((p.place_id, 1), empty),
            p.area_m2,
            None if pd.isna(p.population) else int(p.population),
            public,
            k,
        )
        for p in places.itertuples()
    }
    figures[None] = incident_block(
        kommun_sums[kommun_sums["period"] == 0],
        kommun_sums[kommun_sums["period"] == 1],
        None,
        None,
        public,
        k,
    )
    return figures


def _suppressed_table(table: np.ndarray, public: bool, k: int) -> list[list[int | None]]:
    cells = suppress_parts(dict(np.ndenumerate(table)), public, k)
    return [[cells[(day, hour)] for hour in range(table.shape[1])] for day in range(7)]


def time_profile(
    engine: Engine,
    kommun: str,
    start: dt.datetime,
    end: dt.datetime,
    place_id: int | None = None,
    category: str | None = None,
    public: bool = False,
    k: int = MIN_INCIDENTS_PUBLIC,
) -> dict:
    """When things happen: hour × weekday counts (timed incidents) and counts by month.

    Returns ``{"hour_weekday": 7 × 24 list (Monday first), "weekdays": [...],
    "by_month": {"2024-01": n}, "timed": n, "total": n}``; public output suppresses
    cells below ``k``.
    """
    incidents, links = load_incidents(engine, kommun, start, end, category)
    if place_id is not None:
        incidents = incidents[
            incidents["id"].isin(links.loc[links["place_id"] == place_id, "incident_id"])
        ]
    timed = incidents[incidents["precision"] == "minute"]
    table = np.zeros((7, 24), dtype=int)
    stamps = pd.to_datetime(timed["occurred_at"])
    np.add.at(
        table,
        (stamps.dt.day_of_week.to_numpy(), stamps.dt.hour.to_numpy()),
        timed["count"].to_numpy(),
    )
    months = pd.to_datetime(incidents["occurred_at"]).dt.strftime("%Y-%m")
    by_month = incidents.groupby(months)["count"].sum()
    return {
        "hour_weekday": _suppressed_table(table, public, k),
        "weekdays": list(WEEKDAYS),
        "by_month": suppress_parts(by_month.to_dict(), public, k),
        "timed": _suppress(int(timed["count"].sum()), public, k),
        "total": _suppress(int(incidents["count"].sum()), public, k),
    }
