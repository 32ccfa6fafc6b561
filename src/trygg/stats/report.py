"""What ``trygg stats``, ``hotspots`` and ``time-profile`` print, and what the dashboard
shows: figures per place for a year or period, hot spots and time profiles.

The only module of :mod:`trygg.stats` that takes an Engine: it reads through
:mod:`trygg.store.reads` and hands frames to the pure modules beside it.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import shapely
from sqlalchemy import Engine

from trygg.errors import TryggError
from trygg.places import load_places
from trygg.places.lookup import NameIndex
from trygg.scales import (
    DAY_TYPES,
    HOTSPOT_MARGIN_M,
    MIN_INCIDENTS_PUBLIC,
    MIN_N,
    TIME_BANDS,
)
from trygg.stats import hotspots as hs
from trygg.stats import incident_figures, suppression, survey_figures, windows
from trygg.stats.hotspots import (
    public_points,
)
from trygg.stats.incident_figures import (
    IncidentCube,
    _time_cell,
)
from trygg.stats.periods import RANGE, YEAR, Period, check_year, require_public
from trygg.store import reads, require_kommun
from trygg.store.reads import (
    incident_sums,
    incident_years,
    load_incidents,
    place_frame,
    place_ids,
    survey_years,
)
from trygg.strings import t

REFERENCE_KEYS = ("area", "indicator", "year", "value", "unit", "missing_marker")


def compute_stats(engine: Engine, kommun: str, year: int | None = None, min_n: int = MIN_N) -> dict:
    """Survey figures for every place of ``kommun`` in ``year`` (default: the latest).

    Returns
    -------
    dict
        ``{"kommun", "year", "years", "min_n", "places": [{"place", "place_id", "survey":
        {"n", "andel_otrygga", "ki_lag", "ki_hog", "suppressed", "problem": {...},
        "oro": {...}, "trend": {...}}, "results": [...]}], "kommun_total": {...},
        "kommun_results": [...], "references": [{"area", "level", "indicator", "year",
        "value", "unit", "missing_marker"}], "sources": [...], "synthetic"}``: references
        are the län and riket figures delivered beside the kommun's. ``sources`` are the
        active batches behind the year's figures, each with a ``synthetic`` flag;
        top-level ``synthetic`` is true when any is.
    """
    answers, links, places = reads.survey_answers(engine, kommun)
    figures = survey_figures.survey_report(answers, links, places, year, min_n)
    results = survey_figures.area_result_figures(
        reads.area_result_rows(engine, kommun, figures["year"]), min_n
    )
    for place in figures["places"]:
        place["results"] = results.get(place["place_id"], [])
    sources = reads.figure_sources(engine, kommun, figures["year"])
    return {
        "kommun": kommun,
        **figures,
        "kommun_results": results.get(None, []),
        "references": [
            {"level": row["reference"], **{key: row[key] for key in REFERENCE_KEYS}}
            | ({"value": None} if row["n"] is not None and row["n"] < min_n else {})
            for row in reads.area_result_rows(engine, kommun, figures["year"], references=True)
        ],
        "sources": sources,
        "synthetic": any(source["synthetic"] for source in sources),
    }


def incident_cube(
    engine: Engine, kommun: str, year: int, k: int = MIN_INCIDENTS_PUBLIC, public: bool = True
) -> IncidentCube:
    """The kommun's incidents of ``year`` in a cube, suppressed when ``public``."""
    period = Period.year_of(year)
    incidents, links = load_incidents(engine, kommun, period.start, period.end)
    keys = (None, *place_ids(engine, kommun))
    return incident_figures.cube_of(year, keys, incidents, links, k if public else None)


def incident_blocks(
    engine: Engine,
    kommun: str,
    places: pd.DataFrame,
    period: Period,
    public: bool = False,
    k: int = MIN_INCIDENTS_PUBLIC,
) -> dict:
    """Incident blocks by place id (and None for the whole kommun).

    ``places`` needs columns place_id, area_m2 and population. Public figures need a
    year or a month (:func:`trygg.periods.require_public`).
    """
    if public:
        return _public_figures(engine, kommun, places, period, k)
    periods = [(period.start, period.end), (period.previous().start, period.previous().end)]
    return incident_figures.exact_blocks(places, reads.aggregate_sums(engine, kommun, periods))


