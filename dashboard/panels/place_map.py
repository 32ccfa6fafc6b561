"""The Plats page's map: the kommun's places, the chosen one outlined and zoomed to.

No colours by figure and no legend here (the figures are in words beside it): the map
says where the place is. It is fitted to the place's bounds after the kommun's, with a
fine zoom step so that a narrow place (Stadsparken) fills the frame.
"""

from __future__ import annotations

import streamlit as st
import streamlit_folium

import data
from markup import message
from panels.sidebar import Shared
from trygg import maps
from trygg.pages import place as place_page

MAP_HEIGHT = 560
#: Room around the place, in pixels.
PADDING_PX = 16
#: Leaflet's zoom step when fitting the place; the Karta page uses 0.25.
ZOOM_SNAP = 0.1


def show(shared: Shared, places, plats: str) -> None:
    """The map zoomed to the place called ``plats``; it takes no clicks."""
    fmap = maps.place_map(
        places, tiles=shared.tiles, context=data.context(shared.db, shared.kommun)
    )
    bounds = place_page.place_bounds(places, plats)
    if bounds is not None:
        fmap.options["zoom_snap"] = ZOOM_SNAP
        fmap.fit_bounds(bounds, padding=(PADDING_PX, PADDING_PX))
    streamlit_folium.st_folium(
        fmap,
        key=f"plats_karta_{shared.kommun}_{plats}",
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=[],
        feature_group_to_add=maps.selection_layer(places, plats),
    )
    st.caption(message("plats.map_caption", place=plats))
