"""Incident figures from frames: the place × category × time cube, blocks per place,
and when things happen.

Counting is by exact containment in the place polygons (a point inside overlapping
places counts in each), summing ``antal``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from trygg.scales import INCIDENT_CATEGORIES, WEEKDAYS
from trygg.stats import nesting, suppression
from trygg.stats.periods import YEAR, Period
from trygg.stats.suppression import suppress_count

#: Category positions in the cube: 0 is every category, then the canonical list.
CATEGORY_INDEX = {category: number for number, category in enumerate(INCIDENT_CATEGORIES, 1)}

TIMED_PRECISION = "minute"

#: The kommun's key among place ids while grouping (no place has it).
KOMMUN_KEY = -1


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


def crime_figures(rows: list, public: bool, k: int) -> dict:
    """Aggregate crime statistics by place id (None = the kommun).

    In public output a count below ``k`` is hidden, and so is its rate per 100 000
    (the rate times the population would give the count back).
    """
    by_place: dict = {}
    for row in rows:
        small = public and suppress_count(row["count"], k) is None
        by_place.setdefault(row["place_id"], []).append(
            {
                "offence": row["offence"],
                "period": row["period"],
                "count": None if small else row["count"],
                "per_100k": None if small else row["per_100k"],
                "suppressed": small,
                "preliminary": row["preliminary"],
                "missing": row["count"] is None and row["per_100k"] is None,
                "source": row["source"] or row["file_name"],
            }
        )
    return by_place


def cube_of(year: int, keys: tuple, incidents, links, k: int | None) -> IncidentCube:
    """A year's cube from its incidents and place links; suppressed unless ``k`` is None.

    ``keys`` are None (the kommun) and then every place id of the kommun.
    """
    element = pd.Index(incidents["id"]).get_indexer(links["incident_id"])
    position = pd.Index(keys[1:]).get_indexer(links["place_id"]) + 1
    counts = _cube_counts(incidents, element, position, len(keys))
    if k is None:
        return IncidentCube(year, keys, counts, None)
    order = np.argsort(position, kind="stable")
    bounds = np.searchsorted(position[order], np.arange(1, len(keys) + 1))
    members = np.split(element[order], bounds[1:-1]) if len(keys) > 1 else []
    nest = nesting.nesting(keys, members, len(incidents))
    return IncidentCube(year, keys, counts, suppression.hide_incident_cube(nest, counts, k))


def exact_blocks(places: pd.DataFrame, sums: pd.DataFrame) -> dict:
    """Exact incident blocks from summed counts per place (NA: the kommun), category and
    period (0 = the period, 1 = the one before), grouped once for all places; by place
    id, and None for the kommun."""
    keys = sums["place_id"].astype("Int64").fillna(KOMMUN_KEY).astype(np.int64)
    totals = sums.groupby([keys, sums["period"], sums["category"]])["count"].sum()
    found: dict = {}
    for (place_id, period, category), count in totals.items():
        found.setdefault((int(place_id), int(period)), {})[category] = int(count)

    def block(place_id: int, area, population) -> dict:
        now = found.get((place_id, 0), {})
        parts = {c: now[c] for c in INCIDENT_CATEGORIES if c in now}
        before = sum(found.get((place_id, 1), {}).values())
        return incident_block(sum(now.values()), parts, before, area, population)

    figures = {
        int(p.place_id): block(
            int(p.place_id), p.area_m2, None if pd.isna(p.population) else int(p.population)
        )
        for p in places.itertuples()
    }
    figures[None] = block(KOMMUN_KEY, None, None)
    return figures


def public_blocks(places: pd.DataFrame, cube: IncidentCube, earlier: IncidentCube, period) -> dict:
    """Public incident blocks read from the suppressed cubes of the period's year and of
    the previous period's year; by place id, and None for the kommun."""
    before = period.previous()
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


def frame_profile(incidents: pd.DataFrame, links: pd.DataFrame, place_id: int | None) -> dict:
    """Exact hour × weekday and monthly counts of ``incidents`` (in one place, if given)."""
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


def cube_profile(cube: IncidentCube, place_id: int | None, category: str | None) -> dict:
    """Public hour × weekday and monthly counts, read from a suppressed cube."""
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