def _public_figures(engine, kommun, places: pd.DataFrame, period: Period, k: int) -> dict:
    cube = incident_cube(engine, kommun, period.start.year, k)
    before = period.previous()
    earlier = (
        cube
        if before.start.year == cube.year
        else incident_cube(engine, kommun, before.start.year, k)
    )
    return incident_figures.public_blocks(places, cube, earlier, period)


def period_profile(
    engine: Engine,
    kommun: str,
    period: Period,
    place_id: int | None = None,
    category: str | None = None,
    public: bool = False,
    k: int = MIN_INCIDENTS_PUBLIC,
) -> dict:
    """When things happen: hour × weekday counts (timed incidents) and counts by month.

    Returns ``{"hour_weekday": 7 × 24 list (Monday first), "weekdays": [...],
    "by_month": {"2024-01": n}, "timed": n, "total": n}``. Public output needs a
    calendar year (the hours of the week are protected per year) and comes from the
    suppressed cube.
    """
    if public:
        return _public_profile(engine, kommun, period, place_id, category, k)
    incidents, links = load_incidents(engine, kommun, period.start, period.end, category)
    return incident_figures.frame_profile(incidents, links, place_id)


def _public_profile(engine, kommun, period: Period, place_id, category, k: int) -> dict:
    cube = incident_cube(engine, kommun, period.start.year, k)
    return incident_figures.cube_profile(cube, place_id, category)


def place_figures(
    engine: Engine,
    kommun: str,
    year: int | None = None,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    min_n: int = MIN_N,
    public: bool = False,
    k: int = MIN_INCIDENTS_PUBLIC,
) -> dict:
    """The figures per place of ``kommun``.

    ``year`` (default: the latest survey year, or without surveys the latest year with
    incidents) selects the survey year and, unless ``start``/``end`` are given, the
    incidents' calendar year.
    Each place gets ``survey``, ``results``, ``incidents`` and ``crime_stats``.
    """
    if year is not None:
        check_year(year)
    surveyed = survey_years(engine, kommun)
    delivered = reads.result_years(engine, kommun)
    years = sorted({*surveyed, *incident_years(engine, kommun), *delivered})
    if year is None and years:
        year = (surveyed or years)[-1]
    if year is None and start is None and end is None:
        figures = compute_stats(engine, kommun, year, min_n)
        figures["years"] = years
        return figures
    period = Period.of(year, start, end)
    if public:
        require_public(period)
    figures = compute_stats(engine, kommun, year, min_n)
    figures["years"] = years
    places = place_frame(engine, kommun)
    counts = incident_blocks(engine, kommun, places, period, public, k)
    crime = crime_stats(engine, kommun, year, public, k)
    for place in figures["places"]:
        place["incidents"] = counts[place["place_id"]]
        place["crime_stats"] = crime.get(place["place_id"], [])
    figures["kommun_incidents"] = counts[None]
    figures["kommun_crime_stats"] = crime.get(None, [])
    figures["period"] = period.as_dict()
    figures["public"] = public
    figures["k"] = k
    return figures


def crime_stats(
    engine: Engine,
    kommun: str,
    year: int | None,
    public: bool = False,
    k: int = MIN_INCIDENTS_PUBLIC,
) -> dict:
    """Aggregate crime statistics of ``year`` by place id (None = the kommun)."""
    rows = reads.crime_stat_rows(engine, kommun, year)
    return incident_figures.crime_figures(rows, public, k)


def resolve_period(
    engine: Engine,
    kommun: str,
    year: int | None,
    start: dt.date | None,
    end: dt.date | None,
    public: bool = False,
) -> Period:
    """``--from``/``--to``, else ``--year``, else every year with incidents.

    Public output needs a whole calendar year or month; without a period it takes the
    latest year with incidents.
    """
    with engine.connect() as connection:
        require_kommun(connection, kommun)
    if year is None and start is None and end is None:
        years = incident_years(engine, kommun)
        if not years:
            raise TryggError(t("err.no_incidents", kommun=kommun))
        if public:
            return Period.year_of(years[-1])
        return Period(dt.datetime(years[0], 1, 1), dt.datetime(years[-1] + 1, 1, 1), RANGE)
    period = Period.of(year, start, end)
    return require_public(period) if public else period


