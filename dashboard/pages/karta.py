"""Karta: the kommun's places on a map and the promises tied to the chosen place.

The URL carries the view (``?kommun=0683&plats=Stadsparken``) so a link opens the same
map; the kommun selector, a click on the map and the place list all update it.
"""

from __future__ import annotations

import json
import re

import streamlit as st
from streamlit_folium import st_folium

import state
from trygg import maps
from trygg.commitments import group_for_place
from trygg.places import normalise_name
from trygg.scales import DEFAULT_KOMMUN, PARTIES
from trygg.strings import t

MAP_HEIGHT = 680
#: The place list's first entry: no place chosen, the whole kommun.
WHOLE_KOMMUN = ""
RETURNED = ["last_active_drawing", "last_object_clicked", "last_object_clicked_tooltip"]
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$:])")
STATUS_COLOURS = {"ej påbörjad": "gray", "pågår": "blue", "genomförd": "green", "inställd": "red"}


def main() -> None:
    db = state.db_setting()
    problem = state.db_problem(db)
    if problem:
        st.title(t("app.title"))
        st.warning(problem)
        st.stop()
    kommuner = {k["kod"]: k["namn"] for k in state.kommuner(db)}
    kod = current_kommun(kommuner)
    kommun_selector(kommuner, kod)
    places = state.kommun_places(db, kod)
    plats = current_place(places, kommuner[kod])
    tiles = tile_selector()
    st.title(f"{t('app.title')} – {kommuner[kod]}")
    left, right = st.columns([5, 3], gap="medium")
    with left:
        show_map(places, plats, tiles, kod)
    with right:
        place_selector(places, plats)
        show_commitments(state.kommun_commitments(db, kod), plats, kommuner[kod])
    download_button(places, plats, tiles, kommuner[kod])


def current_kommun(kommuner: dict[str, str]) -> str:
    """The kommun in ``?kommun=``, else Laholm (or the first one), written back to the URL."""
    wanted = st.query_params.get("kommun")
    if wanted in kommuner:
        return wanted
    fallback = DEFAULT_KOMMUN if DEFAULT_KOMMUN in kommuner else next(iter(kommuner))
    if wanted:
        st.warning(t("dash.kommun_unknown_url", code=wanted, namn=kommuner[fallback]))
    st.query_params["kommun"] = fallback
    return fallback


def kommun_selector(kommuner: dict[str, str], kod: str) -> None:
    st.session_state["kommun_select"] = kod
    st.sidebar.selectbox(
        t("dash.kommun"),
        list(kommuner),
        key="kommun_select",
        format_func=lambda code: t("dash.kommun_option", namn=kommuner[code], kod=code),
        on_change=_kommun_changed,
    )


def _kommun_changed() -> None:
    st.query_params["kommun"] = st.session_state["kommun_select"]
    st.query_params.pop("plats", None)


def current_place(places, kommun_namn: str) -> str | None:
    """The place in ``?plats=`` (a name or an alias), or None for the whole kommun."""
    wanted = st.query_params.get("plats")
    if not wanted:
        return None
    lookup = {}
    for name, aliases in zip(places["name"], places["aliases"], strict=True):
        for label in [name, *(aliases or [])]:
            lookup.setdefault(normalise_name(label), name)
    found = lookup.get(normalise_name(wanted))
    if found is None:
        st.warning(t("dash.place_unknown_url", name=wanted, kommun=kommun_namn))
        st.query_params.pop("plats", None)
    elif found != wanted:
        st.query_params["plats"] = found
    return found


def tile_selector() -> maps.TileSource | None:
    """The basemap switch in the sidebar; says which mode is active."""
    default, source = state.tile_config()
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
    online = mode != "auto" or state.tiles_online(source.url)
    tiles = maps.choose_tiles(mode, source, online)
    if tiles is not None:
        st.sidebar.caption(t("dash.tiles_active_on", label=tiles.label))
    elif mode == "auto":
        st.sidebar.caption(t("dash.tiles_auto_offline"))
    else:
        st.sidebar.caption(t("dash.tiles_active_off"))
    return tiles


def show_map(places, plats: str | None, tiles, kod: str) -> None:
    """The map; a click on a place selects it (the page reruns with it in the URL)."""
    fmap = maps.place_map(places, tiles=tiles)
    result = st_folium(
        fmap,
        key=f"karta_{kod}",
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=RETURNED,
        feature_group_to_add=maps.selection_layer(places, plats),
    )
    st.caption(t("dash.map_help"))
    clicked, signature = clicked_place(result, places)
    if clicked is None or st.session_state.get("last_click") == signature:
        return
    st.session_state["last_click"] = signature
    if clicked != plats:
        st.query_params["plats"] = clicked
        st.rerun()


