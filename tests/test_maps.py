"""Map building without a browser: offline assets, tiles, escaping, order, selection,
and the choropleth (classes, suppressed places, tooltips, legend)."""

from __future__ import annotations

import json
import re
import warnings

import folium
import folium.plugins
import geopandas as gpd
import mapclassify
import numpy as np
import pytest
from shapely.geometry import Polygon, box
from streamlit_folium import generate_leaflet_string

from trygg import formatting, maps, places, scales, store
from trygg.errors import TryggError
from trygg.maps import templates
from trygg.maps.palette import SEQUENTIAL
from trygg.stats import report

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
        for element in maps.walk(fmap)
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


def without_ids(page: str) -> str:
    """The page with folium's random element ids (and names made of them) taken out."""
    return re.sub(r"[0-9a-f]{32}", "ID", page)


def test_standalone_html_reuses_the_map_the_page_shows(laholm):
    """One map per rerun: the file is the shown map plus the selection, also after the
    page rendered it, and the shown map is left as it was."""
    shown = maps.place_map(laholm)
    root, before = shown.get_root(), rendered(shown)
    children = list(shown._children)
    selection = maps.selection_layer(laholm, "Stadsparken")
    page = maps.standalone_html(shown, title="Laholm", selection=selection)
    built = maps.standalone_html(maps.place_map(laholm, "Stadsparken"), title="Laholm")
    assert without_ids(page) == without_ids(built)
    assert maps.SELECTED in page and maps.SELECTED not in before
    assert shown.get_root() is root and list(shown._children) == children
    assert root.title is None and selection._parent is None


def test_standalone_html_draws_a_selection_st_folium_added_once(laholm):
    """``st_folium(feature_group_to_add=...)`` adds the highlight to the map it shows."""
    shown = maps.place_map(laholm)
    selection = maps.selection_layer(laholm, "Stadsparken")
    selection.add_to(shown)
    page = maps.standalone_html(shown, selection=selection)
    built = maps.standalone_html(maps.place_map(laholm, "Stadsparken"))
    assert page.count(maps.SELECTED) == built.count(maps.SELECTED) > 0
    assert page.count("L.featureGroup(") == built.count("L.featureGroup(") == 1


def test_standalone_html_after_st_folium_names_only_layers_it_declares(laholm):
    """``st_folium`` renders the map and renames its elements; the file built from that
    map afterwards must not add a layer under its old name (the script would stop)."""
    shown = maps.place_map(laholm, choropleth=layer({}))
    selection = maps.selection_layer(laholm, "Stadsparken")
    shown.get_root().render()
    generate_leaflet_string(shown)
    selection.add_to(shown)
    page = maps.standalone_html(shown, selection=selection)
    script = page[page.rindex("<script>") :]
    for name in ("labels.js", "legend.js"):  # their own functions, called with the map
        script = script.replace(templates.source(name), "")
    declared = set(re.findall(r"var (\w+) =", script))
    added = {name for pair in re.findall(r"(\w+)\.addTo\((\w+)\)", script) for name in pair}
    assert added and added <= declared
    assert script.count("tryggPlaceLabels(") == script.count("tryggLegend(") == 1


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
    # A 0.5 m bump over 8 m: a triangle of 2 m², under the finest tolerance (3 m)².
    jagged = Polygon(
        [
            (375_000, 6_264_000),
            (375_496, 6_264_000),
            (375_500, 6_264_000.5),
            (375_504, 6_264_000),
            (376_000, 6_264_000),
            (376_000, 6_265_000),
            (375_000, 6_265_000),
        ]
    )
    frame = square_places((1, "Fält", "ovrigt", [], jagged))
    ring = maps.web_places(frame).geometry.iloc[0].exterior.coords
    assert len(ring) == 5  # the bump and the points in line are gone, the corners stay
    square = gpd.GeoSeries([box(375_000, 6_264_000, 376_000, 6_265_000)], crs="EPSG:3006")
    corners = square.to_crs(4326).iloc[0].exterior.coords
    assert np.array(sorted(ring[:-1])) == pytest.approx(np.array(sorted(corners[:-1])), abs=1e-5)


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


@pytest.mark.parametrize("seed", range(6))
def test_natural_breaks_match_mapclassify(seed):
    """The numpy dynamic programme finds the breaks mapclassify's Fisher–Jenks finds."""
    rng = np.random.default_rng(seed)
    values = np.sort(np.round(rng.gamma(2.0, 0.1, int(rng.integers(20, 150))), 3))
    k = int(rng.integers(2, 6))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Numba not installed", UserWarning)
        expected = tuple(float(b) for b in mapclassify.FisherJenks(values, k=k).bins)
    assert maps.classify(values, k).bins == expected


