"""What the figures read from the store, and the version of the data they read.

:func:`data_version` is one cheap query whose answer changes with every import,
rollback, restore and follow-up of a kommun (:func:`trygg.store.batches.bump`, called
in the same transaction). Caches key on it instead of on a clock.
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
from sqlalchemy import Engine, String, Text, and_, case, func, select, type_coerce

from trygg.store import batches, require_kommun, schema
from trygg.store.aggregates import day_number
from trygg.store.batches import ACTIVE, INCIDENTS_KIND, is_synthetic


def data_version(engine: Engine, kommun: str | None = None) -> int:
    """The kommun's revision (0 before any change); without a kommun, the whole store's."""
    table = schema.data_revision
    with engine.connect() as connection:
        found = connection.execute(
            select(table.c.revision).where(table.c.kommun_kod == (kommun or batches.WHOLE_STORE))
        ).scalar()
    return int(found or 0)


def survey_answers(engine: Engine, kommun: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Active responses (long by indicator), their place links, and the kommun's places."""
    response = schema.survey_response
    batch = schema.import_batch
    with engine.connect() as connection:
        require_kommun(connection, kommun)
        rows = connection.execute(
            select(
                response.c.id,
                response.c.year,
                response.c.weight,
                response.c.trygg_kvall,
                type_coerce(response.c.answers, Text),
            )
            .join(batch, batch.c.id == response.c.batch_id)
            .where(response.c.kommun_kod == kommun, batch.c.status == ACTIVE)
        ).all()
        links = pd.DataFrame.from_records(
            map(
                tuple,
                connection.execute(
                    select(
                        schema.survey_response_place.c.response_id,
                        schema.survey_response_place.c.place_id,
                    )
                    .join(response, response.c.id == schema.survey_response_place.c.response_id)
                    .join(batch, batch.c.id == response.c.batch_id)
                    .where(response.c.kommun_kod == kommun, batch.c.status == ACTIVE)
                ).all(),
            ),
            columns=["response_id", "place_id"],
        )
        places = pd.DataFrame(
            connection.execute(
                select(
                    schema.place.c.id,
                    schema.place.c.name,
                    schema.place.c.kind,
                    schema.place.c.population,
                )
                .where(schema.place.c.kommun_kod == kommun)
                .order_by(schema.place.c.name)
            ).all(),
            columns=["place_id", "place", "kind", "population"],
        )
    long = [(r[0], r[1], r[2], "andel_otrygga", r[3]) for r in rows if r[3] is not None] + [
        (r[0], r[1], r[2], item, code)
        for r, items in zip(rows, _decode_all([r[4] for r in rows]), strict=True)
        for item, code in items.items()
    ]
    answers = pd.DataFrame(long, columns=["response_id", "year", "weight", "indicator", "code"])
    return answers, links, places


def _decode_all(values: list) -> list[dict]:
    """Decode many JSON texts in one parse (a driver may already return dicts)."""
    if not values or not isinstance(values[0], str):
        return [value or {} for value in values]
    return json.loads("[" + ",".join(value or "{}" for value in values) + "]")


def figure_sources(engine: Engine, kommun: str, year: int | None) -> list[dict]:
    """The active batches holding answers or delivered results of ``year``, oldest first.

    Returns
    -------
    list of dict
        ``{"batch_id", "kind", "file_name", "source", "synthetic"}`` each.
    """
    batch = schema.import_batch
    response, result = schema.survey_response, schema.survey_result
    ids = (
        select(response.c.batch_id)
        .where(response.c.kommun_kod == kommun, response.c.year == year)
        .union(
            select(result.c.batch_id).where(result.c.kommun_kod == kommun, result.c.year == year)
        )
    )
    with engine.connect() as connection:
        rows = connection.execute(
            select(batch.c.id, batch.c.kind, batch.c.file_name, batch.c.source, batch.c.uploaded_by)
            .where(batch.c.id.in_(ids), batch.c.status == ACTIVE)
            .order_by(batch.c.id)
        ).mappings()
        return [
            {
                "batch_id": row["id"],
                "kind": row["kind"],
                "file_name": row["file_name"],
                "source": row["source"],
                "synthetic": is_synthetic(row),
            }
            for row in rows
        ]


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


