"""The bench harness (issue 13): each path against the plain libraries, in the same run.

Every benchmark runs its trygg side and its baselines alternately, round by round (the
order flips every round), so a busy moment on the shared machine slows all of them; the
sides are compared by their fastest round. :func:`compare` prints the ratios and keeps
them in the benchmark's ``extra_info`` (``ratio`` against the first baseline,
``ratio_<name>`` against each). pytest-benchmark's own table times whole rounds (all
sides together). The targets are in the issue and in README.md; they are never
asserted here.

The baselines are what a GIS analyst would write with pandas, geopandas, shapely,
sqlite3, libpysal and esda for the same result, with no error handling or privacy.

Memory (:func:`in_child`): each side runs in a fresh ``spawn`` process, which reports its
own peak resident set (``resource.getrusage(RUSAGE_SELF).ru_maxrss``) and its resident
set before the work (``/proc/self/statm``). tracemalloc is not used: it does not see the
memory that SQLite, GEOS and PROJ allocate in C.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

#: The survey benchmark's two items and their scales (trygg.scales: base and hits).
SURVEY_ITEMS = {
    "Trygg kväll": ({1, 2, 3, 4, 5}, {3, 4, 5}),
    "Problem klotter": ({1, 2, 3, 4}, {3, 4}),
}

#: Every comparison of the run, printed again at its end (conftest.py), since
#: ``make bench`` captures the benchmarks' own output.
SUMMARY: list[str] = []


def timed(function: Callable, *args, **kwargs) -> tuple[float, object]:
    """Seconds taken by ``function(*args, **kwargs)`` and its result."""
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def interleave(benchmark, sides: dict[str, Callable], rounds: int) -> dict[str, dict]:
    """Run every side once per round, alternating their order; fastest round of each.

    Each side is called with the round number. Returns ``{name: {"seconds": fastest,
    "times": [...], "results": [...], "result": last result}}``.
    """
    runs = {name: {"times": [], "results": [], "result": None} for name in sides}
    counter = iter(range(rounds))

    def one_round():
        number = next(counter)
        order = list(sides) if number % 2 == 0 else list(reversed(sides))
        for name in order:
            seconds, result = timed(sides[name], number)
            runs[name]["times"].append(seconds)
            runs[name]["results"].append(result)
            runs[name]["result"] = result

    benchmark.pedantic(one_round, rounds=rounds, iterations=1)
    for run in runs.values():
        run["seconds"] = min(run["times"])
    return runs


def compare(benchmark, label: str, runs: dict[str, dict], key: str = "seconds") -> float:
    """Print and record trygg's ratio to each baseline; returns the first ratio."""
    (trygg, *baselines) = list(runs)
    own = runs[trygg][key]
    benchmark.extra_info[key] = own
    lines, first = [], None
    for name in baselines:
        ratio = own / runs[name][key]
        first = ratio if first is None else first
        benchmark.extra_info[f"ratio_{name}"] = ratio
        benchmark.extra_info[f"{name}_{key}"] = runs[name][key]
        lines.append(f"  {name}: {runs[name][key]:.2f} {unit(key)} → ratio {ratio:.2f}")
    benchmark.extra_info["ratio" if key == "seconds" else f"ratio_{key}"] = first
    text = f"{label}: {trygg} {own:.2f} {unit(key)}\n" + "\n".join(lines)
    SUMMARY.append(text)
    print("\n" + text)
    return first


def unit(key: str) -> str:
    return "s" if key == "seconds" else "MiB"


# --- child processes (time and peak memory) -------------------------------------------


def in_child(function: Callable, *args, **kwargs) -> dict:
    """``function(*args, **kwargs)`` in a fresh ``spawn`` process; it returns
    :func:`measure`'s dict, so only the work is timed, not the interpreter's start.
    """
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        return pool.apply(function, args, kwargs)


def measure(work: Callable, *args, **kwargs) -> dict:
    """Seconds of ``work``, this process's peak RSS and its RSS before the work (MiB)."""
    start_mib = _resident_mib()
    seconds, result = timed(work, *args, **kwargs)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mib": peak_mib, "start_mib": start_mib, "result": result}


def trygg_incident_import(template: Path, database: Path, path: Path, kommun: str) -> dict:
    """A child's run of ``import_incidents`` into a copy of a store holding the places."""
    from trygg import store
    from trygg.auth import local_admin
    from trygg.importers import incidents

    shutil.copyfile(template, database)
    engine = store.make_engine(str(database))
    result = measure(incidents.import_incidents, engine, path, kommun, actor=local_admin())
    engine.dispose()
    result["result"] = result["result"]["accepted"]
    return result


def baseline_incident_import(path: Path, layer: Path, database: Path) -> dict:
    """A child's run of :func:`incident_import`."""
    return measure(incident_import, path, layer, database)


def _resident_mib() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


# --- surveys ---------------------------------------------------------------------------


def read_survey(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, sep=";", decimal=",", encoding="cp1252")


def survey_points(frame: pd.DataFrame, places: gpd.GeoDataFrame) -> pd.DataFrame:
    """Each respondent joined to every place that contains it (``index_right``)."""
    points = gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["X"], frame["Y"]), crs=places.crs
    )
    return gpd.sjoin(points, places[["geometry"]], how="inner", predicate="within")


