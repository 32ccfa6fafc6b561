"""What ``trygg stats``, ``hotspots`` and ``time-profile`` print, and what the dashboard
shows: figures per place for a year or period, hot spots and time profiles.

The only module of :mod:`trygg.stats` that takes an Engine: it reads through
:mod:`trygg.store.reads` and hands frames to the pure modules beside it.
"""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd
import shapely
from sqlalchemy import Engine, select

from trygg import exports
from trygg.errors import TryggError
from trygg.places import load_places
from trygg.places.lookup import place_index, resolve_place
from trygg.scales import (
    INCIDENT_CATEGORIES,
    ITEM_SCALES,
    MIN_INCIDENTS_PUBLIC,
    MIN_N,
    WEEKDAYS,
)
from trygg.stats import hotspots as hs
from trygg.stats import nesting, suppression
from trygg.stats.hotspots import (
    public_points,
)
from trygg.stats.incident_figures import (
    TIMED_PRECISION,
    IncidentCube,
    _cube_counts,
    _time_cell,
    incident_block,
)
from trygg.stats.periods import RANGE, YEAR, Period, check_year, require_public
from trygg.stats.suppression import (
    suppress_count,
)
from trygg.stats.survey_figures import (
    _add_trend,
    _item,
    _lookup,
    _survey_block,
    _with_flags,
    _year_figures,
)
from trygg.store import require_kommun, schema
from trygg.store.batches import ACTIVE
from trygg.store.reads import (
    _load,
    figure_sources,
    incident_sums,
    incident_years,
    load_incidents,
    place_frame,
    place_ids,
    survey_years,
)
from trygg.strings import t


def compute_stats(engine: Engine, kommun: str, year: int | None = None, min_n: int = MIN_N) -> dict:
    """Survey figures for every place of ``kommun`` in ``year`` (default: the latest).

    Returns
    -------
    dict
        ``{"kommun", "year", "years", "min_n", "places": [{"place", "place_id", "survey":
        {"n", "andel_otrygga", "ki_lag", "ki_hog", "suppressed", "problem": {...},
        "oro": {...}, "trend": {...}}}], "kommun_total": {...}, "sources": [...],
        "synthetic"}``. ``sources`` are the active batches behind the year's figures,
        each with a ``synthetic`` flag; top-level ``synthetic`` is true when any is.
    """
    answers, links, places = _load(engine, kommun)
    years = sorted(int(y) for y in answers["year"].unique())
    if year is None and years:
        year = years[-1]
    previous = max((y for y in years if year is not None and y < year), default=None)
    flagged = _with_flags(answers)
    place_ids = [int(i) for i in places["place_id"]]
    current = _year_figures(flagged[flagged["year"] == year], links, place_ids, min_n)
    before = _year_figures(flagged[flagged["year"] == previous], links, place_ids, min_n)
    indicators = sorted(flagged.loc[flagged["year"] == year, "indicator"].unique())
    output_places = []
    for place in places.itertuples():
        survey = _survey_block(current, int(place.place_id), indicators, min_n)
        if previous is not None:
            _add_trend(survey, before, int(place.place_id), previous, min_n)
        output_places.append(
            {
                "place": place.place,
                "place_id": int(place.place_id),
                "kind": place.kind,
                "population": None if pd.isna(place.population) else int(place.population),
                "survey": survey,
            }
        )
    ordered = ["andel_otrygga", *[i for i in indicators if i != "andel_otrygga"]]
    total = {i: _item(_lookup(current, None, i, min_n)) for i in ordered}
    results = area_results(engine, kommun, year, min_n)
    for place in output_places:
        place["results"] = results.get(place["place_id"], [])
    sources = figure_sources(engine, kommun, year)
    return {
        "kommun": kommun,
        "year": year,
        "years": years,
        "min_n": min_n,
        "places": output_places,
        "kommun_total": total,
        "kommun_results": results.get(None, []),
        "sources": sources,
        "synthetic": any(source["synthetic"] for source in sources),
    }

def area_results(engine: Engine, kommun: str, year: int | None, min_n: int) -> dict:
    """Delivered area-level figures of ``year`` by place id (None = the whole kommun).

    A figure delivered with an n below ``min_n`` is suppressed like our own.
    """
    result = schema.survey_result
    batch = schema.import_batch
    with engine.connect() as connection:
        rows = (
            connection.execute(
                select(result, batch.c.source, batch.c.file_name)
                .join(batch, batch.c.id == result.c.batch_id)
                .where(
                    result.c.kommun_kod == kommun,
                    batch.c.status == ACTIVE,
                    result.c.year == year,
                )
                .order_by(result.c.id)
            )
            .mappings()
            .all()
        )
    by_place: dict = {}
    for row in rows:
        small = row["n"] is not None and row["n"] < min_n
        by_place.setdefault(row["place_id"], []).append(
            {
                "indicator": row["indicator"],
                "value": None if small else row["value"],
                "unit": row["unit"],
                "n": row["n"],
                "ki_lag": None if small else row["ki_lag"],
                "ki_hog": None if small else row["ki_hog"],
                "missing": row["value"] is None,
                "suppressed": small or row["value"] is None,
                "source": row["source"] or row["file_name"],
                "area": row["area"],
            }
        )
    return by_place