def survey_years(engine: Engine, kommun: str) -> list[int]:
    """The years with active survey answers."""
    return _active_years(engine, schema.survey_response, kommun)


def result_years(engine: Engine, kommun: str) -> list[int]:
    """The years with active area-level results (references included)."""
    return _active_years(engine, schema.survey_result, kommun)


def _active_years(engine: Engine, table, kommun: str) -> list[int]:
    batch = schema.import_batch
    with engine.connect() as connection:
        return sorted(
            connection.execute(
                select(table.c.year)
                .distinct()
                .join(batch, batch.c.id == table.c.batch_id)
                .where(table.c.kommun_kod == kommun, batch.c.status == ACTIVE)
            ).scalars()
        )


def place_frame(engine: Engine, kommun: str) -> pd.DataFrame:
    place = schema.place
    with engine.connect() as connection:
        rows = connection.execute(
            select(place.c.id, place.c.area_m2, place.c.population).where(
                place.c.kommun_kod == kommun
            )
        ).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=["place_id", "area_m2", "population"])


def _active(
    table,
    kommun: str,
    start: dt.datetime | None,
    end: dt.datetime | None,
    category: str | None,
) -> list:
    """Conditions on ``table`` (incident or incident_place): the kommun's active incident
    batches, [start, end) and a category."""
    batch = schema.import_batch
    active = select(batch.c.id).where(
        batch.c.kommun_kod == kommun, batch.c.kind == INCIDENTS_KIND, batch.c.status == ACTIVE
    )
    conditions = [table.c.batch_id.in_(active)]
    if start is not None:
        conditions.append(table.c.occurred_at >= start)
    if end is not None:
        conditions.append(table.c.occurred_at < end)
    if category is not None:
        conditions.append(table.c.category == category)
    return conditions


