"""The hot-spot filter's time windows: day, evening, night; weekdays, weekends.

A window keeps only incidents with a time of day. Every window, and the whole day, is a
sum of seven parts of a cell's incidents (three bands × two day types, and those with no
time of day); a public cell is shown only where each part is 0 or at least k, so no
subtraction of two published windows (or of a window from the whole day) reveals fewer
than k incidents. The kommun's and places' counts in a window are treated as published.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trygg.scales import DAY_TYPES, TIME_BANDS
from trygg.stats import suppression
from trygg.stats.hotspots import Grid
from trygg.stats.incident_figures import TIMED_PRECISION


def in_time_window(
    stamps: pd.Series, timed: np.ndarray, band: str | None, days: str | None
) -> np.ndarray:
    """Which incidents fall in the time-of-day ``band`` and the day type ``days``.

    Only incidents with a time of day (``timed``) can be in a window; None for either
    means any hour or any day.
    """
    keep = np.asarray(timed, dtype=bool).copy()
    if band is not None:
        keep &= stamps.dt.hour.isin(TIME_BANDS[band]).to_numpy()
    if days is not None:
        keep &= stamps.dt.day_of_week.isin(DAY_TYPES[days]).to_numpy()
    return keep


def time_atoms(stamps: pd.Series, timed: np.ndarray) -> np.ndarray:
    """Each incident's part of the day: band × day type (0 … 5), or 6 without a time.

    Every window of the filter, and the whole day, is a sum of these parts; when each
    part of a cell is 0 or at least k, no subtraction of published windows reveals a
    small group (:func:`risky_cells`).
    """
    hours, weekdays = stamps.dt.hour.to_numpy(), stamps.dt.day_of_week.to_numpy()
    band = np.zeros(len(stamps), dtype=np.int64)
    for number, (_name, band_hours) in enumerate(TIME_BANDS.items()):
        band[np.isin(hours, band_hours)] = number
    weekend = np.isin(weekdays, DAY_TYPES["helg"]).astype(np.int64)
    atom = band * len(DAY_TYPES) + weekend
    return np.where(np.asarray(timed, dtype=bool), atom, len(TIME_BANDS) * len(DAY_TYPES))


def risky_cells(cell_of: np.ndarray, atom: np.ndarray, weight: np.ndarray, size: int, k: int):
    """Cells where some part of the day holds 1 … k − 1 incidents (see :func:`time_atoms`)."""
    parts = len(TIME_BANDS) * len(DAY_TYPES) + 1
    located = cell_of >= 0
    sums = np.bincount(
        cell_of[located] * parts + atom[located], weights=weight[located], minlength=size * parts
    ).reshape(size, parts)
    return ((sums > 0) & (sums < k)).any(axis=1)


def window_view(incidents, links, places, area, cell: float, band, days, k: int):
    """The incidents of a time window, and the public grid's hiding rule for them.

    ``incidents`` with ``occurred_at`` and ``precision``, ``links`` and ``places`` as
    :func:`trygg.store.reads.load_incidents` and :func:`trygg.places.load_places` give
    them; ``area`` the study area (:func:`trygg.stats.hotspots.study_area`).

    The kommun's and the places' counts in the window are treated as if published
    (the hour × weekday tables hold them), and a cell is hidden wherever a part of the
    day is small (:func:`risky_cells`).
    """
    timed = (incidents["precision"] == TIMED_PRECISION).to_numpy()
    atom = time_atoms(incidents["occurred_at"], timed)
    keep = in_time_window(incidents["occurred_at"], timed, band, days)
    shown = incidents[keep].reset_index(drop=True)
    if area is None or shown.empty:
        return shown, None
    grid = Grid.over(area, cell)
    x, y = incidents["x"].to_numpy(dtype=float), incidents["y"].to_numpy(dtype=float)
    located = ~(np.isnan(x) | np.isnan(y))
    cell_of = np.full(len(incidents), -1, dtype=np.int64)
    cell_of[located] = grid.index(x[located], y[located])
    weight = incidents["count"].to_numpy(dtype=np.int64)
    risky = risky_cells(cell_of, atom, weight, grid.size, k)
    links = links[links["incident_id"].isin(shown["id"])]
    row_of = pd.Index(shown["id"]).get_indexer(links["incident_id"])
    by_place = links.assign(row=row_of).groupby("place_id")["row"]
    members = {int(place_id): rows.to_numpy() for place_id, rows in by_place}
    place_rows = [members.get(int(i), np.zeros(0, np.int64)) for i in places["id"]]
    shown_weight = shown["count"].to_numpy(dtype=np.int64)
    fixed_counts = np.array(
        [shown_weight.sum(), *(shown_weight[rows].sum() for rows in place_rows)], dtype=np.int64
    )
    fixed_hidden = np.zeros(len(fixed_counts), dtype=bool)

    def hide(shown_cells: np.ndarray) -> np.ndarray:
        flags = suppression.hide_grid_cells(
            shown_cells, shown_weight, place_rows, fixed_counts, fixed_hidden, k
        )
        size = max(len(flags), grid.size)
        padded = np.zeros(size, dtype=bool)
        padded[: len(flags)] = flags
        padded[: grid.size] |= risky
        return padded

    return shown, hide
