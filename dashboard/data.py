"""Every read the dashboard caches, keyed on the version of the data it reads.

Each cached function takes ``version``, :func:`trygg.store.reads.data_version` of its
kommun (of the whole store for the kommun list), read afresh on every call: one small
query. An import, rollback, restore or follow-up raises that number in the same
transaction, whether it came from the upload page or from ``trygg`` in a shell, so the
next page run reads anew; a change in another kommun leaves these entries alone.
Nothing is timed and nothing is cleared: entries of old versions fall out by
``max_entries``.

This is the only dashboard module that calls the core's read functions. The pages and
panels lay out what it returns; the small look-ups at the end pick one place's part
out of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import geopandas as gpd
import streamlit as st
from sqlalchemy import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError

from trygg import commitments, places, settings, store
from trygg.errors import TryggError
from trygg.maps import is_incident_metric, metric_options
from trygg.maps.context import ContextLayer, context_layers
from trygg.pages import chosen
from trygg.places.lookup import NameIndex
from trygg.stats import report
from trygg.stats.periods import Period
from trygg.stats.survey_figures import figure_of
from trygg.store import batches, reads
from trygg.strings import current_language, t

#: Figures per place: a few years, public and exact, for a handful of kommuner.
FIGURE_ENTRIES = 64
#: Hot-spot grids are the heaviest reads (seconds at 100 m).
HOTSPOT_ENTRIES = 24
#: Everything else: one entry per kommun (and per year or place where it takes one).
ENTRIES = 128


def db_setting() -> str:
    """The database named by ``TRYGG_DB``, or the default file."""
    return settings.database_setting()


@st.cache_resource(show_spinner=False)
def engine(db: str) -> Engine:
    """One engine per database, shared by all sessions; the schema brought up to date."""
    handle = store.make_engine(db)
    store.ensure_schema(handle)
    return handle


def data_version(db: str, kommun: str | None = None) -> int:
    """The kommun's data version (without a kommun: the whole store's)."""
    return reads.data_version(engine(db), kommun)


def db_problem(db: str) -> str | None:
    """A Swedish sentence saying why the map cannot be shown, or None if it can."""
    url = make_url(settings.database_url(db))
    if url.get_backend_name() == "sqlite" and not _has_file(url.database):
        return t("dash.db_missing", db=db)
    try:
        found = kommuner(db)
    except (SQLAlchemyError, TryggError) as err:
        return t("err.db_unreadable", db=db, reason=err)
    return None if found else t("dash.db_empty", db=db)


def _has_file(path: str | None) -> bool:
    return bool(path) and Path(path).is_file() and Path(path).stat().st_size > 0


# --- The cached reads --------------------------------------------------------------------


def kommuner(db: str) -> dict[str, str]:
    """Kommuner that have places, by name: ``{kod: namn}``."""
    return _kommuner(db, data_version(db))


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def _kommuner(db: str, version: int) -> dict[str, str]:
    return {k["kod"]: k["namn"] for k in store.list_kommuner(engine(db)) if k["places"]}


def kommun_places(db: str, kommun: str) -> gpd.GeoDataFrame:
    """The kommun's places in EPSG:3006."""
    return _places(db, kommun, data_version(db, kommun))


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def _places(db: str, kommun: str, version: int) -> gpd.GeoDataFrame:
    return places.load_places(engine(db), kommun)


def context(db: str, kommun: str) -> list[ContextLayer]:
    """The context beneath the kommun's places (boundary, water, roads, buildings)."""
    return _context(db, kommun, data_version(db, kommun), current_language())


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def _context(db: str, kommun: str, version: int, lang: str) -> list[ContextLayer]:
    return context_layers(reads.context_features(engine(db), kommun), lang)


def name_index(db: str, kommun: str) -> NameIndex:
    """The kommun's place names and aliases, to find a place by either."""
    return _name_index(db, kommun, data_version(db, kommun))


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def _name_index(db: str, kommun: str, version: int) -> NameIndex:
    with engine(db).connect() as connection:
        return NameIndex.of(connection, kommun)


def kommun_commitments(db: str, kommun: str) -> list[dict]:
    """Every commitment of the kommun's medborgarlöften, overdue or not as of today."""
    return _commitments(db, kommun, data_version(db, kommun), date.today())


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def _commitments(db: str, kommun: str, version: int, today: date) -> list[dict]:
    return commitments.list_commitments(engine(db), kommun, today=today)


def kommun_promises(db: str, kommun: str) -> list[dict]:
    """The kommun's medborgarlöften with their designated places and commitments."""
    return _promises(db, kommun, data_version(db, kommun))


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def _promises(db: str, kommun: str, version: int) -> list[dict]:
    return commitments.store.load_promises(engine(db), kommun)


