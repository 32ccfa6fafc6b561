"""The acceptance commands, run as a user runs them: a real process and a real file."""

from __future__ import annotations

import json
from collections import Counter

import geopandas as gpd
import pytest
from shapely.geometry import Point

from tests.conftest import assert_clean_refusal, run_cli
from tests.test_places import AREAS, layer

DEMO_PLACES = {
    "1381": {"Stadsparken", "Laholms centrum", "Glänningeområdet", "Campus Laholm"},
    "1278": {"Båstad", "Förslöv", "Grevie", "Torekov", "Västra Karup"},
    "1380": {"Centrala Andersberg", "Centrala Vallås", "Halmstads stadskärna"},
    "0683": {"Området runt järnvägsstationen", "Centrala Värnamo", "Bor", "Rydaholm"},
    "1984": {"Arboga centrum", "Sätra"},
}


@pytest.mark.parametrize("kommun", sorted(DEMO_PLACES))
def test_demo_export_is_a_wgs84_feature_collection(demo_db, kommun):
    result = run_cli(
        "--db", str(demo_db), "export", "--kommun", kommun, "--format", "geojson", "--out", "-"
    )
    assert result.returncode == 0, result.stderr
    collection = json.loads(result.stdout)
    assert collection["type"] == "FeatureCollection"
    names = {f["properties"]["name"] for f in collection["features"]}
    assert names >= DEMO_PLACES[kommun]
    for feature in collection["features"]:
        assert set(feature["properties"]) >= {"name", "aliases", "kind", "population"}
        assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}
        ring = feature["geometry"]["coordinates"][0]
        ring = ring[0] if feature["geometry"]["type"] == "MultiPolygon" else ring
        lon, lat = ring[0]
        assert 10 < lon < 25 and 55 < lat < 70, "not WGS84 lon/lat"


def test_demo_can_run_twice_without_duplicates(tmp_path):
    db = str(tmp_path / "x.sqlite")
    assert run_cli("--db", db, "demo").returncode == 0
    first = run_cli("--db", db, "commitments", "--kommun", "1381", "--format", "json")
    assert run_cli("--db", db, "demo").returncode == 0
    second = run_cli("--db", db, "commitments", "--kommun", "1381", "--format", "json")
    assert json.loads(second.stdout) == json.loads(first.stdout)
    listing = json.loads(
        run_cli("--db", db, "places", "--kommun", "1381", "--format", "json").stdout
    )
    assert len(listing) == len({p["name"] for p in listing})


def test_laholm_commitments_json(demo_db):
    result = run_cli("--db", str(demo_db), "commitments", "--kommun", "1381", "--format", "json")
    listed = json.loads(result.stdout)
    assert len(listed) == 19
    assert Counter(c["party"] for c in listed) == {"gemensamt": 8, "polisen": 5, "kommunen": 6}
    for item in listed:
        assert set(item) >= {"party", "text", "places", "themes", "status", "medborgarlofte"}
        assert item["medborgarlofte"] == "Medborgarlöfte Laholms kommun 2024–2025"
    park = json.loads(
        run_cli(
            "--db",
            str(demo_db),
            "commitments",
            "--kommun",
            "1381",
            "--place",
            "Stadsparken",
            "--format",
            "json",
        ).stdout
    )
    police = [c["text"] for c in park if c["party"] == "polisen"]
    assert "synas i hela kommunen med prioritering på de utpekade områdena" in police
    assert all("Stadsparken" in c["places"] for c in park)


def test_commitments_round_trip_through_the_cli(demo_db, tmp_path):
    out = tmp_path / "laholm.yaml"
    assert (
        run_cli(
            "--db", str(demo_db), "export-commitments", "--kommun", "1381", "--out", str(out)
        ).returncode
        == 0
    )
    db = str(tmp_path / "fresh.sqlite")
    run_cli("--db", db, "demo")
    assert run_cli("--db", db, "import-commitments", str(out), "--kommun", "1381").returncode == 0
    again = tmp_path / "again.yaml"
    run_cli("--db", db, "export-commitments", "--kommun", "1381", "--out", str(again))
    assert again.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")


def test_import_places_json_summary_and_areas(tmp_path):
    path = tmp_path / "omraden.gpkg"
    layer().to_file(path, driver="GPKG")
    db = str(tmp_path / "y.sqlite")
    result = run_cli(
        "--db",
        db,
        "import-places",
        str(path),
        "--kommun",
        "1381",
        "--name-field",
        "namn",
        "--alias-field",
        "alias",
        "--population-field",
        "invanare",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["kommun"], summary["places"], summary["warnings"]) == ("1381", 2, [])
    listing = json.loads(
        run_cli("--db", db, "places", "--kommun", "1381", "--format", "json").stdout
    )
    assert {p["name"]: p["area_km2"] * 1e6 for p in listing} == pytest.approx(AREAS, rel=1e-3)


def places_in(db: str) -> str:
    return run_cli("--db", db, "kommuner", "--format", "json").stdout


@pytest.mark.parametrize("case", ["no-crs", "points", "bad-kommun", "random-bytes", "missing"])
def test_refusals_are_one_sentence_and_store_nothing(tmp_path, case):
    db = str(tmp_path / "y.sqlite")
    path = tmp_path / "bad.gpkg"
    kommun = "1381"
    if case == "no-crs":
        layer(None).to_file(path, driver="GPKG")
    elif case == "points":
        gpd.GeoDataFrame({"namn": ["P"]}, geometry=[Point(370_000, 6_265_000)], crs=3006).to_file(
            path, driver="GPKG"
        )
    elif case == "bad-kommun":
        layer().to_file(path, driver="GPKG")
        kommun = "683"
    elif case == "random-bytes":
        path.write_bytes(bytes(range(256)) * 10)
    before = places_in(db)
    result = run_cli(
        "--db", db, "import-places", str(path), "--kommun", kommun, "--name-field", "namn"
    )
    message = assert_clean_refusal(result)
    assert places_in(db) == before == "[]\n"
    expected = {
        "no-crs": "--crs",
        "points": "Objekt 1",
        "bad-kommun": "fyra siffror",
        "random-bytes": "inte ett kartlager som kan läsas",
        "missing": "finns inte",
    }[case]
    assert expected in message


def test_help_lists_every_command_without_error():
    from trygg.cli import build_parser

    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    for name, command in commands.items():
        assert command.format_help(), name
    result = run_cli("--help")
    assert result.returncode == 0
    for name in ("import-places", "import-commitments", "import-survey", "stats", "rollback"):
        assert name in result.stdout
