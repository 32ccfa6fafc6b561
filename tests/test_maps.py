"""Map building without a browser: offline assets, tiles, escaping, order, selection."""

from __future__ import annotations

import json
import re

import folium
import folium.plugins
import geopandas as gpd
import pytest
from shapely.geometry import Polygon, box

from trygg import maps, places, store
from trygg.errors import TryggError

EVIL = "<img src=x onerror=alert(1)>"
URL = re.compile(r"https?://[^\s\"'<>)\\]+")
#: Strings inside Leaflet's own code: an XML namespace and its attribution link.
#: Neither is ever fetched.
LEAFLET_INTERNAL_URLS = {"http://www.w3.org/2000/svg", "https://leafletjs.com"}


@pytest.fixture(scope="module")
def laholm(demo_db) -> gpd.GeoDataFrame:
    engine = store.make_engine(str(demo_db))
    frame = places.load_places(engine, "1381")
    engine.dispose()
    return frame


def square_places(*rows) -> gpd.GeoDataFrame:
    """Hand-made places in EPSG:3006: (id, name, kind, aliases, geometry)."""
    return gpd.GeoDataFrame(
        {
            "id": [r[0] for r in rows],
            "name": [r[1] for r in rows],
            "kind": [r[2] for r in rows],
            "aliases": [r[3] for r in rows],
            "geometry": [r[4] for r in rows],
        },
        crs="EPSG:3006",
    )


#: A town centre with a park inside it and a village apart, in SWEREF 99 TM.
TOWN = square_places(
    (2, "Parken", "park", [], box(375_400, 6_264_400, 375_600, 6_264_600)),
    (1, "Centrum", "centrum", ["Stan"], box(375_000, 6_264_000, 376_000, 6_265_000)),
    (3, "Byn", "ort", [], box(380_000, 6_260_000, 382_000, 6_261_000)),
)


def rendered(fmap: folium.Map) -> str:
    return fmap.get_root().render()


def as_the_browser_reads_it(page: str) -> str:
    """Undo JSON's ``\\uXXXX`` escapes, giving the strings the map's JavaScript sees."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), page)


def tile_layer(fmap: folium.Map) -> folium.TileLayer:
    return next(c for c in fmap._children.values() if isinstance(c, folium.TileLayer))


def geojson_features_or_none(fmap: folium.Map) -> list[dict] | None:
    layers = [c for c in fmap._children.values() if isinstance(c, folium.GeoJson)]
    return layers[0].data["features"] if layers else None


def geojson_features(fmap: folium.Map) -> list[dict]:
    features = geojson_features_or_none(fmap)
    assert features is not None, "the map has no places layer"
    return features


# --- offline assets ---------------------------------------------------------------


def test_map_loads_only_leaflet_from_the_dashboard(laholm):
    page = rendered(maps.place_map(laholm, "Stadsparken"))
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', page)
    links = re.findall(r'<link[^>]+href="([^"]+)"', page)
    assert scripts == ["/app/static/vendor/leaflet-1.9.3/leaflet.js"]
    assert links == ["/app/static/vendor/leaflet-1.9.3/leaflet.css"]
    assert URL.findall(page) == []


def test_st_folium_collects_only_local_assets(laholm):
    """streamlit_folium injects every element's default_js/css into its iframe."""
    fmap = maps.place_map(laholm)
    found = [
        url
        for element in maps._walk(fmap)
        for _name, url in [
            *getattr(element, "default_js", []),
            *getattr(element, "default_css", []),
        ]
    ]
    assert found and all(url.startswith("/app/static/vendor/") for url in found)


def test_static_url_is_configurable(laholm):
    page = rendered(maps.place_map(laholm, static_url="/kartan/app/static/"))
    assert '<script src="/kartan/app/static/vendor/leaflet-1.9.3/leaflet.js">' in page


def test_a_plugin_with_cdn_assets_is_refused(laholm):
    fmap = maps.place_map(laholm)
    folium.plugins.Fullscreen().add_to(fmap)
    with pytest.raises(ValueError, match="Fullscreen"):
        maps.use_local_assets(fmap)


def test_standalone_html_needs_no_url(laholm):
    page = maps.standalone_html(maps.place_map(laholm, "Stadsparken"), title="Laholm")
    assert set(URL.findall(page)) <= LEAFLET_INTERNAL_URLS
    assert "/app/static" not in page
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", page)
    assert "<title>Laholm</title>" in page
    assert "L.map(" in page and 'version="1.9.3"' in page


# --- tiles ---------------------------------------------------------------------------


