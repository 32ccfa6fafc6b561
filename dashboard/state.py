"""The dashboard's shared state: database handle, cached reads, web assets and tiles.

Pages read everything through here, so caching lives in one place. Reads are cached
for a minute (a coordinator's import shows up without a restart); the tile server
check for a few minutes.
"""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import streamlit as st
from sqlalchemy import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError

from trygg import assets, commitments, maps, places, store
from trygg.config import DB_ENV_VAR, DEFAULT_DB_PATH, database_url
from trygg.errors import TryggError
from trygg.strings import t

STATIC_DIR = Path(__file__).parent / "static"
READ_TTL_S = 60
TILE_CHECK_TTL_S = 180


def db_setting() -> str:
    """The database named by ``TRYGG_DB``, or the default file."""
    return os.environ.get(DB_ENV_VAR) or str(DEFAULT_DB_PATH)


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
