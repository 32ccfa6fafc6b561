"""Place shapes for the web: simplified in metres, in WGS84, each with a label point.

Computed when places are imported and stored with them (:mod:`trygg.places`), so the
first map of a kommun draws at once; the map computes them only for places that have
none stored (and keeps those for its next rerun).

Places that tile a kommun share their borders, so they are simplified together with
:func:`shapely.coverage_simplify` in EPSG:3006: a shared border is simplified once and
stays shared, with no slivers or gaps between neighbours. The tolerance grows with the
layer's extent (:func:`simplify_tolerance`), so a city of a thousand basområden sends
no more detail than its first view can show. Coordinates are then rounded to
:data:`WEB_DECIMALS` decimals of a degree, about a metre.

Nested places (Stadsparken inside Laholms centrum) overlap, and overlapping input is not
a coverage. So places are first put in *tiers* by nesting (:func:`nesting`): a place
whose representative point lies inside a larger place sits one tier above it, and each
tier is simplified as a coverage of its own. A shape that still comes out invalid is
simplified on its own, topology kept. Coverage simplification never drops a polygon
(the least it leaves is a triangle), so a small park stays on the map.

Each place's label point is the pole of inaccessibility of its largest part, once the
smaller places inside it are cut away; the places inside are found with the same
spatial index, not by comparing every pair.

The shapes of a layer are kept for the next map of the same places (the dashboard
draws a new map on every click), keyed by a digest of the geometries.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import Transformer

from trygg.geo import polygonal_part
from trygg.scales import STORE_CRS, WEB_CRS

#: The finest simplification tolerance, in metres (EPSG:3006).
SIMPLIFY_M = 3.0
#: The tolerance as a share of the layer's extent: a third of a pixel when the whole
#: layer fills an 800 px wide map.
EXTENT_SHARE = 1 / 2500
#: Decimals of a degree kept on the web: 1e-5° is 1.1 m north–south, 0.6 m east–west.
WEB_DECIMALS = 5
#: How close a label point comes to the true pole of inaccessibility, in metres (or the
#: simplification tolerance, when that is coarser).
LABEL_TOLERANCE_M = 5.0
#: Layers whose shapes are kept (a few kommuner, each at most a few MB).
KEPT_LAYERS = 8


@dataclass(frozen=True)
class WebShapes:
    """A layer's places as the web draws them, largest first.

    Attributes
    ----------
    order : numpy.ndarray
        Positions in the input, by area, largest first (ties keep input order).
    shapes : numpy.ndarray
        The simplified shapes in WGS84 (lon, lat), rounded, in that order.
    labels : numpy.ndarray
        ``(n, 2)``: each place's label point, lon and lat, in that order.
    tolerance : float
        The simplification tolerance used, in metres.
    """

    order: np.ndarray
    shapes: np.ndarray
    labels: np.ndarray
    tolerance: float


_kept: OrderedDict[bytes, WebShapes] = OrderedDict()
_kept_lock = threading.Lock()


def web_shapes(geometries) -> WebShapes:
    """The web shapes of ``geometries`` (polygons in EPSG:3006), computed once per layer.

    Parameters
    ----------
    geometries : array_like of shapely geometries
        One (multi)polygon per place, in SWEREF 99 TM.

    Returns
    -------
    WebShapes
    """
    geoms = np.asarray(geometries, dtype=object)
    key = hashlib.blake2b(b"".join(shapely.to_wkb(geoms)), digest_size=16).digest()
    with _kept_lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
            return found
    found = compute_web_shapes(geoms)
    with _kept_lock:
        _kept[key] = found
        while len(_kept) > KEPT_LAYERS:
            _kept.popitem(last=False)
    return found


def place_shapes(geometries, stored=None, labels=None) -> WebShapes:
    """A layer's web shapes: those stored at import when every place has one, else
    :func:`web_shapes`.

    Parameters
    ----------
    geometries : array_like of shapely geometries
        The places in EPSG:3006.
    stored : array_like, optional
        Each place's stored web shape (WGS84) or None.
    labels : array_like, optional
        ``(n, 2)``: each place's stored label point, lon and lat.
    """
    geoms = np.asarray(geometries, dtype=object)
    kept = None if stored is None else np.asarray(stored, dtype=object)
    if kept is None or len(kept) != len(geoms) or not len(geoms) or any(g is None for g in kept):
        return web_shapes(geoms)
    order = np.argsort(-shapely.area(geoms), kind="stable")
    tolerance = simplify_tolerance(shapely.total_bounds(geoms))
    return WebShapes(order, kept[order], np.asarray(labels, dtype=float)[order], tolerance)


def forget_web_shapes() -> None:
    """Drop every kept layer (for measuring a first map, and in tests)."""
    with _kept_lock:
        _kept.clear()


def compute_web_shapes(geoms: np.ndarray) -> WebShapes:
    """:func:`web_shapes` without keeping the result."""
    areas = shapely.area(geoms)
    order = np.argsort(-areas, kind="stable")
    geoms, areas = geoms[order], areas[order]
    if len(geoms) == 0:
        return WebShapes(order, geoms, np.empty((0, 2)), SIMPLIFY_M)
    tolerance = simplify_tolerance(shapely.total_bounds(geoms))
    outer, inner = nesting(geoms, areas)
    simplified = coverage_simplified(geoms, tiers(len(geoms), outer, inner), tolerance)
    points = label_points(simplified, outer, inner, max(LABEL_TOLERANCE_M, tolerance))
    transformer = Transformer.from_crs(STORE_CRS, WEB_CRS, always_xy=True)
    labels = np.column_stack(transformer.transform(*shapely.get_coordinates(points).T))
    web = shapely.transform(simplified, lambda xy: np.column_stack(transformer.transform(*xy.T)))
    return WebShapes(order, rounded(web), labels, tolerance)


def simplify_tolerance(bounds) -> float:
    """The simplification tolerance in metres for a layer with these bounds.

    Examples
    --------
    >>> simplify_tolerance((300_000, 6_380_000, 340_000, 6_400_000))
    16.0
    >>> simplify_tolerance((0, 0, 1_000, 1_000))
    3.0
    """
    west, south, east, north = bounds
    return max(SIMPLIFY_M, max(east - west, north - south) * EXTENT_SHARE)


def nesting(geoms: np.ndarray, areas: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which places lie inside which: pairs ``(outer, inner)`` of positions.

    A place is inside a larger one when its representative point is, found with an
    STRtree of the places. Neighbours that only share a border are not inside each
    other, since a representative point lies in the interior.
    """
    points = shapely.point_on_surface(geoms)
    inner, outer = shapely.STRtree(geoms).query(points, predicate="within")
    larger = areas[outer] > areas[inner]
    return outer[larger], inner[larger]


