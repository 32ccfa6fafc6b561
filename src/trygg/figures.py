"""Everything ``trygg stats`` reports per place: survey figures, delivered results,
incident counts and aggregate crime statistics, for one year or period."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, select

from trygg.batches import ACTIVE
from trygg.incident_stats import incident_figures, incident_years
from trygg.periods import Period, check_year, require_public
from trygg.scales import MIN_INCIDENTS_PUBLIC, MIN_N
from trygg.stats import compute_stats
from trygg.store import schema
from trygg.suppression import suppress_count


def survey_years(engine: Engine, kommun: str) -> list[int]:
    response, batch = schema.survey_response, schema.import_batch
    with engine.connect() as connection:
        return sorted(
            connection.execute(
                select(response.c.year)
                .distinct()
                .join(batch, batch.c.id == response.c.batch_id)
                .where(response.c.kommun_kod == kommun, batch.c.status == ACTIVE)
            ).scalars()
        )


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
    places = _place_frame(engine, kommun)
    counts = incident_figures(engine, kommun, places, period, public, k)
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


def _place_frame(engine: Engine, kommun: str) -> pd.DataFrame:
    place = schema.place
    with engine.connect() as connection:
        rows = connection.execute(
            select(place.c.id, place.c.area_m2, place.c.population).where(
                place.c.kommun_kod == kommun
            )
        ).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=["place_id", "area_m2", "population"])


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
