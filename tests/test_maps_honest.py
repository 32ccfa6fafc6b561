"""Honest colours: round classes, zero never warm, the vs_rest mark, a legend of what is
drawn, hatched suppressed places, and hot spots that leave the places' colours alone.

Every expectation is worked out by hand on tiny hand-made figures; the maps are real
folium maps, rendered to HTML where the browser's view matters.
"""

from __future__ import annotations

import colorsys
import re

import folium
import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from trygg import maps
from trygg.maps import palette
from trygg.maps.legend import LEGEND_MAX_HEIGHT
from trygg.maps.metrics import vs_rest_text

#: Four places side by side, 1 km squares, in SWEREF 99 TM.
NAMES = {1: "Norr", 2: "Söder", 3: "Öster", 4: "Väster", 5: "Byn"}
PLACES = gpd.GeoDataFrame(
    {
        "id": list(NAMES),
        "name": list(NAMES.values()),
        "kind": ["bostadsomrade"] * len(NAMES),
        "aliases": [[] for _ in NAMES],
    },
    geometry=[box(375_000 + 1_500 * i, 6_264_000, 376_000 + 1_500 * i, 6_265_000) for i in NAMES],
    crs="EPSG:3006",
)


def survey(andel: float | None, n: int = 60, vs_rest: dict | None = None, **extra) -> dict:
    """A place's survey block as ``compute_stats`` gives it; None means suppressed."""
    hidden = andel is None
    block = {
        "andel_otrygga": andel,
        "n": n,
        "ki_lag": None if hidden else max(andel - 0.08, 0.0),
        "ki_hog": None if hidden else andel + 0.08,
        "suppressed": hidden,
        "secondary_suppression": False,
        **extra,
    }
    if vs_rest is not None:
        block["vs_rest"] = vs_rest
    return block


def figures(*blocks: dict) -> dict:
    """The survey figures of a kommun whose places 1, 2, … have these blocks."""
    return {
        "year": 2024,
        "synthetic": False,
        "min_n": 10,
        "places": [{"place_id": i, "survey": b} for i, b in enumerate(blocks, start=1)],
    }


def vs(result: str, diff: float = 0.1) -> dict:
    return {"rest_andel": 0.2, "diff": diff, "p_value": 0.01, "result": result}


def places_of(*ids: int) -> gpd.GeoDataFrame:
    return PLACES[PLACES["id"].isin(ids)]


def place_features(fmap: folium.Map) -> dict[int, dict]:
    layer = next(c for c in fmap._children.values() if isinstance(c, folium.GeoJson))
    return {f["properties"]["place_id"]: f["properties"] for f in layer.data["features"]}


def legend_of(fmap: folium.Map) -> str:
    return next(c for c in fmap._children.values() if type(c).__name__ == "_Legend").content


def legend_text(html: str) -> str:
    text = re.sub("<[^>]+>", "|", html).replace("\u00a0", " ").replace("\u2060", "")
    return re.sub(r"\|+", "|", text)


def class_swatches(legend: str) -> list[str]:
    """The fill colours of the legend's class rows, top to bottom."""
    return re.findall(r"style='background:(#[0-9a-f]{6})'", legend)


def hue_degrees(colour: str) -> tuple[float, float]:
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, _light, saturation = colorsys.rgb_to_hls(red, green, blue)
    return hue * 360, saturation


def is_warm(colour: str) -> bool:
    """Red, orange or yellow enough to read as warm (hue 0–70° or above 330°)."""
    hue, saturation = hue_degrees(colour)
    return saturation > 0.15 and (hue <= 70 or hue >= 330)


def lightness(colour: str) -> float:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.299 * red + 0.587 * green + 0.114 * blue


# --- (a) round classes for shares ------------------------------------------------------

#: Båstad's shares: 11,3 % to 15,7 %, all within 5 percentage points.
CLOSE = figures(survey(0.113), survey(0.123), survey(0.128), survey(0.157))


def test_places_within_five_points_get_at_most_two_adjacent_classes():
    fmap = maps.place_map(places_of(1, 2, 3, 4), choropleth=maps.choropleth(CLOSE))
    fills = {p: f["style"]["fillColor"] for p, f in place_features(fmap).items()}
    # By hand: 11,3, 12,3 and 12,8 % lie in 10–15 %, 15,7 % in 15–20 %.
    assert fills[1] == fills[2] == fills[3] != fills[4]
    steps = sorted(palette.SEQUENTIAL.index(c) for c in set(fills.values()))
    assert steps[1] - steps[0] == 1  # neighbours on the ramp, not its two ends
    text = legend_text(legend_of(fmap))
    assert "|15–20 %|" in text and "|10–15 %|" in text
    assert text.index("15–20 %") < text.index("10–15 %")


