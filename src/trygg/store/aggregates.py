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
    columns occurred_at, category and count, and the place links) per kommun and per
    place × day × category, and insert the sums; each place counts once per record."""
    if not records:
        return
    columns = records.columns
    codes, categories = pd.factorize(pd.Series(columns["category"], dtype=object), sort=True)
    day = columns["occurred_at"].astype("datetime64[D]").astype(np.int64)
    count = np.asarray(columns["count"], dtype=np.int64)
    rows, places = _distinct_links(records.link_rows, records.link_places)
    # One key per (day, place or the kommun first, category): sorted, it is the index's
    # order, and inserting in that order appends to the index instead of splitting it.
    first_day, spots, kinds = int(day.min()), int(places.max(initial=0)) + 2, len(categories)
    keys = np.concatenate(
        [
            ((day - first_day) * spots) * kinds + codes,
            ((day[rows] - first_day) * spots + places + 1) * kinds + codes[rows],
        ]
    )
    unique, positions = np.unique(keys, return_inverse=True)
    sums = np.bincount(positions, weights=np.concatenate([count, count[rows]]))
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
                sums.astype(np.int64).tolist(),
                strict=True,
            )
        ),
        constants={"batch_id": batch_id, "kommun_kod": kommun},
    )


def _distinct_links(rows: np.ndarray, places: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The (row, place) links with each pair once (a place counts once per incident)."""
    if len(rows) == 0:
        return rows, places
    keys = rows.astype(np.int64) * (int(places.max()) + 1) + places
    _unique, first = np.unique(keys, return_index=True)
    first.sort()
    return rows[first], places[first]
