"""The incident aggregate: summed counts per batch, place or kommun, local day and
category, written from the same records as the incidents and their place links.

Figures for any period of whole days read :data:`trygg.store.schema.incident_aggregate`
instead of every link. A batch switches in or out by its status alone.
"""

from __future__ import annotations

import datetime as dt
from itertools import chain

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


def store_incident_aggregate(
    connection: Connection, kommun: str, batch_id: int, records: list[dict]
) -> None:
    """Sum ``records`` (occurred_at, category, count, place_ids) per kommun and per
    place × day × category, and insert the sums; each place counts once per record."""
    if not records:
        return
    size = len(records)
    codes, categories = pd.factorize(pd.Series([r["category"] for r in records], dtype=object))
    frame = pd.DataFrame(
        {
            "day": np.fromiter((day_number(r["occurred_at"]) for r in records), np.int64, size),
            "category": codes,
            "count": np.fromiter((r["count"] for r in records), np.int64, size),
        }
    )
    sizes = np.fromiter((len(r["place_ids"]) for r in records), np.int64, size)
    links = pd.DataFrame(
        {
            "row": np.repeat(np.arange(size), sizes),
            "place_id": np.fromiter(
                chain.from_iterable(r["place_ids"] for r in records), np.int64, int(sizes.sum())
            ),
        }
    ).drop_duplicates()
    placed = frame.iloc[links["row"].to_numpy()].assign(place_id=links["place_id"].to_numpy())
    rows = [
        *_rows(batch_id, kommun, frame, ["day", "category"], categories),
        *_rows(batch_id, kommun, placed, ["day", "place_id", "category"], categories),
    ]
    bulk_insert(connection, schema.incident_aggregate, COLUMNS, rows)


def _rows(batch_id: int, kommun: str, frame: pd.DataFrame, keys: list[str], categories):
    """The rows to insert: ``frame``'s counts summed by ``keys`` (no place_id: the
    kommun), in the order of the index, which makes inserting them twice as fast."""
    sums = frame.groupby(keys)["count"].sum().reset_index()
    places = sums["place_id"].tolist() if "place_id" in keys else [None] * len(sums)
    return zip(
        [batch_id] * len(sums),
        [kommun] * len(sums),
        places,
        sums["day"].tolist(),
        categories[sums["category"].to_numpy()].tolist(),
        sums["count"].tolist(),
        strict=True,
    )
