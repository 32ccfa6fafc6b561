"""Incident figures from frames: the place × category × time cube, blocks per place,
and when things happen.

Counting is by exact containment in the place polygons (a point inside overlapping
places counts in each), summing ``antal``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from trygg.scales import INCIDENT_CATEGORIES
from trygg.stats import suppression
from trygg.stats.periods import YEAR, Period

#: Category positions in the cube: 0 is every category, then the canonical list.
CATEGORY_INDEX = {category: number for number, category in enumerate(INCIDENT_CATEGORIES, 1)}

TIMED_PRECISION = "minute"

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
