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
    links = pd.DataFrame({"row": records.link_rows, "place": records.link_places})
    links = links.drop_duplicates()
    rows = links["row"].to_numpy()
    frame = pd.DataFrame(
        {
            "day": np.concatenate([day, day[rows]]),
            "place": np.concatenate([np.full(len(day), -1), links["place"].to_numpy()]),
            "category": np.concatenate([codes, codes[rows]]),
            "count": np.concatenate([count, count[rows]]),
        }
    )
    # Summed in the index's order (day, kommun first, place, category): inserting in
    # that order appends to the index instead of splitting its pages.
    sums = frame.groupby(["day", "place", "category"], sort=True)["count"].sum().reset_index()
    places = sums["place"].to_numpy()
    size = len(sums)
    bulk_insert(
        connection,
        schema.incident_aggregate,
        COLUMNS,
        list(
            zip(
                [batch_id] * size,
                [kommun] * size,
                np.where(places < 0, None, places).tolist(),
                sums["day"].tolist(),
                np.asarray(categories, dtype=object)[sums["category"].to_numpy()].tolist(),
                sums["count"].tolist(),
                strict=True,
            )
        ),
    )
