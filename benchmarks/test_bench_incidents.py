"""Incident benchmarks (issue 4): 1 000 000 incidents against 500 places, import then
``stats``; ``hotspots`` on a 100 m grid over a 20 × 20 km kommun.

Targets on the 2-core reference machine: stats under 3 s, hotspots under 10 s. Measured
here and recorded in README.md; never asserted in unit tests.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from trygg import places, store
from trygg.auth import local_admin
from trygg.importers import incidents
from trygg.stats import report
from trygg.stats.report import place_figures

#: These tests write as the command line's local administrator.
ADMIN = local_admin()

INCIDENTS = 1_000_000
SIDE_M = 20_000
X0, Y0 = 360_000, 6_250_000


@pytest.fixture(scope="module")
def kommun(tmp_path_factory):
    """500 overlapping 1 km squares and a million incidents, imported once."""
    folder = tmp_path_factory.mktemp("bench-incidents")
    rng = np.random.default_rng(4)
    corners = rng.uniform(0, SIDE_M - 1000, (500, 2))
    layer = folder / "platser.gpkg"
    gpd.GeoDataFrame(
        {"namn": [f"Plats {k}" for k in range(500)], "invanare": rng.integers(100, 5000, 500)},
        geometry=[box(X0 + x, Y0 + y, X0 + x + 1000, Y0 + y + 1000) for x, y in corners],
        crs="EPSG:3006",
    ).to_file(layer, driver="GPKG")
    xs = X0 + rng.uniform(0, SIDE_M, INCIDENTS)
    ys = Y0 + rng.uniform(0, SIDE_M, INCIDENTS)
    days = rng.integers(0, 730, INCIDENTS)
    minutes = rng.integers(0, 1440, INCIDENTS)
    stamps = (
        np.datetime64("2023-01-01T00:00")
        + days.astype("timedelta64[D]")
        + minutes.astype("timedelta64[m]")
    )
    kinds = np.array(["Skadegörelse", "Klotter", "Stöld", "Narkotika", "Bråk"])[
        rng.integers(0, 5, INCIDENTS)
    ]
    text = np.datetime_as_string(stamps, unit="m")
    lines = ["Datum;Kategori;X;Y"] + [
        f"{t.replace('T', ' ')};{k};{x:.1f};{y:.1f}"
        for t, k, x, y in zip(text, kinds, xs, ys, strict=True)
    ]
    path = folder / "handelser.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    engine = store.make_engine(str(folder / "bench.sqlite"))
    store.upgrade(engine)
    places.import_places(
        engine, layer, "1381", name_field="namn", population_field="invanare", actor=ADMIN
    )
    return engine, path


def test_import_1m_incidents(benchmark, kommun):
    engine, path = kommun
    result = benchmark.pedantic(
        incidents.import_incidents,
        args=(engine, path, "1381"),
        kwargs={"actor": ADMIN},
        rounds=1,
        iterations=1,
    )
    assert result["accepted"] == INCIDENTS


def test_stats_1m_incidents_500_places(benchmark, kommun):
    engine, _path = kommun
    figures = benchmark.pedantic(place_figures, args=(engine, "1381", 2024), rounds=3, iterations=1)
    assert len(figures["places"]) == 500


def test_hotspots_100m_grid_20km(benchmark, kommun):
    engine, _path = kommun
    result = benchmark.pedantic(
        report.hotspots,
        args=(engine, "1381"),
        kwargs={"year": 2024, "cell": 100},
        rounds=1,
        iterations=1,
    )
    assert len(result["grid"]["features"]) >= (SIDE_M // 100) ** 2
