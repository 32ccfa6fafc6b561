"""Map building without a browser: offline assets, tiles, escaping, order, selection,
and the choropleth (classes, suppressed places, tooltips, legend)."""

from __future__ import annotations

import json
import re

import folium
import folium.plugins
import geopandas as gpd
import pytest
from shapely.geometry import Polygon, box

from trygg import formatting, maps, places, stats, store
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


def share(andel: float | None, n: int, low: float = 0.0, high: float = 1.0) -> dict:
    """A figure as ``compute_stats`` gives it; None means suppressed."""
    if andel is None:
        return {"n": n, "andel": None, "ki_lag": None, "ki_hog": None, "suppressed": True}
    return {"n": n, "andel": andel, "ki_lag": low, "ki_hog": high, "suppressed": False}


def layer(figures: dict, **options) -> maps.Choropleth:
    return maps.Choropleth(title=options.pop("title", "Andel otrygga"), figures=figures, **options)


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
    fmap = maps.place_map(frame, EVIL, choropleth=layer({7: share(None, 3)}, title=EVIL))
    seen = as_the_browser_reads_it(rendered(fmap))
    assert EVIL not in seen
    assert "&lt;img src=x onerror=alert(1)&gt;" in seen
    assert "A &amp; B" in seen
    tooltip = geojson_features(fmap)[0]["properties"]["tooltip"]
    assert tooltip == (
        "<b>&lt;img src=x onerror=alert(1)&gt;</b><br>&lt;img src=x onerror=alert(1)&gt;"
        "<br>Kallas även: &lt;img src=x onerror=alert(1)&gt;, A &amp; B<br><b>för få svar</b>"
        f"<br>{formatting.count(3)}"
    )
    legend = next(c for c in fmap._children.values() if type(c).__name__ == "_Legend")
    assert EVIL not in legend.content
    assert "&lt;img src=x onerror=alert(1)&gt;" in legend.content


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


# --- the choropleth ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "k", "bins", "classes"),
    [
        # Three clear groups: by eye, {10, 11, 12}, {50, 52} and {90}.
        ([0.10, 0.11, 0.12, 0.50, 0.52, 0.90], 3, (0.12, 0.52, 0.90), [0, 0, 0, 1, 1, 2]),
        # Fewer distinct values than classes: each value is its own class.
        ([0.40, 0.20, 0.40], 5, (0.20, 0.40), [1, 0, 1]),
        ([0.30, 0.30], 5, (0.30,), [0, 0]),
        ([], 5, (), []),
    ],
)
def test_classify_puts_values_in_the_right_classes(values, k, bins, classes):
    found = maps.classify(values, k)
    assert found.bins == pytest.approx(bins)
    assert [found.index(v) for v in values] == classes
    assert len(found.colours) == len(bins)


def test_classify_uses_at_most_five_classes_and_reports_observed_ranges():
    # Six tight pairs and a single in five classes: the two pairs closest together
    # (0.06 → 0.15, a gap of 0.09) share a class; that adds the least variance.
    values = [0.05, 0.06, 0.15, 0.16, 0.30, 0.31, 0.50, 0.52, 0.80, 0.81, 0.99]
    found = maps.classify(values, k=9)
    assert found.colours == maps.PALETTE
    assert found.ranges == (
        (0.05, 0.16),
        (0.30, 0.31),
        (0.50, 0.52),
        (0.80, 0.81),
        (0.99, 0.99),
    )


#: Centrum 10 %, Parken 30 % (two classes), Byn suppressed with 4 answers.
TOWN_FIGURES = {
    1: share(0.10, 40, 0.04, 0.23),
    2: share(0.30, 25, 0.154, 0.5),
    3: share(None, 4),
}


def test_values_colour_places_in_classes():
    fmap = maps.place_map(TOWN, choropleth=layer(TOWN_FIGURES, year=2024))
    styles = {f["properties"]["place_id"]: f["properties"]["style"] for f in geojson_features(fmap)}
    assert styles[1]["fillColor"] == maps.PALETTES[2][0]
    assert styles[2]["fillColor"] == maps.PALETTES[2][1]
    assert "dashArray" not in styles[1] and "dashArray" not in styles[2]


