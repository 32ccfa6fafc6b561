"""Gi* without needless permutations (issue 13): the analytical z, p and bins are the same
with or without the permutation test, ``gi_p_sim`` is null unless one is asked for, and
``--permutations N`` gives esda's own permutation p-values."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import warnings
from statistics import NormalDist

import esda
import geopandas as gpd
import libpysal
import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm
from shapely.geometry import box

from tests.conftest import REPO, run_cli
from tests.test_incidents import CATEGORIES, write_csv
from trygg import places, store
from trygg.auth import local_admin
from trygg.errors import TryggError
from trygg.importers import incidents
from trygg.stats import gistar, hotspots, report
from trygg.store import reads

ADMIN = local_admin()

#: The small grid: 6 × 6 cells of 100 m from (X0, Y0), one place covering exactly it.
X0, Y0, SIDE = 370_000, 6_265_000, 6


def _esda(values: np.ndarray, w, permutations: int):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return esda.G_Local(
            values,
            w,
            transform="B",
            permutations=permutations,
            star=True,
            seed=hotspots.SEED,
            n_jobs=1,
        )


# --- z and p -----------------------------------------------------------------------------


def test_p_is_bit_for_bit_the_old_scipy_norm_on_a_hand_case():
    values = np.array([0, 1, 0, 2, 0, 0, 1, 0, 9, 8, 1, 0, 0, 7, 6, 0, 0, 0, 1, 0], dtype=float)
    w = libpysal.weights.lat2W(4, 5, rook=False)
    result = hotspots.gi_star(values, w, permutations=0)
    z = np.asarray(_esda(values, w, 0).Zs, dtype=float)
    assert np.array_equal(result["z"], z)
    # The old code: 2 * scipy.stats.norm.sf(|z|), bit for bit.
    assert np.array_equal(result["p"], 2 * norm.sf(np.abs(z)))
    # A second method, the standard library: 2 (1 − Φ(|z|)); it differs in the last bits
    # only (1 − Φ cancels), so within 1e-15 here.
    by_hand = np.array([2 * (1 - NormalDist().cdf(abs(v))) for v in z])
    np.testing.assert_allclose(result["p"], by_hand, rtol=0, atol=1e-15)
    # And at the textbook critical values.
    critical = np.array([1.6448536269514722, 1.959963984540054, -2.5758293035489004])
    np.testing.assert_allclose(gistar.two_sided_p(critical), [0.10, 0.05, 0.01], atol=1e-12)


def test_gi_p_sim_is_null_without_permutations():
    values = np.arange(9, dtype=float)
    result = hotspots.gi_star(values, libpysal.weights.lat2W(3, 3, rook=False), permutations=0)
    assert np.isnan(result["p_sim"]).all()


@pytest.mark.parametrize("shape", [(1, 5), (5, 1), (2, 2), (3, 7), (6, 6)])
def test_grid_weights_are_lat2w_queen_with_the_cell_itself(shape):
    nrows, ncols = shape
    grid = hotspots.Grid.over((0, 0, ncols * 100 - 1, nrows * 100 - 1), 100)
    assert (grid.nrows, grid.ncols) == shape
    w = libpysal.weights.lat2W(nrows, ncols, rook=False)
    expected = w.full()[0] + np.eye(nrows * ncols)
    assert np.array_equal(grid.weights().sparse.toarray(), expected)
    if nrows * ncols >= 3:
        values = np.random.default_rng(nrows * 10 + ncols).uniform(1, 1e6, nrows * ncols)
        ours, plain = hotspots.gi_star(values, grid.weights()), hotspots.gi_star(values, w)
        for key in ("z", "p", "p_sim"):
            assert np.array_equal(ours[key], plain[key], equal_nan=True), key


def test_the_parallel_permutation_test_draws_as_esda_on_one_core():
    side = 75  # 5 625 cells: at least PARALLEL_FROM, so on every core
    assert side * side >= gistar.PARALLEL_FROM
    values = np.random.default_rng(7).uniform(1, 1e6, side * side)  # no two sums tie
    grid = hotspots.Grid.over((0, 0, side * 100 - 1, side * 100 - 1), 100)
    result = hotspots.gi_star(values, grid.weights(), permutations=99)
    g = _esda(values, libpysal.weights.lat2W(side, side, rook=False), 99)
    # esda keeps p_sim as float32: compare the counts of permutations, (P + 1) · p_sim.
    assert np.array_equal(np.rint(result["p_sim"] * 100), np.rint(g.p_sim.astype(float) * 100))
    assert np.array_equal(result["z"], np.asarray(g.Zs, dtype=float))


# --- the report on the demo: bins, z and p do not depend on the permutations --------------


def test_bins_z_and_p_are_the_same_with_0_and_99_permutations_on_the_demo(demo_db):
    engine = store.make_engine(str(demo_db))
    try:
        plain = report.hotspots(engine, "1381", year=2024, cell=250)
        tested = report.hotspots(engine, "1381", year=2024, cell=250, permutations=99)
    finally:
        engine.dispose()
    assert plain["method"]["permutations"] == 0 and tested["method"]["permutations"] == 99
    first, second = plain["grid"]["features"], tested["grid"]["features"]
    assert len(first) == len(second) >= gistar.PARALLEL_FROM
    assert all(f["properties"]["gi_p_sim"] is None for f in first)
    # Empty cells among empty cells tie every permutation: null there too (see gi_star).
    sims = [f["properties"]["gi_p_sim"] for f in second if f["properties"]["gi_p_sim"] is not None]
    assert len(sims) > 1000 and all(0 < p <= 1 for p in sims)
    for a, b in zip(first, second, strict=True):
        assert a["geometry"] == b["geometry"]
        assert {k: v for k, v in a["properties"].items() if k != "gi_p_sim"} == {
            k: v for k, v in b["properties"].items() if k != "gi_p_sim"
        }
    assert {f["properties"]["gi_bin"] for f in first} - {0}, "the demo has hot spots"
    assert plain["places"] == tested["places"] and plain["density"] == tested["density"]


def test_negative_permutations_are_refused_in_swedish(engine):
    with pytest.raises(TryggError, match="heltal ≥ 0"):
        report.hotspots(engine, "1381", permutations=-1)


# --- a small grid against esda, through the report and the command line -----------------


@pytest.fixture
def small_grid(engine, tmp_path):
    """One place over 6 × 6 cells, one incident per cell with a distinct large ``antal``."""
    layer = tmp_path / "platser.gpkg"
    gpd.GeoDataFrame(
        {"namn": ["Rutan"]},
        geometry=[box(X0, Y0, X0 + SIDE * 100 - 10, Y0 + SIDE * 100 - 10)],
        crs="EPSG:3006",
    ).to_file(layer, driver="GPKG")
    places.import_places(engine, layer, "1381", name_field="namn", actor=ADMIN)
    counts = np.random.default_rng(13).choice(np.arange(1_000, 100_001), SIDE * SIDE, False)
    rows = [
        {
            "datum": "2024-06-01 12:00",
            "kategori": CATEGORIES[0],
            "x": X0 + 50 + 100 * (cell % SIDE),
            "y": Y0 + 50 + 100 * (cell // SIDE),
            "antal": int(count),
        }
        for cell, count in enumerate(counts)
    ]
    incidents.import_incidents(engine, write_csv(tmp_path, rows), "1381", actor=ADMIN)
    return engine, counts.astype(float)


def test_99_permutations_give_esdas_p_sim_on_a_small_grid(small_grid):
    engine, counts = small_grid
    result = report.hotspots(engine, "1381", year=2024, cell=100, margin=0, permutations=99)
    features = result["grid"]["features"]
    assert [f["properties"]["cell"] for f in features] == list(range(SIDE * SIDE))
    assert [f["properties"]["count"] for f in features] == counts.astype(int).tolist()
    g = _esda(counts, libpysal.weights.lat2W(SIDE, SIDE, rook=False), 99)
    p_sim = np.round(g.p_sim.astype(float), 4)  # esda keeps p_sim as float32
    assert [f["properties"]["gi_p_sim"] for f in features] == p_sim.tolist()
    assert [f["properties"]["gi_z"] for f in features] == np.round(g.Zs, 4).tolist()
    p = 2 * norm.sf(np.abs(g.Zs))
    assert [f["properties"]["gi_p"] for f in features] == np.round(p, 6).tolist()


def test_cli_permutations_option(small_grid):
    engine, _counts = small_grid
    db = engine.url.database
    base = ("--db", db, "hotspots", "--kommun", "1381", "--year", "2024", "--cell", "100")
    default = run_cli(*base)
    assert default.returncode == 0, default.stderr
    assert all(f["properties"]["gi_p_sim"] is None for f in json.loads(default.stdout)["features"])
    tested = run_cli(*base, "--permutations", "99", "--format", "json")
    assert tested.returncode == 0, tested.stderr
    found = json.loads(tested.stdout)
    assert found["method"]["permutations"] == 99
    expected = report.hotspots(engine, "1381", year=2024, cell=100, permutations=99)
    assert found["grid"] == json.loads(json.dumps(expected["grid"]))
    assert any(f["properties"]["gi_p_sim"] is not None for f in found["grid"]["features"])
    for bad in ("-1", "tre"):
        refused = run_cli(*base, "--permutations", bad)
        assert refused.returncode == 2 and "Traceback" not in refused.stderr
        assert "--permutations" in refused.stderr and "heltal" in refused.stderr
    assert "heltal ≥ 0" in run_cli(*base, "--permutations", "-1").stderr


def test_import_of_the_report_leaves_scipy_stats_alembic_and_esda_out():
    code = (
        "import sys, trygg.stats.report; "
        "print(sorted(m for m in ('scipy.stats', 'alembic', 'esda', 'libpysal') "
        "if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert result.stdout.strip() == "[]"


# --- the grid's fast paths against independent computations -----------------------------


@pytest.mark.parametrize("shape", [(3, 4), (6, 6), (9, 5)])
def test_analytical_z_of_the_lattice_is_esdas_z(shape):
    nrows, ncols = shape
    grid = hotspots.Grid.over((0, 0, ncols * 100 - 1, nrows * 100 - 1), 100)
    w = libpysal.weights.lat2W(nrows, ncols, rook=False)
    rng = np.random.default_rng(nrows * 100 + ncols)
    for values in (rng.integers(0, 30, grid.size).astype(float), rng.uniform(0, 1e3, grid.size)):
        z = np.asarray(_esda(values, w, 0).Zs, dtype=float)
        found = gistar.gi_star(values, grid.adjacency(), permutations=0)
        np.testing.assert_allclose(found["z"], z, rtol=0, atol=1e-12)
        if values[0] == int(values[0]):  # counts: every sum is exact, so bit for bit
            assert np.array_equal(found["z"], z)
        assert np.array_equal(found["p"], 2 * norm.sf(np.abs(found["z"])))
        assert np.isnan(found["p_sim"]).all()


def test_analytical_z_by_hand_on_three_values():
    # Each value its own only neighbour: G*_i = y_i / Σy, E = 1/3, and
    # Var = 1 · (3 − 1) / (3 − 1) / 3² · s² / ȳ² with s² = mean(y²) − ȳ².
    y = np.array([1.0, 2.0, 6.0])
    mean, variance = 3.0, (1 + 4 + 36) / 3 - 9.0
    by_hand = (y / 9 - 1 / 3) / np.sqrt(1 / 9 * variance / mean**2)
    from scipy import sparse

    found = gistar.analytical_z(y, sparse.csr_array(np.eye(3)))
    np.testing.assert_allclose(found, by_hand, rtol=0, atol=1e-15)


def test_a_sparse_matrix_with_permutations_still_runs_esdas_test():
    side = 5
    grid = hotspots.Grid.over((0, 0, side * 100 - 1, side * 100 - 1), 100)
    values = np.random.default_rng(3).uniform(1, 1e6, side * side)
    found = gistar.gi_star(values, grid.adjacency(), permutations=99)
    g = _esda(values, libpysal.weights.lat2W(side, side, rook=False), 99)
    assert np.array_equal(np.rint(found["p_sim"] * 100), np.rint(g.p_sim.astype(float) * 100))


@pytest.mark.parametrize("cell", [100.0, 123.4])
def test_feature_collection_rings_are_each_cells_corners_in_wgs84(cell):
    from pyproj import Transformer

    grid = hotspots.Grid.over((370_000.0, 6_265_000.0, 370_000 + 4 * cell - 1, 6_265_003), cell)
    assert grid.ncols >= 4
    cells = np.array([3, 0, 2])  # a subset, out of order: kept as given
    properties = pd.DataFrame({"cell": cells, "gi_z": [1.5, np.nan, -0.25]})
    found = grid.feature_collection(cells, properties)
    to_web = Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)
    for feature, index in zip(found["features"], cells, strict=True):
        row, col = divmod(int(index), grid.ncols)
        x, y = grid.x0 + col * cell, grid.y0 + row * cell
        ring = []
        for cx, cy in ((x, y), (x + cell, y), (x + cell, y + cell), (x, y + cell), (x, y)):
            lon, lat = to_web.transform(cx, cy)  # one corner at a time
            ring.append([round(lon, 7), round(lat, 7)])
        assert feature["geometry"] == {"type": "Polygon", "coordinates": [ring]}
    assert [f["properties"] for f in found["features"]] == [
        {"cell": 3, "gi_z": 1.5},
        {"cell": 0, "gi_z": None},
        {"cell": 2, "gi_z": -0.25},
    ]
    assert json.loads(json.dumps(found)) == found
    assert grid.feature_collection(np.array([], dtype=int), properties.iloc[:0])["features"] == []


def test_feature_collection_leaves_the_garbage_collector_as_it_found_it():
    import gc

    grid = hotspots.Grid.over((0, 0, 299, 299), 100)
    cells = np.arange(grid.size)
    properties = pd.DataFrame({"cell": cells})
    assert gc.isenabled()
    grid.feature_collection(cells, properties)
    assert gc.isenabled()
    gc.disable()
    try:
        grid.feature_collection(cells, properties)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_load_incidents_reads_only_the_columns_asked_for(small_grid, tmp_path):
    engine, counts = small_grid
    # One more incident without coordinates (a place name only) and one in 2023.
    rows = [
        {"datum": "2024-07-01 08:00", "kategori": CATEGORIES[1], "x": "", "y": "", "antal": 4},
        {
            "datum": "2023-07-01 08:00",
            "kategori": CATEGORIES[1],
            "x": X0 + 50,
            "y": Y0 + 50,
            "antal": 2,
        },
    ]
    path = write_csv(tmp_path, rows, "fler.csv")
    text = path.read_bytes().decode("cp1252").replace("Beskrivning", "Plats")
    path.write_bytes(text.replace("hemlig text 0", "Rutan").encode("cp1252"))
    incidents.import_incidents(engine, path, "1381", actor=ADMIN)
    start, end = dt.datetime(2024, 1, 1), dt.datetime(2025, 1, 1)
    full, _ = reads.load_incidents(engine, "1381", start, end)
    points, links = reads.load_incidents(
        engine, "1381", start, end, with_links=False, with_times=False, columns=("y", "x", "count")
    )
    assert list(points.columns) == ["count", "x", "y"] and links.empty
    assert points["count"].dtype == np.int64 and points["x"].dtype == float
    # By hand: the 36 cells' incidents and the one without coordinates, not the 2023 one.
    assert len(points) == SIDE * SIDE + 1
    assert points["count"].sum() == counts.sum() + 4
    assert points["x"].isna().sum() == 1 and points["y"].isna().sum() == 1
    pd.testing.assert_frame_equal(points, full[["count", "x", "y"]])
    ids, _ = reads.load_incidents(engine, "1381", start, end, columns=("id", "count"))
    assert ids["id"].dtype == np.int64
    pd.testing.assert_frame_equal(ids, full[["id", "count"]])


@pytest.mark.parametrize("size", [5, 40, 500])
def test_place_hot_spots_equal_esda_with_the_same_nearest_neighbours(size):
    """Places: z from the k-nearest-neighbour matrix with the diagonal set equals
    ``esda.G_Local(..., star=True)`` on libpysal's KNN weights, to the bit."""
    import shapely

    from trygg.stats.hotspots import place_hotspots, place_neighbours

    rng = np.random.default_rng(size)
    coords = rng.uniform(0, 5000, (size, 2))
    counts = pd.Series(rng.integers(0, 40, size), index=np.arange(100, 100 + size))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = libpysal.weights.KNN(coords, k=place_neighbours(size))
        g = esda.G_Local(counts.to_numpy(dtype=float), w, transform="B", star=True, permutations=0)
    found = place_hotspots(counts, [shapely.Point(x, y) for x, y in coords])
    expected = np.round(np.nan_to_num(np.asarray(g.Zs, dtype=float)), 4)
    assert [found[i]["gi_z"] for i in counts.index] == expected.tolist()
