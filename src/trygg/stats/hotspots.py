"""Hot spots: Getis-Ord Gi* on a regular grid and on the places, density, emerging trends.

Method (documented for the council and a statistician):

- **Grid**: square cells of ``cell`` metres in SWEREF 99 TM, covering the study area (the
  bounds of the kommun's places plus a margin; without one, the period's incidents);
  each cell holds the summed ``antal`` of the incidents inside. An incident outside the
  study area is left out, and a grid of more than ``MAX_HOTSPOT_CELLS`` cells is refused
  with a proposal for a larger cell.
- **Spatial weights**: queen contiguity on the grid (the 8 surrounding cells), binary,
  with the cell itself included (Gi*, ``star=True``), through libpysal and esda.
- **Statistic**: esda's ``G_Local``; ``gi_z`` is the analytical z-score and ``gi_p`` its
  two-sided normal p-value, as in ArcGIS Hot Spot Analysis. Without a permutation test
  the grid's z-scores are esda's formula as sparse matrix products (the same numbers,
  without building libpysal weights). A conditional permutation test with a fixed seed
  runs only when asked (``permutations`` > 0, on every core for a large grid) and is
  reported as ``gi_p_sim``; without it ``gi_p_sim`` is null. The bins never use it. The
  statistic itself is in :mod:`trygg.stats.gistar`, the grid in
  :mod:`trygg.stats.grid_cells`.
- **Bins**: ±3, ±2, ±1 for 99, 95 and 90 % confidence, 0 not significant; with ``fdr``
  the critical p-values come from esda's false-discovery-rate correction instead.
- **Places**: the same statistic on the places' counts, with k-nearest-neighbour
  weights (k = 4, or fewer places minus one) on their centroids.
- **Density**: a Gaussian kernel (scipy.ndimage) over a fine raster, published as
  coarse cells only; cells whose smoothed count is below k are left out.
- **Emerging**: Gi* per quarter, then a Mann-Kendall trend test (Kendall's tau against
  time, scipy) on each cell's z-scores, classified as in ArcGIS's Emerging Hot Spot
  Analysis: new, intensifying, persistent, diminishing, sporadic or none.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd
import shapely

from trygg.scales import MIN_INCIDENTS_PUBLIC
from trygg.stats import hotspots
from trygg.stats.gistar import PERMUTATIONS, SEED, gi_bins, gi_star  # noqa: F401 (SEED: re-export)
from trygg.stats.grid_cells import Grid, larger_cell  # noqa: F401 (larger_cell: re-export)

#: Public density is smoothed from cells of this size that hold at least k incidents.
PUBLIC_DENSITY_CELL = 100.0


def public_points(incidents: pd.DataFrame, k: int) -> pd.DataFrame:
    """The incidents as fine cells holding at least k, placed at the cells' centres."""
    points = incidents.dropna(subset=["x", "y"])
    if points.empty:
        return points
    size = PUBLIC_DENSITY_CELL
    grid = hotspots.Grid(points["x"].to_numpy(), points["y"].to_numpy(), size)
    counts = grid.counts(points["x"].to_numpy(), points["y"].to_numpy(), points["count"])
    kept = np.flatnonzero(counts >= k)
    rows, cols = np.divmod(kept, grid.ncols)
    return pd.DataFrame(
        {
            "x": grid.x0 + (cols + 0.5) * size,
            "y": grid.y0 + (rows + 0.5) * size,
            "count": counts[kept],
        }
    )


EMERGING_CLASSES = ("new", "intensifying", "persistent", "diminishing", "sporadic", "none")


def study_area(bounds: tuple[float, float, float, float], margin: float) -> tuple:
    """The places' bounds in EPSG:3006 grown by ``margin`` metres on every side."""
    minx, miny, maxx, maxy = bounds
    return (minx - margin, miny - margin, maxx + margin, maxy + margin)


