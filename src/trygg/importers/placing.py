"""Where each row of an imported table is: its places (by name or by point), its point in
EPSG:3006, or the row error that says why it has none.

Points are placed column-wise: the coordinates are parsed as arrays, transformed at once,
and located with one STRtree query; only the rows with an error are looked at one by
one, so their messages are the same whatever the size of the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from trygg.errors import RowError, TryggError
from trygg.importers import coordinates
from trygg.places.lookup import Locator, in_sweden, to_store_xy
from trygg.scales import STORE_CRS, WEB_CRS
from trygg.strings import t
from trygg.tabular import Table


@dataclass
class Placement:
    """Where one row is: its places (possibly several), its point in EPSG:3006, its text."""

    place_ids: list[int] = field(default_factory=list)
    x: float | None = None
    y: float | None = None
    place_text: str | None = None


class Placements:
    """The outcome of placing every row: placements, row errors and unresolved rows.

    Held as arrays (``placed``, ``x``, ``y`` and the links ``link_rows`` → ``link_places``
    in row order); ``rows`` gives one :class:`Placement` (or None) per row on first use.
    """

    def __init__(
        self,
        rows: list[Placement | None] | None,
        errors: dict[int, list[RowError]],
        unresolved: set[int],
        missing: dict[int, RowError] | None = None,
        warnings: list[str] | None = None,
        *,
        arrays: dict[str, np.ndarray] | None = None,
    ):
        self.errors = errors
        self.unresolved = unresolved
        #: Rows without coordinates when a place is not required: kept (no point) with this
        #: one error each ("koordinat saknas"); they count for the kommun total.
        self.missing: dict[int, RowError] = missing or {}
        #: Whole-file warnings (e.g. coordinates that look like another system, with --force).
        self.warnings: list[str] = warnings or []
        self._rows = rows
        self.arrays = arrays if arrays is not None else _arrays_of(rows or [])

    @property
    def rows(self) -> list[Placement | None]:
        if self._rows is None:
            self._rows = _rows_of(self.arrays)
        return self._rows

    def clear(self, indices: np.ndarray) -> None:
        """Forget where rows ``indices`` are: an empty placement and no error."""
        indices = np.asarray(indices, dtype=np.int64)
        arrays = self.arrays
        arrays["placed"][indices] = True
        arrays["x"][indices] = np.nan
        arrays["y"][indices] = np.nan
        keep = ~np.isin(arrays["link_rows"], indices)
        arrays["link_rows"], arrays["link_places"] = (
            arrays["link_rows"][keep],
            arrays["link_places"][keep],
        )
        if "texts" in arrays:
            arrays["texts"][indices] = None
        for index in indices.tolist():
            self.errors.pop(index, None)
            self.missing.pop(index, None)
            self.unresolved.discard(index)
        self._rows = None


def _arrays_of(rows: list[Placement | None]) -> dict[str, np.ndarray]:
    sizes = [len(p.place_ids) if p is not None else 0 for p in rows]
    return {
        "placed": np.array([p is not None for p in rows], dtype=bool),
        "x": np.array([np.nan if p is None or p.x is None else p.x for p in rows], dtype=float),
        "y": np.array([np.nan if p is None or p.y is None else p.y for p in rows], dtype=float),
        "link_rows": np.repeat(np.arange(len(rows), dtype=np.int64), sizes),
        "link_places": np.array(
            [i for p in rows if p is not None for i in p.place_ids], dtype=np.int64
        ),
        "texts": np.array([None if p is None else p.place_text for p in rows], dtype=object),
    }


def _rows_of(arrays: dict[str, np.ndarray]) -> list[Placement | None]:
    size = len(arrays["placed"])
    ids: list[list[int]] = [[] for _ in range(size)]
    for row, place in zip(
        arrays["link_rows"].tolist(), arrays["link_places"].tolist(), strict=True
    ):
        ids[row].append(place)
    texts = arrays.get("texts")
    rows: list[Placement | None] = []
    for index, (placed, x, y) in enumerate(
        zip(arrays["placed"].tolist(), arrays["x"].tolist(), arrays["y"].tolist(), strict=True)
    ):
        if not placed:
            rows.append(None)
            continue
        point = x == x  # not NaN
        text = texts[index] if texts is not None else None
        rows.append(Placement(ids[index], x if point else None, y if point else None, text))
    return rows


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
        placed.clear(np.flatnonzero(~np.asarray(only, dtype=bool)))
    return placed


def _place_by_name(table: Table, locator: Locator) -> Placements:
    rows: list[Placement | None] = []
    errors: dict[int, list[RowError]] = {}
    unresolved: set[int] = set()
    header = table.source_header("plats")
    for index, text in enumerate(table.column("plats")):
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
    size = len(table)
    errors: dict[int, list[RowError]] = {}
    missing: dict[int, RowError] = {}
    texts = {name: table.series(name) for name in (first, second)}
    numbers = {name: table.numbers(name) for name in (first, second)}
    pair = f"{table.source_header(first)}/{table.source_header(second)}"
    message = t("row.coordinate", crs=source)
    valid = ~np.isnan(numbers[first]) & ~np.isnan(numbers[second])
    if mode == "wgs84":
        lon, lat = numbers[first], numbers[second]
        in_range = (np.abs(lon) <= 180) & (np.abs(lat) <= 90)
    else:
        in_range = np.ones(size, dtype=bool)
    placed = np.zeros(size, dtype=bool)
    for index in np.flatnonzero(~(valid & in_range)).tolist():
        number = table.row_numbers[index]
        cells = (texts[first].iat[index], texts[second].iat[index])
        if not cells[0] and not cells[1]:
            if require_place:
                errors[index] = [RowError(number, pair, "", t("outcomes.coordinate_missing"))]
            else:
                missing[index] = RowError(number, pair, "", t("outcomes.coordinate_missing_kept"))
                placed[index] = True
            continue
        bad = [name for name in (first, second) if np.isnan(numbers[name][index])] or ["lat"]
        errors[index] = [
            RowError(number, table.source_header(name), texts[name].iat[index], message)
            for name in bad
        ]
    good = np.flatnonzero(valid & in_range)
    xs = numbers[first][good]
    ys = numbers[second][good]
    store_x, store_y = to_store_xy(xs, ys, source)
    inside = in_sweden(store_x, store_y)
    point_index, place_ids = locator.containing_pairs(
        np.where(inside, store_x, 0.0), np.where(inside, store_y, 0.0)
    )
    held = inside & (np.bincount(point_index, minlength=len(good)) > 0)
    judged = np.ones(len(good), dtype=bool) if only is None else np.asarray(only)[good]
    headers = (table.source_header(first), table.source_header(second))
    verdict = coordinates.judge(
        *(values[judged] for values in (xs, ys, store_x, store_y, held)),
        locator,
        source,
        headers,
    )
    if verdict.refuse and not force:
        raise TryggError(verdict.message)
    out_of_range = ~inside & (not require_place)
    unplaced = require_place & ~held
    for position in np.flatnonzero(out_of_range | unplaced).tolist():
        index = int(good[position])
        value = f"{texts[first].iat[index]}; {texts[second].iat[index]}"
        number = table.row_numbers[index]
        if out_of_range[position]:
            errors[index] = [RowError(number, pair, value, t("row.coordinate_range", crs=source))]
        else:
            unresolved_row = RowError(number, pair, value, t("row.outside_places"))
            errors[index] = [unresolved_row]
    keep = ~(out_of_range | unplaced)
    placed[good[keep]] = True
    x, y = np.full(size, np.nan), np.full(size, np.nan)
    x[good[keep]], y[good[keep]] = store_x[keep], store_y[keep]
    linked = keep[point_index] & inside[point_index]
    unresolved = {int(good[p]) for p in np.flatnonzero(unplaced).tolist()}
    arrays = {
        "placed": placed,
        "x": x,
        "y": y,
        "link_rows": good[point_index[linked]],
        "link_places": place_ids[linked],
    }
    warnings = [verdict.message] if verdict.message else []
    return Placements(None, errors, unresolved, missing, warnings, arrays=arrays)
