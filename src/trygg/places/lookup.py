"""Finding places: by name or alias (case and spacing ignored), and by point.

Shared by the importers, the commitments and the dashboard. A point counts for every
place that contains it, because places overlap.
"""

from __future__ import annotations

import difflib

import numpy as np
import shapely
import shapely.geometry
from pyproj import Transformer
from sqlalchemy import Connection, select

from trygg.errors import TryggError
from trygg.filecheck import number
from trygg.geo import parse_crs
from trygg.scales import KOMMUN_LEVEL_AREAS, STORE_CRS, SWEDEN_BOUNDS
from trygg.store import schema
from trygg.strings import t
from trygg.text import fold, fold_accents

#: An unknown name's message names at most this many places.
MAX_SUGGESTIONS = 3

#: How a table names the kommun itself, after its name: "Ale kommun", "Göteborgs kommun".
KOMMUN_SUFFIXES = (" kommun", "s kommun", " stad", "s stad")


def means_kommun(text: str, kommun: str, kommun_name: str) -> bool:
    """True when an area in a table means the whole kommun, not a place in it.

    The kommun's code, its name, its name with "kommun" or "stad" (BRÅ writes "Göteborg
    kommun", the kommun itself "Göteborgs Stad"), "hela kommunen" and "totalt"
    (:data:`~trygg.scales.KOMMUN_LEVEL_AREAS`) all do.

    Examples
    --------
    >>> [means_kommun(a, "1480", "Göteborg") for a in ("Göteborg kommun", "Göteborgs Stad",
    ...     " 1480 ", "Hela kommunen", "Hisingen")]
    [True, True, True, True, False]
    >>> means_kommun("Ale kommun", "1440", "Ale"), means_kommun("Alekommun", "1440", "Ale")
    (True, False)
    """
    folded, name = fold(text), fold(kommun_name)
    named = {f"{name}{suffix}" for suffix in KOMMUN_SUFFIXES} if name else set()
    return folded in KOMMUN_LEVEL_AREAS or folded in {kommun, name} | named


class NameIndex:
    """The one index of a kommun's place names and aliases (folded, see :func:`fold`).

    A name always wins over another place's alias; of two aliases the first place's
    (by name) wins. Built from ``(id, name, aliases)`` rows.

    Examples
    --------
    >>> index = NameIndex([(1, "Stadsparken", ["Parken"]), (2, "Laholms centrum", [])])
    >>> index.find(" parken "), index.find("LAHOLMS  centrum")
    ((1, 'Stadsparken'), (2, 'Laholms centrum'))
    """

    def __init__(self, rows):
        rows = sorted(rows, key=lambda row: fold(row[1]))
        self.names = {int(place_id): name for place_id, name, _aliases in rows}
        self._by_name: dict[str, int] = {}
        for place_id, _name, aliases in rows:
            for alias in aliases or []:
                self._by_name.setdefault(fold(alias), int(place_id))
        for place_id, name, _aliases in rows:
            self._by_name[fold(name)] = int(place_id)
        # The same without accents, for a link typed as ?plats=glanningeomradet; a
        # spelling that two places share without accents finds neither.
        bare: dict[str, set[int]] = {}
        for folded, place_id in self._by_name.items():
            bare.setdefault(fold_accents(folded), set()).add(place_id)
        self._by_bare = {key: ids.pop() for key, ids in bare.items() if len(ids) == 1}

    @classmethod
    def of(cls, connection: Connection, kommun: str) -> NameIndex:
        place = schema.place
        return cls(
            connection.execute(
                select(place.c.id, place.c.name, place.c.aliases).where(
                    place.c.kommun_kod == kommun
                )
            ).all()
        )

    def find(self, text: str) -> tuple[int, str] | None:
        """(id, name) of the place called ``text`` (a name or an alias), or None."""
        place_id = self._by_name.get(fold(text))
        return None if place_id is None else (place_id, self.names[place_id])

    def find_in_link(self, text: str) -> tuple[int, str] | None:
        """Like :meth:`find`, also without accents (``glanninge`` finds Glänningeområdet's
        alias Glänninge): for a place in an address, where å, ä and ö are often left out.
        Files are matched strictly (:meth:`find`)."""
        found = self.find(text)
        if found is not None:
            return found
        place_id = self._by_bare.get(fold_accents(text))
        return None if place_id is None else (place_id, self.names[place_id])

    def suggestions(self, text: str, count: int = MAX_SUGGESTIONS) -> list[str]:
        """The closest known place names (at most ``count``), for a message; never used
        silently."""
        close = difflib.get_close_matches(fold(text), self._by_name, count * 2, 0.5)
        return list(dict.fromkeys(self.names[self._by_name[c]] for c in close))[:count]

    def known_names(self) -> list[str]:
        return sorted(self.names.values(), key=fold)

    def unknown_reason(self, text: str, kommun: str) -> str:
        """Why ``text`` names no place, for a row error: the closest names (at most
        :data:`MAX_SUGGESTIONS`), else the kommun's places if they are that few, else where
        to find them."""
        close = self.suggestions(text)
        if close:
            return t("row.place_unknown_close", close=", ".join(close))
        known = self.known_names()
        if 0 < len(known) <= MAX_SUGGESTIONS:
            return t("row.place_unknown", known=", ".join(known))
        return t("row.place_unknown_see", kommun=kommun, count=number(len(known)))

    def resolve(self, text: str, kommun: str) -> tuple[int, str]:
        """Like :meth:`find`, but refuse an unknown name in Swedish, naming at most
        :data:`MAX_SUGGESTIONS` places (see :meth:`unknown_reason`)."""
        found = self.find(text)
        if found is not None:
            return found
        close = self.suggestions(text)
        if close:
            raise TryggError(
                t("err.place_unknown_close", name=text, kommun=kommun, close=", ".join(close))
            )
        known = self.known_names()
        if len(known) <= MAX_SUGGESTIONS:
            listed = ", ".join(known) or t("fmt.none_listed")
            raise TryggError(t("err.place_unknown", name=text, kommun=kommun, known=listed))
        raise TryggError(t("err.place_unknown_see", name=text, kommun=kommun))


