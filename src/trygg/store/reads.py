"""What the figures read from the store, and the version of the data they read.

:func:`data_version` is one cheap query whose answer changes with every import,
rollback, restore and follow-up of a kommun (:func:`trygg.store.batches.bump`, called
in the same transaction). Caches key on it instead of on a clock.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from sqlalchemy import Engine, String, and_, case, func, select, type_coerce

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
    """Active responses (long by indicator: the core question's rows, then the items',
    each in response order), their place links, and the kommun's places."""
    response, answer = schema.survey_response, schema.survey_answer
    link, batch = schema.survey_response_place, schema.import_batch
    # A batch's responses are its kommun's: the batch index alone finds them.
    batch_ids = select(batch.c.id).where(batch.c.kommun_kod == kommun, batch.c.status == ACTIVE)
    active = response.c.batch_id.in_(batch_ids)
    core = [response.c.id, response.c.year, response.c.weight, response.c.trygg_kvall]
    with engine.connect() as connection:
        require_kommun(connection, kommun)
        responses = _fetch(connection, select(*core).where(active))
        items = _fetch(
            connection,
            select(answer.c.response_id, answer.c.item, answer.c.code)
            .join(response, response.c.id == answer.c.response_id)
            .where(active),
        )
        pairs = _fetch(
            connection,
            select(link.c.response_id, link.c.place_id)
            .join(response, response.c.id == link.c.response_id)
            .where(active),
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
    links = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    links = pd.DataFrame({"response_id": links[:, 0], "place_id": links[:, 1]})
    return _long_answers(responses, items), links, places


def _fetch(connection, query) -> list[tuple]:
    """The driver's own tuples: none of the columns read this way has a result processor."""
    result = connection.execute(query)
    rows = result.cursor.fetchall()
    result.close()
    return rows


def _long_answers(responses: list[tuple], items: list[tuple]) -> pd.DataFrame:
    """One row per response and indicator answered, from the driver's rows."""
    core = np.array(responses, dtype=float).reshape(-1, 4)  # id, year, weight, code or NaN
    core = core[np.argsort(core[:, 0], kind="stable")]
    ids = core[:, 0].astype(np.int64)
    item_ids = np.array([row[0] for row in items], dtype=np.int64)
    by_response = np.argsort(item_ids, kind="stable")  # a response's items stay in key order
    answered = np.flatnonzero(~np.isnan(core[:, 3]))
    rows = np.concatenate([answered, np.searchsorted(ids, item_ids[by_response])])
    codes = np.array([row[2] for row in items], dtype=np.int64)[by_response]
    return pd.DataFrame(
        {
            "response_id": ids[rows],
            "year": core[rows, 1].astype(np.int64),
            "weight": core[rows, 2],
            "indicator": ["andel_otrygga"] * len(answered)
            + [items[i][1] for i in by_response.tolist()],
            "code": np.concatenate([core[answered, 3].astype(np.int64), codes]),
        }
    )


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
    ranges: list[tuple[int, int, int]],
    start: dt.datetime | None,
    end: dt.datetime | None,
    category: str | None,
) -> list:
    """Conditions on ``table`` (incident; incident_place for the batches only): the
    active incident batches' rows (``ranges`` of the incidents,
    :func:`trygg.store.batches.row_ranges`), [start, end) and a category."""
    ids = table.c.id if table is schema.incident else table.c.incident_id
    conditions = batches.in_batches(ids, table.c.batch_id, ranges)
    if start is not None:
        conditions.append(table.c.occurred_at >= start)
    if end is not None:
        conditions.append(table.c.occurred_at < end)
    if category is not None:
        conditions.append(table.c.category == category)
    return conditions


_INCIDENT_COLUMNS = ("id", "occurred_at", "precision", "category", "count", "x", "y")
_NUMERIC = {"id": np.int64, "count": np.int64, "x": float, "y": float}


def load_incidents(
    engine: Engine,
    kommun: str,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    category: str | None = None,
    with_links: bool = True,
    with_times: bool = True,
    columns: tuple[str, ...] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Active incidents in [start, end) and their place links, as two DataFrames.

    Incidents: id, [occurred_at, precision,] category, count, x, y, or only ``columns``
    of those (in that order). Never published as is.
    """
    incident = schema.incident
    link = schema.incident_place
    columns = [c for c in _INCIDENT_COLUMNS if columns is None or c in columns]
    if not with_times:
        columns = [c for c in columns if c not in {"occurred_at", "precision"}]
    selected = [
        type_coerce(incident.c[c], String) if c == "occurred_at" else incident.c[c] for c in columns
    ]
    # The driver's own tuples (no SQLAlchemy Row per incident): none of these columns has
    # a result processor (occurred_at is read as text), so the values are the same.
    with engine.connect() as connection:
        ranges = batches.row_ranges(connection, kommun, "incident")
        result = connection.execute(
            select(*selected).where(*_active(incident, ranges, start, end, category))
        )
        rows = result.cursor.fetchall()
        result.close()
        links = []
        if with_links:
            query = select(link.c.incident_id, link.c.place_id)
            if "id" in columns or (start, end, category) == (None, None, None):
                query = query.where(*_active(link, ranges, None, None, None))
            else:
                query = query.join(incident, incident.c.id == link.c.incident_id).where(
                    *_active(incident, ranges, start, end, category)
                )
            result = connection.execute(query)
            links = result.cursor.fetchall()
            result.close()
    if rows and set(columns) <= _NUMERIC.keys():  # one float array: ids, counts ≪ 2**53
        values = np.array(rows, dtype=float)
        frame = pd.DataFrame({c: values[:, i].astype(_NUMERIC[c]) for i, c in enumerate(columns)})
    else:
        frame = pd.DataFrame.from_records(rows, columns=columns)
    if "occurred_at" in columns:
        frame["occurred_at"] = pd.to_datetime(frame["occurred_at"], format="ISO8601")
    if "count" in columns:
        frame["count"] = frame["count"].astype(np.int64)
    link_frame = pd.DataFrame.from_records(links, columns=["incident_id", "place_id"])
    if "id" in columns and (start, end, category) != (None, None, None):
        link_frame = link_frame[link_frame["incident_id"].isin(frame["id"])]
        link_frame = link_frame.reset_index(drop=True)
    return frame, link_frame


def stored_source_ids(engine: Engine, kommun: str) -> set[str]:
    """The source ids (polisen.se ``id``) of the kommun's incidents in active batches."""
    incident = schema.incident
    with engine.connect() as connection:
        ranges = batches.row_ranges(connection, kommun, "incident")
        query = select(incident.c.source_id).where(
            *_active(incident, ranges, None, None, None),
            incident.c.kommun_kod == kommun,
            incident.c.source_id.is_not(None),
        )
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
    conditions = [
        table.c.day >= min(first for first, _last in spans),
        table.c.day < max(last for _first, last in spans),
    ]
    if category is not None:
        conditions.append(table.c.category == category)
    with engine.connect() as connection:
        ranges = batches.row_ranges(connection, kommun, "aggregate")
        conditions += batches.in_batches(table.c.id, table.c.batch_id, ranges)
        query = select(*keys, func.sum(table.c.count)).where(*conditions).group_by(*keys)
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
