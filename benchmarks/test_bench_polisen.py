"""Real sizes (issue 12, item 9): the 24 534-event polisen.se CSV, and ``stats`` for a
290-place layer of Sweden's kommuner, each against the plain libraries in the same run.

1. ``trygg import-incidents`` of ``polisen_handelser_2024.csv`` (no mapping) against
   ``pandas.read_csv`` + ``geopandas.sjoin`` with the kommun polygons + ``to_sql`` of the
   same rows and their links into a fresh SQLite file. Target: at most 2×.
2. ``stats`` (:func:`trygg.stats.report.place_figures`) for the 290-place layer with
   those events against ``gpd.sjoin`` + ``groupby`` counting the events per kommun.
   Target: at most 1.5×.

Both sides run alternately in each round (the harness in ``baselines.py``), so a busy
moment slows both; they are compared by their fastest round, and the ratio is printed
and kept in the benchmark's ``extra_info``. The files are read from
``../shared/external/`` (skipped without them). Run with ``make bench``; the ratios are
recorded in README.md.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from baselines import compare, interleave

from trygg import places, store
from trygg.auth import local_admin
from trygg.importers import incidents
from trygg.stats.report import place_figures

ADMIN = local_admin()
EXTERNAL = Path(__file__).resolve().parents[2] / "shared" / "external"
EVENTS = EXTERNAL / "polisen_handelser_2024.csv"
KOMMUNER = EXTERNAL / "se_kommuner_okfse_wgs84.geojson"
#: A store whose "kommun" is all of Sweden, its places the 290 kommuner.
SWEDEN = "9999"
ROUNDS = 3

pytestmark = pytest.mark.skipif(
    not (EVENTS.is_file() and KOMMUNER.is_file()), reason="../shared/external/ saknas"
)


def fresh_store(folder: Path, name: str):
    engine = store.make_engine(str(folder / f"{name}.sqlite"))
    store.upgrade(engine)
    places.import_places(engine, KOMMUNER, SWEDEN, kommun_name="Sverige", actor=ADMIN)
    return engine


def baseline_import(folder: Path, polygons: gpd.GeoDataFrame, round_no: int) -> int:
    """What the import does, with the plain libraries: read, locate, persist."""
    frame = pd.read_csv(EVENTS, dtype=str, keep_default_na=False)
    frame["occurred_at"] = pd.to_datetime(frame["datetime"], format="mixed", utc=True)
    points = gpd.GeoDataFrame(
        frame,
        geometry=gpd.points_from_xy(frame["lon"].astype(float), frame["lat"].astype(float)),
        crs="EPSG:4326",
    )
    joined = gpd.sjoin(points, polygons[["geometry"]], how="left", predicate="within")
    with sqlite3.connect(folder / f"baseline-{round_no}.sqlite") as connection:
        frame.drop(columns=["occurred_at"]).assign(
            occurred_at=frame["occurred_at"].astype(str)
        ).to_sql("incident", connection, index=False)
        joined[["id", "index_right"]].dropna().to_sql("incident_place", connection, index=False)
    return len(frame)


def baseline_stats(polygons: gpd.GeoDataFrame) -> pd.Series:
    """Events per kommun polygon, the plain way."""
    frame = pd.read_csv(EVENTS, usecols=["lat", "lon"])
    points = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326"
    )
    joined = gpd.sjoin(points, polygons[["geometry"]], how="inner", predicate="within")
    return joined.groupby("index_right").size()


def test_polisen_csv_import_against_read_csv_sjoin_to_sql(benchmark, tmp_path):
    polygons = gpd.read_file(KOMMUNER)
    engines = [fresh_store(tmp_path, f"trygg-{k}") for k in range(ROUNDS)]

    def trygg(number):
        return incidents.import_incidents(engines[number], EVENTS, SWEDEN, actor=ADMIN)

    runs = interleave(
        benchmark,
        {"trygg": trygg, "baseline": lambda n: baseline_import(tmp_path, polygons, n)},
        ROUNDS,
    )
    compare(benchmark, "polisen.se CSV import", runs)
    assert all(result["rejected"] == 0 for result in runs["trygg"]["results"])


def test_stats_for_290_kommuner_against_sjoin_groupby(benchmark, tmp_path):
    polygons = gpd.read_file(KOMMUNER)
    engine = fresh_store(tmp_path, "stats")
    incidents.import_incidents(engine, EVENTS, SWEDEN, actor=ADMIN)
    runs = interleave(
        benchmark,
        {
            "trygg": lambda n: place_figures(engine, SWEDEN, 2024),
            "baseline": lambda n: baseline_stats(polygons),
        },
        ROUNDS,
    )
    compare(benchmark, "stats, 290 kommuner", runs)
    assert len(runs["trygg"]["result"]["places"]) == len(polygons)