def test_a_suppressed_place_is_hatched_grey_and_says_too_few_answers():
    fmap = maps.place_map(TOWN, choropleth=layer(TOWN_FIGURES, year=2024))
    byn = next(f for f in geojson_features(fmap) if f["properties"]["place_id"] == 3)
    style = byn["properties"]["style"]
    assert style["fillColor"] == maps.NO_DATA
    assert maps.HATCH_ID in style["fillColor"] and style["dashArray"]
    assert style["fillColor"] not in maps.PALETTE and "#000" not in style["fillColor"]
    assert style["color"] != maps.OUTLINE
    tooltip = byn["properties"]["tooltip"]
    assert tooltip == f"<b>Byn</b><br>Ort<br><b>för få svar</b><br>{formatting.count(4)}"
    assert "%" not in tooltip and "0,0" not in tooltip
    assert f'id="{maps.HATCH_ID}"' in rendered(fmap)


def test_tooltip_shows_value_n_and_interval_in_swedish():
    fmap = maps.place_map(TOWN, choropleth=layer(TOWN_FIGURES, year=2024))
    parken = next(f for f in geojson_features(fmap) if f["properties"]["place_id"] == 2)
    lines = parken["properties"]["tooltip"].replace("\u00a0", " ").replace("\u2060", "")
    assert lines == "<b>Parken</b><br>Park<br><b>30,0 %</b><br>n = 25<br>95 % KI 15,4–50,0 %"


def test_legend_states_year_classes_suppression_and_synthetic_data():
    synthetic = maps.legend_html(layer(TOWN_FIGURES, year=2023, synthetic=True, min_n=10))
    text = re.sub("<[^>]+>", "|", synthetic).replace("\u00a0", " ").replace("\u2060", "")
    assert "År 2023" in text
    assert "|10,0 %|" in text and "|30,0 %|" in text
    assert "för få svar (färre än 10)" in text
    assert "syntetiska demodata" in text
    assert text.index("30,0 %") < text.index("10,0 %")  # highest class first
    assert "syntetiska" not in maps.legend_html(layer(TOWN_FIGURES, year=2023))


def test_legend_avoids_d3_and_keeps_places_clear_of_it():
    fmap = maps.place_map(TOWN, choropleth=layer(TOWN_FIGURES, year=2024))
    page = as_the_browser_reads_it(rendered(fmap))
    assert "d3" not in re.findall(r'<script[^>]+src="([^"]+)"', page)
    assert "getBoundsZoom" in page  # the map is fitted again beside the legend
    assert "Andel otrygga" in page


@pytest.fixture(scope="module")
def laholm_stats(demo_db) -> dict:
    engine = store.make_engine(str(demo_db))
    figures = stats.compute_stats(engine, "1381")
    engine.dispose()
    return figures


def test_choropleth_from_compute_stats(laholm_stats):
    chosen = maps.choropleth(laholm_stats, "problem_nedskrapning")
    assert chosen.title == "Problem: Nedskräpning"
    assert chosen.year == laholm_stats["year"] == 2024
    assert chosen.synthetic and laholm_stats["synthetic"]
    for place in laholm_stats["places"]:
        expected = place["survey"]["problem"]["nedskrapning"]
        assert chosen.figures[place["place_id"]] == expected


def test_metric_options_name_every_item_in_plain_swedish(laholm_stats):
    options = maps.metric_options(laholm_stats)
    assert next(iter(options.items())) == (
        "andel_otrygga",
        "Andel som känner sig otrygga ute sent på kvällen",
    )
    assert options["problem_nedskrapning"] == "Problem: Nedskräpning"
    assert options["oro_inbrott"] == "Oro: Inbrott i bostaden"
    assert set(options) == set(laholm_stats["kommun_total"])
    kinds = [name.split("_", 1)[0] for name in options]
    assert kinds == sorted(kinds, key=["andel", "problem", "oro"].index)


def test_clicks_can_be_traced_to_places(laholm):
    features = geojson_features(maps.place_map(laholm))
    assert {f["properties"]["place_id"] for f in features} == set(laholm["id"].astype(int))
    assert json.dumps(features)  # plain JSON, as the browser hands it back
