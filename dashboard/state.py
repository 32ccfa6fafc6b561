"""The dashboard's shared state: database handle, chosen kommun, cached reads, tiles, login.

Pages read everything through here, so caching lives in one place. Reads are cached
for a minute (an import from the command line shows up without a restart) and are
cleared at once after an import or rollback on the upload page; the tile server check
is cached for a few minutes.

The login is a :class:`trygg.auth.Session` in ``st.session_state`` (server side). Every
run reads the coordinator afresh from the store through :func:`current_actor`, which
ends an idle, too old or revoked session; pages pass that Actor (or None) to the core,
which refuses a write that it does not allow.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import streamlit as st
from sqlalchemy import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError

from markup import md, message
from trygg import auth, commitments, maps, places, settings, store
from trygg.auth import Actor, LoginRefused
from trygg.errors import TryggError
from trygg.importers import incidents
from trygg.maps import offline as assets
from trygg.scales import DEFAULT_KOMMUN
from trygg.settings import database_url
from trygg.stats import report
from trygg.store import batches
from trygg.store.reads import incident_years
from trygg.strings import t

STATIC_DIR = Path(__file__).parent / "static"
READ_TTL_S = 60
#: Hot-spot grids are the heaviest reads (seconds at 100 m); keep a few per session.
HOTSPOT_ENTRIES = 24
TILE_CHECK_TTL_S = 180
LOGIN_KEY = "trygg_login"
NOTICE_KEY = "trygg_login_notice"
CLIENT_KEY = "trygg_client"
OIDC_REFUSED_KEY = "trygg_oidc_refused"


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
        st.warning(md(problem))
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
            st.warning(message("dash.kommun_unknown_url", code=wanted, namn=found[kod]))
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
    return report.place_figures(engine(db), kommun, year, public=public)


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
    return report.hotspots(
        engine(db), kommun, year=year, cell=float(cell), category=category, public=public
    )


@st.cache_data(ttl=READ_TTL_S, show_spinner=False)
def time_profile(db: str, kommun: str, year: int, place: str | None, public: bool) -> dict:
    """Hour × weekday and monthly counts for the kommun or one place."""
    return report.time_profile(engine(db), kommun, year=year, place=place, public=public)


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
        st.warning(md(err))
        return "off", maps.osm_tiles()


@st.cache_data(ttl=TILE_CHECK_TTL_S, show_spinner=False)
def tiles_online(url: str) -> bool:
    """Whether the tile server answers; asked at most once every few minutes."""
    return assets.host_reachable(url)


# --- Login --------------------------------------------------------------------------


def current_actor() -> Actor | None:
    """This session's coordinator, read from the store; None when nobody is logged in.

    An ended session (idle, too old, user removed or given a new password) is dropped,
    with a notice saying why. With OIDC configured, a provider login is mapped to a
    user by e-mail the first time.
    """
    session = st.session_state.get(LOGIN_KEY)
    if session is None:
        return _oidc_actor()
    try:
        actor = auth.resume_session(engine(db_setting()), session)
    except LoginRefused as err:
        log_out(notice=str(err))
        return None
    st.session_state[LOGIN_KEY] = session.seen()
    return actor


def may_change(kommun: str | None) -> bool:
    """Whether this session's coordinator may change ``kommun``'s data."""
    actor = current_actor()
    return actor is not None and kommun is not None and actor.may_change(kommun)


def log_in(name: str, password: str) -> str | None:
    """Check a name and password against the store; None on success, else the refusal."""
    try:
        actor = auth.authenticate(engine(db_setting()), name, password, client_key())
    except LoginRefused as err:
        return str(err)
    st.session_state[LOGIN_KEY] = auth.Session.begin(actor.name)
    st.session_state.pop(NOTICE_KEY, None)
    return None


def log_out(notice: str | None = None) -> None:
    """End this session's login (and the provider's, for an OIDC login)."""
    session = st.session_state.pop(LOGIN_KEY, None)
    st.session_state[NOTICE_KEY] = notice or t("login.logged_out")
    if (session is not None and session.method == auth.BY_OIDC) or _oidc_logged_in():
        st.session_state.pop(OIDC_REFUSED_KEY, None)
        st.logout()


def take_notice() -> str | None:
    """The last login notice (logged out, session ended, no access), once."""
    return st.session_state.pop(NOTICE_KEY, None)


def client_key() -> str:
    """Who this browser is, for the per-client login limit (see :func:`auth.client_key`)."""
    fallback = st.session_state.setdefault(CLIENT_KEY, secrets.token_hex(8))
    ip, headers = st.context.ip_address, st.context.headers
    return auth.client_key(
        ip if isinstance(ip, str) else None,
        headers if isinstance(headers, Mapping) else {},
        fallback,
    )


def oidc_configured() -> bool:
    """Whether ``.streamlit/secrets.toml`` has an ``[auth]`` section for ``st.login``."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets file at all
        return False


def _oidc_logged_in() -> bool:
    return oidc_configured() and bool(st.user.get("is_logged_in"))


def _oidc_actor() -> Actor | None:
    """Map a provider login to a user by e-mail, once per session."""
    if not _oidc_logged_in() or st.session_state.get(OIDC_REFUSED_KEY):
        return None
    try:
        actor = auth.actor_for_email(
            engine(db_setting()), st.user.get("email"), verified=st.user.get("email_verified")
        )
    except LoginRefused as err:
        st.session_state[OIDC_REFUSED_KEY] = True
        st.session_state[NOTICE_KEY] = str(err)
        return None
    st.session_state[LOGIN_KEY] = auth.Session.begin(actor.name, auth.BY_OIDC)
    return actor


def set_batch_status(batch_id: int, status: str) -> tuple[str, str]:
    """Roll back or restore a batch as this session's coordinator; the core decides.

    Returns
    -------
    tuple
        ``("success" | "error", message)`` for the page to show.
    """
    try:
        batches.set_status(engine(db_setting()), batch_id, status, actor=current_actor())
    except TryggError as err:
        return "error", str(err)
    clear_reads()
    key = "upload.rolled_back" if status == batches.ROLLED_BACK else "upload.restored"
    return "success", t(key, id=batch_id)