def hotspots(
    engine: Engine,
    kommun: str,
    *,
    year: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    category: str | None = None,
    cell: float = 100.0,
    fdr: bool = False,
    emerging: bool = False,
    public: bool = False,
    k: int = MIN_INCIDENTS_PUBLIC,
    band: str | None = None,
    days: str | None = None,
    margin: float = HOTSPOT_MARGIN_M,
    permutations: int = 0,
) -> dict:
    """Gi* on the grid and on the places, plus a public-safe density surface.

    The grid covers the study area: the bounds of the kommun's places plus ``margin``
    metres; incidents outside it are left out of the grid and the density (a kommun
    without places falls back to its incidents' bounds). ``band`` (dag, kvall, natt)
    and ``days`` (vardag, helg) keep only incidents with a time of day in that window,
    for the grid and the density; the places' Gi* stays on the whole period.

    ``permutations`` > 0 also runs the grid's conditional permutation test (fixed seed)
    for ``gi_p_sim``; by default none runs and ``gi_p_sim`` is null. z, p and the bins are
    the same either way.

    In public output every count comes from the suppressed figures (the places' counts
    are those of ``trygg stats --public``), grid cells are protected against the kommun
    and the places too, and Gi* is computed on the published counts only. With a time
    window a cell is also hidden when any part of the day (band × day type, or no time)
    holds 1 … k − 1 incidents there, so no two windows can be subtracted to reveal one.

    Returns
    -------
    dict
        ``{"kommun", "period", "category", "cell", "fdr", "public", "k", "band", "days",
        "study_area", "method", "grid": FeatureCollection, "places": [...],
        "density": FeatureCollection}``.
    """
    if cell <= 0:
        raise TryggError(t("err.cell_size", cell=cell))
    if isinstance(permutations, bool) or not isinstance(permutations, int | np.integer):
        raise TryggError(t("err.permutations", value=permutations))
    if permutations < 0:
        raise TryggError(t("err.permutations", value=permutations))
    if band is not None and band not in TIME_BANDS:
        raise TryggError(t("err.time_band", value=band))
    if days is not None and days not in DAY_TYPES:
        raise TryggError(t("err.day_type", value=days))
    windowed = band is not None or days is not None
    period = resolve_period(engine, kommun, year, start, end, public)
    ids = ("id",) if public or windowed else ()  # to link incidents and places
    incidents, links = load_incidents(
        engine,
        kommun,
        period.start,
        period.end,
        category,
        with_links=public,
        with_times=emerging or windowed,
        columns=("x", "y", "count", "occurred_at", "precision", *ids),
    )
    places = load_places(engine, kommun)
    area = hs.study_area(tuple(places.total_bounds), margin) if len(places) else None
    if area is not None:
        incidents = _within(incidents, area, cell)
    cube = incident_cube(engine, kommun, period.start.year, k) if public else None
    emerging_span = (period.start, period.end) if emerging else None
    if windowed:
        grid_incidents, hide = windows.window_view(
            incidents, links, places, area, cell, band, days, k
        )
        hide = hide if public else None
    else:
        grid_incidents = incidents
        hide = _grid_hider(incidents, links, places, cube, period, category, k) if public else None
    grid = hs.grid_hotspots(
        grid_incidents,
        cell=cell,
        fdr=fdr,
        public=public,
        k=k,
        emerging=emerging_span,
        hide=hide,
        area=area,
        permutations=permutations,
    )
    incidents = grid_incidents
    place_rows = _place_hotspots(engine, kommun, places, period, category, fdr, cube)
    density = hs.kernel_density(public_points(incidents, k) if public else incidents, k=k)
    return {
        "kommun": kommun,
        "period": period.as_dict(),
        "category": category,
        "cell": cell,
        "fdr": fdr,
        "public": public,
        "k": k,
        "band": band,
        "days": days,
        "study_area": None if area is None else [round(v, 1) for v in area],
        "method": {
            "statistic": "Getis-Ord Gi* (esda.G_Local, star=True)",
            "weights": grid.get("weights"),
            "place_weights": (
                "k nearest neighbours on place centroids (k = 4, at most half of the "
                "other places), binary"
            ),
            "p_value": "two-sided normal p of the analytical z-score",
            "permutations": permutations,
            "seed": hs.SEED,
            "public": (
                "counts under k and counts that subtraction would reveal are hidden; Gi* "
                "is computed on the published counts only (hidden cells count as empty)"
            )
            if public
            else None,
        },
        "grid": grid,
        "places": place_rows,
        "density": density,
    }


