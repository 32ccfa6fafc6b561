"""Digests of what trygg computes on fixed data, to compare code before and after a change
that must not alter any result (issue 13: every figure, count, z and bin identical).

``python tests/golden_outputs.py OUT.json`` writes the digests of the code on
``sys.path`` (run it from a checkout of the code before the change, with that
checkout's ``src`` first on ``PYTHONPATH``); ``tests/test_golden_outputs.py`` compares
the current code with the file it wrote, ``tests/golden/issue13_before.json``.

The data: the five demo kommuner (``trygg demo``, seeded) and a small version of the
benchmarks' data (500 overlapping squares, 20 000 incidents; 200 squares, 5 000
respondents), written by the importers. Each output is canonical JSON (sorted keys,
floats as ``repr``), digested with SHA-256; the batch and revision ids are left out.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
from shapely.geometry import box

DEMO = ("0683", "1278", "1380", "1381", "1984")
VOLATILE = {"batch_id", "data_version", "generated_at", "revision"}


def canonical(value) -> str:
    """``value`` as canonical JSON without the keys that name batches or revisions."""

    def clean(item):
        if isinstance(item, dict):
            return {k: clean(v) for k, v in item.items() if k not in VOLATILE}
        if isinstance(item, list | tuple):
            return [clean(v) for v in item]
        if isinstance(item, float) and item != item:
            return "NaN"
        return item

    return json.dumps(clean(value), sort_keys=True, ensure_ascii=False, default=str)


def digest(value) -> str:
    return hashlib.sha256(canonical(value).encode("utf-8")).hexdigest()


def bench_files(folder: Path) -> dict[str, Path]:
    """Small versions of the benchmarks' files (same generators, fewer rows)."""
    rng = np.random.default_rng(4)
    corners = rng.uniform(0, 19_000, (500, 2))
    x0, y0 = 360_000, 6_250_000
    squares = folder / "squares.gpkg"
    gpd.GeoDataFrame(
        {"namn": [f"Plats {k}" for k in range(500)], "invanare": rng.integers(100, 5000, 500)},
        geometry=[box(x0 + x, y0 + y, x0 + x + 1000, y0 + y + 1000) for x, y in corners],
        crs="EPSG:3006",
    ).to_file(squares, driver="GPKG")
    size = 20_000
    xs, ys = x0 + rng.uniform(0, 20_000, size), y0 + rng.uniform(0, 20_000, size)
    stamps = (
        np.datetime64("2023-01-01T00:00")
        + rng.integers(0, 730, size).astype("timedelta64[D]")
        + rng.integers(0, 1440, size).astype("timedelta64[m]")
    )
    kinds = np.array(["Skadegörelse", "Klotter", "Stöld", "Narkotika", "Bråk"])
    lines = ["Datum;Kategori;X;Y"] + [
        f"{t.replace('T', ' ')};{k};{x:.1f};{y:.1f}"
        for t, k, x, y in zip(
            np.datetime_as_string(stamps, unit="m"),
            kinds[rng.integers(0, 5, size)],
            xs,
            ys,
            strict=True,
        )
    ]
    events = folder / "handelser.csv"
    events.write_text("\n".join(lines), encoding="utf-8")
    grid = folder / "grid.gpkg"
    cells = [
        box(360_000 + i * 400, 6_260_000 + j * 400, 360_500 + i * 400, 6_260_500 + j * 400)
        for i in range(20)
        for j in range(10)
    ]
    gpd.GeoDataFrame(
        {"namn": [f"Ruta {k}" for k in range(len(cells))]}, geometry=cells, crs="EPSG:3006"
    ).to_file(grid, driver="GPKG")
    rng = np.random.default_rng(1)
    size = 5_000
    rows = zip(
        rng.uniform(360_000, 368_100, size),
        rng.uniform(6_260_000, 6_264_100, size),
        rng.integers(1, 8, size),
        rng.integers(1, 6, size),
        rng.uniform(0.5, 2.0, size),
        strict=True,
    )
    lines = ["X;Y;År;Trygg kväll;Problem klotter;Vikt"] + [
        f"{x:.1f};{y:.1f};2024;{c};{p};{w:.2f}".replace(".", ",") for x, y, c, p, w in rows
    ]
    survey = folder / "enkat.csv"
    survey.write_bytes("\r\n".join(lines).encode("cp1252"))
    return {"squares": squares, "events": events, "grid": grid, "survey": survey}


def outputs(folder: Path) -> dict[str, str]:
    """Every digest, computed with the trygg importable here."""
    from trygg import demo, places, store
    from trygg.auth import local_admin
    from trygg.importers import incidents, survey_answers
    from trygg.stats import report

    admin = local_admin()
    found: dict[str, str] = {}
    engine = store.make_engine(str(folder / "demo.sqlite"))
    store.upgrade(engine)
    demo.load_demo(engine)
    for kommun in DEMO:
        for public in (False, True):
            figures = report.place_figures(engine, kommun, public=public)
            found[f"demo {kommun} stats public={public}"] = digest(figures)
            spots = report.hotspots(engine, kommun, public=public)
            found[f"demo {kommun} hotspots public={public}"] = digest(spots)
    engine.dispose()
    files = bench_files(folder)
    engine = store.make_engine(str(folder / "bench.sqlite"))
    store.upgrade(engine)
    places.import_places(
        engine,
        files["squares"],
        "1381",
        name_field="namn",
        population_field="invanare",
        actor=admin,
    )
    result = incidents.import_incidents(engine, files["events"], "1381", actor=admin)
    found["bench incidents import"] = digest(result)
    for year in (2023, 2024):
        found[f"bench incidents stats {year}"] = digest(report.place_figures(engine, "1381", year))
    found["bench hotspots 100 m"] = digest(report.hotspots(engine, "1381", year=2024, cell=100))
    engine.dispose()
    engine = store.make_engine(str(folder / "survey.sqlite"))
    store.upgrade(engine)
    places.import_places(engine, files["grid"], "1381", name_field="namn", actor=admin)
    result = survey_answers.import_survey(engine, files["survey"], "1381", actor=admin)
    found["bench survey import"] = digest(result)
    found["bench survey stats"] = digest(report.place_figures(engine, "1381"))
    engine.dispose()
    return found


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        Path(sys.argv[1]).write_text(
            json.dumps(outputs(Path(folder)), indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
