"""Placing rows: a place name or alias, or a point that falls inside places.

Shared by the survey and incident importers. A point counts for every place that
contains it, because places overlap.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import numpy as np
import shapely
from pyproj import Transformer
from sqlalchemy import Connection, select

from trygg.errors import RowError
from trygg.geo import parse_crs
from trygg.scales import STORE_CRS, SWEDEN_BOUNDS, WEB_CRS
from trygg.store import schema
from trygg.strings import t
from trygg.tabular import Table, parse_numbers
from trygg.text import fold


class Locator:
    """The kommun's places, ready for name look-ups and point-in-polygon queries."""

    def __init__(self, connection: Connection, kommun: str):
        rows = connection.execute(
            select(
                schema.place.c.id,
                schema.place.c.name,
                schema.place.c.aliases,
                schema.place.c.geom_wkb,
            ).where(schema.place.c.kommun_kod == kommun)
        ).all()
        self.ids = np.array([r.id for r in rows], dtype=np.int64)
        self.names = {r.id: r.name for r in rows}
        self._by_name: dict[str, int] = {}
        for row in rows:
            for alias in row.aliases or []:
                self._by_name.setdefault(fold(alias), row.id)
        for row in rows:
            self._by_name[fold(row.name)] = row.id
        self._tree = shapely.STRtree(shapely.from_wkb([r.geom_wkb for r in rows]))

    def __len__(self) -> int:
        return len(self.ids)

    def match_name(self, text: str) -> int | None:
        """The place id for a name or alias (case and surrounding whitespace ignored)."""
        return self._by_name.get(fold(text))

    def suggestions(self, text: str, count: int = 3) -> list[str]:
        """The closest known place names, for the error message; never used silently."""
        close = difflib.get_close_matches(fold(text), self._by_name, count, 0.5)
        return list(dict.fromkeys(self.names[self._by_name[c]] for c in close))

    def known_names(self) -> list[str]:
        return sorted(self.names.values(), key=fold)

    def containing(self, xs: np.ndarray, ys: np.ndarray) -> list[list[int]]:
        """For each point (EPSG:3006), the ids of the places whose interior holds it."""
        points = shapely.points(xs, ys)
        point_index, place_index = self._tree.query(points, predicate="within")
        found: list[list[int]] = [[] for _ in range(len(xs))]
        for p, g in zip(point_index.tolist(), place_index.tolist(), strict=True):
            found[p].append(int(self.ids[g]))
        return found


def in_sweden(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Which points (EPSG:3006) lie within :data:`~trygg.scales.SWEDEN_BOUNDS`."""
    xmin, ymin, xmax, ymax = SWEDEN_BOUNDS
    with np.errstate(invalid="ignore"):
        return (xs >= xmin) & (xs <= xmax) & (ys >= ymin) & (ys <= ymax)


def to_store_xy(xs, ys, crs: str) -> tuple[np.ndarray, np.ndarray]:
    """Transform coordinates from ``crs`` to EPSG:3006 (``crs`` axis order: x/lon first)."""
    source = parse_crs(crs)
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    if source == parse_crs(STORE_CRS):
        return xs, ys
    transformer = Transformer.from_crs(source, STORE_CRS, always_xy=True)
    return transformer.transform(xs, ys)


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
    table: Table, locator: Locator, mode: str, crs: str | None, require_place: bool = True
) -> Placements:
    """Place every row of ``table`` by name or by point.

    With ``require_place`` a row that no place holds is an error (an *unresolved* row);
    without it, a point outside every place is kept with its coordinates only.
    """
    if mode == "plats":
        return _place_by_name(table, locator)
    return _place_by_point(table, locator, mode, crs, require_place)


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
    """Why a place name did not match, with the closest names or all known ones."""
    if not text:
        return t("row.place_missing")
    close = locator.suggestions(text)
    if close:
        return t("row.place_unknown_close", close=", ".join(close))
    return t("row.place_unknown", known=", ".join(locator.known_names()))


def _place_by_point(
    table: Table, locator: Locator, mode: str, crs: str | None, require_place: bool
) -> Placements:
    first, second = ("lon", "lat") if mode == "wgs84" else ("x", "y")
    source = WEB_CRS if mode == "wgs84" else (crs or STORE_CRS)
    rows: list[Placement | None] = [None] * len(table.rows)
    errors: dict[int, list[RowError]] = {}
    texts = {name: table.column(name) for name in (first, second)}
    numbers = {name: parse_numbers(texts[name]) for name in (first, second)}
    message = t("row.coordinate", crs=source)
    valid = ~np.isnan(numbers[first]) & ~np.isnan(numbers[second])
    if mode == "wgs84":
        lon, lat = numbers[first], numbers[second]
        in_range = (np.abs(lon) <= 180) & (np.abs(lat) <= 90)
    else:
        in_range = np.ones(len(valid), dtype=bool)
    for index in np.flatnonzero(~(valid & in_range)).tolist():
        bad = [name for name in (first, second) if np.isnan(numbers[name][index])] or ["lat"]
        errors[index] = [
            RowError(
                table.row_numbers[index], table.source_header(name), texts[name][index], message
            )
            for name in bad
        ]
    good = np.flatnonzero(valid & in_range).tolist()
    xs = numbers[first][good]
    ys = numbers[second][good]
    store_x, store_y = to_store_xy(xs, ys, source)
    inside = in_sweden(store_x, store_y)
    found = locator.containing(np.where(inside, store_x, 0.0), np.where(inside, store_y, 0.0))
    unresolved: set[int] = set()
    for position, index in enumerate(good):
        if not inside[position] and not require_place:
            errors[index] = [
                RowError(
                    table.row_numbers[index],
                    f"{table.source_header(first)}/{table.source_header(second)}",
                    f"{texts[first][index]}; {texts[second][index]}",
                    t("row.coordinate_range", crs=source),
                )
            ]
            continue
        ids = found[position] if inside[position] else []
        if require_place and not ids:
            unresolved.add(index)
            errors[index] = [
                RowError(
                    table.row_numbers[index],
                    f"{table.source_header(first)}/{table.source_header(second)}",
                    f"{texts[first][index]}; {texts[second][index]}",
                    t("row.outside_places"),
                )
            ]
            continue
        rows[index] = Placement(ids, float(store_x[position]), float(store_y[position]))
    return Placements(rows, errors, unresolved)
