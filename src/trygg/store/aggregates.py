"""The incident aggregate: summed counts per batch, place or kommun, local day and
category, written from the same records as the incidents and their place links.

Figures for any period of whole days read :data:`trygg.store.schema.incident_aggregate`
instead of every link. A batch switches in or out by its status alone.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from sqlalchemy import Connection

from trygg.store import bulk_insert, schema

#: Day 0 of the aggregate's ``day`` column.
EPOCH = dt.date(1970, 1, 1)

COLUMNS = ["batch_id", "kommun_kod", "place_id", "day", "category", "count"]


def day_number(moment: dt.date) -> int:
    """Days since 1970-01-01 of a date, or of a datetime's local date."""
    return moment.toordinal() - EPOCH.toordinal()


def store_incident_aggregate(connection: Connection, kommun: str, batch_id: int, records) -> None:
    """Sum ``records`` (:class:`~trygg.importers.incident_rows.IncidentRecords`: the
    columns occurred_at, category and count, and the place links, each (row, place)
    once, as the links' primary key holds them) per kommun and per place × day ×
    category, and insert the sums."""
    if not records:
        return
    columns = records.columns
    codes, categories = pd.factorize(pd.Series(columns["category"], dtype=object), sort=True)
    day = columns["occurred_at"].astype("datetime64[D]").astype(np.int64)
    count = np.asarray(columns["count"], dtype=np.int64)
    rows, places = records.link_rows, records.link_places
    # One key per (day, place or the kommun first, category): sorted, it is the index's
    # order, and inserting in that order appends to the index instead of splitting it.
    first_day, spots, kinds = int(day.min()), int(places.max(initial=0)) + 2, len(categories)
    keys = np.concatenate(
        [
            ((day - first_day) * spots) * kinds + codes,
            ((day[rows] - first_day) * spots + places + 1) * kinds + codes[rows],
        ]
    )
    unique, sums = _sums(keys, np.concatenate([count, count[rows]]))
    unique_day, rest = np.divmod(unique, spots * kinds)
    place, category = np.divmod(rest, kinds)
    bulk_insert(
        connection,
        schema.incident_aggregate,
        COLUMNS[2:],
        list(
            zip(
                np.where(place == 0, None, place - 1).tolist(),
                (unique_day + first_day).tolist(),
                np.asarray(categories, dtype=object)[category].tolist(),
                sums.tolist(),
                strict=True,
            )
        ),
        constants={"batch_id": batch_id, "kommun_kod": kommun},
    )


def _sums(keys: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct ``keys`` (non-negative), sorted, and the summed ``counts`` of each:
    counted into every possible key when there are not many more of those than keys,
    else through a sort."""
    span = int(keys.max()) + 1
    if span <= 4 * len(keys) + 1_000_000:
        present = np.flatnonzero(np.bincount(keys, minlength=span))
        return present, np.bincount(keys, weights=counts, minlength=span)[present].astype(np.int64)
    unique, positions = np.unique(keys, return_inverse=True)
    return unique, np.bincount(positions, weights=counts).astype(np.int64)
