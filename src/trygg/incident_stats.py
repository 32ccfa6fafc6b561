"""Incident figures: counts per place and period, rates, and when things happen.

Counting is by exact containment in the place polygons (a point inside overlapping
places counts in each), summing ``antal``. Exact figures are for the coordinator; public
figures are read from one :class:`IncidentCube` per calendar year, in which
:mod:`trygg.suppression` has hidden every count that is small or that a subtraction
of other published counts would reveal.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select

from trygg import suppression
from trygg.batches import ACTIVE
from trygg.incidents import BATCH_KIND as INCIDENTS_KIND
from trygg.incidents import incident_sums, load_incidents
from trygg.periods import YEAR, Period
from trygg.scales import INCIDENT_CATEGORIES, MIN_INCIDENTS_PUBLIC, WEEKDAYS
from trygg.store import schema

#: Category positions in the cube: 0 is every category, then the canonical list.
CATEGORY_INDEX = {category: number for number, category in enumerate(INCIDENT_CATEGORIES, 1)}
TIMED_PRECISION = "minute"


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


def place_ids(engine: Engine, kommun: str) -> list[int]:
    place = schema.place
    with engine.connect() as connection:
        return list(
            connection.execute(
                select(place.c.id).where(place.c.kommun_kod == kommun).order_by(place.c.id)
            ).scalars()
        )


# --- The public cube -------------------------------------------------------------------


@dataclass(frozen=True)
class IncidentCube:
    """A year's incident counts per place × category × time cell, and which are hidden.

    Time cells are those of :mod:`trygg.suppression`: the year, its months, the timed
    incidents and the 168 hours of the week. ``hidden`` is None for exact figures.
    """

    year: int
    keys: tuple
    counts: np.ndarray
    hidden: np.ndarray | None

    def value(self, place_id: int | None, category: str | None = None, time: int = 0):
        """A count as published: None when hidden."""
        cell = (self.keys.index(place_id), CATEGORY_INDEX.get(category, 0), time)
        if self.hidden is not None and self.hidden[cell]:
            return None
        return int(self.counts[cell])

    def exact(self, place_id: int | None, category: str | None = None, time: int = 0) -> int:
        return int(self.counts[self.keys.index(place_id), CATEGORY_INDEX.get(category, 0), time])


def incident_cube(
    engine: Engine, kommun: str, year: int, k: int = MIN_INCIDENTS_PUBLIC, public: bool = True
) -> IncidentCube:
    """The kommun's incidents of ``year`` in a cube, suppressed when ``public``."""
    period = Period.year_of(year)
    incidents, links = load_incidents(engine, kommun, period.start, period.end)
    keys = (None, *place_ids(engine, kommun))
    element = pd.Index(incidents["id"]).get_indexer(links["incident_id"])
    position = pd.Index(keys[1:]).get_indexer(links["place_id"]) + 1
    counts = _cube_counts(incidents, element, position, len(keys))
    if not public:
        return IncidentCube(year, keys, counts, None)
    order = np.argsort(position, kind="stable")
    bounds = np.searchsorted(position[order], np.arange(1, len(keys) + 1))
    members = np.split(element[order], bounds[1:-1]) if len(keys) > 1 else []
    nest = suppression.nesting(keys, members, len(incidents))
    return IncidentCube(year, keys, counts, suppression.hide_incident_cube(nest, counts, k))


def _cube_counts(incidents: pd.DataFrame, element, position, places: int) -> np.ndarray:
    """Summed ``antal`` per place (0 = kommun) × category (0 = all) × time cell."""
    shape = (places, len(CATEGORY_INDEX) + 1, suppression.TIME_CELLS)
    stamps = incidents["occurred_at"]
    category = incidents["category"].map(CATEGORY_INDEX).fillna(0).to_numpy(dtype=np.int64)
    month = stamps.dt.month.to_numpy(dtype=np.int64)
    hour = suppression.HOURS[0] + stamps.dt.day_of_week.to_numpy() * 24 + stamps.dt.hour.to_numpy()
    timed = (incidents["precision"] == TIMED_PRECISION).to_numpy()
    weight = incidents["count"].to_numpy(dtype=np.int64)
    nodes = np.concatenate([np.zeros(len(incidents), np.int64), position])
    rows = np.concatenate([np.arange(len(incidents)), element])
    flat = np.zeros(int(np.prod(shape)), dtype=np.int64)
    for categories in (np.zeros_like(category), category):
        for times, mask in (
            (np.zeros_like(month), None),
            (month, None),
            (np.full_like(month, suppression.TIMED), timed),
            (hour.astype(np.int64), timed),
        ):
            keep = slice(None) if mask is None else mask[rows]
            index = np.ravel_multi_index(
                (nodes[keep], categories[rows][keep], times[rows][keep]), shape
            )
            flat += np.bincount(index, weights=weight[rows][keep], minlength=len(flat)).astype(
                np.int64
            )
    return flat.reshape(shape)


def _time_cell(period: Period) -> int:
    return suppression.PERIOD if period.kind == YEAR else period.start.month


# --- Figures per place ---------------------------------------------------------------