def chosen_places(db: str, kommun: str) -> list[str]:
    """The places a coordinator added to the kommun's presentation, in their order."""
    return _chosen(db, kommun, data_version(db, kommun))


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def _chosen(db: str, kommun: str, version: int) -> list[str]:
    return chosen.chosen_places(engine(db), kommun)


def figures(db: str, kommun: str, year: int | None = None, public: bool = True) -> dict:
    """Survey and incident figures per place for ``year`` (None: the latest).

    With ``public`` incident counts below the public threshold are suppressed.
    """
    return _figures(db, kommun, data_version(db, kommun), year, public)


@st.cache_data(max_entries=FIGURE_ENTRIES, show_spinner=False)
def _figures(db: str, kommun: str, version: int, year: int | None, public: bool) -> dict:
    return report.place_figures(engine(db), kommun, year, public=public)


def incident_years(db: str, kommun: str) -> list[int]:
    """The years with incidents."""
    return _incident_years(db, kommun, data_version(db, kommun))


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def _incident_years(db: str, kommun: str, version: int) -> list[int]:
    return reads.incident_years(engine(db), kommun)


@dataclass(frozen=True)
class Comparison:
    """The period before a page's figures: its name, and its figures if it has incidents."""

    label: str
    figures: dict | None


def comparison(db: str, kommun: str, shown: dict, public: bool) -> Comparison:
    """The period before ``shown``'s year (:meth:`Period.previous`), to compare with."""
    before = Period.year_of(shown["year"]).previous()
    if before.start.year not in incident_years(db, kommun):
        return Comparison(before.label, None)
    return Comparison(before.label, figures(db, kommun, before.start.year, public))


def incidents_synthetic(db: str, kommun: str) -> bool:
    """Whether the kommun's active incident batches hold synthetic demo data."""
    return _incidents_synthetic(db, kommun, data_version(db, kommun))


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def _incidents_synthetic(db: str, kommun: str, version: int) -> bool:
    return any(
        batches.is_synthetic(batch)
        for batch in batches.list_batches(engine(db), kommun)
        if batch["kind"] == batches.INCIDENTS_KIND and batch["status"] == batches.ACTIVE
    )


def hotspots(
    db: str,
    kommun: str,
    year: int,
    cell: int,
    category: str | None,
    public: bool,
    band: str | None = None,
    days: str | None = None,
    emerging: bool = False,
) -> dict:
    """Gi* hot spots on the grid and the density surface for ``year``, in a time window."""
    return _hotspots(
        db, kommun, data_version(db, kommun), year, cell, category, public, band, days, emerging
    )


@st.cache_data(max_entries=HOTSPOT_ENTRIES, show_spinner=False)
def _hotspots(
    db: str,
    kommun: str,
    version: int,
    year: int,
    cell: int,
    category: str | None,
    public: bool,
    band: str | None,
    days: str | None,
    emerging: bool,
) -> dict:
    return report.hotspots(
        engine(db),
        kommun,
        year=year,
        cell=float(cell),
        category=category,
        public=public,
        band=band,
        days=days,
        emerging=emerging,
    )


def time_profile(db: str, kommun: str, year: int, place: str | None, public: bool) -> dict:
    """Hour × weekday and monthly counts for the kommun or one place."""
    return _time_profile(db, kommun, data_version(db, kommun), year, place, public)


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def _time_profile(
    db: str, kommun: str, version: int, year: int, place: str | None, public: bool
) -> dict:
    return report.time_profile(engine(db), kommun, year=year, place=place, public=public)


def figure_batches(db: str, kommun: str) -> list[dict]:
    """The kommun's imported figure files, newest first, each marked active and synthetic."""
    return _figure_batches(db, kommun, data_version(db, kommun))


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def _figure_batches(db: str, kommun: str, version: int) -> list[dict]:
    return [
        {**b, "active": b["status"] == batches.ACTIVE, "synthetic": batches.is_synthetic(b)}
        for b in batches.list_batches(engine(db), kommun)
        if b["kind"] in batches.ROLLBACK_KINDS
    ]


# --- One place's part of what was read ---------------------------------------------------


def place_entry(shown: dict, name: str | None) -> dict | None:
    """The entry of the place called ``name`` in figures per place; None: the kommun."""
    return next((p for p in shown["places"] if p["place"] == name), None)


def survey_of(shown: dict, entry: dict | None) -> dict[str, dict]:
    """Every survey indicator's figure for a place entry (None: the kommun's totals)."""
    indicators = [i for i in metric_options(shown) if not is_incident_metric(i)]
    if entry is None:
        return {i: shown["kommun_total"][i] for i in indicators}
    return {i: figure_of(entry["survey"], i) for i in indicators}


def incidents_of(shown: dict, entry: dict | None) -> dict:
    """The ``incidents`` block of a place entry in ``shown`` (of any year), or the kommun's."""
    if entry is None:
        return shown["kommun_incidents"]
    return next(p["incidents"] for p in shown["places"] if p["place_id"] == entry["place_id"])
