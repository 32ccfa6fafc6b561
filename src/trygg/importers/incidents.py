"""Incidents: EST reports, police extracts, police.uk CSVs, polisen.se events (the API's
JSON and its flattened CSV), GeoJSON/GeoPackage points.

Bad rows are rejected one by one with their spreadsheet row number, a file that cannot
be read is refused whole, and each import is one batch that keeps the original file. A
point outside every place is kept (it counts for the kommun and the hot-spot grid). An
incident known only to its kommun (precision ``kommun``) counts for the kommun's total,
in no place (unless a place is that kommun, :func:`polisen.kommun_of`); one known only
to its län is not stored. Descriptions are stored but never published.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import numpy as np
from sqlalchemy import Connection, Engine, select

from trygg import geo
from trygg.auth import Actor, require_write
from trygg.errors import RowError, TryggError
from trygg.filecheck import number as number_text
from trygg.importers import polisen
from trygg.importers.base import (
    Placement,
    Placements,
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
from trygg.store import aggregates, batches, bulk_insert, schema
from trygg.store.reads import stored_source_ids
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
    # polisen.se: the API's fields and the flattened CSV's columns (name and url unused).
    "datetime": "datum",
    "type": "kategori",
    "location_name": "kalla_plats",
    "location.name": "kalla_plats",
    "summary": "beskrivning",
    "id": "kalla_id",
    "lagesprecision": "precision",
}

#: Why an accepted row is not stored; every key is always in the summary.
EXCLUDED_REASONS = ("sammanfattning", "dubblett", "annan_kommun")


def canonical_category(text: str, extra: dict[str, str] | None = None) -> tuple[str, bool]:
    """Map a source's category to the canonical list → (category, recognised).

    Exact synonyms (the mapping file's first, then the built-in table) win; otherwise the
    longest canonical name or synonym in the text (a word of three letters only as a
    whole word), where a crime word beats ``övrigt`` ("Rån övrigt" is våld); otherwise
    ``övrigt``.
    """
    folded = fold(text)
    table = {**CATEGORY_SYNONYMS, **{fold(k): v for k, v in (extra or {}).items()}}
    if folded in table:
        return table[folded], True
    found = [
        CATEGORY_SYNONYMS.get(name, name)
        for name in sorted({*INCIDENT_CATEGORIES, *CATEGORY_SYNONYMS}, key=len, reverse=True)
        if (len(name) > 3 and name in folded) or re.search(rf"\b{re.escape(name)}\b", folded)
    ]
    if found:
        return next((c for c in found if c != UNKNOWN_CATEGORY), found[0]), True
    return UNKNOWN_CATEGORY, False


def read_incident_table(path: Path, data: bytes, crs: str | None) -> Table:
    """CSV/Excel as a table; a polisen.se events JSON as one event per row; a GeoJSON or
    GeoPackage point layer as one with x/y columns.

    For a point layer the "row" of a feature is its number + 1, as if exported to a sheet.
    """
    if suffix(path) not in GEO_SUFFIXES:
        return read_table(path, data)
    events = polisen.events_table(data, path.name) if suffix(path) == ".json" else None
    if events is not None:
        return events
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
    force: bool = False,
) -> dict:
    """Import incidents from CSV, XLSX, polisen.se JSON, GeoJSON or GeoPackage as one batch.

    Columns: ``datum`` (date or date and time, also with a UTC offset), ``kategori``, a
    location (``lat``/``lon``, ``x``/``y`` in SWEREF 99 TM unless ``crs`` says otherwise,
    or ``plats``), ``antal`` (default 1), ``beskrivning`` (stored, never public),
    ``kalla_id`` (the source's id: counted once), ``kalla_plats`` (the source's location
    name) and ``precision`` (punkt, kommun or län). police.uk's and polisen.se's columns
    are understood too. ``force`` turns a refusal of implausible coordinates into a warning.

    Returns
    -------
    dict
        The survey import's shape plus ``precision`` (accepted incidents per location
        precision), ``excluded`` (accepted rows not stored, by reason), ``counted`` (rows
        stored for the kommun), ``unknown_categories`` (source category → stored rows that
        became ``övrigt``), ``outside_places`` and ``years``.
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
    stored = stored_source_ids(engine, kommun) if "kalla_id" in table.columns else set()
    outcome = parse_incident_rows(
        table,
        upload.locator,
        mode,
        None if is_layer else crs,
        categories,
        kommun_name=upload.kommun_name,
        stored_ids=stored,
        force=force,
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
    table: Table,
    locator: Locator,
    mode: str,
    crs: str | None,
    categories: dict[str, str],
    *,
    kommun_name: str = "",
    stored_ids: set[str] | frozenset[str] = frozenset(),
    force: bool = False,
) -> RowOutcome:
    """Turn every row into an incident record, row errors, or a reason not to store it.

    Only rows located to a point are placed; a row without coordinates is kept for the
    kommun total (precision ``kommun``) with its "koordinat saknas". Summary posts, ids
    seen before (in the file or in an active batch of the kommun), län-only events and
    events named for another kommun are accepted but not stored, and counted.
    """
    outcome = RowOutcome(rows=len(table.rows))
    kinds = table.column("kategori")
    summary_cache = {kind: polisen.is_summary_post(kind) for kind in set(kinds)}
    summaries = np.array([summary_cache[kind] for kind in kinds], dtype=bool)
    precisions, precision_errors = polisen.row_precisions(table, mode)
    points = ~summaries & np.array([p in (None, "punkt") for p in precisions], dtype=bool)
    placed = _unplace(
        place_rows(table, locator, mode, crs, require_place=False, force=force, only=points),
        points,
    )
    outcome.warnings.extend(placed.warnings)
    if mode in polisen.COORDINATE_COLUMNS:
        outcome.warnings.extend(
            polisen.shared_point_warnings(table, *polisen.COORDINATE_COLUMNS[mode])
        )
    outcome.unresolved = placed.unresolved
    errors = {index: list(found) for index, found in placed.errors.items()}
    for index, found in precision_errors.items():
        errors.setdefault(index, []).extend(found)
    dates, times = table.column("datum"), table.column("tid")
    counts, descriptions = table.column("antal"), table.column("beskrivning")
    source_ids, locations = table.column("kalla_id"), table.column("kalla_plats")
    parsed = polisen.parse_dates(dates, times)
    category_cache: dict[str, tuple[str, bool]] = {}
    count_cache: dict[str, int | None] = {}
    kommun_cache: dict[str, tuple[bool, list[int]]] = {}
    tally = _Tally()
    seen: set[str] = set()
    for index in range(len(table.rows)):
        if summaries[index]:
            tally.excluded["sammanfattning"] += 1
            continue
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
            outcome.reject(index, [*filter(None, [placed.missing.get(index)]), *row_errors])
            continue
        if index in placed.missing:
            outcome.note([placed.missing[index]])
        source_id = source_ids[index]
        if source_id and (source_id in seen or source_id in stored_ids):
            tally.excluded["dubblett"] += 1
            continue
        seen.add(source_id)
        placement: Placement = placed.rows[index] or Placement()
        located = placement.x is not None or bool(placement.place_ids)
        precision = precisions[index] or ("punkt" if located else "kommun")
        precision = "kommun" if precision == "punkt" and not located else precision
        tally.precision[precision] += 1
        if precision == "län":
            continue
        location = locations[index]
        if location not in kommun_cache:
            kommun_cache[location] = polisen.kommun_of(location, kommun_name, locator)
        counted, kommun_place = kommun_cache[location]
        if not counted:
            tally.excluded["annan_kommun"] += 1
            continue
        if kinds[index] not in category_cache:
            category_cache[kinds[index]] = canonical_category(kinds[index], categories)
        category, known = category_cache[kinds[index]]
        if not known:
            tally.unknown[kinds[index]] += 1
        tally.outside += precision == "punkt" and not placement.place_ids
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
                "place_text": placement.place_text or location or None,
                "beskrivning": descriptions[index] or None,
                "place_ids": placement.place_ids or kommun_place * (precision == "kommun"),
                "location_precision": precision,
                "source_id": source_id or None,
            }
        )
    outcome.extra = tally.summary(outcome.records)
    return outcome


