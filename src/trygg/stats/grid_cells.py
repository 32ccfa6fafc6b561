"""The regular grid of the hot spots: cells in SWEREF 99 TM, their counts, the Gi* weights
on the lattice and the cells as a WGS84 FeatureCollection (see :mod:`trygg.stats.hotspots`).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pandas as pd
from pyproj import Transformer

from trygg.errors import TryggError
from trygg.formatting import integer
from trygg.scales import HOTSPOT_CELL_SIZES, MAX_HOTSPOT_CELLS, STORE_CRS, WEB_CRS
from trygg.strings import t

TO_WEB = Transformer.from_crs(STORE_CRS, WEB_CRS, always_xy=True)


class Grid:
    """A regular grid in EPSG:3006 covering points, with row-major cell numbering."""

    def __init__(self, x: np.ndarray, y: np.ndarray, cell: float):
        self.cell = float(cell)
        self.x0 = np.floor(x.min() / cell) * cell
        self.y0 = np.floor(y.min() / cell) * cell
        self.ncols = int(np.floor((x.max() - self.x0) / cell)) + 1
        self.nrows = int(np.floor((y.max() - self.y0) / cell)) + 1

    def refuse_if_large(self) -> Grid:
        """The grid itself, or a Swedish refusal proposing a larger cell when it has more
        than ``MAX_HOTSPOT_CELLS`` cells (Gi* on it would take too long and too much memory).
        """
        if self.size > MAX_HOTSPOT_CELLS:
            raise TryggError(
                t(
                    "err.hotspot_cells",
                    cells=integer(self.size),
                    limit=integer(MAX_HOTSPOT_CELLS),
                    cell=int(self.cell),
                    larger=larger_cell(self.cell, self.size),
                )
            )
        return self

    @classmethod
    def over(cls, bounds: tuple[float, float, float, float], cell: float) -> Grid:
        """The grid over ``(minx, miny, maxx, maxy)``."""
        minx, miny, maxx, maxy = bounds
        return cls(np.array([minx, maxx]), np.array([miny, maxy]), cell)

    def inside(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Which points fall in a cell of the grid."""
        with np.errstate(invalid="ignore"):
            cols = np.floor((x - self.x0) / self.cell)
            rows = np.floor((y - self.y0) / self.cell)
        return (cols >= 0) & (cols < self.ncols) & (rows >= 0) & (rows < self.nrows)

    @property
    def size(self) -> int:
        return self.nrows * self.ncols

    def index(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        cols = np.floor((x - self.x0) / self.cell).astype(int)
        rows = np.floor((y - self.y0) / self.cell).astype(int)
        return rows * self.ncols + cols

    def counts(self, x: np.ndarray, y: np.ndarray, weights: np.ndarray) -> np.ndarray:
        return np.bincount(self.index(x, y), weights=weights, minlength=self.size)

    def weights(self):
        """:meth:`adjacency` as a libpysal Graph (for esda's permutation test)."""
        from libpysal.graph import Graph

        return Graph.from_sparse(self.adjacency())

    def adjacency(self):
        """Queen contiguity on the lattice, each cell its own neighbour (Gi*), row-major
        like :meth:`index`, as a sorted SciPy CSR matrix of ones. The same weights as
        ``lat2W(rook=False)`` with the diagonal filled (what esda does for ``star=True``)
        and the same Gi* bit for bit, without building a dict per cell on every call.
        """
        from scipy import sparse

        rows, cols = np.divmod(np.arange(self.size), self.ncols)
        focal, neighbour = [], []
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                r, c = rows + dr, cols + dc
                kept = (r >= 0) & (r < self.nrows) & (c >= 0) & (c < self.ncols)
                focal.append(np.flatnonzero(kept))
                neighbour.append((r * self.ncols + c)[kept])
        focal, neighbour = np.concatenate(focal), np.concatenate(neighbour)
        matrix = sparse.csr_matrix(
            (np.ones(len(focal)), (focal, neighbour)), shape=(self.size, self.size)
        )
        matrix.sort_indices()
        return matrix

    def feature_collection(self, cells: np.ndarray, properties: pd.DataFrame) -> dict:
        """The cells as WGS84 square polygons with ``properties`` (one row per cell).

        Each distinct corner is transformed once and its ``[lon, lat]`` list is shared by
        the rings that touch it (the collection is read-only: JSON, maps, caches).
        """
        rows, cols = np.divmod(np.asarray(cells, dtype=np.int64), self.ncols)
        minx = self.x0 + cols * self.cell
        miny = self.y0 + rows * self.cell
        xs = np.column_stack([minx, minx + self.cell, minx + self.cell, minx])
        ys = np.column_stack([miny, miny, miny + self.cell, miny + self.cell])
        unique_x, x_of = np.unique(xs, return_inverse=True)
        unique_y, y_of = np.unique(ys, return_inverse=True)
        points, corner = np.unique(x_of * len(unique_y) + y_of, return_inverse=True)
        lon, lat = TO_WEB.transform(
            unique_x[points // len(unique_y)], unique_y[points % len(unique_y)]
        )
        names = list(properties.columns)
        with _collection_paused():
            lonlat = np.column_stack([np.round(lon, 7), np.round(lat, 7)]).tolist()
            corner = corner.reshape(-1, 4).tolist()
            columns = [_plain_column(properties[n]) for n in names]
            return {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": dict(zip(names, values, strict=True)),
                        "geometry": {
                            "type": "Polygon",
                            "coordinates": [
                                [lonlat[a], lonlat[b], lonlat[c], lonlat[d], lonlat[a]]
                            ],
                        },
                    }
                    for (a, b, c, d), *values in zip(corner, *columns, strict=True)
                ],
            }


def larger_cell(cell: float, cells: int) -> int:
    """The smallest offered cell size (else a round one) that keeps a grid under the limit.

    Examples
    --------
    >>> larger_cell(100, 4_000_000)
    500
    >>> larger_cell(5000, 4_000_000)
    23000
    """
    needed = cell * np.sqrt(cells / MAX_HOTSPOT_CELLS)
    offered = [size for size in HOTSPOT_CELL_SIZES if size >= needed]
    if offered:
        return offered[0]
    return int(np.ceil(needed / 1000) * 1000)


def _plain_column(column: pd.Series) -> list:
    """A column as plain Python values for JSON (NumPy scalars unboxed, NaN → None)."""
    values = column.tolist()
    if column.dtype.kind in "iub":
        return values
    if column.dtype.kind != "f":
        values = [v.item() if isinstance(v, np.generic) else v for v in values]
    return [None if isinstance(v, float) and v != v else v for v in values]


@contextmanager
def _collection_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a large collection is built.

    Some 300 000 new dicts and lists for a 100 m grid over a kommun would otherwise
    trigger collections that scan every live object, again and again (measured: about
    four times the building itself). Nothing built here holds a cycle.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