CSV_COLUMNS = (
    "kommun",
    "year",
    "place",
    "place_id",
    "indicator",
    "n",
    "andel",
    "ki_lag",
    "ki_hog",
    "suppressed",
)

def table_rows(figures: dict) -> list[list]:
    """One row per place and indicator (see ``CSV_COLUMNS``); shares as floats 0–1."""
    rows = []
    for place in figures["places"]:
        survey = place["survey"]
        items = [("andel_otrygga", {**survey, "andel": survey["andel_otrygga"]})]
        for prefix in ITEM_SCALES:
            items += [(f"{prefix}_{slug}", item) for slug, item in survey[prefix].items()]
        rows += [
            [
                figures["kommun"],
                figures["year"],
                place["place"],
                place["place_id"],
                indicator,
                item["n"],
                *(_rounded(item[key]) for key in ("andel", "ki_lag", "ki_hog")),
                "true" if item["suppressed"] else "false",
            ]
            for indicator, item in items
        ]
    return rows

def to_csv(figures: dict) -> str:
    """The rows of :func:`table_rows` as CSV: plain machine formats (decimal point).

    Text cells go through :func:`trygg.exports.safe_cell`, so no place name becomes a
    spreadsheet formula.
    """
    buffer = io.StringIO()
    exports.write_csv(buffer, CSV_COLUMNS, table_rows(figures), float_format=".6f")
    return buffer.getvalue()

def to_xlsx(figures: dict) -> bytes:
    """The rows of :func:`table_rows` as an Excel workbook; numbers stored as numbers."""
    buffer = io.BytesIO()
    exports.write_xlsx(buffer, CSV_COLUMNS, table_rows(figures), sheet=t("exports.sheet_stats"))
    return buffer.getvalue()

def _rounded(value: float | None) -> float | None:
    return None if value is None else round(float(value), 6)

def incident_cube(
    engine: Engine, kommun: str, year: int, k: int = MIN_INCIDENTS_PUBLIC, public: bool = True
) -> IncidentCube:
    """The kommun's incidents of ``year`` in a cube, suppressed when ``public``."""
    period = Period.year_of(year)
    incidents, links = load_incidents(engine, kommun, period.start, period.end)
    keys = (None, *place_ids(engine, kommun))
    element = pd.Index(incidents["id"]).get_indexer(links["incident_id"])
    position = pd.Index(keys[1:]).get_indexer(links["place_id"]) + 1
    counts = _cube_counts(incidents, element, position, len(keys))
    if not public:
        return IncidentCube(year, keys, counts, None)
    order = np.argsort(position, kind="stable")
    bounds = np.searchsorted(position[order], np.arange(1, len(keys) + 1))
    members = np.split(element[order], bounds[1:-1]) if len(keys) > 1 else []
    nest = nesting.nesting(keys, members, len(incidents))
    return IncidentCube(year, keys, counts, suppression.hide_incident_cube(nest, counts, k))

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
    by_place = incident_sums(engine, kommun, periods, by_place=True)
    kommun_sums = incident_sums(engine, kommun, periods, by_place=False)
    groups = {key: frame for key, frame in by_place.groupby(["place_id", "period"])}
    empty = by_place.iloc[0:0]

    def block(now: pd.DataFrame, before: pd.DataFrame, area, population) -> dict:
        sums = now.groupby("category")["count"].sum()
        parts = {c: int(sums[c]) for c in INCIDENT_CATEGORIES if c in sums.index}
        return incident_block(int(sums.sum()), parts, int(before["count"].sum()), area, population)

    figures = {
        int(p.place_id): block(
            groups.get((p.place_id, 0), empty),
            groups.get((p.place_id, 1), empty),
            p.area_m2,
            None if pd.isna(p.population) else int(p.population),
        )
        for p in places.itertuples()
    }
    now = kommun_sums["period"] == 0
    figures[None] = block(kommun_sums[now], kommun_sums[kommun_sums["period"] == 1], None, None)
    return figures

