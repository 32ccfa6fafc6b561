"""Incident analyses for the CLI and the dashboard: period defaults, hot spots, timing."""

from __future__ import annotations

import datetime as dt

import shapely
from sqlalchemy import Engine

from trygg import hotspots as hs
from trygg.errors import TryggError
from trygg.incident_stats import incident_years, period_bounds
from trygg.incident_stats import time_profile as _time_profile
from trygg.incidents import incident_sums, load_incidents
from trygg.places import load_places, place_index, resolve_place
from trygg.scales import MIN_INCIDENTS_PUBLIC
from trygg.store import require_kommun
from trygg.strings import t


def resolve_period(
    engine: Engine, kommun: str, year: int | None, start: dt.date | None, end: dt.date | None
) -> tuple[dt.datetime, dt.datetime]:
    """``--from``/``--to``, else ``--year``, else every year with incidents."""
    with engine.connect() as connection:
        require_kommun(connection, kommun)
    if year is None and start is None and end is None:
        years = incident_years(engine, kommun)
        if not years:
            raise TryggError(t("err.no_incidents", kommun=kommun))
        return dt.datetime(years[0], 1, 1), dt.datetime(years[-1] + 1, 1, 1)
    return period_bounds(year, start, end)


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

    Returns
    -------
    dict
        ``{"kommun", "period", "category", "cell", "fdr", "public", "k", "method",
        "grid": FeatureCollection, "places": [...], "density": FeatureCollection}``.
    """
    if cell <= 0:
        raise TryggError(t("err.cell_size", cell=cell))
    first, last = resolve_period(engine, kommun, year, start, end)
    incidents, _links = load_incidents(
        engine, kommun, first, last, category, with_links=False, with_times=emerging
    )
    grid = hs.grid_hotspots(
        incidents,
        cell=cell,
        fdr=fdr,
        public=public,
        k=k,
        emerging=(first, last) if emerging else None,
    )
    places = load_places(engine, kommun)
    sums = incident_sums(engine, kommun, [(first, last)], by_place=True, category=category)
    counts = sums.groupby("place_id")["count"].sum().reindex(places["id"], fill_value=0)
    by_place = hs.place_hotspots(counts, list(shapely.centroid(places.geometry.values)), fdr)
    place_rows = []
    for place in places.itertuples():
        figures = by_place[int(place.id)]
        if public and 0 < figures["count"] < k:
            figures = {**figures, "count": None}
        place_rows.append({"place": place.name, "place_id": int(place.id), **figures})
    return {
        "kommun": kommun,
        "period": {
            "from": first.date().isoformat(),
            "to": (last - dt.timedelta(days=1)).date().isoformat(),
        },
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
        },
        "grid": grid,
        "places": place_rows,
        "density": hs.kernel_density(incidents, k=k),
    }


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
    """Hour × weekday and monthly counts for the kommun or one place."""
    first, last = resolve_period(engine, kommun, year, start, end)
    place_id, place_name = None, None
    if place is not None:
        with engine.connect() as connection:
            place_id, place_name = resolve_place(place_index(connection, kommun), place, kommun)
    profile = _time_profile(engine, kommun, first, last, place_id, category, public, k)
    return {
        "kommun": kommun,
        "place": place_name,
        "category": category,
        "period": {
            "from": first.date().isoformat(),
            "to": (last - dt.timedelta(days=1)).date().isoformat(),
        },
        **profile,
    }