class Locator:
    """The kommun's places, ready for name look-ups and point-in-polygon queries."""

    def __init__(self, connection: Connection, kommun: str):
        self.kommun = kommun
        rows = connection.execute(
            select(
                schema.place.c.id,
                schema.place.c.name,
                schema.place.c.aliases,
                schema.place.c.geom_wkb,
            ).where(schema.place.c.kommun_kod == kommun)
        ).all()
        self.ids = np.array([r.id for r in rows], dtype=np.int64)
        self.index = NameIndex((r.id, r.name, r.aliases) for r in rows)
        self.names = self.index.names
        self._shapes = shapely.from_wkb([r.geom_wkb for r in rows])
        self._tree = shapely.STRtree(self._shapes)
        #: The shapes as read (place id → WKB): a write can check they still hold.
        self.read_shapes = {int(r.id): r.geom_wkb for r in rows}

    def __len__(self) -> int:
        return len(self.ids)

    def match_name(self, text: str) -> int | None:
        """The place id for a name or alias (case and surrounding whitespace ignored)."""
        found = self.index.find(text)
        return None if found is None else found[0]

    def suggestions(self, text: str, count: int = MAX_SUGGESTIONS) -> list[str]:
        return self.index.suggestions(text, count)

    def known_names(self) -> list[str]:
        return self.index.known_names()

    def unknown_reason(self, text: str) -> str:
        return self.index.unknown_reason(text, self.kommun)

    def containing(self, xs: np.ndarray, ys: np.ndarray) -> list[list[int]]:
        """For each point (EPSG:3006), the ids of the places whose interior holds it."""
        point_index, place_ids = self.containing_pairs(xs, ys)
        found: list[list[int]] = [[] for _ in range(len(xs))]
        for p, g in zip(point_index.tolist(), place_ids.tolist(), strict=True):
            found[p].append(g)
        return found

    def containing_pairs(self, xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(point index, place id) for every place whose interior holds a point, in point
        order and, within a point, in the places' order: :meth:`containing` as two arrays.

        Many points (a large import): each place tests only the points inside its bounds,
        found in the points sorted by x, with ``contains_xy`` on the prepared shape (no
        point geometries). Few points: one STRtree query.
        """
        xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
        if len(xs) < POINTS_PER_PLACE * len(self._shapes):
            point_index, place_index = self._tree.query(shapely.points(xs, ys), predicate="within")
        else:
            point_index, place_index = _by_place(xs, ys, self._shapes)
        order = np.lexsort((place_index, point_index))
        return point_index[order], self.ids[place_index[order]]


#: From this many points per place on, points are located place by place (see
#: :meth:`Locator.containing_pairs`).
POINTS_PER_PLACE = 50


def _by_place(xs: np.ndarray, ys: np.ndarray, shapes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(point index, place index) of every point in the interior of every shape."""
    order = np.argsort(xs, kind="stable")
    sorted_x, sorted_y = xs[order], ys[order]
    shapely.prepare(shapes)
    points, places = [], []
    for index, (x0, y0, x1, y1) in enumerate(shapely.bounds(shapes).tolist()):
        low = int(np.searchsorted(sorted_x, x0, side="left"))
        high = int(np.searchsorted(sorted_x, x1, side="right"))
        column = sorted_y[low:high]
        candidates = low + np.flatnonzero((column >= y0) & (column <= y1))
        inside = candidates[
            shapely.contains_xy(shapes[index], sorted_x[candidates], sorted_y[candidates])
        ]
        points.append(order[inside])
        places.append(np.full(len(inside), index, dtype=np.int64))
    if not points:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    return np.concatenate(points).astype(np.int64), np.concatenate(places)


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
