"""Incidents: EST reports, police extracts, police.uk CSVs, GeoJSON/GeoPackage points.

Bad rows are rejected one by one with their spreadsheet row number, a file that cannot
be read is refused whole, and each import is one batch that keeps the original file.
Unlike survey answers, a point outside every place is kept: it still counts for the
kommun and for the hot-spot grid. Descriptions are stored but never published.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, select

from trygg import geo
from trygg.auth import Actor, require_write
from trygg.errors import RowError, TryggError
from trygg.filecheck import number as number_text
from trygg.importers.base import (
    Placement,
    RowOutcome,
    location_mode,
    open_upload,
    place_rows,
)
from trygg.places.lookup import Locator
from trygg.scales import (
    CATEGORY_SYNONYMS,
    FIRST_YEAR,
    INCIDENT_CATEGORIES,
    LAST_YEAR,
    MAX_INCIDENT_COUNT,
    UNKNOWN_CATEGORY,
)
from trygg.store import batches, bulk_insert, schema
from trygg.strings import t
from trygg.tabular import (
    NESTED_MAPPINGS,
    Table,
    cell_text,
    parse_number,
    read_table,
)
from trygg.text import fold, suffix

BATCH_KIND = batches.INCIDENTS_KIND

GEO_SUFFIXES = {".geojson", ".json", ".gpkg"}

#: Incident headers (normalised) → canonical names; police.uk's names included.
INCIDENT_SYNONYMS = {
    "date": "datum",
    "datum_och_tid": "datum",
    "tidpunkt": "datum",
    "month": "datum",
    "manad": "datum",
    "klockslag": "tid",
    "time": "tid",
    "crime_type": "kategori",
    "category": "kategori",
    "handelsetyp": "kategori",
    "typ": "kategori",
    "count": "antal",
    "description": "beskrivning",
    "context": "beskrivning",
    "kommentar": "beskrivning",
}

DATE_PATTERNS = (
    (
        re.compile(
            r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(?:kl\.?\s*)?(\d{1,2})[:.](\d{2})"
            r"(?:[:.](\d{2})(?:\.\d+)?)?)?"
        ),
        "ymd",
    ),
    (re.compile(r"(\d{4})(\d{2})(\d{2})"), "ymd"),
    (
        re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:\s+(?:kl\.?\s*)?(\d{1,2})[:.](\d{2}))?"),
        "dmy",
    ),
    (re.compile(r"(\d{4})-(\d{1,2})"), "month"),
)


def parse_when(text: str, time_text: str = "") -> tuple[dt.datetime, str] | None:
    """A date, or a date and time, in the usual Swedish forms → (datetime, precision).

    Precision is ``minute``, ``day`` or ``month`` (police.uk gives months only).

    Examples
    --------
    >>> parse_when("2024-03-15 21:40")
    (datetime.datetime(2024, 3, 15, 21, 40), 'minute')
    >>> parse_when("15/3/2024")
    (datetime.datetime(2024, 3, 15, 0, 0), 'day')
    """
    text = " ".join(text.split())
    for pattern, order in DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        parts = (*match.groups(), None, None, None)
        try:
            if order == "month":
                return dt.datetime(int(parts[0]), int(parts[1]), 1), "month"
            year, month, day = (
                (parts[0], parts[1], parts[2]) if order == "ymd" else (parts[2], parts[1], parts[0])
            )
            when = dt.datetime(int(year), int(month), int(day))
            hour, minute = parts[3], parts[4]
            if hour is None and time_text:
                clock = re.fullmatch(
                    r"(?:kl\.?\s*)?(\d{1,2})[:.](\d{2})(?:[:.]\d{2})?", time_text.strip()
                )
                hour, minute = clock.groups() if clock else (None, None)
                if clock is None:
                    return None
            if hour is None:
                return when, "day"
            return when.replace(hour=int(hour), minute=int(minute)), "minute"
        except ValueError:
            return None
    return None


def canonical_category(text: str, extra: dict[str, str] | None = None) -> tuple[str, bool]:
    """Map a source's category to the canonical list → (category, recognised).

    Exact synonyms (the mapping file's first, then the built-in table) win; otherwise a
    canonical name or synonym contained in the text; otherwise ``övrigt``.
    """
    folded = fold(text)
    table = {**CATEGORY_SYNONYMS, **{fold(k): v for k, v in (extra or {}).items()}}
    if folded in table:
        return table[folded], True
    for name in sorted({*INCIDENT_CATEGORIES, *CATEGORY_SYNONYMS}, key=len, reverse=True):
        if len(name) > 3 and name in folded:
            return (name if name in INCIDENT_CATEGORIES else CATEGORY_SYNONYMS[name]), True
    return UNKNOWN_CATEGORY, False


def read_incident_table(path: Path, data: bytes, crs: str | None) -> Table:
    """CSV/Excel as a table; a GeoJSON or GeoPackage point layer as one with x/y columns.

    For a point layer the "row" of a feature is its number + 1, as if exported to a sheet.
    """
    if suffix(path) not in GEO_SUFFIXES:
        return read_table(path, data)
    frame = geo.read_layer(path, data=data, prefer="point")
    if frame.empty:
        raise TryggError(t("err.table_no_rows", file=path.name))
    frame = geo.to_store_crs(frame, crs, path.name) if frame.crs or crs else frame
    if frame.crs is None:
        raise TryggError(t("err.places_no_crs", file=path.name))
    columns = [c for c in frame.columns if c != frame.geometry.name]
    points = [g if g is not None and g.geom_type == "Point" else None for g in frame.geometry]
    rows = [
        [cell_text(v) for v in values] + ([repr(p.x), repr(p.y)] if p is not None else ["", ""])
        for values, p in zip(frame[columns].itertuples(index=False), points, strict=True)
    ]
    return Table(
        file_name=path.name,
        header=[*columns, "x", "y"],
        rows=rows,
        row_numbers=list(range(2, len(rows) + 2)),
    )


def import_incidents(
    engine: Engine,
    path: str | Path,
    kommun: str,
    *,
    mapping: str | Path | dict | None = None,
    source: str | None = None,
    crs: str | None = None,
    actor: Actor | None,
    data: bytes | None = None,
) -> dict:
    """Import incidents from CSV, XLSX, GeoJSON or GeoPackage as one batch.

    Columns: ``datum`` (date or date and time), ``kategori``, a location (``lat``/``lon``,
    ``x``/``y`` in SWEREF 99 TM unless ``crs`` says otherwise, or ``plats``), ``antal``
    (default 1) and ``beskrivning`` (stored, never public). police.uk's Month, Longitude,
    Latitude and Crime type are understood too.

    Returns
    -------
    dict
        The survey import's shape plus ``unknown_categories`` (rows that became
        ``övrigt``), ``unknown_category_values`` and ``outside_places``.
    """
    require_write(actor, kommun)
    is_layer = suffix(path) in GEO_SUFFIXES
    upload = open_upload(
        engine,
        path,
        kommun,
        mapping=mapping,
        synonyms=INCIDENT_SYNONYMS,
        data=data,
        reader=lambda file, content: read_incident_table(file, content, crs),
    )
    table, name = upload.table, upload.path.name
    mode = location_mode(table.columns)
    if mode is None:
        raise TryggError(t("err.incidents_no_location", file=name))
    if "datum" not in table.columns:
        raise TryggError(t("err.incidents_no_date", file=name))
    categories = next((upload.mapping[k] for k in NESTED_MAPPINGS if k in upload.mapping), {})
    outcome = parse_incident_rows(
        table, upload.locator, mode, None if is_layer else crs, categories
    )
    return upload.store(
        engine,
        outcome,
        lambda connection, batch_id: _store_incidents(
            connection, kommun, batch_id, outcome.records
        ),
        kind=BATCH_KIND,
        uploaded_by=actor.name,
        source=source,
    )


def parse_incident_rows(
    table: Table, locator: Locator, mode: str, crs: str | None, categories: dict[str, str]
) -> RowOutcome:
    """Turn every row into an incident record or row errors."""
    outcome = RowOutcome(rows=len(table.rows))
    placed = place_rows(table, locator, mode, crs, require_place=False)
    outcome.unresolved = placed.unresolved
    errors = {index: list(found) for index, found in placed.errors.items()}
    unknown: Counter[str] = Counter()
    dates, times = table.column("datum"), table.column("tid")
    kinds, counts = table.column("kategori"), table.column("antal")
    descriptions = table.column("beskrivning")
    parsed = parse_dates(dates, times)
    category_cache: dict[str, tuple[str, bool]] = {}
    count_cache: dict[str, int | None] = {}
    outside = 0
    for index in range(len(table.rows)):
        number = table.row_numbers[index]
        row_errors = errors.get(index, [])
        when = parsed[index]
        if when is None or not FIRST_YEAR <= when[0].year <= LAST_YEAR:
            row_errors.append(
                RowError(number, table.source_header("datum"), dates[index], _date_message(when))
            )
        if counts[index] not in count_cache:
            count_cache[counts[index]] = _count(counts[index])
        count = count_cache[counts[index]]
        if count is None:
            row_errors.append(
                RowError(
                    number,
                    table.source_header("antal"),
                    counts[index],
                    t("row.count_range", max=number_text(MAX_INCIDENT_COUNT)),
                )
            )
        if row_errors:
            outcome.reject(index, row_errors)
            continue
        if kinds[index] not in category_cache:
            category_cache[kinds[index]] = canonical_category(kinds[index], categories)
        category, known = category_cache[kinds[index]]
        if not known:
            unknown[kinds[index]] += 1
        placement: Placement = placed.rows[index]
        outside += not placement.place_ids
        outcome.records.append(
            {
                "row_number": number,
                "occurred_at": when[0],
                "precision": when[1],
                "category": category,
                "source_category": kinds[index] or None,
                "count": count,
                "x": placement.x,
                "y": placement.y,
                "place_text": placement.place_text,
                "beskrivning": descriptions[index] or None,
                "place_ids": placement.place_ids,
            }
        )
    outcome.extra = {
        "unknown_categories": sum(unknown.values()),
        "unknown_category_values": dict(unknown.most_common(20)),
        "outside_places": outside,
        "years": _year_span(outcome.records),
    }
    return outcome


def _year_span(records: list[dict]) -> list[int]:
    """[first year, last year] of the records (empty without records)."""
    if not records:
        return []
    years = [record["occurred_at"].year for record in records]
    return [min(years), max(years)]


FAST_FORMATS = (("%Y-%m-%d %H:%M", "minute"), ("%Y-%m-%d", "day"))


def parse_dates(dates: list[str], times: list[str]) -> list[tuple[dt.datetime, str] | None]:
    """:func:`parse_when` for a whole column; the common ISO forms are parsed vectorised."""
    series = pd.Series(dates, dtype="string")
    result: list[tuple[dt.datetime, str] | None] = [None] * len(dates)
    pending = np.array([not time for time in times], dtype=bool)
    for form, precision in FAST_FORMATS:
        stamps = pd.to_datetime(series.where(pending), format=form, errors="coerce")
        hits = np.flatnonzero(pending & stamps.notna().to_numpy())
        for index, stamp in zip(hits.tolist(), stamps.iloc[hits].dt.to_pydatetime(), strict=True):
            result[index] = (stamp, precision)
        pending[hits] = False
    for index in np.flatnonzero(np.array([r is None for r in result])).tolist():
        if dates[index]:
            result[index] = parse_when(dates[index], times[index])
    return result


def _date_message(when: tuple[dt.datetime, str] | None) -> str:
    if when is None:
        return t("row.date")
    return t("row.date_range", min=FIRST_YEAR, max=LAST_YEAR)


def _count(text: str) -> int | None:
    """``antal``: blank means 1; otherwise a whole number 1–:data:`MAX_INCIDENT_COUNT`."""
    if not text:
        return 1
    value = parse_number(text)
    if value is None or not 1 <= value <= MAX_INCIDENT_COUNT or not value.is_integer():
        return None
    return int(value)


INCIDENT_COLUMNS = (
    "row_number",
    "occurred_at",
    "precision",
    "category",
    "source_category",
    "count",
    "x",
    "y",
    "place_text",
    "beskrivning",
)


def _store_incidents(connection: Connection, kommun: str, batch_id: int, records) -> None:
    if not records:
        return
    stamp = datetime_param(connection)
    bulk_insert(
        connection,
        schema.incident,
        [*INCIDENT_COLUMNS, "batch_id", "kommun_kod"],
        [
            (
                *(stamp(r[c]) if c == "occurred_at" else r[c] for c in INCIDENT_COLUMNS),
                batch_id,
                kommun,
            )
            for r in records
        ],
    )
    table = schema.incident
    ids = dict(
        connection.execute(
            select(table.c.row_number, table.c.id).where(table.c.batch_id == batch_id)
        ).all()
    )
    links = [
        (
            ids[record["row_number"]],
            place_id,
            batch_id,
            stamp(record["occurred_at"]),
            record["category"],
            record["count"],
        )
        for record in records
        for place_id in dict.fromkeys(record["place_ids"])
    ]
    bulk_insert(
        connection,
        schema.incident_place,
        ["incident_id", "place_id", "batch_id", "occurred_at", "category", "count"],
        links,
    )


def datetime_param(connection: Connection):
    """How a datetime goes to the driver: SQLAlchemy's SQLite text form, else as is."""
    if connection.dialect.name == "sqlite":
        return lambda value: value.strftime("%Y-%m-%d %H:%M:%S.%f")
    return lambda value: value