#: Centrum 10 %, Parken 30 % (two classes), Byn suppressed with 4 answers.
TOWN_FIGURES = {
    1: share(0.10, 40, 0.04, 0.23),
    2: share(0.30, 25, 0.154, 0.5),
    3: share(None, 4),
}


def test_values_colour_places_in_classes():
    # 10 % and 30 % span five steps of 5 points (10–15 … 30–35 %): by default the
    # classes walk the seven-step ramp one step each, centred (steps 1 to 5).
    fmap = maps.place_map(TOWN, choropleth=layer(TOWN_FIGURES, year=2024))
    styles = {f["properties"]["place_id"]: f["properties"]["style"] for f in geojson_features(fmap)}
    assert styles[1]["fillColor"] == SEQUENTIAL[1]
    assert styles[2]["fillColor"] == SEQUENTIAL[5]
    natural = maps.place_map(TOWN, choropleth=layer(TOWN_FIGURES, scheme="natural"))
    styles = {p: f["style"] for p, f in features_by_place(natural).items()}
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
    assert "|10–15 %|" in text and "|30–35 %|" in text  # round steps, only the drawn ones
    assert "15–20 %" not in text and "25–30 %" not in text
    assert "för få svar (färre än 10)" in text
    assert "syntetiska demodata" in text
    assert text.index("30–35 %") < text.index("10–15 %")  # highest class first
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
    figures = report.compute_stats(engine, "1381")
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


# --- incident figures on the map --------------------------------------------------------


def incidents(total, **values) -> dict:
    """An ``incidents`` block as ``place_figures`` gives it; None means suppressed."""
    found = {
        "total": total,
        "by_category": {},
        "per_1000_inv": None,
        "per_km2": None,
        "previous_total": 0,
        "suppressed": total is None,
    }
    return {**found, **values}


#: Centrum 40 incidents (12 drugs, 2 000 inhabitants), Parken suppressed in public,
#: Byn 9 incidents and no population figure.
TOWN_INCIDENTS = {
    1: incidents(40, by_category={"narkotika": 12, "stöld": None}, per_1000_inv=20.0),
    2: incidents(None),
    3: incidents(9, by_category={"stöld": 9}),
}
TOWN_BEFORE = {1: incidents(35), 2: incidents(4), 3: incidents(None)}


def incident_layer(metric: str = maps.INCIDENT_TOTAL, **options) -> maps.IncidentChoropleth:
    return maps.IncidentChoropleth(
        title=options.pop("title", maps.incident_label(metric)),
        metric=metric,
        blocks=options.pop("blocks", TOWN_INCIDENTS),
        **options,
    )


def features_by_place(fmap: folium.Map) -> dict[int, dict]:
    return {f["properties"]["place_id"]: f["properties"] for f in geojson_features(fmap)}


def test_incident_counts_colour_places_and_fill_their_tooltips():
    layer = incident_layer(previous=TOWN_BEFORE, previous_label="2023", year=2024)
    found = features_by_place(maps.place_map(TOWN, choropleth=layer))
    # Steps of 10 from zero: 0–9 … 40–49, five classes; 40 the darkest, 9 the lightest.
    assert found[1]["style"]["fillColor"] == maps.PALETTES[5][4]
    assert found[3]["style"]["fillColor"] == maps.PALETTES[5][0]
    assert found[1]["tooltip"] == "<b>Centrum</b><br>Centrum<br>Kallas även: Stan<br>" + (
        "<b>40 händelser</b><br>2023: 35 händelser"
    )
    assert found[3]["tooltip"].endswith("<b>9 händelser</b><br>2023: färre än 3 händelser")


def test_a_suppressed_incident_count_is_hatched_and_says_fewer_than_three():
    found = features_by_place(maps.place_map(TOWN, choropleth=incident_layer()))
    parken = found[2]
    assert parken["style"]["fillColor"] == maps.NO_DATA and parken["style"]["dashArray"]
    assert parken["tooltip"] == "<b>Parken</b><br>Park<br><b>färre än 3 händelser</b>"
    legend = maps.legend_html(incident_layer())
    assert "färre än 3 händelser (visas inte)" in legend


