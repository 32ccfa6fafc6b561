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

import re
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from trygg import geo
from trygg.auth import Actor, require_write
from trygg.errors import TryggError
from trygg.importers import incident_rows, incident_store, polisen
from trygg.importers.base import (
    RowOutcome,
    location_mode,
    open_upload,
    place_rows,
)
from trygg.places.lookup import Locator
from trygg.scales import (
    CATEGORY_SYNONYMS,
    INCIDENT_CATEGORIES,
    UNKNOWN_CATEGORY,
)
from trygg.store import batches
from trygg.store.reads import stored_source_ids
from trygg.strings import t
from trygg.tabular import (
    NESTED_MAPPINGS,
    Table,
    cell_text,
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
EXCLUDED_REASONS = incident_rows.EXCLUDED_REASONS


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
        lambda connection, batch_id: incident_store.store_incidents(
            connection, kommun, batch_id, outcome.records, name, upload.locator.read_shapes
        ),
        kind=BATCH_KIND,
        uploaded_by=actor.name,
        source=source,
        foreign_keys=False,
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
    """Turn the rows into incident records (:class:`IncidentRecords`), row errors, or a
    reason not to store them, column by column.

    Only rows located to a point are placed; a row without coordinates is kept for the
    kommun total (precision ``kommun``) with its "koordinat saknas". Summary posts, ids
    seen before (in the file or in an active batch of the kommun), län-only events and
    events named for another kommun are accepted but not stored, and counted.
    """
    outcome = RowOutcome(rows=len(table))
    kinds = table.series("kategori")
    summaries = incident_rows.distinct(kinds, polisen.is_summary_post).astype(bool)
    precisions, precision_errors = polisen.row_precisions(table, mode)
    points = ~summaries & ((precisions == None) | (precisions == "punkt"))  # noqa: E711
    placed = place_rows(table, locator, mode, crs, require_place=False, force=force, only=points)
    placed.clear(np.flatnonzero(~points))
    outcome.warnings.extend(placed.warnings)
    if mode in polisen.COORDINATE_COLUMNS:
        outcome.warnings.extend(
            polisen.shared_point_warnings(table, *polisen.COORDINATE_COLUMNS[mode])
        )
    outcome.unresolved = placed.unresolved
    errors = {index: list(found) for index, found in placed.errors.items()}
    for index, found in precision_errors.items():
        errors.setdefault(index, []).extend(found)
    dates = polisen.parse_date_column(table.series("datum"), table.series("tid"))
    counts = incident_rows.distinct(table.series("antal"), incident_rows.count_value)
    rejected = incident_rows.row_errors(table, outcome, placed, errors, summaries, dates, counts)
    candidates = ~summaries & ~rejected
    source_ids = table.series("kalla_id")
    doubled = incident_rows.duplicates(source_ids, candidates, stored_ids)
    kept = candidates & ~doubled
    arrays = placed.arrays
    linked = np.bincount(arrays["link_rows"], minlength=len(table)) > 0
    located = ~np.isnan(arrays["x"]) | linked
    # Precision as codes: 1 punkt, 2 kommun, 3 län (polisen.PRECISIONS); 0 undecided.
    precision = np.zeros(len(table), dtype=np.int8)
    for code, name in enumerate(polisen.PRECISIONS, start=1):
        precision[precisions == name] = code
    precision = np.where(precision == 0, np.where(located, 1, 2), precision)
    precision = np.where((precision == 1) & ~located, 2, precision)
    tally = {
        name: int(np.sum(kept & (precision == code)))
        for code, name in enumerate(polisen.PRECISIONS, start=1)
    }
    kept &= precision != 3
    locations = table.series("kalla_plats")
    where = incident_rows.distinct(
        locations, lambda text: polisen.kommun_of(text, kommun_name, locator)
    )
    counted = np.array([found[0] for found in where.tolist()], dtype=bool)
    final = kept & counted
    chosen = np.flatnonzero(final)
    mapped = incident_rows.distinct(kinds[final], lambda kind: canonical_category(kind, categories))
    known = np.array([found[1] for found in mapped.tolist()], dtype=bool)
    in_link = final[arrays["link_rows"]]
    kommun_rows = chosen[precision[chosen] == 2]
    kommun_places = [(index, where[index][1]) for index in kommun_rows.tolist() if where[index][1]]
    link_rows = np.concatenate(
        [arrays["link_rows"][in_link], [i for i, ids in kommun_places for _ in ids]]
    ).astype(np.int64)
    link_places = np.concatenate(
        [arrays["link_places"][in_link], [p for _i, ids in kommun_places for p in ids]]
    ).astype(np.int64)
    order = np.argsort(link_rows, kind="stable")
    texts = arrays.get("texts")
    place_text = locations.to_numpy(dtype=object)[chosen]
    if texts is not None:
        place_text = np.where(
            pd.isna(texts[chosen]) | (texts[chosen] == ""), place_text, texts[chosen]
        )
    x, y = arrays["x"][chosen], arrays["y"][chosen]
    descriptions = table.series("beskrivning").to_numpy(dtype=object)[chosen]
    own_kinds = kinds.to_numpy(dtype=object)[chosen]
    ids = source_ids.to_numpy(dtype=object)[chosen]
    outcome.records = incident_rows.IncidentRecords(
        {
            "row_number": np.asarray(table.row_numbers, dtype=np.int64)[chosen],
            "occurred_at": dates[0][chosen],
            "precision": dates[1][chosen],
            "category": np.array([found[0] for found in mapped.tolist()], dtype=object),
            "source_category": incident_rows.none_where(own_kinds, own_kinds == ""),
            "count": np.array(counts[chosen].tolist(), dtype=np.int64),
            "x": incident_rows.none_where(x, np.isnan(x)),
            "y": incident_rows.none_where(y, np.isnan(y)),
            "place_text": incident_rows.none_where(place_text, place_text == ""),
            "beskrivning": incident_rows.none_where(descriptions, descriptions == ""),
            "location_precision": np.array(polisen.PRECISIONS, dtype=object)[precision[chosen] - 1],
            "source_id": incident_rows.none_where(ids, ids == ""),
        },
        np.searchsorted(chosen, link_rows[order]),
        link_places[order],
    )
    outside = final & (precision == 1) & ~linked
    outcome.extra = {
        "precision": tally,
        "excluded": {
            "sammanfattning": int(summaries.sum()),
            "dubblett": int(doubled.sum()),
            "annan_kommun": int(np.sum(kept & ~counted)),
        },
        "counted": len(outcome.records),
        "unknown_categories": incident_rows.unknown_categories(
            kinds[final].reset_index(drop=True), known
        ),
        "outside_places": int(outside.sum()),
        "years": outcome.records.years(),
    }
    return outcome
