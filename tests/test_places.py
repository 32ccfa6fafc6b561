"""Place import: formats, coordinate systems, validation rules and the transaction."""

from __future__ import annotations

import json
import zipfile

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import LineString, Point, Polygon, box
from sqlalchemy import func, select

from trygg import places
from trygg.auth import local_admin
from trygg.errors import TryggError
from trygg.store import schema

#: These tests write as the command line's local administrator.
ADMIN = local_admin()

# A 1 km × 1 km square and a 200 m × 150 m rectangle inside it, in SWEREF 99 TM near Laholm.
SQUARE = box(370_000, 6_265_000, 371_000, 6_266_000)
SMALL = box(370_300, 6_265_300, 370_500, 6_265_450)
AREAS = {"Centrum": 1_000_000.0, "Parken": 30_000.0}


def layer(crs="EPSG:3006", geometries=(SQUARE, SMALL), **columns) -> gpd.GeoDataFrame:
    data = {
        "namn": ["Centrum", "Parken"],
        "alias": ["Centrala stan; Stan", ""],
        "invanare": [1200, None],
        "typ": ["centrum", "park"],
    }
    data.update(columns)
    frame = gpd.GeoDataFrame(data, geometry=list(geometries), crs="EPSG:3006")
    return frame.to_crs(crs) if crs else frame.set_crs(None, allow_override=True)


def stored_areas(engine) -> dict[str, float]:
    with engine.connect() as connection:
        rows = connection.execute(select(schema.place.c.name, schema.place.c.area_m2)).all()
    return dict(rows)


def place_count(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(schema.place)).scalar()


def import_file(engine, path, **options):
    options = {
        "name_field": "namn",
        "alias_field": "alias",
        "population_field": "invanare",
        **options,
    }
    return places.import_places(engine, path, "1381", **options, actor=ADMIN)


def assert_areas_within(engine, tolerance=0.001):
    areas = stored_areas(engine)
    assert areas.keys() == AREAS.keys()
    for name, expected in AREAS.items():
        assert areas[name] == pytest.approx(expected, rel=tolerance), name


@pytest.mark.parametrize(
    ("crs", "suffix", "driver"),
    [
        ("EPSG:3006", ".gpkg", "GPKG"),
        ("EPSG:4326", ".geojson", "GeoJSON"),
        ("EPSG:3021", ".gpkg", "GPKG"),
    ],
    ids=["sweref99tm-gpkg", "wgs84-geojson", "rt90-gpkg"],
)
def test_declared_crs_is_reprojected_to_sweref_with_areas_kept(
    engine, tmp_path, crs, suffix, driver
):
    path = tmp_path / f"places{suffix}"
    layer(crs).to_file(path, driver=driver)
    result = import_file(engine, path)
    assert result == {"kommun": "1381", "places": 2, "warnings": [], "batch_id": 1}
    assert_areas_within(engine)


def test_zipped_shapefile_in_rt90(engine, tmp_path):
    shp_dir = tmp_path / "shp"
    shp_dir.mkdir()
    layer("EPSG:3021").to_file(shp_dir / "omraden.shp")
    archive = tmp_path / "omraden.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for part in shp_dir.iterdir():
            zipped.write(part, part.name)
    import_file(engine, archive)
    assert_areas_within(engine)


def test_kml_in_wgs84(engine, tmp_path):
    path = tmp_path / "omraden.kml"
    frame = layer("EPSG:4326").rename(columns={"namn": "Name"})[["Name", "geometry"]]
    frame.to_file(path, driver="KML")
    places.import_places(engine, path, "1381", actor=ADMIN)
    assert_areas_within(engine)


def test_layer_without_crs_is_refused_naming_the_crs_option(engine, tmp_path):
    path = tmp_path / "nocrs.gpkg"
    layer(None).to_file(path, driver="GPKG")
    with pytest.raises(TryggError, match="--crs"):
        import_file(engine, path)
    assert place_count(engine) == 0


def test_crs_option_supplies_a_missing_crs(engine, tmp_path):
    path = tmp_path / "nocrs.gpkg"
    layer(None).to_file(path, driver="GPKG")
    import_file(engine, path, crs="EPSG:3006")
    assert_areas_within(engine)


def test_unknown_crs_option_is_refused(engine, tmp_path):
    path = tmp_path / "nocrs.gpkg"
    layer(None).to_file(path, driver="GPKG")
    with pytest.raises(TryggError, match="EPSG:99999"):
        import_file(engine, path, crs="EPSG:99999")


@pytest.mark.parametrize(
    ("bad", "kind"),
    [(Point(370_100, 6_265_100), "Point"), (LineString([(0, 0), (1, 1)]), "LineString")],
)
def test_non_polygon_feature_is_refused_by_number(engine, tmp_path, bad, kind):
    path = tmp_path / "mixed.geojson"
    frame = layer("EPSG:3006", geometries=(SQUARE, bad))
    path.write_text(frame.to_crs(4326).to_json())
    with pytest.raises(TryggError, match=rf"^Objekt 2 i mixed.geojson är av typen {kind}"):
        import_file(engine, path)
    assert place_count(engine) == 0


