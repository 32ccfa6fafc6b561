"""Layers and output (issue 12, item 8): place-layer name fields, the long stats table,
and gi_p_sim where the permutations tie."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import esda
import geopandas as gpd
import libpysal
import numpy as np
import openpyxl
import pandas as pd
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import box

from tests.conftest import run_cli
from trygg import places
from trygg.auth import local_admin
from trygg.errors import TryggError
from trygg.importers import crime_stats, survey_results
from trygg.stats import hotspots, tables

EXTERNAL = Path(__file__).resolve().parents[2] / "shared" / "external"
ADMIN = local_admin()
TO_SWEREF = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)
#: Laholm's town centre (WGS84) and Malmö's Gustav Adolfs torg, for "did it land right".
LAHOLM = shapely.Point(TO_SWEREF.transform(13.0424, 56.5119))
MALMO_TORG = shapely.Point(TO_SWEREF.transform(13.0007, 55.6050))


def external(name: str) -> Path:
    path = EXTERNAL / name
    if not path.exists():
        pytest.skip(f"{path} is missing")
    return path


# --- Place layers without --name-field ------------------------------------------------


@pytest.mark.parametrize(
    ("file_name", "kommun", "field", "count", "point", "name_there"),
    [
        ("se_kommuner_okfse_wgs84.geojson", "9998", "kom_namn", 290, LAHOLM, "Laholm"),
        ("se_kommuner_scb_rt90.zip", "9997", "kn_namn", 290, LAHOLM, "Laholm"),
        (
            "malmo_delomraden_sweref99_1330.gpkg",
            "1280",
            "delomrade",
            136,
            MALMO_TORG,
            "GAMLA STADEN",
        ),
    ],
)
def test_real_layers_import_without_a_name_field(
    engine, file_name, kommun, field, count, point, name_there
):
    path = external(file_name)
    db = str(engine.url.database)
    result = run_cli("--db", db, "import-places", str(path), "--kommun", kommun, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["places"] == count
    stored = places.load_places(engine, kommun)
    expected = gpd.read_file(path)[field]
    assert sorted(stored["name"]) == sorted(" ".join(str(v).split()) for v in expected)
    # The layer's own CRS (WGS84, RT90 from the .prj, SWEREF 99 13 30) was used: the
    # place holding a known point is the right one.
    holding = stored[stored.contains(point)]["name"].tolist()
    assert holding == [name_there]


def test_rt90_layer_chooses_the_kommun_name_over_the_lan_name():
    frame = gpd.read_file(external("se_kommuner_scb_rt90.zip"))
    # kn_namn and ln_namn both contain "namn"; only kn_namn can name every place.
    assert places.name_field_candidates(list(frame.columns[:-1])) == ["kn_namn", "ln_namn"]
    fields = places.resolve_fields(
        frame, "rt90.zip", name=None, alias=None, kind=None, population=None
    )
    assert fields["name"] == "kn_namn"


def test_london_layer_chooses_the_lsoa_name_over_its_code():
    frame = gpd.read_file(external("london_lsoa2011_near_city_bng.zip"))
    columns = [c for c in frame.columns if c != "geometry"]
    assert places.name_field_candidates(columns) == ["LSOA11NM", "MSOA11NM", "LAD11NM"]
    fields = places.resolve_fields(
        frame, "lsoa.zip", name=None, alias=None, kind=None, population=None
    )
    assert fields["name"] == "LSOA11NM"
    assert frame["LSOA11NM"].is_unique and not frame["MSOA11NM"].is_unique


def test_two_name_fields_that_could_both_be_names_are_refused(engine, tmp_path):
    layer = gpd.GeoDataFrame(
        {
            "kom_namn": ["Norra", "Södra"],
            "stadsdel_namn": ["Nord", "Syd"],
            "geometry": [
                box(370000, 6265000, 370500, 6265500),
                box(370500, 6265000, 371000, 6265500),
            ],
        },
        crs="EPSG:3006",
    )
    path = tmp_path / "tva_namn.geojson"
    layer.to_file(path, driver="GeoJSON")
    db = str(engine.url.database)
    result = run_cli("--db", db, "import-places", str(path), "--kommun", "1381")
    assert result.returncode == 1
    assert "kom_namn, stadsdel_namn" in result.stderr and "--name-field" in result.stderr
    assert "Traceback" not in result.stderr
    assert places.list_places(engine, "1381") == []
    chosen = run_cli(
        "--db", db, "import-places", str(path), "--kommun", "1381", "--name-field", "stadsdel_namn"
    )
    assert chosen.returncode == 0, chosen.stderr
    assert sorted(p["name"] for p in places.list_places(engine, "1381")) == ["Nord", "Syd"]


def test_a_field_of_another_role_is_not_taken_as_the_name():
    frame = gpd.GeoDataFrame(
        {"alias_namn": ["A", "B"], "omr_namn": ["Ett", "Två"]},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)],
    )
    fields = places.resolve_fields(
        frame, "f.gpkg", name=None, alias=None, kind=None, population=None
    )
    assert fields == {"name": "omr_namn", "alias": "alias_namn", "kind": None, "population": None}


def test_no_name_like_field_is_refused_as_before():
    frame = gpd.GeoDataFrame({"kod": ["1", "2"]}, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)])
    with pytest.raises(TryggError, match="kod"):
        places.resolve_fields(frame, "f.gpkg", name=None, alias=None, kind=None, population=None)


# --- The long stats table -------------------------------------------------------------

CRIME_CSV = (
    "Område;Period;Brottstyp;Antal;Per 100 000 inv;Status\n"
    "Laholm;2024;Skadegörelse;412;1 600,5;Preliminär\n"
    "Laholm;2024;Narkotikabrott;..;..;Slutlig\n"
    "Stadsparken;2024;Stöld;2;;Slutlig\n"
    "Stadsparken;2024;Misshandel;14;;Slutlig\n"
)
RESULTS_CSV = (
    "Område;År;Indikator;Värde;Antal svar\n"
    "Stadsparken;2024;Nedskräpning (index);2,4;120\n"
    "Laholm;2024;Otrygghet (index);1,9;430\n"
)


@pytest.fixture
def laholm_db(demo_engine, tmp_path):
    """The demo database with BRÅ figures and delivered results for Laholm."""
    for name, text, importer in (
        ("bra.csv", CRIME_CSV, crime_stats.import_crime_stats),
        ("resultat.csv", RESULTS_CSV, survey_results.import_survey_results),
    ):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        importer(demo_engine, path, "1381", actor=ADMIN)
    return str(demo_engine.url.database)


def stats(db: str, fmt: str, *flags: str):
    result = run_cli(
        "--db", db, "stats", "--kommun", "1381", "--year", "2024", *flags, "--format", fmt
    )
    assert result.returncode == 0, result.stderr
    if fmt == "json":
        return json.loads(result.stdout)
    return list(csv.DictReader(io.StringIO(result.stdout)))


def expected_figures(figures: dict) -> dict:
    """Every published figure of the JSON, keyed like the CSV rows, flattened here by
    walking the JSON (not through trygg.stats.tables)."""
    out = {}
    year, before = str(figures["year"]), str(figures["year"] - 1)
    areas = [("plats", p["place"], p) for p in figures["places"]]
    kommun = {
        "survey": figures["kommun_total"],
        "results": figures["kommun_results"],
        "incidents": figures["kommun_incidents"],
        "crime_stats": figures["kommun_crime_stats"],
    }
    for level, name, block in [*areas, ("kommun", "", kommun)]:
        survey = block["survey"]
        if level == "plats":
            out[level, name, "enkät", "andel_otrygga", "", year] = survey["andel_otrygga"]
            for scale in ("problem", "oro"):
                for slug, item in survey[scale].items():
                    out[level, name, "enkät", f"{scale}_{slug}", "", year] = item["andel"]
            if "trend" in survey:
                last = str(survey["trend"]["previous_year"])
                key = (level, name, "enkät", "andel_otrygga", "", last)
                out[key] = survey["trend"]["previous_andel_otrygga"]
        else:
            for indicator, item in survey.items():
                out[level, name, "enkät", indicator, "", year] = item["andel"]
        for result in block["results"]:
            key = (level, name, "områdesresultat", result["indicator"], "", year)
            out[key] = result["value"]
        incidents = block["incidents"]
        out[level, name, "händelser", "handelser", "", year] = incidents["total"]
        out[level, name, "händelser", "handelser", "", before] = incidents["previous_total"]
        for category, count in incidents["by_category"].items():
            out[level, name, "händelser", "handelser", category, year] = count
        for rate in ("per_km2", "per_1000_inv"):
            if incidents[rate] is not None:
                out[level, name, "händelser", f"handelser_{rate}", "", year] = incidents[rate]
        for crime in block["crime_stats"]:
            offence, period = crime["offence"], str(crime["period"])
            key = (level, name, "brottsstatistik", "anmalda_brott", offence, period)
            out[key] = crime["count"]
            if crime["per_100k"] is not None or crime["suppressed"]:
                out[(*key[:3], "anmalda_brott_per_100k", *key[4:])] = crime["per_100k"]
    for ref in figures.get("references", []):
        out[ref["level"], ref["area"], "referens", ref["indicator"], "", str(ref["year"])] = ref[
            "value"
        ]
    return out


def csv_figures(rows: list[dict]) -> dict:
    return {
        (r["level"], r["place"], r["kind"], r["indicator"], r["category"], r["period"]): (
            None if r["value"] == "" else float(r["value"])
        )
        for r in rows
    }


def test_stats_csv_holds_every_figure_of_the_json(laholm_db):
    figures, rows = stats(laholm_db, "json"), stats(laholm_db, "csv")
    assert {r["kind"] for r in rows} == {"enkät", "områdesresultat", "händelser", "brottsstatistik"}
    expected, found = expected_figures(figures), csv_figures(rows)
    assert len(rows) == len(found)  # one row per area × indicator × period
    assert found.keys() == expected.keys()
    for key, value in expected.items():
        assert found[key] == (None if value is None else pytest.approx(value, abs=1e-6)), key
    skade = next(r for r in rows if r["category"] == "Skadegörelse" and r["unit"] == "antal")
    assert (skade["level"], skade["value"], skade["preliminary"]) == ("kommun", "412", "true")
    narkotika = [r for r in rows if r["category"] == "Narkotikabrott"]
    assert [(r["value"], r["missing"], r["suppressed"]) for r in narkotika] == [
        ("", "true", "false")
    ]
    index = next(r for r in rows if r["indicator"] == "Nedskräpning (index)")
    assert (index["place"], index["n"], index["value"]) == ("Stadsparken", "120", "2.400000")


def test_public_stats_csv_has_no_number_where_the_json_hides_one(laholm_db):
    figures, rows = stats(laholm_db, "json", "--public"), stats(laholm_db, "csv", "--public")
    expected, found = expected_figures(figures), csv_figures(rows)
    hidden = {key for key, value in expected.items() if value is None}
    assert found.keys() == expected.keys()
    assert {key for key, value in found.items() if value is None} == hidden
    # Hidden here: Stadsparken's 2 thefts (under k = 3) and several small survey groups.
    assert ("plats", "Stadsparken", "brottsstatistik", "anmalda_brott", "Stöld", "2024") in hidden
    assert any(key[2] == "enkät" for key in hidden)
    for row in rows:
        if row["suppressed"] == "true":
            assert row["value"] == row["ki_lag"] == row["ki_hog"] == "", row
    misshandel = [r for r in rows if r["category"] == "Misshandel"]
    assert [r["value"] for r in misshandel] == ["14"]


def test_stats_xlsx_has_the_same_rows_with_numbers_as_numbers(laholm_db, tmp_path):
    out = tmp_path / "stats.xlsx"
    run_cli(
        "--db",
        laholm_db,
        "stats",
        "--kommun",
        "1381",
        "--year",
        "2024",
        "--format",
        "xlsx",
        "--out",
        str(out),
    )
    sheet = openpyxl.load_workbook(out).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    rows = stats(laholm_db, "csv")
    assert values[0] == list(tables.CSV_COLUMNS) and len(values) == len(rows) + 1
    value_column = tables.CSV_COLUMNS.index("value")
    shown = [row[value_column] for row in values[1:] if row[value_column] is not None]
    assert shown and all(isinstance(v, (int, float)) for v in shown)


def test_ntu_references_are_rows_of_the_stats_csv(demo_engine):
    path = external("ntu2010_otrygghet_oro_regionala_resultat.csv")
    db = str(demo_engine.url.database)
    imported = run_cli(
        "--db", db, "import-survey-results", str(path), "--kommun", "1380", "--year", "2010"
    )
    assert imported.returncode == 0, imported.stderr
    flags = ("--kommun", "1380", "--year", "2010")
    figures = json.loads(run_cli("--db", db, "stats", *flags, "--format", "json").stdout)
    rows = list(
        csv.DictReader(io.StringIO(run_cli("--db", db, "stats", *flags, "--format", "csv").stdout))
    )
    assert figures["references"], "the NTU file holds HELA RIKET and Hallands län"
    expected, found = expected_figures(figures), csv_figures(rows)
    assert found == {k: None if v is None else pytest.approx(v) for k, v in expected.items()}
    # From the file by hand: Halmstad 17 %, Hallands län 15 %, HELA RIKET 15 %.
    otrygga = {
        r["place"] or r["level"]: r["value"]
        for r in rows
        if r["indicator"] == "andel_otrygga" and r["kind"] in ("områdesresultat", "referens")
    }
    assert otrygga == {
        "kommun": "17.000000",
        "Hallands län": "15.000000",
        "HELA RIKET": "15.000000",
    }


def test_reference_figures_become_rows_and_their_absence_is_fine():
    figures = {"kommun": "1381", "year": 2010, "places": [], "kommun_total": {}}
    assert tables.table_rows(figures) == []
    figures["references"] = [
        {
            "area": "Hallands län",
            "level": "län",
            "indicator": "otrygghet",
            "year": 2010,
            "value": 16.0,
            "unit": "procent",
            "missing_marker": None,
        },
        {
            "area": "HELA RIKET",
            "level": "riket",
            "indicator": "otrygghet",
            "year": 2010,
            "value": None,
            "unit": "procent",
            "missing_marker": "XX",
        },
    ]
    rows = list(csv.DictReader(io.StringIO(tables.to_csv(figures))))
    assert [
        (r["level"], r["place"], r["kind"], r["period"], r["value"], r["missing"]) for r in rows
    ] == [
        ("län", "Hallands län", "referens", "2010", "16.000000", "false"),
        ("riket", "HELA RIKET", "referens", "2010", "", "true"),
    ]


# --- gi_p_sim where the permutations tie ----------------------------------------------


def zero_inflated_grid() -> np.ndarray:
    """5 × 5 counts, row-major: incidents in three cells of the top-left corner only."""
    values = np.zeros(25)
    values[[0, 1, 6]] = [5, 3, 4]
    return values


def test_gi_p_sim_is_null_for_an_empty_neighbourhood_among_empty_cells():
    values = zero_inflated_grid()
    w = libpysal.weights.lat2W(5, 5, rook=False)
    result = hotspots.gi_star(values, w)
    corner = 24
    # By hand: the corner's neighbourhood (itself and 3 cells) is empty, so Gi* = 0, the
    # least a count can give; no permutation lies below it, and a permutation ties when
    # it draws three of the 21 other zeros (p = 1330 / 2024 each). esda's folded p then
    # says 1 / 100 although the analytical p is 0.44.
    g = esda.G_Local(values, w, transform="B", permutations=99, star=True, seed=12345, n_jobs=1)
    assert g.Gs[corner] == 0 and g.p_sim[corner] == pytest.approx(0.01)
    assert result["p"][corner] == pytest.approx(0.44, abs=0.01)
    assert math.isnan(result["p_sim"][corner])
    # The hot corner's neighbourhood holds all 12 incidents (Gi* = 1, the most there is):
    # p_sim counts the permutations that reach it, as esda does, and is a number.
    hot = 0
    reach = int(np.isclose(g.rGs[hot], 1.0).sum())
    assert g.Gs[hot] == pytest.approx(1.0) and (g.rGs[hot] <= 1.0 + 1e-12).all()
    assert result["p_sim"][hot] == pytest.approx((reach + 1) / 100) == g.p_sim[hot]
    assert result["p_sim"][hot] <= 0.05


def test_gi_p_sim_equals_esda_where_nothing_ties():
    rng = np.random.default_rng(7)
    values = rng.gamma(2.0, 3.0, 36)  # distinct real values: no permutation ties
    w = libpysal.weights.lat2W(6, 6, rook=False)
    g = esda.G_Local(values, w, transform="B", permutations=99, star=True, seed=12345, n_jobs=1)
    np.testing.assert_allclose(hotspots.gi_star(values, w)["p_sim"], g.p_sim)


def test_grid_gi_p_sim_is_null_in_json_where_every_permutation_ties():
    # 3 × 3 cells of 100 m, one incident in the centre: the centre's queen neighbourhood
    # (itself included) is the whole grid, so Gi* = 1 in every permutation.
    incidents = pd.DataFrame({"x": [370150.0], "y": [6265150.0], "count": [1]})
    grid = hotspots.grid_hotspots(incidents, cell=100, area=(370000, 6265000, 370299, 6265299))
    by_cell = {f["properties"]["cell"]: f["properties"] for f in grid["features"]}
    assert len(by_cell) == 9
    assert by_cell[4]["count"] == 1 and by_cell[4]["gi_p_sim"] is None
    assert all(isinstance(by_cell[c]["gi_p_sim"], float) for c in (0, 1, 2, 3, 5, 6, 7, 8))
    json.dumps(grid, allow_nan=False)  # null, never NaN


def test_gi_p_sim_is_null_for_equal_values():
    w = libpysal.weights.lat2W(3, 3, rook=False)
    assert np.isnan(hotspots.gi_star(np.full(9, 2.0), w)["p_sim"]).all()