def _public_figures(engine, kommun, places: pd.DataFrame, period: Period, k: int) -> dict:
    cube = incident_cube(engine, kommun, period.start.year, k)
    before = period.previous()
    earlier = (
        cube
        if before.start.year == cube.year
        else incident_cube(engine, kommun, before.start.year, k)
    )
    time, time_before = _time_cell(period), _time_cell(before)

    def block(place_id, area, population) -> dict:
        parts = {
            category: cube.value(place_id, category, time)
            for category in INCIDENT_CATEGORIES
            if cube.exact(place_id, category, time) > 0
        }
        total = cube.value(place_id, None, time)
        return incident_block(
            total, parts, earlier.value(place_id, None, time_before), area, population
        )

    figures = {
        int(p.place_id): block(
            int(p.place_id), p.area_m2, None if pd.isna(p.population) else int(p.population)
        )
        for p in places.itertuples()
    }
    figures[None] = block(None, None, None)
    return figures

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
    if place_id is not None:
        incidents = incidents[
            incidents["id"].isin(links.loc[links["place_id"] == place_id, "incident_id"])
        ]
    timed = incidents[incidents["precision"] == TIMED_PRECISION]
    table = np.zeros((7, 24), dtype=int)
    stamps = pd.to_datetime(timed["occurred_at"])
    np.add.at(
        table,
        (stamps.dt.day_of_week.to_numpy(), stamps.dt.hour.to_numpy()),
        timed["count"].to_numpy(),
    )
    months = pd.to_datetime(incidents["occurred_at"]).dt.strftime("%Y-%m")
    by_month = incidents.groupby(months)["count"].sum()
    return {
        "hour_weekday": table.tolist(),
        "weekdays": list(WEEKDAYS),
        "by_month": {month: int(n) for month, n in by_month.items()},
        "timed": int(timed["count"].sum()),
        "total": int(incidents["count"].sum()),
    }

def _public_profile(engine, kommun, period: Period, place_id, category, k: int) -> dict:
    cube = incident_cube(engine, kommun, period.start.year, k)
    hours = suppression.HOURS[0]
    return {
        "hour_weekday": [
            [cube.value(place_id, category, hours + day * 24 + hour) for hour in range(24)]
            for day in range(7)
        ],
        "weekdays": list(WEEKDAYS),
        "by_month": {
            f"{cube.year}-{month:02d}": cube.value(place_id, category, month)
            for month in suppression.MONTHS
            if cube.exact(place_id, category, month) > 0
        },
        "timed": cube.value(place_id, category, suppression.TIMED),
        "total": cube.value(place_id, category, suppression.PERIOD),
    }

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
    years = sorted({*surveyed, *incident_years(engine, kommun)})
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
    """Aggregate crime statistics of ``year`` by place id (None = the kommun).

    In public output a count below ``k`` is hidden, and so is its rate per 100 000
    (the rate times the population would give the count back).
    """
    stat, batch = schema.crime_stat, schema.import_batch
    with engine.connect() as connection:
        rows = connection.execute(
            select(stat, batch.c.source, batch.c.file_name)
            .join(batch, batch.c.id == stat.c.batch_id)
            .where(stat.c.kommun_kod == kommun, stat.c.year == year, batch.c.status == ACTIVE)
            .order_by(stat.c.id)
        ).mappings()
        by_place: dict = {}
        for row in rows:
            small = public and suppress_count(row["count"], k) is None
            by_place.setdefault(row["place_id"], []).append(
                {
                    "offence": row["offence"],
                    "period": row["period"],
                    "count": None if small else row["count"],
                    "per_100k": None if small else row["per_100k"],
                    "suppressed": small,
                    "preliminary": row["preliminary"],
                    "missing": row["count"] is None and row["per_100k"] is None,
                    "source": row["source"] or row["file_name"],
                }
            )
    return by_place

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
) -> dict:
    """Gi* on the grid and on the places, plus a public-safe density surface.

    In public output every count comes from the suppressed figures (the places' counts
    are those of ``trygg stats --public``), grid cells are protected against the kommun
    and the places too, and Gi* is computed on the published counts only.

    Returns
    -------
    dict
        ``{"kommun", "period", "category", "cell", "fdr", "public", "k", "method",
        "grid": FeatureCollection, "places": [...], "density": FeatureCollection}``.
    """
    if cell <= 0:
        raise TryggError(t("err.cell_size", cell=cell))
    period = resolve_period(engine, kommun, year, start, end, public)
    incidents, links = load_incidents(
        engine,
        kommun,
        period.start,
        period.end,
        category,
        with_links=public,
        with_times=emerging,
    )
    places = load_places(engine, kommun)
    cube = incident_cube(engine, kommun, period.start.year, k) if public else None
    emerging_span = (period.start, period.end) if emerging else None
    hide = _grid_hider(incidents, links, places, cube, period, category, k) if public else None
    grid = hs.grid_hotspots(
        incidents, cell=cell, fdr=fdr, public=public, k=k, emerging=emerging_span, hide=hide
    )
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
        "method": {
            "statistic": "Getis-Ord Gi* (esda.G_Local, star=True)",
            "weights": grid.get("weights"),
            "place_weights": (
                "k nearest neighbours on place centroids (k = 4, at most half of the "
                "other places), binary"
            ),
            "p_value": "two-sided normal p of the analytical z-score",
            "permutations": hs.PERMUTATIONS,
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
            place_id, place_name = resolve_place(place_index(connection, kommun), place, kommun)
    profile = period_profile(engine, kommun, period, place_id, category, public, k)
    return {
        "kommun": kommun,
        "place": place_name,
        "category": category,
        "period": period.as_dict(),
        **profile,
    }