def test_invalid_polygon_is_repaired_with_a_warning(engine, tmp_path):
    # A bow-tie crossing at (250, 250): two triangles with base 500 m and height 250 m,
    # 62 500 m² each.
    bowtie = Polygon([(0, 0), (500, 500), (500, 0), (0, 500)])
    bowtie = Polygon([(x + 370_000, y + 6_265_000) for x, y in bowtie.exterior.coords])
    path = tmp_path / "bowtie.gpkg"
    layer("EPSG:3006", geometries=(SQUARE, bowtie)).to_file(path, driver="GPKG")
    result = import_file(engine, path)
    assert len(result["warnings"]) == 1
    assert "Parken" in result["warnings"][0]
    assert stored_areas(engine)["Parken"] == pytest.approx(2 * 62_500)


def test_empty_geometry_is_refused(engine, tmp_path):
    path = tmp_path / "empty.geojson"
    features = json.loads(layer("EPSG:4326").to_json())
    features["features"][1]["geometry"] = None
    path.write_text(json.dumps(features))
    with pytest.raises(TryggError, match="Objekt 2 .*saknar geometri"):
        import_file(engine, path)
    assert place_count(engine) == 0


def test_missing_name_is_refused(engine, tmp_path):
    path = tmp_path / "noname.gpkg"
    layer("EPSG:3006", namn=["Centrum", None]).to_file(path, driver="GPKG")
    with pytest.raises(TryggError, match="Objekt 2 .*saknar namn"):
        import_file(engine, path)
    assert place_count(engine) == 0


def test_duplicate_name_is_refused_ignoring_case(engine, tmp_path):
    path = tmp_path / "dupe.gpkg"
    layer("EPSG:3006", namn=["Centrum", " centrum "]).to_file(path, driver="GPKG")
    with pytest.raises(TryggError, match="objekt 1, 2"):
        import_file(engine, path)
    assert place_count(engine) == 0


def test_unknown_field_lists_the_fields_of_the_file(engine, tmp_path):
    path = tmp_path / "places.gpkg"
    layer().to_file(path, driver="GPKG")
    with pytest.raises(TryggError, match="Fältet 'namnet' finns inte.*namn, alias"):
        import_file(engine, path, name_field="namnet")


def test_kommun_code_must_be_four_digits(engine, tmp_path):
    path = tmp_path / "places.gpkg"
    layer().to_file(path, driver="GPKG")
    for code in ("683", "06833", "abcd", ""):
        with pytest.raises(TryggError, match="fyra siffror"):
            places.import_places(engine, path, code, name_field="namn", actor=ADMIN)


def test_aliases_population_and_kind_are_stored(engine, tmp_path):
    path = tmp_path / "places.gpkg"
    layer().to_file(path, driver="GPKG")
    import_file(engine, path, kind_field="typ")
    frame = places.load_places(engine, "1381").set_index("name")
    assert frame.loc["Centrum", "aliases"] == ["Centrala stan", "Stan"]
    assert frame.loc["Centrum", "population"] == 1200
    assert frame.loc["Parken", "aliases"] == []
    assert frame.loc["Parken", "kind"] == "park"
    assert frame.loc["Parken"].population is pd_na()


def pd_na():
    import pandas as pd

    return pd.NA


def test_kommun_is_created_with_its_demo_name(engine, tmp_path):
    path = tmp_path / "places.gpkg"
    layer().to_file(path, driver="GPKG")
    places.import_places(engine, path, "0683", name_field="namn", actor=ADMIN)
    with engine.connect() as connection:
        assert connection.execute(select(schema.kommun.c.namn)).scalar() == "Värnamo"


def test_second_import_without_replace_is_refused_and_changes_nothing(engine, tmp_path):
    path = tmp_path / "places.gpkg"
    layer().to_file(path, driver="GPKG")
    import_file(engine, path)
    moved = tmp_path / "moved.gpkg"
    layer(geometries=(SQUARE, SQUARE)).to_file(moved, driver="GPKG")
    with pytest.raises(TryggError, match="--replace"):
        import_file(engine, moved)
    assert_areas_within(engine)


def test_a_refused_second_import_names_at_most_three_places(engine, tmp_path):
    squares = [box(370_000 + 600 * k, 6_265_000, 370_500 + 600 * k, 6_265_500) for k in range(6)]
    names = [f"Plats {k}" for k in range(6)]
    path = tmp_path / "six.gpkg"
    gpd.GeoDataFrame({"namn": names}, geometry=squares, crs="EPSG:3006").to_file(path)
    places.import_places(engine, path, "1381", name_field="namn", actor=ADMIN)
    again = tmp_path / "six_again.gpkg"  # the same names in another file
    gpd.GeoDataFrame({"namn": names}, geometry=squares[::-1], crs="EPSG:3006").to_file(again)
    with pytest.raises(TryggError) as refused:
        places.import_places(engine, again, "1381", name_field="namn", actor=ADMIN)
    assert "Plats 0, Plats 1, Plats 2 och 3 till" in str(refused.value)
    assert "Plats 3" not in str(refused.value)