def weighted_shares(joined: pd.DataFrame) -> pd.DataFrame:
    """Weighted share of hits among the valid answers of each item, per place."""
    shares = {}
    for item, (base, hits) in SURVEY_ITEMS.items():
        answer = joined[item]
        valid = joined["Vikt"].where(answer.isin(base), 0.0)
        hit = joined["Vikt"].where(answer.isin(hits), 0.0)
        grouped = pd.DataFrame({"valid": valid, "hit": hit, "place": joined["index_right"]})
        sums = grouped.groupby("place").sum()
        shares[item] = sums["hit"] / sums["valid"]
    return pd.DataFrame(shares)


def survey_plain(path: Path, places: gpd.GeoDataFrame) -> pd.DataFrame:
    """read_csv + sjoin + groupby: the shares per place, nothing stored."""
    return weighted_shares(survey_points(read_survey(path), places))


def survey_persisting(path: Path, places: gpd.GeoDataFrame, database: Path) -> pd.DataFrame:
    """read_csv + sjoin + to_sql (responses and links, fresh SQLite file) + groupby."""
    frame = read_survey(path)
    joined = survey_points(frame, places)
    with sqlite3.connect(database) as connection:
        frame.to_sql("response", connection, index_label="id")
        joined["index_right"].rename("place").to_sql(
            "response_place", connection, index_label="response"
        )
    return weighted_shares(joined)


# --- incidents -------------------------------------------------------------------------

CATEGORIES = ["Skadegörelse", "Klotter", "Stöld", "Narkotika", "Bråk"]


def read_incident_points(path: Path) -> gpd.GeoDataFrame:
    """The benchmark's incidents as points with year and category code (read once)."""
    frame = pd.read_csv(path, sep=";")
    return gpd.GeoDataFrame(
        {
            "year": frame["Datum"].str.slice(0, 4).astype(int),
            "category": pd.Categorical(frame["Kategori"], categories=CATEGORIES).codes,
        },
        geometry=gpd.points_from_xy(frame["X"], frame["Y"]),
        crs="EPSG:3006",
    )


def counts_sjoin(points: gpd.GeoDataFrame, places: gpd.GeoDataFrame, years) -> pd.Series:
    """Incidents per place, year and category for ``years``: sjoin + groupby."""
    chosen = points[points["year"].isin(years)]
    joined = gpd.sjoin(chosen, places[["geometry"]], how="inner", predicate="within")
    return joined.groupby(["index_right", "year", "category"]).size()


def counts_strtree(points: gpd.GeoDataFrame, places: gpd.GeoDataFrame, years) -> np.ndarray:
    """The same counts with one STRtree query and a bincount: (place, year, category)."""
    chosen = points[points["year"].isin(years)]
    tree = shapely.STRtree(places.geometry.to_numpy())
    point_ix, place_ix = tree.query(chosen.geometry.to_numpy(), predicate="within")
    year_ix = chosen["year"].to_numpy()[point_ix] - min(years)
    category_ix = chosen["category"].to_numpy()[point_ix]
    shape = (len(places), len(years), len(CATEGORIES))
    flat = np.ravel_multi_index((place_ix, year_ix, category_ix), shape)
    return np.bincount(flat, minlength=np.prod(shape)).reshape(shape)


def incident_import(path: Path, layer: Path, database: Path) -> int:
    """read_csv + to_datetime + sjoin + to_sql of the incidents and their place links."""
    places = gpd.read_file(layer)
    frame = pd.read_csv(path, sep=";", dtype={"Datum": str, "Kategori": str})
    frame["occurred_at"] = pd.to_datetime(frame["Datum"], format="%Y-%m-%d %H:%M")
    points = gpd.GeoDataFrame(
        frame[["X", "Y"]], geometry=gpd.points_from_xy(frame["X"], frame["Y"]), crs=places.crs
    )
    joined = gpd.sjoin(points, places[["geometry"]], how="inner", predicate="within")
    with sqlite3.connect(database) as connection:
        frame.drop(columns=["Datum"]).assign(
            occurred_at=frame["occurred_at"].dt.strftime("%Y-%m-%dT%H:%M:%S")
        ).to_sql("incident", connection, index_label="id")
        joined["index_right"].rename("place").to_sql(
            "incident_place", connection, index_label="incident"
        )
    return len(frame)


# --- Gi* -------------------------------------------------------------------------------


def gi_star_grid(
    x: np.ndarray, y: np.ndarray, area: tuple, cell: float, permutations: int, seed: int
):
    """Bin into the grid over ``area`` + queen ``lat2W`` + ``esda.G_Local`` (Gi*)."""
    import esda
    import libpysal

    minx, miny, maxx, maxy = area
    x0, y0 = np.floor(minx / cell) * cell, np.floor(miny / cell) * cell
    ncols = int(np.floor((maxx - x0) / cell)) + 1
    nrows = int(np.floor((maxy - y0) / cell)) + 1
    cols, rows = np.floor((x - x0) / cell), np.floor((y - y0) / cell)
    inside = (cols >= 0) & (cols < ncols) & (rows >= 0) & (rows < nrows)
    index = rows[inside].astype(int) * ncols + cols[inside].astype(int)
    counts = np.bincount(index, minlength=nrows * ncols).astype(float)
    w = libpysal.weights.lat2W(nrows, ncols, rook=False)
    return esda.G_Local(
        counts, w, transform="B", permutations=permutations, star=True, seed=seed, n_jobs=1
    )
