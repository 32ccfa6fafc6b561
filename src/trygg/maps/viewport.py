"""What a web map shows at its first zoom: Leaflet's ``fitBounds`` zoom and metres per pixel.

Web Mercator tiles of 256 px: at zoom z the world is 256·2^z px wide, and a pixel at
latitude φ covers 40 075 016.686·cos φ / (256·2^z) metres on the ground.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from trygg.scales import MAP_VIEW_PX, MIN_CELL_PX

EARTH_CIRCUMFERENCE_M = 40_075_016.686
TILE_PX = 256
MAX_ZOOM = 18


def _mercator_y(lat: float) -> float:
    """A latitude as a fraction of the world's height from the equator (Web Mercator)."""
    phi = math.radians(lat)
    return math.log(math.tan(math.pi / 4 + phi / 2)) / (2 * math.pi)


def first_zoom(bounds: Sequence[float], size: tuple[int, int] = MAP_VIEW_PX) -> int:
    """The zoom Leaflet's ``fitBounds`` picks for ``(west, south, east, north)`` in a map of
    ``size`` (width, height) px: the largest whole zoom at which the bounds fit.

    Examples
    --------
    >>> first_zoom((12.9, 56.4, 13.3, 56.6), (1100, 650))  # Laholm, roughly
    11
    """
    west, south, east, north = bounds
    width = max(east - west, 1e-9) / 360
    height = max(_mercator_y(north) - _mercator_y(south), 1e-9)
    fits = min(size[0] / (TILE_PX * width), size[1] / (TILE_PX * height))
    return max(0, min(MAX_ZOOM, math.floor(math.log2(fits))))


def metres_per_pixel(lat: float, zoom: int) -> float:
    """Ground metres per screen pixel at ``lat`` and ``zoom``.

    Examples
    --------
    >>> round(metres_per_pixel(0.0, 0))
    156543
    """
    return EARTH_CIRCUMFERENCE_M * math.cos(math.radians(lat)) / (TILE_PX * 2**zoom)


def visible_cell_sizes(
    bounds: Sequence[float],
    sizes: Sequence[int],
    size: tuple[int, int] = MAP_VIEW_PX,
    min_px: int = MIN_CELL_PX,
) -> list[int]:
    """The cell sizes (metres) drawn at least ``min_px`` wide at the map's first zoom;
    the largest size when none is.

    Examples
    --------
    >>> visible_cell_sizes((12.9, 56.4, 13.3, 56.6), (100, 250, 500), (1100, 650))
    [500]
    """
    _west, south, _east, north = bounds
    if not all(math.isfinite(v) for v in bounds):  # a kommun without places
        return list(sizes)
    smallest = min_px * metres_per_pixel((south + north) / 2, first_zoom(bounds, size))
    visible = [cell for cell in sizes if cell >= smallest]
    return visible or [max(sizes)]