def test_replace_keeps_ids_updates_geometry_and_drops_missing_places(engine, tmp_path):
    path = tmp_path / "places.gpkg"
    layer().to_file(path, driver="GPKG")
    import_file(engine, path)
    before = places.load_places(engine, "1381").set_index("name")["id"]
    replacement = tmp_path / "new.gpkg"
    gpd.GeoDataFrame(
        {"namn": ["Centrum"]}, geometry=[box(370_000, 6_265_000, 370_500, 6_265_500)], crs=3006
    ).to_file(replacement, driver="GPKG")
    import_file(engine, replacement, alias_field=None, population_field=None, replace=True)
    after = places.load_places(engine, "1381").set_index("name")
    assert list(after.index) == ["Centrum"]
    assert after.loc["Centrum", "id"] == before["Centrum"]
    assert after.loc["Centrum", "area_m2"] == pytest.approx(250_000)


def test_import_keeps_the_original_file_in_its_batch(engine, tmp_path):
    path = tmp_path / "places.gpkg"
    layer().to_file(path, driver="GPKG")
    result = import_file(engine, path)
    with engine.connect() as connection:
        batch = (
            connection.execute(
                select(schema.import_batch).where(schema.import_batch.c.id == result["batch_id"])
            )
            .mappings()
            .one()
        )
    assert batch["original"] == path.read_bytes()
    assert batch["kind"] == "places"
    assert batch["file_name"] == "places.gpkg"
    assert batch["rows_total"] == 2


def test_export_is_wgs84_with_the_place_properties(engine, tmp_path):
    path = tmp_path / "places.gpkg"
    layer().to_file(path, driver="GPKG")
    import_file(engine, path)
    collection = places.export_geojson(engine, "1381")
    exported = gpd.GeoDataFrame.from_features(collection["features"], crs="EPSG:4326")
    assert set(exported.columns) >= {"name", "aliases", "kind", "population"}
    back = exported.to_crs(3006).set_index("name").area
    for name, expected in AREAS.items():
        assert back[name] == pytest.approx(expected, rel=1e-4)
    x, y = collection["features"][0]["geometry"]["coordinates"][0][0]
    assert 12 < x < 14 and 56 < y < 57


def test_web_shapes_are_stored_at_import_and_used_by_the_first_map(engine, tmp_path, monkeypatch):
    from trygg import geometry, maps

    layer = tmp_path / "rutor.gpkg"
    tiles = [box(x, 6_265_000, x + 500, 6_265_500) for x in (370_000, 370_500, 371_000)]
    park = box(370_100, 6_265_100, 370_200, 6_265_200)
    gpd.GeoDataFrame(
        {"namn": ["Väst", "Mitt", "Öst", "Parken"]}, geometry=[*tiles, park], crs=3006
    ).to_file(layer, driver="GPKG")
    places.import_places(engine, layer, "1381", name_field="namn", actor=ADMIN)
    frame = places.load_places(engine, "1381")
    assert frame["web_geometry"].notna().all()
    computed = geometry.compute_web_shapes(np.asarray(frame.geometry.array))
    stored = frame["web_geometry"].to_numpy()[computed.order]
    assert [g.wkb for g in stored] == [g.wkb for g in computed.shapes]
    assert np.allclose(
        frame[["label_lon", "label_lat"]].to_numpy()[computed.order], computed.labels
    )
    maps.forget_web_shapes()
    calls = []
    original = geometry.compute_web_shapes
    monkeypatch.setattr(geometry, "compute_web_shapes", lambda g: calls.append(1) or original(g))
    maps.place_map(frame).get_root().render()
    assert calls == []  # the first map drew the stored shapes
    maps.place_map(frame.drop(columns=["web_geometry"])).get_root().render()
    assert calls == [1]  # without them it simplifies the places itself


def test_a_link_finds_a_place_without_accents_but_a_file_does_not():
    from trygg.places.lookup import NameIndex

    index = NameIndex([(1, "Glänningeområdet", ["Glänninge"]), (2, "Åsen", []), (3, "Asen", [])])
    assert index.find_in_link("glanningeomradet") == (1, "Glänningeområdet")
    assert index.find_in_link("GLANNINGE") == (1, "Glänningeområdet")
    assert index.find("glanningeomradet") is None  # files are matched strictly
    assert index.find_in_link("åsen") == (2, "Åsen")  # the exact spelling first
    assert index.find_in_link("asen") == (3, "Asen")
    assert index.find_in_link("äsen") is None  # Åsen and Asen both fold to "asen"