def grid_hotspots(
    incidents: pd.DataFrame,
    cell: float = 100.0,
    fdr: bool = False,
    public: bool = False,
    k: int = MIN_INCIDENTS_PUBLIC,
    permutations: int = PERMUTATIONS,
    emerging: tuple[dt.datetime, dt.datetime] | None = None,
    hide: Callable[[np.ndarray], np.ndarray] | None = None,
    area: tuple[float, float, float, float] | None = None,
) -> dict:
    """Gi* per grid cell as a WGS84 FeatureCollection (every cell of the grid).

    Parameters
    ----------
    incidents : DataFrame
        Columns x, y (EPSG:3006) and count; rows without coordinates are ignored.
    public : bool
        Publish only cells with at least ``k`` incidents that ``hide`` keeps, and compute
        Gi* on those published counts alone (every other cell counts as empty), so that
        no z-score can be turned back into a hidden count.
    permutations : int
        Draws of the conditional permutation test for ``gi_p_sim`` (0: none, null);
        :func:`trygg.stats.report.hotspots` asks for 0 unless told otherwise.
    emerging : (start, end), optional
        Also classify each cell's trend over quarterly slices of that period.
    hide : callable, optional
        Public only: given each incident's cell (-1 without coordinates, in the order
        of ``incidents``), the cells to hide (see
        :func:`trygg.suppression.hide_grid_cells`); default: cells under ``k``.
    area : (minx, miny, maxx, maxy), optional
        The study area in EPSG:3006 (:func:`study_area`): the grid covers it and an
        incident outside it is left out. Default: the incidents' bounding box.
    """
    points = incidents.dropna(subset=["x", "y"])
    if area is not None:
        grid = Grid.over(area, cell).refuse_if_large()
        located = incidents[["x", "y"]].notna().all(axis=1).to_numpy()
        within = np.zeros(len(incidents), dtype=bool)
        within[located] = grid.inside(points["x"].to_numpy(), points["y"].to_numpy())
        incidents = incidents.assign(x=incidents["x"].where(within), y=incidents["y"].where(within))
        points = incidents.dropna(subset=["x", "y"])
    if points.empty:
        return {"type": "FeatureCollection", "features": [], "cell": cell}
    if area is None:
        grid = Grid(points["x"].to_numpy(), points["y"].to_numpy(), cell).refuse_if_large()
    counts = grid.counts(
        points["x"].to_numpy(), points["y"].to_numpy(), points["count"].to_numpy(dtype=float)
    )
    weights = grid.weights() if permutations else grid.adjacency()
    cells = np.arange(grid.size)
    if public:
        hidden = counts < k
        if hide is not None:
            cell_of = np.full(len(incidents), -1, dtype=np.int64)
            located = incidents[["x", "y"]].notna().all(axis=1).to_numpy()
            cell_of[located] = grid.index(points["x"].to_numpy(), points["y"].to_numpy())
            hidden = _padded(hide(cell_of), grid.size) | hidden
        counts = np.where(hidden, 0.0, counts)
        cells = cells[counts >= k]
    result = gi_star(counts, weights, permutations)
    bins = gi_bins(result["z"], result["p"], fdr)
    properties = pd.DataFrame(
        {
            "cell": cells,
            "count": counts[cells].astype(int),
            "gi_z": result["z"][cells].round(4),
            "gi_p": result["p"][cells].round(6),
            "gi_p_sim": result["p_sim"][cells].round(4),
            "gi_bin": bins[cells],
        }
    )
    if emerging is not None:
        properties["emerging"] = _emerging(points, grid, weights, *emerging)[cells]
    return {
        **grid.feature_collection(cells, properties),
        "cell": cell,
        "weights": "queen contiguity, binary, self included (Gi*)",
    }


def _padded(flags: np.ndarray, size: int) -> np.ndarray:
    """Per-cell flags for every cell of the grid (cells past the last incident: False)."""
    out = np.zeros(size, dtype=bool)
    out[: len(flags)] = flags[:size]
    return out