def incident_block(
    total: int | None,
    by_category: dict,
    previous: int | None,
    area_m2: float | None,
    population: int | None,
) -> dict:
    """One place's (or the kommun's) incident figures; None counts are hidden."""
    return {
        "total": total,
        "by_category": by_category,
        "per_1000_inv": None
        if total is None or not population
        else round(1000 * total / population, 3),
        "per_km2": None if total is None or not area_m2 else round(total / (area_m2 / 1e6), 3),
        "previous_total": previous,
        "suppressed": total is None,
    }


def incident_figures(
    engine: Engine,
    kommun: str,
    places: pd.DataFrame,
    period: Period,
    public: bool = False,
    k: int = MIN_INCIDENTS_PUBLIC,
) -> dict:
    """Incident blocks by place id (and None for the whole kommun).

    ``places`` needs columns place_id, area_m2 and population. Public figures need a
    year or a month (:func:`trygg.periods.require_public`).
    """
    if public:
        return _public_figures(engine, kommun, places, period, k)
    periods = [(period.start, period.end), (period.previous().start, period.previous().end)]
    by_place = incident_sums(engine, kommun, periods, by_place=True)
    kommun_sums = incident_sums(engine, kommun, periods, by_place=False)
    groups = {key: frame for key, frame in by_place.groupby(["place_id", "period"])}
    empty = by_place.iloc[0:0]

    def block(now: pd.DataFrame, before: pd.DataFrame, area, population) -> dict:
        sums = now.groupby("category")["count"].sum()
        parts = {c: int(sums[c]) for c in INCIDENT_CATEGORIES if c in sums.index}
        return incident_block(int(sums.sum()), parts, int(before["count"].sum()), area, population)

    figures = {
        int(p.place_id): block(
            groups.get((p.place_id, 0), empty),
            groups.get((p.place_id, 1), empty),
            p.area_m2,
            None if pd.isna(p.population) else int(p.population),
        )
        for p in places.itertuples()
    }
    now = kommun_sums["period"] == 0
    figures[None] = block(kommun_sums[now], kommun_sums[kommun_sums["period"] == 1], None, None)
    return figures


def _public_figures(engine, kommun, places: pd.DataFrame, period: Period, k: int) -> dict:
    cube = incident_cube(engine, kommun, period.start.year, k)
    before = period.previous()
    earlier = (
        cube
        if before.start.year == cube.year
        else incident_cube(engine, kommun, before.start.year, k)
    )
    time, time_before = _time_cell(period), _time_cell(before)

    def block(place_id, area, population) -> dict:
        parts = {
            category: cube.value(place_id, category, time)
            for category in INCIDENT_CATEGORIES
            if cube.exact(place_id, category, time) > 0
        }
        total = cube.value(place_id, None, time)
        return incident_block(
            total, parts, earlier.value(place_id, None, time_before), area, population
        )

    figures = {
        int(p.place_id): block(
            int(p.place_id), p.area_m2, None if pd.isna(p.population) else int(p.population)
        )
        for p in places.itertuples()
    }
    figures[None] = block(None, None, None)
    return figures


# --- When things happen ----------------------------------------------------------------


def time_profile(
    engine: Engine,
    kommun: str,
    period: Period,
    place_id: int | None = None,
    category: str | None = None,
    public: bool = False,
    k: int = MIN_INCIDENTS_PUBLIC,
) -> dict:
    """When things happen: hour × weekday counts (timed incidents) and counts by month.

    Returns ``{"hour_weekday": 7 × 24 list (Monday first), "weekdays": [...],
    "by_month": {"2024-01": n}, "timed": n, "total": n}``. Public output needs a
    calendar year (the hours of the week are protected per year) and comes from the
    suppressed cube.
    """
    if public:
        return _public_profile(engine, kommun, period, place_id, category, k)
    incidents, links = load_incidents(engine, kommun, period.start, period.end, category)
    if place_id is not None:
        incidents = incidents[
            incidents["id"].isin(links.loc[links["place_id"] == place_id, "incident_id"])
        ]
    timed = incidents[incidents["precision"] == TIMED_PRECISION]
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
        "hour_weekday": table.tolist(),
        "weekdays": list(WEEKDAYS),
        "by_month": {month: int(n) for month, n in by_month.items()},
        "timed": int(timed["count"].sum()),
        "total": int(incidents["count"].sum()),
    }


def _public_profile(engine, kommun, period: Period, place_id, category, k: int) -> dict:
    cube = incident_cube(engine, kommun, period.start.year, k)
    hours = suppression.HOURS[0]
    return {
        "hour_weekday": [
            [cube.value(place_id, category, hours + day * 24 + hour) for hour in range(24)]
            for day in range(7)
        ],
        "weekdays": list(WEEKDAYS),
        "by_month": {
            f"{cube.year}-{month:02d}": cube.value(place_id, category, month)
            for month in suppression.MONTHS
            if cube.exact(place_id, category, month) > 0
        },
        "timed": cube.value(place_id, category, suppression.TIMED),
        "total": cube.value(place_id, category, suppression.PERIOD),
    }
