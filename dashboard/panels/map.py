"""The map: what it is coloured by, the place chosen on it or in the list, its download.

The folium map is built once per page run (:func:`show`): ``st_folium`` gets it under
one key with only the click returned, and the chosen place as a separate layer, so
choosing a place (a click, the list, ``?plats=``) zooms to it without reloading the map;
"Visa hela kommunen" on the map, or "Hela kommunen" in the list, shows every place
again. The download reuses the same map and is rendered only when the button is clicked.

The page is laid out so the whole map is above the fold at 1400×900 with the sidebar
open (and at least 1,100×650 px at 1920×1080): a one-line title, the selectors in one
row, the map the page's full width (:data:`COMPACT_PAGE`, :data:`MAP_HEIGHT`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import partial

import folium
import streamlit as st
import streamlit_folium

import data
import url_state
from markup import message
from panels.sidebar import Shared
from trygg import formatting, maps
from trygg.maps.palette import SCHEMES
from trygg.strings import t

#: Tall enough for 1920×1080, short enough to sit whole below the header at 1400×900.
MAP_HEIGHT = 650
#: Less room above the title and beside the page, and a title on one line. A fixed
#: stylesheet (no data in it); Streamlit puts a style-only ``st.html`` out of the flow.
COMPACT_PAGE = """<style>
[data-testid="stMainBlockContainer"] { padding: 1.25rem 3rem 4rem; }
[data-testid="stMainBlockContainer"] h1 { font-size: 2rem; padding: 0 0 0.25rem; }
</style>"""
RETURNED = ["last_active_drawing", "last_object_clicked", "last_object_clicked_tooltip"]
#: The survey's core figure, the map's colour by default.
CORE = "andel_otrygga"
#: The place list's first entry: no place chosen, the whole kommun.
WHOLE_KOMMUN = ""


@dataclass(frozen=True)
class Shown:
    """The year's figures per place and the metric the map is coloured by."""

    figures: dict | None
    metric: str | None


def chosen_place(shared: Shared) -> str | None:
    """The place in ``?plats=`` (a name or an alias), or None for the whole kommun."""
    index = data.name_index(shared.db, shared.kommun)
    choice = url_state.choose(
        "plats",
        "plats_select",
        [WHOLE_KOMMUN, *index.known_names()],
        WHOLE_KOMMUN,
        find=lambda text: (index.find_in_link(text) or (None, None))[1],
    )
    if choice.unknown:
        st.warning(
            message("dash.place_unknown_url", name=choice.unknown, kommun=shared.kommun_namn)
        )
    return choice.value or None


def compact_page() -> None:
    """The page's frame as :data:`COMPACT_PAGE` sets it."""
    st.html(COMPACT_PAGE)


def selectors(shared: Shared) -> Shown:
    """One row above the map: the figure, the year and the place."""
    metric_column, year_column, place_column = st.columns([5, 2, 4])
    shown = figure_selectors(shared, metric_column, year_column)
    with place_column:
        place_selector(shared)
    return shown


def figure_selectors(shared: Shared, metric_column, year_column) -> Shown:
    """The year and the figure to colour the map by, from ``?ar=`` and ``?visa=``, drawn
    in the two columns given.

    Without survey answers and incidents there is nothing to choose: ``Shown(None, None)``.
    """
    latest = data.figures(shared.db, shared.kommun, None, shared.public)
    if not latest["years"]:
        return Shown(None, None)
    years = [str(year) for year in reversed(latest["years"])]
    year = url_state.choose("ar", "year_select", years, str(latest["year"])).value
    figures = (
        latest
        if int(year) == latest["year"]
        else data.figures(shared.db, shared.kommun, int(year), shared.public)
    )
    options = maps.metric_options(figures)
    default = CORE if CORE in options else next(iter(options))
    metric = url_state.choose("visa", "metric_select", list(options), default).value
    metric_column.selectbox(
        t("dash.metric"),
        list(options),
        key="metric_select",
        format_func=options.get,
        on_change=url_state.to_url,
        args=("visa", "metric_select"),
    )
    year_column.selectbox(
        t("dash.year"),
        years,
        key="year_select",
        on_change=url_state.to_url,
        args=("ar", "year_select"),
    )
    return Shown(figures, metric)


