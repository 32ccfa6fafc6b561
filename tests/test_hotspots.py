"""Hot spots: Gi* against a hand computation, bins, the planted cluster, privacy."""

from __future__ import annotations

import datetime as dt
import json

import libpysal
import numpy as np
import pandas as pd
import pytest

from tests.conftest import run_cli
from tests.survey_fixtures import add_places
from tests.test_incidents import planted_incidents, write_csv
from trygg.auth import local_admin
from trygg.importers import incidents
from trygg.stats import hotspots, report

#: These tests write as the command line's local administrator.
ADMIN = local_admin()


def hand_gi_star(values: np.ndarray, nrows: int, ncols: int) -> np.ndarray:
    """Getis & Ord (1995) Gi* with binary queen weights including the cell itself.

    z_i = (Σ_j w_ij x_j − x̄ W_i) / (S √((n W_i − W_i²) / (n − 1))), S² = Σx²/n − x̄².
    """
    n = len(values)
    mean = values.mean()
    s = np.sqrt((values**2).mean() - mean**2)
    grid = values.reshape(nrows, ncols)
    z = np.zeros(n)
    for r in range(nrows):
        for c in range(ncols):
            block = grid[max(r - 1, 0) : r + 2, max(c - 1, 0) : c + 2]
            weight = block.size
            numerator = block.sum() - mean * weight
            z[r * ncols + c] = numerator / (s * np.sqrt((n * weight - weight**2) / (n - 1)))
    return z


def test_gi_star_matches_the_hand_formula_on_a_small_grid():
    values = np.array([0, 1, 0, 2, 0, 0, 1, 0, 9, 8, 1, 0, 0, 7, 6, 0, 0, 0, 1, 0], dtype=float)
    w = libpysal.weights.lat2W(4, 5, rook=False)
    result = hotspots.gi_star(values, w, permutations=0)
    np.testing.assert_allclose(result["z"], hand_gi_star(values, 4, 5), rtol=1e-9)


def test_bins_follow_arcgis_confidence_levels():
    z = np.array([3.0, -2.7, 2.0, -1.7, 1.0, 0.2])
    p = np.array([0.002, 0.007, 0.045, 0.089, 0.31, 0.84])
    assert hotspots.gi_bins(z, p).tolist() == [3, -3, 2, -1, 0, 0]


def test_fdr_is_stricter_than_plain_thresholds():
    rng = np.random.default_rng(0)
    p = np.sort(rng.uniform(0, 1, 200))
    p[:3] = [1e-6, 2e-5, 4e-4]
    z = np.ones_like(p)
    plain = hotspots.gi_bins(z, p)
    corrected = hotspots.gi_bins(z, p, fdr=True)
    assert (corrected <= plain).all() and corrected.sum() < plain.sum()
    # Benjamini-Hochberg by hand, m = 200: at 99 % the third p must be ≤ 3/200·0.01 = 1.5e-4
    # (4e-4 is not); at 95 % ≤ 3/200·0.05 = 7.5e-4 (it is).
    assert corrected[:3].tolist() == [3, 3, 2]


@pytest.fixture
def planted(engine, tmp_path):
    add_places(engine, tmp_path)
    incidents.import_incidents(
        engine, write_csv(tmp_path, planted_incidents()), "1381", actor=ADMIN
    )
    return engine


def test_cluster_centre_cell_is_a_99_percent_hot_spot(planted):
    result = report.hotspots(planted, "1381", year=2024, cell=100)
    features = result["grid"]["features"]
    centre_lon, centre_lat = _to_wgs84(370_450, 6_265_450)
    centre = next(f for f in features if _contains(f, centre_lon, centre_lat))
    assert centre["properties"]["gi_bin"] == 3
    hot = sum(1 for f in features if f["properties"]["gi_bin"] >= 2)
    assert hot < 0.10 * len(features)
    assert sum(f["properties"]["count"] for f in features) == sum(
        1 + (i % 7 == 0) for i, r in enumerate(planted_incidents()) if r["datum"][:4] == "2024"
    )


