"""The dashboard's shared state: database handle, chosen kommun, cached reads, tiles.

Pages read everything through here, so caching lives in one place. Reads are cached
for a minute (an import from the command line shows up without a restart) and are
cleared at once after an import or rollback on the upload page; the tile server check
is cached for a few minutes.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import streamlit as st
from sqlalchemy import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError

from trygg import (
    analysis,
    assets,
    batches,
    commitments,
    figures,
    incidents,
    maps,
    places,
    settings,
    store,
)
from trygg.errors import TryggError
from trygg.incident_stats import incident_years
from trygg.scales import DEFAULT_KOMMUN
from trygg.settings import database_url
from trygg.strings import t

STATIC_DIR = Path(__file__).parent / "static"
READ_TTL_S = 60
#: Hot-spot grids are the heaviest reads (seconds at 100 m); keep a few per session.
HOTSPOT_ENTRIES = 24
TILE_CHECK_TTL_S = 180


def db_setting() -> str:
    """The database named by ``TRYGG_DB``, or the default file."""
    return settings.database_setting()


@st.cache_resource(show_spinner=False)
def engine(db: str) -> Engine:
    """One engine per database, shared by all sessions; the schema brought up to date."""
    handle = store.make_engine(db)
    store.ensure_schema(handle)
    return handle


def db_problem(db: str) -> str | None:
    """A Swedish sentence saying why the map cannot be shown, or None if it can."""
    url = make_url(database_url(db))
    if url.get_backend_name() == "sqlite" and not _has_file(url.database):
        return t("dash.db_missing", db=db)
    try:
        found = kommuner(db)
    except (SQLAlchemyError, TryggError) as err:
        return t("err.db_unreadable", db=db, reason=err)
    return None if found else t("dash.db_empty", db=db)


def require_database() -> str:
    """The database setting; a page that cannot show anything says why and stops."""
    db = db_setting()
    problem = db_problem(db)
    if problem:
        st.title(t("app.title"))
        st.warning(problem)
        st.stop()
    return db


def choose_kommun(db: str) -> tuple[str, dict[str, str]]:
    """The kommun selector in the sidebar, shared by every page.

    The choice is read from ``?kommun=``, else from this session (the URL loses it
    when the user moves between pages), else Laholm or the first kommun; it is
    written back to both.

    Returns
    -------
    tuple
        ``(kod, {kod: namn})``.
    """
    found = {k["kod"]: k["namn"] for k in kommuner(db)}
    wanted = st.query_params.get("kommun")
    if wanted in found:
        kod = wanted
    else:
        remembered = st.session_state.get("kommun")
        default = DEFAULT_KOMMUN if DEFAULT_KOMMUN in found else next(iter(found))
        kod = remembered if remembered in found else default
        if wanted:
            st.warning(t("dash.kommun_unknown_url", code=wanted, namn=found[kod]))
        st.query_params["kommun"] = kod
    st.session_state["kommun"] = kod
    st.session_state["kommun_select"] = kod
    st.sidebar.selectbox(
        t("dash.kommun"),
        list(found),
        key="kommun_select",
        format_func=lambda code: t("dash.kommun_option", namn=found[code], kod=code),
        on_change=_kommun_changed,
    )
    return kod, found


def _kommun_changed() -> None:
    st.session_state["kommun"] = st.session_state["kommun_select"]
    st.query_params["kommun"] = st.session_state["kommun_select"]
    st.query_params.pop("plats", None)


def _has_file(path: str | None) -> bool:
    return bool(path) and Path(path).is_file() and Path(path).stat().st_size > 0


@st.cache_data(ttl=READ_TTL_S, show_spinner=False)
def kommuner(db: str) -> list[dict]:
    """Kommuner that have places, sorted by name."""
    return [k for k in store.list_kommuner(engine(db)) if k["places"]]


@st.cache_data(ttl=READ_TTL_S, show_spinner=False)
def kommun_places(db: str, kommun: str) -> gpd.GeoDataFrame:
    """The kommun's places in EPSG:3006."""
    return places.load_places(engine(db), kommun)


@st.cache_data(ttl=READ_TTL_S, show_spinner=False)
def kommun_commitments(db: str, kommun: str) -> list[dict]:
    """Every commitment of the kommun's medborgarlöften."""
    return commitments.list_commitments(engine(db), kommun)


@st.cache_data(ttl=READ_TTL_S, show_spinner=False)
def kommun_figures(db: str, kommun: str, year: int | None = None, public: bool = True) -> dict:
    """Survey and incident figures per place for ``year`` (None: the latest).

    With ``public`` incident counts below the public threshold are suppressed.
    """
    return figures.place_figures(engine(db), kommun, year, public=public)


@st.cache_data(ttl=READ_TTL_S, show_spinner=False)
def kommun_incident_years(db: str, kommun: str) -> list[int]:
    """The years with incidents (to know whether a previous period can be compared)."""
    return incident_years(engine(db), kommun)


@st.cache_data(ttl=READ_TTL_S, show_spinner=False)
def incidents_synthetic(db: str, kommun: str) -> bool:
    """Whether the kommun's active incident batches hold synthetic demo data."""
    return any(
        batches.is_synthetic(batch)
        for batch in batches.list_batches(engine(db), kommun)
        if batch["kind"] == incidents.BATCH_KIND and batch["status"] == batches.ACTIVE
    )


@st.cache_data(
    ttl=READ_TTL_S, max_entries=HOTSPOT_ENTRIES, show_spinner=t("dash.computing_hotspots")
)
def hotspots(
    db: str, kommun: str, year: int, cell: int, category: str | None, public: bool
) -> dict:
    """Gi* hot spots on the grid and the density surface for ``year``."""
    return analysis.hotspots(
        engine(db), kommun, year=year, cell=float(cell), category=category, public=public
    )


@st.cache_data(ttl=READ_TTL_S, show_spinner=False)
def time_profile(db: str, kommun: str, year: int, place: str | None, public: bool) -> dict:
    """Hour × weekday and monthly counts for the kommun or one place."""
    return analysis.time_profile(engine(db), kommun, year=year, place=place, public=public)


def clear_reads() -> None:
    """Forget cached reads, so an import or rollback shows on the map at once."""
    reads = (kommuner, kommun_places, kommun_commitments, kommun_figures, kommun_incident_years)
    for read in (*reads, incidents_synthetic, hotspots, time_profile):
        read.clear()


def static_assets() -> Path:
    """Make sure Leaflet is in ``dashboard/static`` (a few stat calls when it is)."""
    return assets.ensure_assets(STATIC_DIR)


def tile_config() -> tuple[str, maps.TileSource]:
    """The tile mode and basemap from ``TRYGG_TILES``; an unusable value means offline."""
    try:
        return maps.tiles_from_env()
    except TryggError as err:
        st.warning(str(err))
        return "off", maps.osm_tiles()


@st.cache_data(ttl=TILE_CHECK_TTL_S, show_spinner=False)
def tiles_online(url: str) -> bool:
    """Whether the tile server answers; asked at most once every few minutes."""
    return assets.host_reachable(url)