def test_a_rate_without_population_is_neutral_and_says_so():
    layer = incident_layer(maps.INCIDENT_RATE)
    found = features_by_place(maps.place_map(TOWN, choropleth=layer))
    assert plain_text(found[1]["tooltip"]).endswith(
        "<b>20,0 per 1 000 invånare</b><br>40 händelser"
    )
    assert found[3]["tooltip"].endswith("<b>saknar invånartal</b><br>9 händelser")
    assert found[3]["style"]["fillColor"] == maps.NEUTRAL_FILL
    assert (
        found[3]["style"]["fillColor"] not in maps.PALETTE and "dashArray" not in found[3]["style"]
    )
    assert found[2]["tooltip"].endswith("<b>färre än 3 händelser</b>")
    legend = maps.legend_html(layer)
    assert "saknar invånartal" in legend and f"background:{maps.NEUTRAL_FILL}" in legend


def test_a_category_counts_only_its_incidents():
    layer = incident_layer(maps.INCIDENT_PREFIX + "narkotika")
    found = features_by_place(maps.place_map(TOWN, choropleth=layer))
    assert found[1]["tooltip"].endswith("<b>12 händelser</b>")
    assert found[3]["tooltip"].endswith("<b>0 händelser</b>")  # Byn had no drug incidents
    stolen = features_by_place(maps.place_map(TOWN, choropleth=incident_layer("handelser_stöld")))
    assert stolen[1]["tooltip"].endswith("<b>färre än 3 händelser</b>")
    assert stolen[1]["style"]["fillColor"] == maps.NO_DATA


def test_incident_legend_lists_counts_highest_first_and_the_source():
    text = plain_text(re.sub("<[^>]+>", "|", maps.legend_html(incident_layer(synthetic=True))))
    assert "Händelser (antal)" in text
    assert text.index("|40–49|") < text.index("|0–9|")
    assert "|10–19|" not in text  # no place in it, no row
    assert "påhittade händelser" in text


def test_synthetic_answers_and_incidents_share_one_note():
    survey = layer(TOWN_FIGURES, synthetic=True)
    legend = maps.legend_html(survey, overlays=[maps.HotspotLayer(GRID, 250, synthetic=True)])
    assert legend.count("syntetiska demodata") == 1
    assert "påhittade svar och händelser" in legend


def plain_text(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u2060", "")


@pytest.fixture(scope="module")
def laholm_figures(demo_db) -> dict:
    engine = store.make_engine(str(demo_db))
    found = {year: report.place_figures(engine, "1381", year, public=True) for year in (2023, 2024)}
    engine.dispose()
    return found


def test_metric_options_add_incident_metrics_after_the_survey(laholm_figures):
    options = maps.metric_options(laholm_figures[2024])
    names = list(options)
    assert names[0] == "andel_otrygga"
    first = names.index(maps.INCIDENT_TOTAL)
    assert all(not maps.is_incident_metric(n) for n in names[:first])
    assert options[maps.INCIDENT_TOTAL] == "Händelser (antal)"
    assert options[maps.INCIDENT_RATE] == "Händelser per 1 000 invånare"
    assert options["handelser_narkotika"] == "Händelser: Narkotika"
    categories = [maps.incident_category(n) for n in names[first + 2 :]]
    assert categories == [
        c
        for c in scales.INCIDENT_CATEGORIES
        if c in laholm_figures[2024]["kommun_incidents"]["by_category"]
    ]


def test_incident_choropleth_from_place_figures(laholm_figures):
    chosen = maps.incident_choropleth(
        laholm_figures[2024], maps.INCIDENT_TOTAL, laholm_figures[2023], synthetic=True
    )
    assert (chosen.title, chosen.year, chosen.previous_label) == ("Händelser (antal)", 2024, "2023")
    for place in laholm_figures[2024]["places"]:
        total = place["incidents"]["total"]
        assert chosen.value(place["place_id"]) == total
        headline, details = chosen.tooltip(place["place_id"])
        assert headline == formatting.incidents(total)
        assert details == [f"2023: {formatting.incidents(place['incidents']['previous_total'])}"]


# --- grid layers: hot spots and density --------------------------------------------------


def grid_cell(column: int, **properties) -> dict:
    """A square cell west to east along 56.5° N, about 250 m wide."""
    west = 13.0 + 0.005 * column
    ring = [[west, 56.5], [west + 0.004, 56.5], [west + 0.004, 56.5022], [west, 56.5022]]
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
    }