def test_public_output_has_only_whole_cells_with_at_least_k(planted):
    result = report.hotspots(planted, "1381", year=2024, cell=100, public=True, k=3)
    for feature in result["grid"]["features"]:
        assert feature["properties"]["count"] >= 3
        ring = feature["geometry"]["coordinates"][0]
        assert len(ring) == 5
        xs, ys = _to_sweref(ring)
        width, height = max(xs) - min(xs), max(ys) - min(ys)
        assert width == pytest.approx(100, abs=0.01) and height == pytest.approx(100, abs=0.01)
        assert min(xs) % 100 == pytest.approx(0, abs=0.01) or min(xs) % 100 == pytest.approx(
            100, abs=0.01
        )
    for feature in result["density"]["features"]:
        assert feature["properties"]["expected"] >= 3
    assert all(p["count"] is None or p["count"] >= 3 or p["count"] == 0 for p in result["places"])
    text = json.dumps(result)
    assert "hemlig text" not in text


def test_hotspots_cli_geojson_is_a_wgs84_feature_collection(planted):
    db = planted.url.database
    result = run_cli(
        "--db",
        db,
        "hotspots",
        "--kommun",
        "1381",
        "--year",
        "2024",
        "--cell",
        "200",
        "--format",
        "geojson",
    )
    collection = json.loads(result.stdout)
    assert collection["type"] == "FeatureCollection"
    props = collection["features"][0]["properties"]
    assert {"count", "gi_z", "gi_p", "gi_bin"} <= set(props)
    lon, lat = collection["features"][0]["geometry"]["coordinates"][0][0]
    assert 12 < lon < 14 and 56 < lat < 57


def test_place_hotspots_need_three_places():
    counts = pd.Series([5, 1], index=[1, 2])
    from shapely.geometry import Point

    result = hotspots.place_hotspots(counts, [Point(0, 0), Point(1, 1)])
    assert result[1]["gi_bin"] == 0 and result[1]["gi_z"] is None


def test_emerging_classes_from_constructed_series():
    slices = 8
    z = np.zeros((slices, 5))
    p = np.ones((slices, 5))
    z[-1, 0], p[-1, 0] = 3.0, 0.001  # hot only in the last slice
    z[:, 1] = np.linspace(2.0, 6.0, slices)  # hot throughout, rising
    p[:, 1] = 0.001
    z[:, 2] = 3.0 + np.array([0.1, -0.1, 0.05, -0.05, 0.1, -0.1, 0.0, 0.02])  # steady
    p[:, 2] = 0.001
    z[::2, 3], p[::2, 3] = 2.5, 0.01  # on and off
    assert hotspots.emerging_classes(z, p).tolist() == [
        "new",
        "intensifying",
        "persistent",
        "sporadic",
        "none",
    ]


def test_quarter_starts():
    starts = hotspots.quarter_starts(dt.datetime(2023, 2, 1), dt.datetime(2024, 1, 1))
    assert [s.strftime("%Y-%m") for s in starts] == ["2023-01", "2023-04", "2023-07", "2023-10"]


def _to_wgs84(x, y):
    from pyproj import Transformer

    return Transformer.from_crs(3006, 4326, always_xy=True).transform(x, y)


def _to_sweref(ring):
    from pyproj import Transformer

    transformer = Transformer.from_crs(4326, 3006, always_xy=True)
    xs, ys = transformer.transform([c[0] for c in ring], [c[1] for c in ring])
    return list(xs), list(ys)


def _contains(feature, lon, lat) -> bool:
    from shapely.geometry import Point, shape

    return shape(feature["geometry"]).contains(Point(lon, lat))


def test_without_a_period_every_year_is_analysed(planted):
    every = report.hotspots(planted, "1381", cell=100)
    assert every["period"] == {"from": "2023-01-01", "to": "2024-12-31"}
    total = sum(f["properties"]["count"] for f in every["grid"]["features"])
    assert total == sum(1 + (i % 7 == 0) for i, _r in enumerate(planted_incidents()))
