"""The grid layers over the map: Gi* hot spots and density, off until switched on."""

from __future__ import annotations

import streamlit as st

import data
from markup import message
from panels.sidebar import Shared
from trygg import maps
from trygg.scales import DEFAULT_HOTSPOT_CELL, HOTSPOT_CELL_SIZES, INCIDENT_CATEGORIES
from trygg.strings import t

#: The category list's first entry: every category.
ALL_CATEGORIES = ""


def controls(shared: Shared, figures: dict | None) -> list:
    """The hot-spot and density switches, cell size and category; the chosen layers."""
    st.sidebar.subheader(t("dash.layers"))
    hot = st.sidebar.toggle(t("dash.layer_hotspots"), key="layer_hotspots")
    density = st.sidebar.toggle(t("dash.layer_density"), key="layer_density")
    cell = st.sidebar.selectbox(
        t("dash.cell_size"),
        HOTSPOT_CELL_SIZES,
        index=HOTSPOT_CELL_SIZES.index(DEFAULT_HOTSPOT_CELL),
        format_func=lambda size: t("fmt.metres", value=size),
        key="hotspot_cell",
        disabled=not hot,
    )
    category = st.sidebar.selectbox(
        t("dash.layer_category"),
        [ALL_CATEGORIES, *INCIDENT_CATEGORIES],
        format_func=lambda slug: INCIDENT_CATEGORIES.get(slug) or t("dash.all_categories"),
        key="hotspot_category",
        disabled=not (hot or density),
    )
    if not (hot or density) or figures is None or "kommun_incidents" not in figures:
        return []
    year = figures["year"]
    found = data.hotspots(shared.db, shared.kommun, year, cell, category or None, shared.public)
    synthetic = data.incidents_synthetic(shared.db, shared.kommun)
    overlays = []
    if density:
        overlays.append(maps.DensityLayer(found["density"], synthetic))
    if hot:
        hotspot = maps.HotspotLayer(
            found["grid"], cell, INCIDENT_CATEGORIES.get(category), synthetic
        )
        if not hotspot.features():
            st.sidebar.caption(message("dash.no_hotspots", year=year))
        overlays.append(hotspot)
    return overlays
