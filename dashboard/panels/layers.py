"""The grid layers over the map: Gi* hot spots and density, off until switched on.

The cell sizes offered are those drawn at least six pixels wide at the map's first zoom
(:func:`trygg.maps.viewport.visible_cell_sizes`); the time filter (day, evening, night;
weekdays, weekends) and the emerging-hot-spot trend are the core's, with its hiding of
small numbers.
"""

from __future__ import annotations

import streamlit as st

import data
from markup import md, message
from panels.sidebar import Shared
from trygg import maps
from trygg.errors import TryggError
from trygg.maps.viewport import visible_cell_sizes
from trygg.scales import (
    DAY_TYPES,
    DEFAULT_HOTSPOT_CELL,
    HOTSPOT_CELL_SIZES,
    INCIDENT_CATEGORIES,
    MIN_INCIDENTS_PUBLIC,
    TIME_BANDS,
)
from trygg.strings import category_label, t

#: The category list's first entry: every category.
ALL_CATEGORIES = ""
#: The time filters' first entries: the whole day, every day.
ANY = ""


def cell_sizes(shared: Shared) -> list[int]:
    """The cell sizes drawn at least six pixels wide when the kommun's map first opens."""
    places = data.kommun_places(shared.db, shared.kommun)
    if places.empty:
        return list(HOTSPOT_CELL_SIZES)
    bounds = tuple(float(v) for v in places.to_crs(4326).total_bounds)
    return visible_cell_sizes(bounds, HOTSPOT_CELL_SIZES)


def controls(shared: Shared, figures: dict | None) -> list:
    """The hot-spot and density switches, cell size, category and time; the chosen layers."""
    st.sidebar.subheader(t("dash.layers"))
    hot = st.sidebar.toggle(t("dash.layer_hotspots"), key="layer_hotspots")
    density = st.sidebar.toggle(t("dash.layer_density"), key="layer_density")
    sizes = cell_sizes(shared)
    default = DEFAULT_HOTSPOT_CELL if DEFAULT_HOTSPOT_CELL in sizes else sizes[0]
    if st.session_state.get("hotspot_cell") not in sizes:
        st.session_state["hotspot_cell"] = default
    cell = st.sidebar.selectbox(
        t("dash.cell_size"),
        sizes,
        format_func=lambda size: t("fmt.metres", value=size),
        key="hotspot_cell",
        disabled=not hot,
    )
    if sizes[0] != HOTSPOT_CELL_SIZES[0] and hot:
        st.sidebar.caption(message("dash.hot_cells_hidden", smallest=sizes[0]))
    category = st.sidebar.selectbox(
        t("dash.layer_category"),
        [ALL_CATEGORIES, *INCIDENT_CATEGORIES],
        format_func=lambda slug: category_label(slug) if slug else t("dash.all_categories"),
        key="hotspot_category",
        disabled=not (hot or density),
    )
    band = st.sidebar.selectbox(
        t("dash.hot_band"),
        [ANY, *TIME_BANDS],
        format_func=lambda name: t(f"hot.band.{name}") if name else t("hot.any_time"),
        key="hotspot_band",
        disabled=not (hot or density),
    )
    days = st.sidebar.selectbox(
        t("dash.hot_days"),
        [ANY, *DAY_TYPES],
        format_func=lambda name: t(f"hot.days.{name}") if name else t("hot.any_day"),
        key="hotspot_days",
        disabled=not (hot or density),
    )
    emerging = st.sidebar.toggle(t("dash.hot_emerging"), key="hotspot_emerging", disabled=not hot)
    if band or days:
        st.sidebar.caption(message("dash.hot_window_note", k=MIN_INCIDENTS_PUBLIC))
    if not (hot or density) or figures is None or "kommun_incidents" not in figures:
        return []
    year = figures["year"]
    try:
        with st.spinner(t("dash.computing_hotspots")):
            found = data.hotspots(
                shared.db,
                shared.kommun,
                year,
                cell,
                category or None,
                shared.public,
                band or None,
                days or None,
                emerging and hot,
            )
    except TryggError as err:
        st.sidebar.warning(md(err))
        return []
    synthetic = data.incidents_synthetic(shared.db, shared.kommun)
    overlays = []
    if density:
        overlays.append(maps.DensityLayer(found["density"], synthetic))
    if hot:
        hotspot = maps.HotspotLayer(
            found["grid"], cell, category_label(category) if category else None, synthetic
        )
        if not hotspot.features():
            st.sidebar.caption(message("dash.no_hotspots", year=year))
        overlays.append(hotspot)
    return overlays