def place_neighbours(n: int) -> int:
    """How many nearest places are neighbours: 4, but at most half of the others."""
    return min(4, max(1, (n - 1) // 2))


def place_hotspots(counts: pd.Series, centroids: list[shapely.Point], fdr: bool = False) -> dict:
    """Gi* on the places' counts with k-nearest-neighbour weights on their centroids.

    Returns ``{place_id: {"count", "gi_z", "gi_p", "gi_bin"}}``.
    """
    n = len(counts)
    if n < 3:
        return {
            int(i): {"count": int(c), "gi_z": None, "gi_p": None, "gi_bin": 0}
            for i, c in counts.items()
        }
    import libpysal
    from scipy import sparse

    coords = np.array([(p.x, p.y) for p in centroids])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = libpysal.weights.KNN(coords, k=place_neighbours(n))
    matrix = sparse.csr_array(w.sparse)
    matrix.setdiag(1.0)  # Gi*: each place its own neighbour, as esda's star=True sets it
    result = gi_star(counts.to_numpy(dtype=float), matrix, permutations=0)
    bins = gi_bins(result["z"], result["p"], fdr)
    return {
        int(place_id): {
            "count": int(count),
            "gi_z": round(float(z), 4),
            "gi_p": round(float(p), 6),
            "gi_bin": int(b),
        }
        for place_id, count, z, p, b in zip(
            counts.index, counts, result["z"], result["p"], bins, strict=True
        )
    }


def kernel_density(
    incidents: pd.DataFrame,
    cell: float = 250.0,
    bandwidth: float = 300.0,
    k: int = MIN_INCIDENTS_PUBLIC,
) -> dict:
    """A public-safe density surface: Gaussian kernel, published as coarse cells.

    Each feature has ``density`` (incidents per km²) and ``expected`` (smoothed count in
    the cell); cells with a smoothed count below ``k`` are left out.
    """
    points = incidents.dropna(subset=["x", "y"])
    if points.empty:
        return {"type": "FeatureCollection", "features": [], "cell": cell}
    fine = cell / 5
    x, y = points["x"].to_numpy(), points["y"].to_numpy()
    pad = 3 * bandwidth
    grid = Grid(np.r_[x.min() - pad, x.max() + pad], np.r_[y.min() - pad, y.max() + pad], cell)
    fine_grid = Grid(
        np.r_[grid.x0, grid.x0 + grid.ncols * cell - fine],
        np.r_[grid.y0, grid.y0 + grid.nrows * cell - fine],
        fine,
    )
    raster = fine_grid.counts(x, y, points["count"].to_numpy(dtype=float))
    raster = raster.reshape(fine_grid.nrows, fine_grid.ncols)
    from scipy import ndimage

    smooth = ndimage.gaussian_filter(raster, sigma=bandwidth / fine, mode="constant")
    coarse = smooth.reshape(grid.nrows, 5, grid.ncols, 5).sum(axis=(1, 3)).ravel()
    cells = np.flatnonzero(coarse >= k)
    properties = pd.DataFrame(
        {
            "expected": coarse[cells].round(2),
            "density": (coarse[cells] / (cell / 1000) ** 2).round(2),
        }
    )
    return {
        **grid.feature_collection(cells, properties),
        "cell": cell,
        "bandwidth": bandwidth,
    }


def quarter_starts(start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    """The first days of the quarters from ``start`` up to ``end`` (exclusive)."""
    current = dt.datetime(start.year, 3 * ((start.month - 1) // 3) + 1, 1)
    starts = []
    while current < end:
        starts.append(current)
        month = current.month + 3
        current = dt.datetime(current.year + (month > 12), (month - 1) % 12 + 1, 1)
    return starts


def emerging_classes(z_by_slice: np.ndarray, p_by_slice: np.ndarray) -> np.ndarray:
    """Classify each column (cell) of slice × cell z-scores and p-values.

    Hot means z > 0 and p ≤ 0.10. With the Mann-Kendall trend of the z-scores:
    new (hot only in the last slice), intensifying / diminishing (hot in ≥ 90 % of slices
    including the last, significant rising / falling trend), persistent (hot in ≥ 90 %,
    no trend), sporadic (hot now and then, under 90 %, never cold), none otherwise.
    """
    from scipy.stats import kendalltau  # only here: scipy.stats is slow to import

    slices, cells = z_by_slice.shape
    hot = (z_by_slice > 0) & (p_by_slice <= 0.10)
    cold = (z_by_slice < 0) & (p_by_slice <= 0.10)
    share = hot.mean(axis=0)
    classes = np.full(cells, "none", dtype=object)
    time = np.arange(slices)
    for cell in np.flatnonzero(hot.any(axis=0)):
        if hot[-1, cell] and hot[:-1, cell].sum() == 0:
            classes[cell] = "new"
            continue
        tau, p = kendalltau(time, z_by_slice[:, cell])
        trend = 0 if np.isnan(p) or p > 0.05 else int(np.sign(tau))
        if share[cell] >= 0.9 and hot[-1, cell]:
            classes[cell] = {1: "intensifying", -1: "diminishing", 0: "persistent"}[trend]
        elif not cold[:, cell].any():
            classes[cell] = "sporadic"
    return classes


def _emerging(
    points: pd.DataFrame, grid: Grid, weights, start: dt.datetime, end: dt.datetime
) -> np.ndarray:
    """Emerging hot-spot class of every grid cell over quarterly slices."""
    starts = quarter_starts(start, end)
    z_rows, p_rows = [], []
    for slice_start, slice_end in zip(starts, [*starts[1:], end], strict=True):
        part = points[(points["occurred_at"] >= slice_start) & (points["occurred_at"] < slice_end)]
        counts = grid.counts(
            part["x"].to_numpy(), part["y"].to_numpy(), part["count"].to_numpy(dtype=float)
        )
        result = gi_star(counts, weights, permutations=0)
        z_rows.append(result["z"])
        p_rows.append(result["p"])
    return emerging_classes(np.array(z_rows), np.array(p_rows))
