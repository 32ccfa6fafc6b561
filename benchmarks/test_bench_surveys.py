"""Survey benchmark: 100 000 respondents with coordinates against 200 places.

trygg's ``import_survey`` + ``report.place_figures`` against, in the same run and
interleaved (``baselines.py``), the persisting baseline ``pandas.read_csv`` +
``geopandas.sjoin`` with the places + ``DataFrame.to_sql`` of the responses and their
place links into a fresh SQLite file + a groupby of the weighted share per place, and
the same without ``to_sql``. Targets (issues 3 and 13): under 5 s, and at most 3× the
persisting baseline. Measured here, recorded in README.md; never asserted.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from baselines import compare, interleave, survey_persisting, survey_plain
from shapely.geometry import box

from trygg import places, store
from trygg.auth import local_admin
from trygg.importers import survey_answers
from trygg.stats.report import place_figures

#: These tests write as the command line's local administrator.
ADMIN = local_admin()

RESPONDENTS = 100_000
GRID = (20, 10)  # 200 places, 500 m squares with 100 m overlap between neighbours
ROUNDS = 3


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
    polygons = gpd.read_file(layer)
    engines = []
    for number in range(ROUNDS):
        engine = store.make_engine(str(tmp_path / f"trygg-{number}.sqlite"))
        store.upgrade(engine)
        places.import_places(engine, layer, "1381", name_field="namn", actor=ADMIN)
        engines.append(engine)

    def trygg(number):
        engine = engines[number]
        result = survey_answers.import_survey(engine, path, "1381", actor=ADMIN)
        return result, place_figures(engine, "1381")

    runs = interleave(
        benchmark,
        {
            "trygg": trygg,
            "persisting": lambda n: survey_persisting(path, polygons, tmp_path / f"b-{n}.sqlite"),
            "plain": lambda n: survey_plain(path, polygons),
        },
        ROUNDS,
    )
    compare(benchmark, "survey import + figures, 100k × 200", runs)
    result, figures = runs["trygg"]["result"]
    assert result["rows"] == RESPONDENTS
    assert len(figures["places"]) == GRID[0] * GRID[1]
    shares = runs["persisting"]["result"]["Trygg kväll"]
    for place in figures["places"]:
        expected = shares[polygons.index[polygons["namn"] == place["place"]][0]]
        assert place["survey"]["andel_otrygga"] == pytest.approx(expected, abs=1e-3)