class _Tally:
    """What the rows of one import add up to, beyond accepted and rejected."""

    def __init__(self) -> None:
        self.precision: Counter[str] = Counter(dict.fromkeys(polisen.PRECISIONS, 0))
        self.excluded: Counter[str] = Counter(dict.fromkeys(EXCLUDED_REASONS, 0))
        self.unknown: Counter[str] = Counter()
        self.outside = 0

    def summary(self, records: list[dict]) -> dict:
        return {
            "precision": {name: self.precision[name] for name in polisen.PRECISIONS},
            "excluded": {reason: self.excluded[reason] for reason in EXCLUDED_REASONS},
            "counted": len(records),
            "unknown_categories": dict(self.unknown.most_common()),
            "outside_places": self.outside,
            "years": _year_span(records),
        }


def _unplace(placed: Placements, points: np.ndarray) -> Placements:
    """Forget where the rows that are not points are (also when placed by name)."""
    for index in np.flatnonzero(~points).tolist():
        placed.rows[index] = Placement()
        placed.errors.pop(index, None)
        placed.missing.pop(index, None)
        placed.unresolved.discard(index)
    return placed


def _year_span(records: list[dict]) -> list[int]:
    """[first year, last year] of the records (empty without records)."""
    years = [record["occurred_at"].year for record in records]
    return [min(years), max(years)] if years else []


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
    "location_precision",
    "source_id",
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
    aggregates.store_incident_aggregate(connection, kommun, batch_id, records)


def datetime_param(connection: Connection):
    """How a datetime goes to the driver: SQLAlchemy's SQLite text form, else as is."""
    if connection.dialect.name == "sqlite":
        return lambda value: value.strftime("%Y-%m-%d %H:%M:%S.%f")
    return lambda value: value