BINS = (3, 2, 1, 0, -1, -2, -3)
GRID = {
    "type": "FeatureCollection",
    "features": [grid_cell(i, count=5, gi_z=0.0, gi_bin=b) for i, b in enumerate(BINS)],
}
DENSITY = {
    "type": "FeatureCollection",
    "cell": 250,
    "features": [grid_cell(i, density=d, expected=d / 16) for i, d in enumerate((50, 400, 3200))],
}


def rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def lightness(colour: str) -> float:
    red, green, blue = rgb(colour)
    return 0.299 * red + 0.587 * green + 0.114 * blue


def is_red(colour: str) -> bool:
    red, green, blue = rgb(colour)
    return red > 150 and red > green + 60 and red > blue + 60


def is_blue(colour: str) -> bool:
    red, _green, blue = rgb(colour)
    return blue > 150 and blue > red + 60


def layer_features(fmap: folium.Map, key: str) -> list[dict]:
    """The features of the map's GeoJson layers that carry ``key`` (gi_bin, density)."""
    return [
        feature
        for child in fmap._children.values()
        if isinstance(child, folium.GeoJson)
        for feature in child.data["features"]
        if key in feature["properties"]
    ]


def test_hot_spots_are_red_cold_spots_blue_and_insignificant_cells_absent():
    fmap = maps.place_map(TOWN, overlays=[maps.HotspotLayer(GRID, 250)])
    cells = layer_features(fmap, "gi_bin")
    fills = {f["properties"]["gi_bin"]: f["properties"]["style"]["fillColor"] for f in cells}
    assert sorted(fills) == [-3, -2, -1, 1, 2, 3]  # bin 0 is not sent at all
    assert len(cells) == 6
    assert all(is_red(fills[b]) for b in (3, 2, 1))
    assert all(is_blue(fills[b]) for b in (-3, -2, -1))
    assert lightness(fills[3]) < lightness(fills[2]) < lightness(fills[1])
    assert lightness(fills[-3]) < lightness(fills[-2]) < lightness(fills[-1])
    assert all(set(f["properties"]) == {"gi_bin", "style"} for f in cells)  # no counts
    legend = next(c for c in fmap._children.values() if type(c).__name__ == "_Legend").content
    assert "Hot spots (Getis-Ord Gi*), 99/95/90 % konfidens" in plain_text(legend)
    assert all(colour in legend for colour in fills.values())


def test_grid_layers_take_no_clicks_and_keep_the_places_fills():
    survey = layer(TOWN_FIGURES, year=2024)
    alone = maps.place_map(TOWN, choropleth=survey)
    plain = {p: f["style"] for p, f in features_by_place(alone).items()}
    fmap = maps.place_map(TOWN, choropleth=survey, overlays=[maps.HotspotLayer(GRID, 250)])
    grids = [c for c in fmap._children.values() if isinstance(c, folium.GeoJson)][1:]
    assert grids and all(g.options.get("interactive") is False for g in grids)
    styles = {p: f["style"] for p, f in features_by_place(fmap).items()}
    assert styles == plain  # the same class colours at the same opacity


def test_density_is_a_semi_transparent_sequential_ramp():
    fmap = maps.place_map(TOWN, overlays=[maps.DensityLayer(DENSITY)])
    cells = sorted(layer_features(fmap, "density"), key=lambda f: f["properties"]["density"])
    fills = [f["properties"]["style"]["fillColor"] for f in cells]
    assert [f["properties"]["density"] for f in cells] == [50, 400, 3200]
    assert lightness(fills[0]) > lightness(fills[1]) > lightness(fills[2])
    assert all(0 < f["properties"]["style"]["fillOpacity"] <= 0.2 for f in cells)  # a tint
    assert set(fills) <= set(maps.DENSITY_PALETTE)
    assert [f["properties"]["style"]["color"] for f in cells] == fills  # outlined alike


@pytest.fixture(scope="module")
def varnamo(demo_db) -> dict:
    """Värnamo's places, figures and 250 m hot spots, public and exact."""
    engine = store.make_engine(str(demo_db))
    found = {
        "places": places.load_places(engine, "0683"),
        "figures": report.place_figures(engine, "0683", 2024, public=False),
        **{
            public: report.hotspots(engine, "0683", year=2024, cell=250, public=public)
            for public in (True, False)
        },
    }
    engine.dispose()
    return found


def cell_key(feature: dict) -> str:
    return json.dumps(feature["geometry"]["coordinates"])