def load_incidents(
    engine: Engine,
    kommun: str,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    category: str | None = None,
    with_links: bool = True,
    with_times: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Active incidents in [start, end) and their place links, as two DataFrames.

    Incidents: id, [occurred_at, precision,] category, count, x, y. Never published as is.
    """
    incident = schema.incident
    link = schema.incident_place
    columns = ["id", "occurred_at", "precision", "category", "count", "x", "y"]
    if not with_times:
        columns = [c for c in columns if c not in {"occurred_at", "precision"}]
    selected = [
        type_coerce(incident.c[c], String) if c == "occurred_at" else incident.c[c] for c in columns
    ]
    # The driver's own tuples (no SQLAlchemy Row per incident): none of these columns has
    # a result processor (occurred_at is read as text), so the values are the same.
    with engine.connect() as connection:
        result = connection.execute(
            select(*selected).where(*_active(incident, kommun, start, end, category))
        )
        rows = result.cursor.fetchall()
        result.close()
        links = []
        if with_links:
            result = connection.execute(
                select(link.c.incident_id, link.c.place_id).where(
                    *_active(link, kommun, start, end, category)
                )
            )
            links = result.cursor.fetchall()
            result.close()
    frame = pd.DataFrame.from_records(rows, columns=columns)
    if with_times:
        frame["occurred_at"] = pd.to_datetime(frame["occurred_at"], format="ISO8601")
    frame["count"] = frame["count"].astype(np.int64)
    link_frame = pd.DataFrame.from_records(links, columns=["incident_id", "place_id"])
    return frame, link_frame


def stored_source_ids(engine: Engine, kommun: str) -> set[str]:
    """The source ids (polisen.se ``id``) of the kommun's incidents in active batches."""
    incident = schema.incident
    query = select(incident.c.source_id).where(
        *_active(incident, kommun, None, None, None), incident.c.source_id.is_not(None)
    )
    with engine.connect() as connection:
        return set(connection.execute(query).scalars())


def incident_sums(
    engine: Engine,
    kommun: str,
    periods: list[tuple[dt.datetime, dt.datetime]],
    by_place: bool,
    category: str | None = None,
) -> pd.DataFrame:
    """Summed ``antal`` per period, category (and place), from the incident aggregate.

    Columns: [place_id,] category, period (the index in ``periods``), count.
    """
    sums = aggregate_sums(engine, kommun, periods, category)
    if by_place:
        placed = sums[sums["place_id"].notna()]
        return placed.assign(place_id=placed["place_id"].astype(np.int64))
    return sums[sums["place_id"].isna()].drop(columns="place_id")


def aggregate_sums(
    engine: Engine,
    kommun: str,
    periods: list[tuple[dt.datetime, dt.datetime]],
    category: str | None = None,
) -> pd.DataFrame:
    """Summed ``antal`` per place, category and period of whole days, in one grouped
    scan of the active batches' incident aggregate.

    Columns: place_id (NA: the whole kommun), category, period (the index in
    ``periods``), count.
    """
    table = schema.incident_aggregate
    spans = [(_whole_day(first), _whole_day(last)) for first, last in periods]
    period = case(
        *(
            (and_(table.c.day >= first, table.c.day < last), number)
            for number, (first, last) in enumerate(spans)
        ),
        else_=None,
    ).label("period")
    keys = [table.c.place_id, table.c.category, period]
    batch = schema.import_batch
    active = select(batch.c.id).where(
        batch.c.kommun_kod == kommun, batch.c.kind == INCIDENTS_KIND, batch.c.status == ACTIVE
    )
    conditions = [
        table.c.kommun_kod == kommun,
        table.c.day >= min(first for first, _last in spans),
        table.c.day < max(last for _first, last in spans),
        table.c.batch_id.in_(active),
    ]
    if category is not None:
        conditions.append(table.c.category == category)
    query = select(*keys, func.sum(table.c.count)).where(*conditions).group_by(*keys)
    with engine.connect() as connection:
        rows = [tuple(r) for r in connection.execute(query)]
    frame = pd.DataFrame.from_records(rows, columns=["place_id", "category", "period", "count"])
    frame = frame.dropna(subset=["period"])
    return frame.assign(
        place_id=frame["place_id"].astype("Int64"),
        period=frame["period"].astype(np.int64),
        count=frame["count"].astype(np.int64),
    )


def _whole_day(moment: dt.datetime) -> int:
    """The aggregate's day number of a period bound, which must fall on midnight."""
    if moment != dt.datetime.combine(moment.date(), dt.time()):
        raise ValueError(f"incident periods run over whole days, not from {moment}")
    return day_number(moment)


def area_result_rows(
    engine: Engine, kommun: str, year: int | None, *, references: bool = False
) -> list:
    """The active area-level results (Police index, NTU) of ``year``, in file order: the
    kommun's own areas, or with ``references`` only its län and riket reference rows."""
    result = schema.survey_result
    batch = schema.import_batch
    level = result.c.reference.is_not(None) if references else result.c.reference.is_(None)
    with engine.connect() as connection:
        return list(
            connection.execute(
                select(result, batch.c.source, batch.c.file_name)
                .join(batch, batch.c.id == result.c.batch_id)
                .where(
                    result.c.kommun_kod == kommun,
                    batch.c.status == ACTIVE,
                    result.c.year == year,
                    level,
                )
                .order_by(result.c.id)
            )
            .mappings()
            .all()
        )


def crime_stat_rows(engine: Engine, kommun: str, year: int | None) -> list:
    """The active aggregate crime statistics (BRÅ) of ``year``, in file order."""
    stat, batch = schema.crime_stat, schema.import_batch
    with engine.connect() as connection:
        return list(
            connection.execute(
                select(stat, batch.c.source, batch.c.file_name)
                .join(batch, batch.c.id == stat.c.batch_id)
                .where(stat.c.kommun_kod == kommun, stat.c.year == year, batch.c.status == ACTIVE)
                .order_by(stat.c.id)
            ).mappings()
        )


def context_features(engine: Engine, kommun: str) -> list[tuple]:
    """The kommun's context beneath the places, in the order it was imported: per feature
    ``(kind, name, web_wkb, source, uploaded_by)``, WGS84, from active batches."""
    feature = schema.context_feature
    batch = schema.import_batch
    with engine.connect() as connection:
        rows = connection.execute(
            select(feature.c.kind, feature.c.name, feature.c.web_wkb)
            .add_columns(batch.c.source, batch.c.uploaded_by)
            .join(batch, batch.c.id == feature.c.batch_id)
            .where(feature.c.kommun_kod == kommun, batch.c.status == ACTIVE)
            .order_by(feature.c.id)
        ).all()
    return [tuple(row) for row in rows]