def colouring(shared: Shared, shown: Shown):
    """The choropleth of the chosen metric: a survey share or an incident figure."""
    if shown.figures is None:
        return None
    scheme = st.sidebar.selectbox(
        t("dash.class_scheme"),
        SCHEMES,
        format_func=lambda name: t(f"scheme.{name}"),
        key="class_scheme",
        help=t("dash.class_scheme_help"),
    )
    if not maps.is_incident_metric(shown.metric):
        return maps.choropleth(shown.figures, shown.metric, scheme=scheme)
    before = data.comparison(shared.db, shared.kommun, shown.figures, shared.public)
    synthetic = data.incidents_synthetic(shared.db, shared.kommun)
    return maps.incident_choropleth(
        shown.figures, shown.metric, before.figures, synthetic, scheme=scheme
    )


@dataclass(frozen=True)
class Drawn:
    """The map as this run built it, and the chosen place's highlight on it."""

    fmap: folium.Map
    selection: folium.FeatureGroup


def show(shared: Shared, places, plats: str | None, layer, overlays: list) -> Drawn:
    """The map; a click on a place selects it (``?plats=``).

    The click is taken in ``st_folium``'s ``on_change``, before the run that follows,
    so that run builds the map once, with the new place; a click seen only in the
    returned value (the first run of a session) reruns the page.
    """
    fmap = maps.place_map(
        places,
        tiles=shared.tiles,
        choropleth=layer,
        overlays=overlays,
        context=data.context(shared.db, shared.kommun),
    )
    selection = maps.selection_layer(places, plats)
    key = f"karta_{shared.kommun}"
    names = data.name_index(shared.db, shared.kommun).names
    # A box of the map's height: when a new metric reloads the component, its frames
    # are 0 px high for a moment, and the page below would jump up and back.
    with st.container(height=MAP_HEIGHT, border=False):
        result = streamlit_folium.st_folium(
            fmap,
            key=key,
            height=MAP_HEIGHT,
            use_container_width=True,
            returned_objects=RETURNED,
            feature_group_to_add=selection,
            on_change=partial(_on_click, key, names),
        )
    st.caption(t("dash.map_help"))
    clicked = take_click(result, names)
    if clicked is not None and clicked != plats:
        st.rerun()
    return Drawn(fmap, selection)


def _on_click(key: str, names: dict[int, str]) -> None:
    take_click(st.session_state.get(key), names)


def take_click(result: dict | None, names: dict[int, str]) -> str | None:
    """The place of a click not seen before, written to ``?plats=``; None without one."""
    clicked, signature = clicked_place(result, names)
    if clicked is None or st.session_state.get("last_click") == signature:
        return None
    st.session_state["last_click"] = signature
    st.query_params["plats"] = clicked
    return clicked


def clicked_place(result: dict | None, names: dict[int, str]) -> tuple[str | None, str | None]:
    """The name of the clicked place and a signature telling one click from the next.

    ``names`` maps place ids to names. The place comes from the clicked shape's
    ``place_id``, else from the first line of its tooltip.
    """
    if not result:
        return None, None
    drawing = result.get("last_active_drawing") or {}
    place_id = (drawing.get("properties") or {}).get("place_id")
    name = names.get(place_id) if place_id is not None else None
    if name is None:
        first_line = (result.get("last_object_clicked_tooltip") or "").strip().splitlines()[:1]
        tooltip_name = first_line[0].strip() if first_line else None
        name = tooltip_name if tooltip_name in names.values() else None
    signature = json.dumps([place_id, name, result.get("last_object_clicked")], default=str)
    return name, signature


def place_selector(shared: Shared) -> None:
    """The list of places, the whole kommun first; its value was set by :func:`chosen_place`."""
    names = data.name_index(shared.db, shared.kommun).known_names()
    st.selectbox(
        t("dash.place"),
        [WHOLE_KOMMUN, *names],
        key="plats_select",
        format_func=lambda name: name or t("dash.whole_kommun"),
        on_change=url_state.to_url,
        args=("plats", "plats_select"),
    )


def download(shared: Shared, drawn: Drawn) -> None:
    """The map as one HTML file that works without internet (projector laptops).

    The file is rendered from this run's map only when the button is clicked, on
    Streamlit's download thread; a rerun of the page renders nothing.
    """
    title = f"{t('app.title')} – {shared.kommun_namn}"

    def build() -> str:
        return maps.standalone_html(drawn.fmap, title=title, selection=drawn.selection)

    st.sidebar.download_button(
        t("dash.download_html"),
        data=build,
        file_name=formatting.map_file_name(shared.kommun_namn),
        mime="text/html",
        help=t("dash.download_help"),
        on_click="ignore",
    )
