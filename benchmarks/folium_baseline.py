"""The baseline of the browser benchmark: a minimal streamlit-folium page.

The kommun's places (``?kommun=``, from ``TRYGG_DB``) as one ``folium.GeoJson`` of the
same web-simplified shapes the dashboard draws, shown with ``st_folium`` at the
dashboard's map size. Leaflet comes from this folder's ``static/`` (git-ignored), served
by Streamlit as the dashboard serves its own, so the page needs no internet. Started by
benchmarks/test_bench_browser.py as its own ``streamlit run``.
"""

from __future__ import annotations

import os
from pathlib import Path

import folium
import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from trygg import maps, places, store
from trygg.maps import offline

MAP_HEIGHT = 650


@st.cache_resource
def web_shapes(db: str, kommun: str) -> gpd.GeoDataFrame:
    engine = store.make_engine(db)
    frame = places.load_places(engine, kommun)
    engine.dispose()
    shapes = maps.web_shapes(frame.geometry.to_crs(3006).array).shapes
    return gpd.GeoDataFrame({"name": list(frame["name"])}, geometry=shapes, crs="EPSG:4326")


def main() -> None:
    st.set_page_config(page_title="streamlit-folium", layout="wide")
    offline.ensure_assets(Path(__file__).parent / "static")
    frame = web_shapes(os.environ["TRYGG_DB"], st.query_params.get("kommun", "1381"))
    st.title("streamlit-folium")
    fmap = folium.Map(tiles=None)
    folium.GeoJson(frame, tooltip=folium.GeoJsonTooltip(["name"])).add_to(fmap)
    minx, miny, maxx, maxy = frame.total_bounds
    fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    offline.use_local_assets(fmap)
    st_folium(
        fmap, key="baseline", height=MAP_HEIGHT, use_container_width=True, returned_objects=[]
    )


if __name__ == "__main__":  # as ``streamlit run`` runs it; not when pytest imports it
    main()
