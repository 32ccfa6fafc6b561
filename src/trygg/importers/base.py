"""What every row-by-row importer shares: the outcome of its rows, where each row is,
and its one-batch write.

Surveys, area-level results, incidents and crime statistics all read a table, place
each row (by name or point), turn rows into records or :class:`RowError` s, then store
the records and the original file as one batch in one transaction, so a failure leaves
nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sqlalchemy import Connection, Engine

from trygg.errors import RowError, TryggError
from trygg.filecheck import number, read_bounded
from trygg.importers import coordinates
from trygg.places.lookup import Locator, in_sweden, to_store_xy
from trygg.scales import STORE_CRS, WEB_CRS
from trygg.store import batches, check_kommun_code, require_kommun, write_transaction
from trygg.strings import t
from trygg.tabular import Table, canonical_columns, parse_numbers, read_mapping, read_table

#: A batch keeps at most this many row errors in its summary (all are counted).
MAX_STORED_ERRORS = 5000
#: An error group lists this many row numbers (all are counted).
GROUP_ROWS = 20
#: A refusal sentence names at most this many error groups.
SENTENCE_GROUPS = 5


def group_errors(errors: list[RowError] | list[dict]) -> list[dict]:
    """Row errors grouped by (column, message), in order of first appearance.

    Each group is ``{"column", "message", "count", "rows"}`` with the first
    :data:`GROUP_ROWS` row numbers; ``count`` counts every error of the group.

    Examples
    --------
    >>> errs = [RowError(2, "d", "x", "bad"), RowError(3, "d", "y", "bad")]
    >>> group_errors(errs)
    [{'column': 'd', 'message': 'bad', 'count': 2, 'rows': [2, 3]}]
    """
    groups: dict[tuple[str, str], dict] = {}
    for error in errors:
        row, column, message = (
            (error["row"], error["column"], error["message"])
            if isinstance(error, dict)
            else (error.row, error.column, error.message)
        )
        group = groups.get((column, message))
        if group is None:
            group = groups[column, message] = {
                "column": column,
                "message": message,
                "count": 0,
                "rows": [],
            }
        group["count"] += 1
        if len(group["rows"]) < GROUP_ROWS:
            group["rows"].append(row)
    return list(groups.values())


def group_line(group: dict) -> str:
    """One group as a sentence part: "24 534 rader: … (kolumn datum), t.ex. rad 2, 3 …"."""
    rows = ", ".join(str(row) for row in group["rows"])
    if group["count"] == 1:
        key = "outcomes.group_one"
    elif group["count"] <= len(group["rows"]):
        key = "outcomes.group_all"
    else:
        key = "outcomes.group_some"
    return t(
        key,
        count=number(group["count"]),
        message=group["message"],
        column=group["column"],
        rows=rows,
    )


class RefusedFile(TryggError):
    """A file refused whole because no row could be stored; carries its error groups."""

    def __init__(self, message: str, error_groups: list[dict]):
        super().__init__(message)
        self.error_groups = error_groups


def refuse_if_nothing_accepted(outcome: RowOutcome, file_name: str) -> None:
    """Refuse, before storing, a file with no data rows or no accepted row, and one that
    would store nothing while some rows were rejected (the rest accepted but not stored,
    e.g. polisen.se summary posts): the coordinator fixes the file and imports it again.

    Up to :data:`SENTENCE_GROUPS` errors are each named in full (row, column, value);
    more are grouped by column and message, the first rows of each listed.
    """
    if outcome.rows == 0:
        raise RefusedFile(t("outcomes.refused_empty", file=file_name), [])
    accepted = outcome.rows - len(outcome.rejected)
    if accepted > 0 and (outcome.records or not outcome.rejected):
        return
    groups = group_errors(outcome.errors)
    if len(outcome.errors) <= SENTENCE_GROUPS:
        # A few errors: each as its own sentence, naming row, column and value.
        parts = [str(error) for error in outcome.errors]
    else:
        parts = [group_line(group) for group in groups[:SENTENCE_GROUPS]]
    if len(outcome.errors) > SENTENCE_GROUPS and len(groups) > SENTENCE_GROUPS:
        parts.append(t("outcomes.more_groups", count=number(len(groups) - SENTENCE_GROUPS)))
    sentence = t(
        "outcomes.refused_rows",
        file=file_name,
        groups=t("outcomes.group_separator").join(parts),
    )
    if outcome.warnings:  # a whole-file hint (e.g. the likely coordinate system) after it
        end = " " if sentence.endswith((".", "…")) else ". "
        sentence = sentence + end + " ".join(outcome.warnings)
    raise RefusedFile(sentence, groups)


@dataclass
class RowOutcome:
    """The rows of one import: the records to store and why the other rows were not."""

    rows: int
    records: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rejected: set[int] = field(default_factory=set)
    unresolved: set[int] = field(default_factory=set)
    extra: dict = field(default_factory=dict)

    warnings: list[str] = field(default_factory=list)

    def reject(self, index: int, errors: list[RowError]) -> None:
        self.errors.extend(errors)
        self.rejected.add(index)

    def note(self, errors: list[RowError]) -> None:
        """Errors of a row that is still kept (e.g. "koordinat saknas" for an incident that
        counts for the kommun total): listed with the others, not counted as rejected."""
        self.errors.extend(errors)

    def summary(self, batch_id: int | None) -> dict:
        """The ``--json`` shape shared by every row importer (plus importer extras)."""
        return {
            "batch_id": batch_id,
            "rows": self.rows,
            "accepted": self.rows - len(self.rejected),
            "rejected": len(self.rejected),
            "unresolved": len(self.unresolved),
            "errors": [error.as_dict() for error in self.errors],
            "error_groups": group_errors(self.errors),
            "warnings": list(self.warnings),
            **self.extra,
        }


def store_batch(
    engine: Engine,
    outcome: RowOutcome,
    write: Callable[[Connection, int], None],
    *,
    kommun: str,
    kind: str,
    file_name: str,
    data: bytes,
    uploaded_by: str,
    source: str | None,
) -> dict:
    """Store ``outcome`` as one batch in one transaction; refuse an identical active file.

    ``write(connection, batch_id)`` stores the records; if it fails nothing is kept.
    The transaction holds the write lock (:func:`trygg.store.write_transaction`), so
    concurrent imports wait for each other; the file was parsed before, outside it.

    Raises
    ------
    RefusedFile
        When no row of the file was accepted (or it has no data rows): no batch is
        created and the file is not stored; the sentence groups the row errors.
    """
    refuse_if_nothing_accepted(outcome, file_name)
    with write_transaction(engine) as connection:
        batch_id = batches.create_batch(
            connection,
            kommun=kommun,
            kind=kind,
            file_name=file_name,
            data=data,
            uploaded_by=uploaded_by,
            source=source,
        )
        write(connection, batch_id)
        summary = outcome.summary(batch_id)
        batches.record_counts(
            connection,
            batch_id,
            total=summary["rows"],
            accepted=summary["accepted"],
            rejected=summary["rejected"],
            summary={**summary, "errors": summary["errors"][:MAX_STORED_ERRORS]},
        )
    return summary


@dataclass
class Upload:
    """A file about to be imported for a kommun: its bytes, its table and the places."""

    kommun: str
    kommun_name: str
    path: Path
    data: bytes
    mapping: dict
    table: Table
    locator: Locator

    def store(
        self,
        engine: Engine,
        outcome: RowOutcome,
        write: Callable[[Connection, int], None],
        *,
        kind: str,
        uploaded_by: str,
        source: str | None,
    ) -> dict:
        """Store ``outcome`` as one batch holding this file (see :func:`store_batch`)."""
        return store_batch(
            engine,
            outcome,
            write,
            kommun=self.kommun,
            kind=kind,
            file_name=self.path.name,
            data=self.data,
            uploaded_by=uploaded_by,
            source=source,
        )


def open_upload(
    engine: Engine,
    path: str | Path,
    kommun: str,
    *,
    mapping: str | Path | dict | None = None,
    synonyms: dict[str, str] | None = None,
    data: bytes | None = None,
    reader: Callable[[Path, bytes], Table] = read_table,
) -> Upload:
    """Read a file (or uploaded ``data``) into a table with canonical column names.

    Refuses, before anything is stored, a bad kommun code, an unknown kommun, a bad
    mapping file and a file that cannot be read as a table.
    """
    check_kommun_code(kommun)
    path = Path(path)
    data = read_bounded(path) if data is None else data
    mapping = mapping if isinstance(mapping, dict) else read_mapping(mapping)
    table = reader(path, data)
    table.columns = canonical_columns(table.header, mapping, synonyms)
    with engine.connect() as connection:
        kommun_name = require_kommun(connection, kommun)
        locator = Locator(connection, kommun)
    return Upload(kommun, kommun_name, path, data, mapping, table, locator)


@dataclass
class Placement:
    """Where one row is: its places (possibly several), its point in EPSG:3006, its text."""

    place_ids: list[int] = field(default_factory=list)
    x: float | None = None
    y: float | None = None
    place_text: str | None = None


@dataclass
class Placements:
    """The outcome of placing every row: placements, row errors and unresolved rows."""

    rows: list[Placement | None]
    errors: dict[int, list[RowError]]
    unresolved: set[int]
    #: Rows without coordinates when a place is not required: kept (no point) with this
    #: one error each ("koordinat saknas"); they count for the kommun total.
    missing: dict[int, RowError] = field(default_factory=dict)
    #: Whole-file warnings (e.g. coordinates that look like another system, with --force).
    warnings: list[str] = field(default_factory=list)


def location_mode(columns: dict[str, int]) -> str | None:
    """Which location columns a table has: ``wgs84`` (lat+lon), ``xy``, ``plats`` or None.

    Coordinates win over a place column when a file has both: a point is the more exact
    location, and it counts for every place that holds it.
    """
    if "lat" in columns and "lon" in columns:
        return "wgs84"
    if "x" in columns and "y" in columns:
        return "xy"
    if "plats" in columns:
        return "plats"
    return None


def place_rows(
    table: Table,
    locator: Locator,
    mode: str,
    crs: str | None,
    require_place: bool = True,
    *,
    force: bool = False,
    only: np.ndarray | None = None,
) -> Placements:
    """Place every row of ``table`` by name or by point.

    With ``require_place`` a row that no place holds is an error (an *unresolved* row);
    without it, a point outside every place is kept with its coordinates only. ``only``
    (a boolean array, one per row) limits placing to those rows: the others get an empty
    :class:`Placement` and no error (an incident known only to its kommun). ``force``
    turns a refusal of implausible coordinates into a warning.
    """
    if mode == "plats":
        return _place_by_name(table, locator)
    placed = _place_by_point(table, locator, mode, crs, require_place, force, only)
    if only is not None:
        for index in np.flatnonzero(~np.asarray(only, dtype=bool)).tolist():
            placed.rows[index] = Placement()
            placed.errors.pop(index, None)
            placed.missing.pop(index, None)
            placed.unresolved.discard(index)
    return placed


def _place_by_name(table: Table, locator: Locator) -> Placements:
    rows: list[Placement | None] = []
    errors: dict[int, list[RowError]] = {}
    unresolved: set[int] = set()
    header = table.source_header("plats")
    for index, row in enumerate(table.rows):
        text = table.value(row, "plats")
        place_id = locator.match_name(text) if text else None
        if place_id is None:
            unresolved.add(index)
            errors[index] = [
                RowError(
                    table.row_numbers[index], header, text, unknown_place_message(locator, text)
                )
            ]
            rows.append(None)
        else:
            rows.append(Placement([place_id], place_text=text))
    return Placements(rows, errors, unresolved)


def unknown_place_message(locator: Locator, text: str) -> str:
    """Why a place name did not match, naming at most three places (see
    :meth:`~trygg.places.lookup.NameIndex.unknown_reason`)."""
    if not text:
        return t("row.place_missing")
    return locator.unknown_reason(text)


def _place_by_point(
    table: Table,
    locator: Locator,
    mode: str,
    crs: str | None,
    require_place: bool,
    force: bool = False,
    only: np.ndarray | None = None,
) -> Placements:
    first, second = ("lon", "lat") if mode == "wgs84" else ("x", "y")
    source = WEB_CRS if mode == "wgs84" else (crs or STORE_CRS)
    rows: list[Placement | None] = [None] * len(table.rows)
    errors: dict[int, list[RowError]] = {}
    missing: dict[int, RowError] = {}
    texts = {name: table.column(name) for name in (first, second)}
    numbers = {name: parse_numbers(texts[name]) for name in (first, second)}
    pair = f"{table.source_header(first)}/{table.source_header(second)}"
    message = t("row.coordinate", crs=source)
    valid = ~np.isnan(numbers[first]) & ~np.isnan(numbers[second])
    if mode == "wgs84":
        lon, lat = numbers[first], numbers[second]
        in_range = (np.abs(lon) <= 180) & (np.abs(lat) <= 90)
    else:
        in_range = np.ones(len(valid), dtype=bool)
    for index in np.flatnonzero(~(valid & in_range)).tolist():
        number = table.row_numbers[index]
        if not texts[first][index] and not texts[second][index]:
            if require_place:
                errors[index] = [RowError(number, pair, "", t("outcomes.coordinate_missing"))]
            else:
                missing[index] = RowError(number, pair, "", t("outcomes.coordinate_missing_kept"))
                rows[index] = Placement()
            continue
        bad = [name for name in (first, second) if np.isnan(numbers[name][index])] or ["lat"]
        errors[index] = [
            RowError(number, table.source_header(name), texts[name][index], message) for name in bad
        ]
    good = np.flatnonzero(valid & in_range).tolist()
    xs = numbers[first][good]
    ys = numbers[second][good]
    store_x, store_y = to_store_xy(xs, ys, source)
    inside = in_sweden(store_x, store_y)
    found = locator.containing(np.where(inside, store_x, 0.0), np.where(inside, store_y, 0.0))
    held = inside & np.array([bool(ids) for ids in found], dtype=bool)
    judged = np.ones(len(good), dtype=bool)
    if only is not None:
        judged = np.asarray(only, dtype=bool)[np.asarray(good, dtype=np.int64)]
    headers = (table.source_header(first), table.source_header(second))
    verdict = coordinates.judge(
        *(values[judged] for values in (xs, ys, store_x, store_y, held)),
        locator,
        source,
        headers,
    )
    if verdict.refuse and not force:
        raise TryggError(verdict.message)
    unresolved: set[int] = set()
    for position, index in enumerate(good):
        value = f"{texts[first][index]}; {texts[second][index]}"
        if not inside[position] and not require_place:
            errors[index] = [
                RowError(
                    table.row_numbers[index], pair, value, t("row.coordinate_range", crs=source)
                )
            ]
            continue
        ids = found[position] if inside[position] else []
        if require_place and not ids:
            unresolved.add(index)
            errors[index] = [
                RowError(table.row_numbers[index], pair, value, t("row.outside_places"))
            ]
            continue
        rows[index] = Placement(ids, float(store_x[position]), float(store_y[position]))
    warnings = [verdict.message] if verdict.message else []
    return Placements(rows, errors, unresolved, missing, warnings)
