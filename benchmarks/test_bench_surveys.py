"""Survey benchmark: 100 000 respondents with coordinates against 200 places.

Target (issue 3): import and figures under 5 s on the 2-core reference machine. Measured
here, recorded in README.md; never asserted in unit tests.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from trygg import places, store
from trygg.auth import local_admin
from trygg.importers import survey_answers
from trygg.stats import report

#: These tests write as the command line's local administrator.
ADMIN = local_admin()

RESPONDENTS = 100_000
GRID = (20, 10)  # 200 places, 500 m squares with 100 m overlap between neighbours


@pytest.fixture(scope="module")
def survey_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench")
    cells = [
        box(360_000 + i * 400, 6_260_000 + j * 400, 360_500 + i * 400, 6_260_500 + j * 400)
        for i in range(GRID[0])
        for j in range(GRID[1])
    ]
    layer = folder / "platser.gpkg"
    gpd.GeoDataFrame(
        {"namn": [f"Plats {k}" for k in range(len(cells))]}, geometry=cells, crs="EPSG:3006"
    ).to_file(layer, driver="GPKG")
    rng = np.random.default_rng(1)
    xs = rng.uniform(360_000, 360_000 + GRID[0] * 400 + 100, RESPONDENTS)
    ys = rng.uniform(6_260_000, 6_260_000 + GRID[1] * 400 + 100, RESPONDENTS)
    codes = rng.integers(1, 8, RESPONDENTS)
    problem = rng.integers(1, 6, RESPONDENTS)
    weights = rng.uniform(0.5, 2.0, RESPONDENTS)
    lines = ["X;Y;År;Trygg kväll;Problem klotter;Vikt"] + [
        f"{x:.1f};{y:.1f};2024;{c};{p};{w:.2f}".replace(".", ",")
        for x, y, c, p, w in zip(xs, ys, codes, problem, weights, strict=True)
    ]
    path = folder / "enkat.csv"
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    return folder, layer, path


def test_import_and_figures_100k(benchmark, survey_file, tmp_path):
    _folder, layer, path = survey_file
    counter = iter(range(1000))

    def setup():
        engine = store.make_engine(str(tmp_path / f"b{next(counter)}.sqlite"))
        store.upgrade(engine)
        places.import_places(engine, layer, "1381", name_field="namn", actor=ADMIN)
        return (engine,), {}

    def run(engine):
        result = survey_answers.import_survey(engine, path, "1381", actor=ADMIN)
        figures = report.compute_stats(engine, "1381")
        return result, figures

    result, figures = benchmark.pedantic(run, setup=setup, rounds=3, iterations=1)
    assert result["rows"] == RESPONDENTS
    assert len(figures["places"]) == GRID[0] * GRID[1]