@pytest.mark.parametrize("seed", range(20))
def test_any_shares_within_five_points_fall_in_two_adjacent_classes(seed):
    rng = np.random.default_rng(seed)
    low = rng.uniform(0.0, 0.9)
    values = low + rng.uniform(0.0, palette.SHARE_STEP, int(rng.integers(2, 12)))
    classes = maps.choropleth(figures(*(survey(float(v)) for v in values))).classes()
    drawn = classes.drawn(values)
    assert len(drawn) <= 2 and drawn[-1] - drawn[0] <= 1
    used = {classes.colour(v) for v in values}
    assert len(used) == len(drawn)


def test_quantiles_and_natural_breaks_stay_available_and_split_more():
    for scheme in ("quantiles", "natural"):
        layer = maps.choropleth(CLOSE, scheme=scheme)
        fmap = maps.place_map(places_of(1, 2, 3, 4), choropleth=layer)
        fills = {f["style"]["fillColor"] for f in place_features(fmap).values()}
        assert len(fills) == 4, scheme  # four distinct shares, four classes
        assert len(class_swatches(legend_of(fmap))) == 4
    with pytest.raises(ValueError, match="scheme"):
        palette.classes_of([0.1], scheme="jenks")


def test_the_step_is_five_points_and_widens_to_round_steps():
    assert palette.SHARE_STEP == 0.05
    classes = palette.classes_of([0.104, 0.129, 0.321])  # Laholm's span: 10–35 %
    assert classes.ranges[0] == (0.10, 0.15) and classes.ranges[-1] == (0.30, 0.35)
    wide = palette.classes_of([0.09, 0.483])  # 9 to 48 %: 10 points, 0–50 %
    assert wide.ranges == ((0.0, 0.1), (0.1, 0.2), (0.2, 0.3), (0.3, 0.4), (0.4, 0.5))
    assert palette.classes_of([0.15]).ranges == ((0.15, 0.20),)  # 15 % opens 15–20 %


# --- (b) counts and rates start at zero ----------------------------------------------


def incidents(total: int | None, rate: float | None = None) -> dict:
    return {
        "total": total,
        "by_category": {},
        "per_1000_inv": rate,
        "per_km2": None,
        "previous_total": 0,
        "suppressed": total is None,
    }


@pytest.mark.parametrize("scheme", palette.SCHEMES)
def test_a_zero_count_is_lightest_and_never_warm(scheme):
    blocks = {1: incidents(0), 2: incidents(7), 3: incidents(25), 4: incidents(48)}
    layer = maps.IncidentChoropleth("Händelser", maps.INCIDENT_TOTAL, blocks, scheme=scheme)
    fills = {
        p: f["style"]["fillColor"]
        for p, f in place_features(maps.place_map(places_of(1, 2, 3, 4), choropleth=layer)).items()
    }
    assert lightness(fills[1]) == max(lightness(c) for c in fills.values())
    assert not any(is_warm(c) for c in fills.values())
    assert fills[1] == layer.classes().colours[0]
    text = legend_text(maps.legend_html(layer))
    assert re.search(r"\|0(–\d+)?\|", text)  # the lowest class starts at zero


def test_count_classes_are_round_steps_from_zero():
    # By hand: 0, 7, 25, 48 need steps of 10 (0–9 … 40–49), five classes.
    blocks = {1: incidents(0), 2: incidents(7), 3: incidents(25), 4: incidents(48)}
    layer = maps.IncidentChoropleth("Händelser", maps.INCIDENT_TOTAL, blocks)
    assert layer.classes().ranges == ((0, 9), (10, 19), (20, 29), (30, 39), (40, 49))
    text = legend_text(maps.legend_html(layer))
    assert "|0–9|" in text and "|40–49|" in text and "|20–29|" in text
    assert "|10–19|" not in text and "|30–39|" not in text  # nothing drawn in them


def test_a_zero_rate_is_lightest_too():
    blocks = {1: incidents(0, 0.0), 2: incidents(9, 4.5), 3: incidents(40, 20.0)}
    layer = maps.IncidentChoropleth("Per 1 000", maps.INCIDENT_RATE, blocks)
    classes = layer.classes()
    assert classes.ranges[0][0] == 0 and classes.index(0.0) == 0
    assert not is_warm(classes.colour(0.0))


# --- (c) vs_rest: a mark that is not colour, and words ---------------------------------

MARKED = figures(
    survey(0.31, vs_rest=vs("higher")),
    survey(0.12, vs_rest=vs("lower", -0.1)),
    survey(0.20, vs_rest=vs("no_difference", 0.0)),
    survey(0.22),
)