def tiers(count: int, outer: np.ndarray, inner: np.ndarray) -> np.ndarray:
    """Each place's nesting depth: 0 for a place inside no other, else one more than
    the deepest place holding it. ``outer`` comes before ``inner`` in area order.

    Examples
    --------
    >>> tiers(4, np.array([0, 0, 1]), np.array([1, 2, 2])).tolist()
    [0, 1, 2, 0]
    """
    depth = np.zeros(count, dtype=int)
    for position in np.argsort(inner, kind="stable"):
        depth[inner[position]] = max(depth[inner[position]], depth[outer[position]] + 1)
    return depth


def coverage_simplified(geoms: np.ndarray, depth: np.ndarray, tolerance: float) -> np.ndarray:
    """Each tier simplified as one coverage; an invalid result simplified on its own."""
    simplified = np.empty_like(geoms)
    for level in np.unique(depth):
        at = depth == level
        simplified[at] = shapely.coverage_simplify(geoms[at], tolerance)
    broken = ~shapely.is_valid(simplified) | shapely.is_empty(simplified)
    simplified[broken] = shapely.simplify(geoms[broken], tolerance, preserve_topology=True)
    return simplified


def label_points(
    shapes: np.ndarray, outer: np.ndarray, inner: np.ndarray, tolerance: float
) -> np.ndarray:
    """A label point inside each place, clear of the smaller places inside it: the pole
    of inaccessibility of its largest part, within ``tolerance`` metres."""
    free = shapes.copy()
    for position in np.unique(outer):
        rest = shapely.difference(
            shapes[position], shapely.union_all(shapes[inner[outer == position]])
        )
        if not rest.is_empty:
            free[position] = rest
    largest = np.array([_largest_polygon(geom) for geom in free], dtype=object)
    return shapely.get_point(shapely.maximum_inscribed_circle(largest, tolerance), 0)


def _largest_polygon(geom):
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon"]
    return max(parts, key=lambda part: part.area) if parts else geom


def rounded(shapes: np.ndarray) -> np.ndarray:
    """``shapes`` with coordinates rounded to :data:`WEB_DECIMALS` decimals.

    A shape that rounding breaks (a sliver of an island folding onto itself) is
    snap-rounded to the same grid instead, which keeps it valid; a part too small for
    the grid goes, the rest of the place stays.
    """
    out = shapely.transform(shapes, lambda xy: np.round(xy, WEB_DECIMALS))
    broken = np.flatnonzero(~shapely.is_valid(out))
    for position in broken:
        out[position] = _snap_rounded(shapes[position])
    return out


def _snap_rounded(shape):
    grid = 10.0**-WEB_DECIMALS
    try:
        return shapely.set_precision(shape, grid)
    except shapely.errors.GEOSException:
        return shapely.set_precision(polygonal_part(shapely.make_valid(shape)), grid)