def clicked_place(result: dict | None, places) -> tuple[str | None, str | None]:
    """The name of the clicked place and a signature telling one click from the next."""
    if not result:
        return None, None
    drawing = result.get("last_active_drawing") or {}
    place_id = (drawing.get("properties") or {}).get("place_id")
    by_id = dict(zip(places["id"].astype(int), places["name"], strict=True))
    name = by_id.get(place_id) if place_id is not None else None
    if name is None:
        name = _name_from_tooltip(result.get("last_object_clicked_tooltip"), places)
    signature = json.dumps([place_id, name, result.get("last_object_clicked")], default=str)
    return name, signature


def _name_from_tooltip(tooltip: str | None, places) -> str | None:
    first_line = (tooltip or "").strip().splitlines()[:1]
    names = set(places["name"])
    return first_line[0].strip() if first_line and first_line[0].strip() in names else None


def place_selector(places, plats: str | None) -> None:
    names = sorted(places["name"], key=normalise_name)
    st.session_state["plats_select"] = plats or WHOLE_KOMMUN
    st.selectbox(
        t("dash.place"),
        [WHOLE_KOMMUN, *names],
        key="plats_select",
        format_func=lambda name: name or t("dash.whole_kommun"),
        on_change=_place_changed,
    )


def _place_changed() -> None:
    chosen = st.session_state["plats_select"]
    if chosen == WHOLE_KOMMUN:
        st.query_params.pop("plats", None)
    else:
        st.query_params["plats"] = chosen


def show_commitments(items: list[dict], plats: str | None, kommun_namn: str) -> None:
    """Place-bound promises by party, then the kommun-wide ones."""
    grouped = group_for_place(items, plats)
    heading = t("dash.heading_place", place=plats) if plats else None
    st.header(_md(heading or t("dash.heading_kommun", kommun=kommun_namn)))
    titles = sorted({item["medborgarlofte"] for item in items})
    if titles:
        st.caption(_md(" · ".join(titles)))
    if any(f.get("demo") for item in items for f in item["follow_ups"]):
        st.caption(t("dash.demo_caption"))
    if not items:
        st.info(t("dash.no_commitments", kommun=kommun_namn))
        return
    bound = [(party, grouped["by_party"][party]) for party in PARTIES]
    if plats and not any(group for _party, group in bound):
        st.info(t("dash.no_place_commitments", place=plats))
    for party, group in bound:
        _commitment_group(PARTIES[party], group)
    _commitment_group(t("dash.kommun_wide"), grouped["kommun_wide"])


def _commitment_group(title: str, group: list[dict]) -> None:
    if not group:
        return
    st.subheader(_md(title))
    for item in group:
        with st.container(border=True):
            _commitment(item)


def _commitment(item: dict) -> None:
    colour = STATUS_COLOURS.get(item["status"], "gray")
    st.markdown(f"**{_md(item['text'])}**")
    st.markdown(f":{colour}-badge[{_md(t('dash.status', status=item['status']))}]")
    if item["partners"]:
        st.caption(_md(t("dash.partners", partners=", ".join(item["partners"]))))
    latest = max(item["follow_ups"], key=lambda f: f["date"], default=None)
    if latest is None:
        st.caption(t("dash.no_follow_up"))
        return
    line = t("dash.latest_follow_up", date=latest["date"], status=latest["status"])
    comment = f" – {latest['comment']}" if latest.get("comment") else ""
    demo = f" ({t('dash.demo_marker')})" if latest.get("demo") else ""
    st.markdown(_md(line + comment + demo))


def download_button(places, plats: str | None, tiles, kommun_namn: str) -> None:
    """The map as one HTML file that works without internet (projector laptops)."""
    fmap = maps.place_map(places, plats, tiles=tiles)
    st.sidebar.download_button(
        t("dash.download_html"),
        data=maps.standalone_html(fmap, title=f"{t('app.title')} – {kommun_namn}"),
        file_name=f"trygghetskartan-{normalise_name(kommun_namn)}.html",
        mime="text/html",
        help=t("dash.download_help"),
    )


def _md(text: str) -> str:
    """Escape Markdown so user text is shown as written."""
    escaped = MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
    escaped = re.sub(r"^(\s*)([-+])", r"\1\\\2", escaped)
    return re.sub(r"^(\s*\d+)\.", r"\1\\.", escaped)


main()
