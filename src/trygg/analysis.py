"""Incident analyses for the CLI and the dashboard: period defaults, hot spots, timing."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import shapely
from sqlalchemy import Engine

from trygg import hotspots as hs
from trygg import suppression
from trygg.errors import TryggError
from trygg.incident_stats import IncidentCube, incident_cube, incident_years
from trygg.incident_stats import time_profile as _time_profile
from trygg.incidents import incident_sums, load_incidents
from trygg.periods import RANGE, YEAR, Period, require_public
from trygg.places import load_places, place_index, resolve_place
from trygg.scales import MIN_INCIDENTS_PUBLIC
from trygg.store import require_kommun
from trygg.strings import t

#: Public density is smoothed from cells of this size that hold at least k incidents.
PUBLIC_DENSITY_CELL = 100.0


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
    density = hs.kernel_density(_public_points(incidents, k) if public else incidents, k=k)
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


def _time_cell(period: Period) -> int:
    return suppression.PERIOD if period.kind == YEAR else period.start.month


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


def _public_points(incidents: pd.DataFrame, k: int) -> pd.DataFrame:
    """The incidents as fine cells holding at least k, placed at the cells' centres."""
    points = incidents.dropna(subset=["x", "y"])
    if points.empty:
        return points
    size = PUBLIC_DENSITY_CELL
    grid = hs.Grid(points["x"].to_numpy(), points["y"].to_numpy(), size)
    counts = grid.counts(points["x"].to_numpy(), points["y"].to_numpy(), points["count"])
    kept = np.flatnonzero(counts >= k)
    rows, cols = np.divmod(kept, grid.ncols)
    return pd.DataFrame(
        {
            "x": grid.x0 + (cols + 0.5) * size,
            "y": grid.y0 + (rows + 0.5) * size,
            "count": counts[kept],
        }
    )


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
    profile = _time_profile(engine, kommun, period, place_id, category, public, k)
    return {
        "kommun": kommun,
        "place": place_name,
        "category": category,
        "period": period.as_dict(),
        **profile,
    }