def test_a_significantly_higher_place_has_a_thick_outline_and_says_so():
    fmap = maps.place_map(places_of(1, 2, 3, 4), choropleth=maps.choropleth(MARKED))
    found = place_features(fmap)
    higher, lower, same, unknown = (found[i] for i in (1, 2, 3, 4))
    assert higher["style"]["weight"] >= 2 * unknown["style"]["weight"]
    assert "dashArray" not in higher["style"]
    assert lower["style"]["dashArray"] and lower["style"]["weight"] > unknown["style"]["weight"]
    assert same["style"] == {**unknown["style"], "fillColor": same["style"]["fillColor"]}
    assert higher["tooltip"].endswith("<br>säkerställt högre än i övriga kommunen")
    assert lower["tooltip"].endswith("<br>säkerställt lägre än i övriga kommunen")
    assert same["tooltip"].endswith("<br>ingen säkerställd skillnad mot övriga kommunen")
    assert "övriga kommunen" not in unknown["tooltip"]
    text = legend_text(legend_of(fmap))
    assert "Tjock kant: säkerställt högre än i övriga kommunen" in text
    assert "Prickad kant: säkerställt lägre än i övriga kommunen" in text


def test_the_mark_is_explained_only_when_drawn_and_in_english_too():
    only_higher = figures(survey(0.31, vs_rest=vs("higher")), survey(0.22))
    fmap = maps.place_map(places_of(1, 2), choropleth=maps.choropleth(only_higher), lang="en")
    legend = legend_text(legend_of(fmap))
    assert "Thick outline: significantly higher" in legend and "Dotted" not in legend
    assert place_features(fmap)[1]["tooltip"].endswith(
        "significantly higher than in the rest of the municipality"
    )
    plain = maps.legend_html(maps.choropleth(figures(survey(0.31), survey(0.22))))
    assert "kant" not in plain


def test_an_item_figure_carries_its_own_vs_rest():
    item = {"n": 60, "andel": 0.4, "ki_lag": 0.3, "ki_hog": 0.5, "suppressed": False}
    blocks = [
        survey(0.2, problem={"klotter": {**item, "vs_rest": vs("higher")}}),
        survey(0.2, problem={"klotter": {**item, "andel": 0.1, "vs_rest": None}}),
    ]
    layer = maps.choropleth(figures(*blocks), "problem_klotter")
    assert (layer.mark(1), layer.mark(2)) == ("higher", None)
    assert layer.tooltip(1)[1][-1] == "säkerställt högre än i övriga kommunen"


def test_a_hidden_place_is_never_marked():
    hidden = figures(survey(None, n=4, vs_rest=vs("higher")), survey(0.2))
    layer = maps.choropleth(hidden)
    style = place_features(maps.place_map(places_of(1, 2), choropleth=layer))[1]["style"]
    assert layer.mark(1) is None and style["weight"] == 3
    assert "övriga" not in layer.tooltip(1)[0] + "".join(layer.tooltip(1)[1])


def test_vs_rest_text_for_pages():
    assert vs_rest_text(vs("lower"), "sv") == "säkerställt lägre än i övriga kommunen"
    assert vs_rest_text(vs("no_difference"), "en") == (
        "no significant difference from the rest of the municipality"
    )
    assert vs_rest_text(None) == "" and vs_rest_text({"result": "odd"}) == ""


# --- (d) the legend lists only what is drawn -------------------------------------------


def test_the_legend_lists_only_classes_with_a_place():
    # 10 % and 31 %: five steps (10–15 … 30–35 %), places in the first and the last.
    layer = maps.choropleth(figures(survey(0.10), survey(0.31)))
    legend = maps.legend_html(layer)
    text = legend_text(legend)
    assert class_swatches(legend) == [palette.SEQUENTIAL[5], palette.SEQUENTIAL[1]]
    assert "|30–35 %|" in text and "|10–15 %|" in text
    for empty in ("15–20 %", "20–25 %", "25–30 %"):
        assert empty not in text
    assert "för få svar" not in text and "dold" not in text  # nothing hidden, no row
    assert "trygg-hatch-swatch" not in legend


# --- (e) suppressed places are hatched, with words -------------------------------------

HIDDEN = figures(
    survey(0.2),
    survey(None, n=4),
    survey(None, n=80, secondary_suppression=True),
)


def test_suppressed_places_are_hatched_and_say_why():
    fmap = maps.place_map(places_of(1, 2, 3), choropleth=maps.choropleth(HIDDEN))
    found = place_features(fmap)
    for place_id in (2, 3):
        style = found[place_id]["style"]
        assert style["fillColor"] == f"url(#{maps.HATCH_ID}) {maps.HATCH_LIGHT}"
        assert style["dashArray"] and "%" not in found[place_id]["tooltip"]
    assert "<b>för få svar</b>" in found[2]["tooltip"]
    assert "<b>dold för att skydda en liten grupp</b>" in found[3]["tooltip"]
    page = fmap.get_root().render()
    assert re.search(rf'<pattern id="{maps.HATCH_ID}"', page)
    legend = legend_of(fmap)
    assert legend.count("trygg-hatch-swatch") == 2
    text = legend_text(legend)
    assert "för få svar (färre än 10)" in text and "dold för att skydda en liten grupp" in text