def test_no_tiles_draws_no_basemap(laholm):
    fmap = maps.place_map(laholm, tiles=None)
    assert not any(isinstance(c, folium.TileLayer) for c in fmap._children.values())
    assert "L.tileLayer" not in rendered(fmap)
    assert maps.BACKGROUND in rendered(fmap)


def test_osm_tiles_are_the_only_url(laholm):
    page = rendered(maps.place_map(laholm, tiles=maps.osm_tiles()))
    assert URL.findall(page) == [maps.OSM_URL]
    assert tile_layer(maps.place_map(laholm, tiles=maps.osm_tiles())).options["attribution"] == (
        "© OpenStreetMap-bidragsgivare"
    )


def test_custom_tiles_and_attribution(laholm):
    mode, source = maps.tiles_from_env(
        {
            "TRYGG_TILES": "https://kartor.example.se/{z}/{x}/{y}.png",
            "TRYGG_TILES_ATTR": "<b>Lantmäteriet</b>",
        }
    )
    page = rendered(maps.place_map(laholm, tiles=source))
    assert mode == "on"
    assert URL.findall(page) == ["https://kartor.example.se/{z}/{x}/{y}.png"]
    assert "&lt;b&gt;Lantmäteriet&lt;/b&gt;" in as_the_browser_reads_it(page)


@pytest.mark.parametrize(
    ("value", "mode", "url"),
    [
        (None, "auto", maps.OSM_URL),
        ("auto", "auto", maps.OSM_URL),
        ("OSM", "on", maps.OSM_URL),
        ("none", "off", maps.OSM_URL),
        ("http://localhost:8080/{z}/{x}/{y}.png", "on", "http://localhost:8080/{z}/{x}/{y}.png"),
    ],
)
def test_tiles_from_env(value, mode, url):
    environ = {} if value is None else {"TRYGG_TILES": value}
    found_mode, source = maps.tiles_from_env(environ)
    assert (found_mode, source.url) == (mode, url)


@pytest.mark.parametrize(
    "value", ["satellit", "https://example.se/tiles.png", "ftp://x/{z}/{x}/{y}"]
)
def test_unusable_tile_setting_is_refused_in_swedish(value):
    with pytest.raises(TryggError, match="känns inte igen"):
        maps.tiles_from_env({"TRYGG_TILES": value})


@pytest.mark.parametrize(
    ("mode", "online", "shown"),
    [("auto", True, True), ("auto", False, False), ("on", False, True), ("off", True, False)],
)
def test_choose_tiles(mode, online, shown):
    assert (maps.choose_tiles(mode, maps.osm_tiles(), online) is not None) is shown


# --- escaping ------------------------------------------------------------------------


def test_user_text_reaches_the_map_escaped():
    frame = square_places(
        (7, EVIL, EVIL, [EVIL, "A & B"], box(375_000, 6_264_000, 376_000, 6_265_000)),
    )
    fmap = maps.place_map(frame, EVIL, values={7: None}, value_title=EVIL)
    seen = as_the_browser_reads_it(rendered(fmap))
    assert EVIL not in seen
    assert "&lt;img src=x onerror=alert(1)&gt;" in seen
    assert "A &amp; B" in seen
    tooltip = geojson_features(fmap)[0]["properties"]["tooltip"]
    assert tooltip == (
        "<b>&lt;img src=x onerror=alert(1)&gt;</b><br>&lt;img src=x onerror=alert(1)&gt;"
        "<br>Kallas även: &lt;img src=x onerror=alert(1)&gt;, A &amp; B<br>för få svar"
    )


def test_standalone_html_escapes_too():
    frame = square_places((7, EVIL, "park", [], box(375_000, 6_264_000, 376_000, 6_265_000)))
    page = as_the_browser_reads_it(maps.standalone_html(maps.place_map(frame), title=EVIL))
    assert EVIL not in page


# --- geometry, order, tooltip, selection ---------------------------------------------


def test_smaller_place_is_drawn_above_the_one_holding_it(laholm):
    centrum = laholm.loc[laholm["name"] == "Laholms centrum", "geometry"].item()
    park = laholm.loc[laholm["name"] == "Stadsparken", "geometry"].item()
    assert centrum.contains(park)
    ids = dict(zip(laholm["name"], laholm["id"], strict=True))
    order = [f["properties"]["place_id"] for f in geojson_features(maps.place_map(laholm))]
    assert order.index(ids["Laholms centrum"]) < order.index(ids["Stadsparken"])
    assert sorted(order) == sorted(ids.values())


