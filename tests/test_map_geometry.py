"""Place shapes for the web (trygg.geometry): coverage simplification that keeps shared
borders shared, nested places that keep drawing, rounding, label points, and reuse."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon, box

from trygg import geometry, maps, places, store

X0, Y0 = 375_000, 6_264_000


@pytest.fixture(scope="module")
def laholm(demo_db) -> gpd.GeoDataFrame:
    engine = store.make_engine(str(demo_db))
    frame = places.load_places(engine, "1381")
    engine.dispose()
    return frame


def jagged_border(rng: np.random.Generator, length: float = 1_000, step: float = 5) -> list:
    """A south–north border wobbling a few metres east and west, every ``step`` metres."""
    ys = np.arange(0, length + step, step)
    xs = rng.normal(0, 1.5, len(ys))
    xs[0] = xs[-1] = 0
    return [(X0 + 500 + x, Y0 + y) for x, y in zip(xs, ys, strict=True)]


def two_neighbours(seed: int = 5) -> np.ndarray:
    """A 1 × 1 km square cut in two along a jagged border: a coverage of two places.

    The eastern ring starts halfway along the border, so a simplification that takes
    each ring on its own splits the border differently on the two sides.
    """
    border = jagged_border(np.random.default_rng(seed))
    west = Polygon([(X0, Y0), *border, (X0, Y0 + 1_000)])
    back, half = border[::-1], len(border) // 2
    east = Polygon([*back[half:], (X0 + 1_000, Y0), (X0 + 1_000, Y0 + 1_000), *back[:half]])
    return np.array([west, east], dtype=object)


def metric_area(web_shape) -> float:
    """The area in m² of a shape in WGS84."""
    return gpd.GeoSeries([web_shape], crs=4326).to_crs(3006).area.item()


def test_shared_borders_stay_shared_after_simplification():
    layer = two_neighbours()
    assert shapely.coverage_is_valid(layer)
    shapes = geometry.compute_web_shapes(layer).shapes
    assert shapely.is_valid(shapes).all()
    assert (
        shapely.get_num_coordinates(shapes).sum() < 0.8 * shapely.get_num_coordinates(layer).sum()
    )
    assert shapely.coverage_is_valid(shapes)  # no overlap, and the border matches vertex for vertex
    union = shapely.union_all(shapes)
    assert union.geom_type == "Polygon" and len(union.interiors) == 0
    assert union.area == pytest.approx(shapes[0].area + shapes[1].area, rel=1e-12)


def test_each_place_simplified_on_its_own_would_not_match():
    """The check above can fail: ring by ring, the two sides of the border differ."""
    assert not shapely.coverage_is_valid(shapely.simplify(two_neighbours(), 3.0))


def test_the_tolerance_grows_with_the_layer():
    small = geometry.compute_web_shapes(two_neighbours())
    city = np.array([box(X0, Y0, X0 + 40_000, Y0 + 20_000)], dtype=object)
    assert small.tolerance == geometry.SIMPLIFY_M == 3.0
    assert geometry.compute_web_shapes(city).tolerance == 40_000 / 2_500 == 16.0


def test_coordinates_are_rounded_to_about_a_metre(laholm):
    shapes = geometry.compute_web_shapes(np.asarray(laholm.geometry.array)).shapes
    coords = shapely.get_coordinates(shapes)
    assert np.array_equal(coords, np.round(coords, 5))
    assert shapely.is_valid(shapes).all()


def test_nested_places_keep_drawing(laholm):
    """Stadsparken lies inside Laholms centrum: both simplified, valid, the park kept."""
    web = maps.web_places(laholm).set_index("label")
    park, centrum = web.loc["Stadsparken", "geometry"], web.loc["Laholms centrum", "geometry"]
    source = laholm.set_index("name").to_crs(4326).geometry
    assert park.is_valid and centrum.is_valid
    assert park.area == pytest.approx(source["Stadsparken"].area, rel=0.02)
    assert centrum.area == pytest.approx(source["Laholms centrum"].area, rel=0.02)
    assert park.difference(centrum).area < 0.01 * park.area  # still inside the centre
    label = shapely.Point(web.loc["Laholms centrum", ["label_lon", "label_lat"]].to_list())
    assert centrum.contains(label) and not park.contains(label)


def test_a_nested_place_is_simplified_in_a_tier_of_its_own(laholm):
    """Laholm: only Stadsparken lies inside another place; it alone goes up a tier."""
    geoms = np.asarray(laholm.geometry.array)
    outer, inner = geometry.nesting(geoms, shapely.area(geoms))
    names = laholm["name"].to_numpy()
    assert list(zip(names[outer], names[inner], strict=True)) == [
        ("Laholms centrum", "Stadsparken")
    ]
    depth = geometry.tiers(len(geoms), outer, inner)
    assert dict(zip(names, depth.tolist(), strict=True)) == {
        name: int(name == "Stadsparken") for name in names
    }


def test_a_small_park_inside_a_tiling_survives_a_coarse_tolerance():
    """Tiles of a 40 km city (tolerance 16 m) with a 30 × 30 m park inside one of them."""
    tiles = [box(X0 + i * 4_000, Y0, X0 + (i + 1) * 4_000, Y0 + 20_000) for i in range(10)]
    park = box(X0 + 100, Y0 + 100, X0 + 130, Y0 + 130)
    shapes = geometry.compute_web_shapes(np.array([*tiles, park], dtype=object))
    drawn = shapes.shapes[list(shapes.order).index(10)]
    assert shapes.tolerance == 16.0
    assert drawn.is_valid and not drawn.is_empty
    assert metric_area(drawn) > 0.4 * park.area


def test_rounding_that_breaks_a_shape_is_snapped_instead():
    """A 40 cm wide island next to a place folds onto itself at 1e-5°: the place stays
    valid and keeps its main part."""
    island = Polygon([(X0 + 1_100, Y0), (X0 + 1_100.4, Y0 + 0.2), (X0 + 1_100, Y0 + 0.4)])
    place = shapely.MultiPolygon([box(X0, Y0, X0 + 1_000, Y0 + 1_000), island])
    (shape,) = geometry.compute_web_shapes(np.array([place], dtype=object)).shapes
    assert shape.is_valid
    assert metric_area(shape) == pytest.approx(place.area, rel=0.01)


def brute_force_free_part(shapes: np.ndarray, position: int) -> shapely.Geometry:
    """The place minus every smaller place whose interior meets it, pair by pair."""
    own = shapes[position]
    inner = [
        other
        for other in shapes
        if other is not own and other.area < own.area and own.relate_pattern(other, "T********")
    ]
    return own.difference(shapely.union_all(inner)) if inner else own


def test_labels_avoid_the_places_inside_like_a_pairwise_scan():
    """A block of twelve tiles with smaller places nested in some, two deep."""
    rng = np.random.default_rng(11)
    tiles = [
        box(X0 + 600 * i, Y0 + 600 * j, X0 + 600 * (i + 1), Y0 + 600 * (j + 1))
        for i in range(4)
        for j in range(3)
    ]
    nested = []
    for tile in tiles[::2]:
        west, south, _east, _north = tile.bounds
        dx, dy = rng.uniform(20, 300, 2)
        outer = box(west + dx, south + dy, west + dx + 250, south + dy + 250)
        nested += [outer, box(west + dx + 50, south + dy + 50, west + dx + 120, south + dy + 120)]
    layer = np.array([*tiles, *nested], dtype=object)
    found = geometry.compute_web_shapes(layer)
    web_layer = gpd.GeoSeries(found.shapes, crs=4326).to_crs(3006).to_numpy()
    points = gpd.GeoSeries(gpd.points_from_xy(*found.labels.T), crs=4326).to_crs(3006)
    for position, point in enumerate(points):
        free = brute_force_free_part(web_layer, position)
        assert free.buffer(1.0).contains(point), position


def test_label_points_find_nesting_with_the_index_not_pairs():
    areas = np.array([4.0, 1.0, 1.0])
    shapes = np.array([box(0, 0, 2, 2), box(0.2, 0.2, 1.2, 1.2), box(2, 0, 3, 1)], dtype=object)
    outer, inner = geometry.nesting(shapes, areas)
    assert list(zip(outer.tolist(), inner.tolist(), strict=True)) == [(0, 1)]  # neighbour 2 is not


def test_a_layer_is_simplified_once_and_a_changed_layer_again():
    maps.forget_web_shapes()
    layer = two_neighbours(seed=1)
    first = maps.web_shapes(layer)
    assert maps.web_shapes(np.array(list(layer), dtype=object)) is first
    moved = shapely.transform(layer, lambda xy: xy + 100.0)
    again = maps.web_shapes(moved)
    assert again is not first
    west = [shapely.bounds(found.shapes)[:, 0].min() for found in (first, again)]
    assert west[1] > west[0]  # the moved layer is drawn where it now lies
    maps.forget_web_shapes()
    assert maps.web_shapes(layer) is not first


def test_an_empty_layer_has_no_shapes():
    found = geometry.compute_web_shapes(np.array([], dtype=object))
    assert len(found.shapes) == 0 and found.labels.shape == (0, 2)


def test_the_selection_outline_is_the_drawn_shape(laholm):
    group = maps.selection_layer(laholm, "Stadsparken")
    outline = shapely.geometry.shape(
        next(iter(group._children.values())).data["features"][0]["geometry"]
    )
    drawn = maps.web_places(laholm).set_index("label").loc["Stadsparken", "geometry"]
    assert outline.equals(drawn)
