"""The sidebar every page shares: login box, kommun, basemap and public view.

``app.py`` draws it once per run, before the page, and keeps what was chosen for the
page in :func:`current`.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

import data
import session
import url_state
from markup import md, message
from panels import language
from trygg import maps
from trygg.auth import Actor
from trygg.errors import TryggError
from trygg.scales import DEFAULT_KOMMUN, MIN_INCIDENTS_PUBLIC
from trygg.strings import t

SHARED_KEY = "trygg_shared"
#: How long the answer to "does the tile server answer?" holds: it is another
#: server's state, which no data version can tell.
TILE_CHECK_TTL_S = 180


@dataclass(frozen=True)
class Shared:
    """What the sidebar chose, for the page: the database, kommun, view and basemap."""

    db: str
    kommun: str
    kommun_namn: str
    public: bool
    tiles: maps.TileSource | None
    actor: Actor | None


def draw(db: str, actor: Actor | None) -> Shared:
    """Draw the shared sidebar and keep its choices for the page (see :func:`current`)."""
    login_box(actor)
    language.switch()
    kommun, kommuner = kommun_selector(db)
    tiles = tile_selector()
    public = public_switch(actor, kommun)
    shared = Shared(db, kommun, kommuner[kommun], public, tiles, actor)
    st.session_state[SHARED_KEY] = shared
    return shared


def current() -> Shared:
    """The sidebar's choices of this run."""
    return st.session_state[SHARED_KEY]


def login_box(actor: Actor | None) -> None:
    """Who is logged in, the log-out button, and a notice such as "session ended"."""
    notice = session.take_notice()
    if notice:
        st.sidebar.info(md(notice))
    if actor is None:
        return
    st.sidebar.caption(message("login.sidebar", name=actor.name))
    st.sidebar.button(t("login.logout"), key="logout", on_click=session.log_out)


def kommun_selector(db: str) -> tuple[str, dict[str, str]]:
    """The kommun from ``?kommun=``, else the one chosen before, else Laholm or the first.

    Returns
    -------
    tuple
        ``(kod, {kod: namn})``.
    """
    found = data.kommuner(db)
    default = DEFAULT_KOMMUN if DEFAULT_KOMMUN in found else next(iter(found))
    choice = url_state.choose("kommun", "kommun_select", list(found), default, remember=True)
    if choice.unknown:
        st.warning(
            message("dash.kommun_unknown_url", code=choice.unknown, namn=found[choice.value])
        )
    st.sidebar.selectbox(
        t("dash.kommun"),
        list(found),
        key="kommun_select",
        format_func=lambda code: t("dash.kommun_option", namn=found[code], kod=code),
        on_change=url_state.to_url,
        args=("kommun", "kommun_select"),
        kwargs={"drops": ("plats",)},
    )
    return choice.value, found


def tile_selector() -> maps.TileSource | None:
    """The basemap switch; says which mode is active."""
    try:
        default, source = maps.tiles_from_env()
    except TryggError as err:
        st.warning(md(err))
        default, source = "off", maps.osm_tiles()
    labels = {
        "auto": t("dash.tiles_auto"),
        "on": t("dash.tiles_on", label=source.label),
        "off": t("dash.tiles_off"),
    }
    mode = st.sidebar.radio(
        t("dash.tiles"),
        maps.TILE_MODES,
        index=maps.TILE_MODES.index(default),
        format_func=labels.get,
        key="tiles_mode",
    )
    online = mode != "auto" or _tiles_online(source.url)
    tiles = maps.choose_tiles(mode, source, online)
    if tiles is not None:
        st.sidebar.caption(message("dash.tiles_active_on", label=tiles.label))
    elif mode == "auto":
        st.sidebar.caption(t("dash.tiles_auto_offline"))
    else:
        st.sidebar.caption(t("dash.tiles_active_off"))
    return tiles


@st.cache_data(ttl=TILE_CHECK_TTL_S, show_spinner=False)
def _tiles_online(url: str) -> bool:
    return maps.host_reachable(url)


def public_switch(actor: Actor | None, kommun: str) -> bool:
    """The switch for the projector: on unless a coordinator of the kommun turns it off.

    Only a logged-in coordinator of the chosen kommun gets the switch; for everyone
    else the view is public and no widget value is read.
    """
    k = MIN_INCIDENTS_PUBLIC
    public = True
    if actor is not None and actor.may_change(kommun):
        public = st.sidebar.toggle(
            t("dash.public"), value=True, key="public_view", help=t("dash.public_help", k=k)
        )
    st.sidebar.caption(t("dash.public_on" if public else "dash.public_off", k=k))
    return public