def test_feature_order_is_by_area_in_the_rendered_page():
    page = rendered(maps.place_map(TOWN))
    positions = [page.index(f'"place_id": {i}') for i in (3, 1, 2)]
    assert positions == sorted(positions)


def test_polygons_are_reprojected_and_fitted():
    fmap = maps.place_map(TOWN)
    ring = geojson_features(fmap)[-1]["geometry"]["coordinates"][0]
    lons, lats = zip(*ring, strict=True)
    assert 12.9 < min(lons) < max(lons) < 13.1 and 56.4 < min(lats) < max(lats) < 56.6
    fit = next(c for c in fmap._children.values() if type(c).__name__ == "FitBounds")
    web = TOWN.to_crs(4326).total_bounds
    assert fit.bounds == [
        [pytest.approx(web[1]), pytest.approx(web[0])],
        [pytest.approx(web[3]), pytest.approx(web[2])],
    ]


def test_simplified_in_metres_before_reprojecting():
    jagged = Polygon(
        [
            (375_000, 6_264_000),
            (375_500, 6_264_001),
            (376_000, 6_264_000),
            (376_000, 6_265_000),
            (375_000, 6_265_000),
        ]
    )
    frame = square_places((1, "Fält", "ovrigt", [], jagged))
    ring = maps.web_places(frame).geometry.iloc[0].exterior.coords
    assert len(ring) == 5  # the 1 m bump is gone, the four corners stay


def test_tooltip_shows_name_and_swedish_kind(laholm):
    features = {f["properties"]["place_id"]: f for f in geojson_features(maps.place_map(laholm))}
    park_id = int(laholm.loc[laholm["name"] == "Stadsparken", "id"].item())
    tooltip = features[park_id]["properties"]["tooltip"]
    assert tooltip.startswith("<b>Stadsparken</b><br>Park<br>")


def test_labels_sit_inside_their_place_and_clear_of_smaller_ones():
    web = maps.web_places(TOWN).set_index("place_id")
    centrum = web.loc[1]
    label = gpd.points_from_xy([centrum.label_lon], [centrum.label_lat])[0]
    assert centrum.geometry.contains(label)
    assert not web.loc[2].geometry.contains(label)


def test_selected_place_is_highlighted(laholm):
    fmap = maps.place_map(laholm, "Stadsparken")
    groups = [c for c in fmap._children.values() if isinstance(c, folium.FeatureGroup)]
    assert len(groups) == 1
    outlines = list(groups[0]._children.values())
    assert [o.style_function(None)["color"] for o in outlines] == ["#ffffff", maps.SELECTED]
    assert all(o.options.get("interactive") is False for o in outlines)
    park = laholm.loc[laholm["name"] == "Stadsparken"].to_crs(4326).total_bounds
    drawn = gpd.GeoDataFrame.from_features(
        [
            {
                "type": "Feature",
                "properties": {},
                "geometry": outlines[1].data["features"][0]["geometry"],
            }
        ]
    ).total_bounds
    assert drawn == pytest.approx(park, abs=1e-4)
    assert maps.SELECTED in rendered(fmap)


def test_a_kommun_without_places_gets_an_empty_map_of_sweden():
    fmap = maps.place_map(TOWN.iloc[:0], "Parken")
    assert fmap.location == list(maps.SWEDEN)
    assert geojson_features_or_none(fmap) is None
    assert "/app/static/vendor/" in rendered(fmap)


def test_no_highlight_without_selection(laholm):
    assert maps.SELECTED not in rendered(maps.place_map(laholm))
    assert maps.selection_layer(laholm, "Finns inte")._children == {}


# --- values (the choropleth hook) ----------------------------------------------------


def test_values_colour_places_and_grey_means_too_few_answers():
    fmap = maps.place_map(TOWN, values={1: 10.0, 2: 30.0, 3: None}, value_title="Andel otrygga")
    fills = {f["properties"]["place_id"]: f["properties"]["fill"] for f in geojson_features(fmap)}
    assert fills == {1: maps.PALETTE[0], 2: maps.PALETTE[-1], 3: maps.NO_DATA}
    page = as_the_browser_reads_it(rendered(fmap))
    assert "för få svar" in page and "Andel otrygga" in page
    assert "d3" not in re.findall(r'<script[^>]+src="([^"]+)"', page)


def test_clicks_can_be_traced_to_places(laholm):
    features = geojson_features(maps.place_map(laholm))
    assert {f["properties"]["place_id"] for f in features} == set(laholm["id"].astype(int))
    assert json.dumps(features)  # plain JSON, as the browser hands it back