def test_only_a_secondary_hidden_place_gives_only_its_row():
    only = figures(survey(0.2), survey(None, n=80, secondary_suppression=True))
    text = legend_text(maps.legend_html(maps.choropleth(only)))
    assert "dold för att skydda en liten grupp" in text and "för få svar" not in text


# --- (f) hot spots on: the places keep their colours, the legend stays small ------------


def grid_cell(column: int, gi_bin: int) -> dict:
    west = 13.0 + 0.005 * column
    ring = [[west, 56.5], [west + 0.004, 56.5], [west + 0.004, 56.5022], [west, 56.5022]]
    return {
        "type": "Feature",
        "properties": {"count": 5, "gi_z": 0.0, "gi_bin": gi_bin},
        "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
    }


GRID = {
    "type": "FeatureCollection",
    "features": [grid_cell(i, b) for i, b in enumerate((3, 2, 1, 0, -1, -2, -3))],
}


def test_hot_spots_leave_the_place_fills_and_the_legend_matching():
    layer = maps.choropleth(MARKED)
    alone = maps.place_map(places_of(1, 2, 3, 4), choropleth=layer)
    overlaid = maps.place_map(
        places_of(1, 2, 3, 4), choropleth=layer, overlays=[maps.HotspotLayer(GRID, 250)]
    )
    before, after = place_features(alone), place_features(overlaid)
    assert {p: f["style"] for p, f in after.items()} == {p: f["style"] for p, f in before.items()}
    legend = legend_of(overlaid)
    drawn = {f["style"]["fillColor"] for f in after.values()}
    assert drawn == set(class_swatches(legend))  # every fill has its row, nothing more
    cells = [
        f["properties"]["style"]
        for c in overlaid._children.values()
        if isinstance(c, folium.GeoJson)
        for f in c.data["features"]
        if "gi_bin" in f["properties"]
    ]
    assert len(cells) == 6
    assert all(s["weight"] >= 2 and s["fillOpacity"] <= 0.2 for s in cells)  # outlines


def test_the_legend_folds_away_and_is_at_most_forty_percent_of_the_map():
    fmap = maps.place_map(
        places_of(1, 2, 3, 4),
        choropleth=maps.choropleth(MARKED),
        overlays=[maps.HotspotLayer(GRID, 250), maps.DensityLayer({"features": []})],
    )
    legend = legend_of(fmap)
    # The title folds the legend away (a <summary>: Enter and Space work on it).
    title = "<summary><span class='trygg-legend-title'>Andel som känner sig otrygga"
    assert legend.startswith(f"<div class='trygg-legend'><details open>{title}")
    alone = maps.legend_html(None, overlays=[maps.HotspotLayer(GRID, 250)])
    assert alone.startswith("<div class='trygg-legend'><details open><summary>Teckenförklaring")
    page = fmap.get_root().render()
    rules = re.findall(r"\.trygg-legend \{([^}]*)\}", page)
    assert any("max-height: 40vh" in r and "overflow: auto" in r for r in rules)
    assert LEGEND_MAX_HEIGHT == 0.4
    call = page[page.rindex("tryggLegend(") :]  # the call, after the definition
    call = call[: call.index(");")]
    assert call.rstrip().endswith("0.4")  # legend.js caps it at 40 % of the map's height
    assert "disableScrollPropagation" in page


# --- colour-blind safe, readable text -------------------------------------------------


def test_ramps_are_single_hue_and_darken_step_by_step():
    ramps = [palette.SEQUENTIAL, *palette.PALETTES.values(), palette.DENSITY_PALETTE]
    for ramp in ramps:
        lights = [lightness(c) for c in ramp]
        assert lights == sorted(lights, reverse=True) and len(set(lights)) == len(lights)
    hues = [hue_degrees(c)[0] for c in palette.SEQUENTIAL]
    assert max(hues) - min(hues) < 40  # one hue: lightness alone tells the classes apart
    assert not any(is_warm(c) for r in palette.PALETTES.values() for c in r)


@pytest.mark.parametrize("n", range(1, 11))
def test_heat_cells_have_text_of_at_least_4_5_to_1(n):
    css = maps.heat_css(n, 10)
    background, text = re.fullmatch(r"background-color: (#\w{6}); color: (#\w{6})", css).groups()
    assert palette.contrast(background, text) >= 4.5
    for colour in (*palette.SEQUENTIAL, *palette.PALETTE):
        assert palette.contrast(colour, palette.text_on(colour)) >= 4.5