def test_the_public_grid_shows_no_cell_under_k(varnamo):
    k = scales.MIN_INCIDENTS_PUBLIC
    exact = varnamo[False]["grid"]["features"]
    counts = {cell_key(f): f["properties"]["count"] for f in exact}
    small = {
        cell_key(f)
        for f in exact
        if f["properties"]["gi_bin"] != 0 and 0 < f["properties"]["count"] < k
    }
    assert small, "the demo should have significant cells with one or two incidents"
    public_map = maps.place_map(
        varnamo["places"], overlays=[maps.HotspotLayer(varnamo[True]["grid"], 250)]
    )
    shown = {cell_key(f) for f in layer_features(public_map, "gi_bin")}
    assert shown and all(counts[c] >= k for c in shown)
    assert not shown & small
    exact_map = maps.place_map(
        varnamo["places"], overlays=[maps.HotspotLayer(varnamo[False]["grid"], 250)]
    )
    assert small <= {cell_key(f) for f in layer_features(exact_map, "gi_bin")}


def test_incidents_never_reach_the_map_as_points(varnamo):
    exact = varnamo[False]
    overlays = [maps.DensityLayer(exact["density"]), maps.HotspotLayer(exact["grid"], 250)]
    chosen = maps.incident_choropleth(varnamo["figures"], maps.INCIDENT_TOTAL)
    fmap = maps.place_map(
        varnamo["places"], "Centrala Värnamo", choropleth=chosen, overlays=overlays
    )
    markers = (folium.Marker, folium.CircleMarker, folium.Circle)
    assert not [e for e in maps.walk(fmap) if isinstance(e, markers)]
    kinds = {
        f["geometry"]["type"]
        for child in maps.walk(fmap)
        if isinstance(child, folium.GeoJson)
        for f in child.data["features"]
    }
    assert kinds <= {"Polygon", "MultiPolygon"}
    page = rendered(fmap)
    assert "L.circleMarker(" not in page and "L.circle(" not in page
    plain_map = rendered(maps.place_map(varnamo["places"]))
    assert page.count("L.marker(") == plain_map.count("L.marker(") == 1  # the place labels


def test_a_grid_layer_refuses_points():
    point = {
        "type": "Feature",
        "properties": {"gi_bin": 3},
        "geometry": {"type": "Point", "coordinates": [13.0, 56.5]},
    }
    with pytest.raises(ValueError, match="no raw points"):
        maps.HotspotLayer({"features": [point]}, 250).layer()
    with pytest.raises(ValueError, match="no raw points"):
        maps.DensityLayer({"features": [{**point, "properties": {"density": 5}}]}).layer()


def test_incident_texts_reach_the_map_escaped():
    frame = square_places((7, EVIL, "park", [EVIL], box(375_000, 6_264_000, 376_000, 6_265_000)))
    chosen = incident_layer(
        title=EVIL,
        about=EVIL,
        blocks={7: incidents(2)},
        previous={7: incidents(None)},
        previous_label=EVIL,
    )
    overlays = [maps.DensityLayer(DENSITY), maps.HotspotLayer(GRID, 250, category=EVIL)]
    fmap = maps.place_map(frame, EVIL, choropleth=chosen, overlays=overlays)
    seen = as_the_browser_reads_it(rendered(fmap))
    assert EVIL not in seen
    escaped = "&lt;img src=x onerror=alert(1)&gt;"
    tooltip = geojson_features(fmap)[0]["properties"]["tooltip"]
    assert tooltip.endswith(f"<b>2 händelser</b><br>{escaped}: färre än 3 händelser")
    legend = next(c for c in fmap._children.values() if type(c).__name__ == "_Legend").content
    assert EVIL not in legend and legend.count(escaped) == 3  # title, about, category


def test_heat_css_shades_by_share_of_the_busiest_cell():
    assert maps.heat_css(10, 10).startswith(f"background-color: {maps.PALETTE[-1]}")
    assert maps.heat_css(1, 10).startswith(f"background-color: {maps.PALETTE[0]}")
    assert maps.heat_css(0, 10) == ""
    assert maps.HATCH_LIGHT in maps.heat_css(None, 10)
    assert not any(colour in maps.heat_css(None, 10) for colour in maps.PALETTE)


def test_the_downloaded_map_shows_its_title_as_typed(laholm):
    import html as html_module
    import re

    title = "Laholm {{7*7}} <b>fet</b>"
    page = maps.standalone_html(maps.place_map(laholm), title=title)
    headings = re.findall(r"<h1 style='[^']*'>(.*?)</h1>", page)
    assert [html_module.unescape(h) for h in headings] == [title]
    assert "<b>fet</b>" not in page and "Laholm 49" not in page