def _within(incidents: pd.DataFrame, area: tuple, cell: float) -> pd.DataFrame:
    """The incidents with the coordinates of those outside the study area removed."""
    grid = hs.Grid.over(area, cell)
    x, y = incidents["x"].to_numpy(dtype=float), incidents["y"].to_numpy(dtype=float)
    inside = grid.inside(x, y)
    return incidents.assign(x=incidents["x"].where(inside), y=incidents["y"].where(inside))


def _grid_hider(incidents, links, places, cube: IncidentCube, period, category, k: int):
    """The public grid's hiding rule, with the kommun's and places' fate fixed by ``cube``."""
    time = _time_cell(period)
    row_of = pd.Index(incidents["id"]).get_indexer(links["incident_id"])
    by_place = links.assign(row=row_of).groupby("place_id")["row"]
    members = {int(place_id): rows.to_numpy() for place_id, rows in by_place}
    place_ids = [int(i) for i in places["id"]]
    keys = [None, *place_ids]
    fixed_counts = [cube.exact(key, category, time) for key in keys]
    fixed_hidden = [cube.value(key, category, time) is None for key in keys]
    weight = incidents["count"].to_numpy()
    rows = [members.get(place_id, np.zeros(0, np.int64)) for place_id in place_ids]

    def hide(cell_of: np.ndarray) -> np.ndarray:
        return suppression.hide_grid_cells(cell_of, weight, rows, fixed_counts, fixed_hidden, k)

    return hide


def _place_hotspots(engine, kommun, places, period: Period, category, fdr, cube) -> list[dict]:
    """Gi* on the places; in public output only on the published counts."""
    if cube is None:
        sums = incident_sums(
            engine, kommun, [(period.start, period.end)], by_place=True, category=category
        )
        counts = sums.groupby("place_id")["count"].sum().reindex(places["id"], fill_value=0)
        shown = places
    else:
        time = _time_cell(period)
        values = {int(i): cube.value(int(i), category, time) for i in places["id"]}
        shown = places[[values[int(i)] is not None for i in places["id"]]]
        counts = pd.Series([values[int(i)] for i in shown["id"]], index=shown["id"], dtype=float)
    found = hs.place_hotspots(counts, list(shapely.centroid(shown.geometry.values)), fdr)
    hidden = {"count": None, "gi_z": None, "gi_p": None, "gi_bin": None}
    return [
        {"place": place.name, "place_id": int(place.id), **found.get(int(place.id), hidden)}
        for place in places.itertuples()
    ]


def time_profile(
    engine: Engine,
    kommun: str,
    *,
    year: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    place: str | None = None,
    category: str | None = None,
    public: bool = False,
    k: int = MIN_INCIDENTS_PUBLIC,
) -> dict:
    """Hour × weekday and monthly counts for the kommun or one place.

    Public output is for a calendar year (the latest with incidents by default).
    """
    period = resolve_period(engine, kommun, year, start, end, public)
    if public and period.kind != YEAR:
        raise TryggError(t("err.public_period_year", period=period.label))
    place_id, place_name = None, None
    if place is not None:
        with engine.connect() as connection:
            place_id, place_name = NameIndex.of(connection, kommun).resolve(place, kommun)
    profile = period_profile(engine, kommun, period, place_id, category, public, k)
    return {
        "kommun": kommun,
        "place": place_name,
        "category": category,
        "period": period.as_dict(),
        **profile,
    }
