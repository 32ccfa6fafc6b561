"""The synthetic (syntetiska) demo generators: surveys and incidents.

Checked from the written bytes only, with geometry reprojected here independently.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import json
import sys
from collections import Counter
from pathlib import Path

import pytest
import shapely
from pyproj import Transformer

REPO = Path(__file__).resolve().parents[1]
GEODATA = REPO / "geodata"
SURVEY_HEADER = (
    "Respondent-ID;Område;År;Trygg kväll;Problem nedskräpning;Problem klotter;"
    "Problem buskörning;Problem narkotikaförsäljning;Problem dålig belysning;"
    "Oro inbrott;Oro överfall;Vikt;Ålder;Kön;Kommentar"
)
TRYGG_LABELS = {
    "Mycket trygg",
    "Ganska trygg",
    "Ganska otrygg",
    "Mycket otrygg",
    "Går inte ut på grund av otrygghet",
    "Går inte ut av andra skäl",
    "Vet ej",
    "Vet inte",
    "",
}


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


surveys = _load("_syntetiska_enkater", REPO / "surveys" / "generate_demo.py")
incidents = _load("_syntetiska_handelser", REPO / "geodata" / "generate_incidents.py")


@pytest.fixture(scope="module")
def survey_files(tmp_path_factory) -> list[dict]:
    return surveys.generate(tmp_path_factory.mktemp("enkater"))


@pytest.fixture(scope="module")
def incident_files(tmp_path_factory) -> list[dict]:
    return incidents.generate(tmp_path_factory.mktemp("handelser"))


def _rows(path: Path) -> list[list[str]]:
    text = path.read_bytes().decode("cp1252")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def _places(kod: str) -> list[dict]:
    folder = next(GEODATA.glob(f"{kod}_*"))
    return json.loads((folder / "places.geojson").read_text("utf-8"))["features"]


def _polygons_3006(kod: str) -> dict[str, shapely.Geometry]:
    to_3006 = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)
    polygons = {}
    for feature in _places(kod):
        ring = feature["geometry"]["coordinates"][0]
        xs, ys = to_3006.transform([c[0] for c in ring], [c[1] for c in ring])
        polygons[feature["properties"]["name"]] = shapely.Polygon(zip(xs, ys, strict=True))
    return polygons


def test_generation_is_deterministic(survey_files, incident_files, tmp_path):
    again = surveys.generate(tmp_path / "enkater") + incidents.generate(tmp_path / "handelser")
    first = survey_files + incident_files
    assert [p["path"].name for p in first] == [p["path"].name for p in again]
    for one, two in zip(first, again, strict=True):
        assert one["path"].read_bytes() == two["path"].read_bytes(), one["path"].name


def test_another_seed_gives_other_answers(survey_files, tmp_path):
    other = surveys.generate(tmp_path, seed=7)
    assert other[0]["path"].read_bytes() != survey_files[0]["path"].read_bytes()


def test_one_file_per_kommun_and_year_named_synthetic(survey_files, incident_files):
    assert [(f["kommun"], f["year"]) for f in survey_files] == [
        (kod, year) for kod in ("0683", "1278", "1380", "1381", "1984") for year in (2023, 2024)
    ]
    for item in survey_files:
        assert item["path"].name.startswith(f"{item['kommun']}_")
        assert "_syntetisk_trygghetsenkat_" in item["path"].name
    assert [f["kommun"] for f in incident_files] == ["0683", "1278", "1380", "1381", "1984"]
    assert all(f["path"].name.endswith("_syntetiska_handelser.csv") for f in incident_files)


def test_files_are_swedish_excel_csv(survey_files, incident_files):
    for item in survey_files + incident_files:
        data = item["path"].read_bytes()
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")  # Windows-1252, not UTF-8
        text = data.decode("cp1252")
        assert data.endswith(b"\r\n")
        assert data.count(b"\n") == data.count(b"\r\n"), "bare LF"
        rows = _rows(item["path"])
        assert len({len(row) for row in rows}) == 1, item["path"].name
        assert text.split("\r\n", 1)[0].count(";") == len(rows[0]) - 1


def test_survey_headers_and_answers(survey_files):
    for item in survey_files:
        rows = _rows(item["path"])
        header = ";".join(rows[0])
        if item["kommun"] == "1380":
            assert header == SURVEY_HEADER.replace("Område", "Latitud;Longitud")
        elif item["kommun"] == "0683":
            assert header == SURVEY_HEADER.replace("Område", "X;Y")
        else:
            assert header == SURVEY_HEADER
        columns = rows[0]
        trygg = columns.index("Trygg kväll")
        weights = [float(r[columns.index("Vikt")].replace(",", ".")) for r in rows[1:]]
        assert all(0.5 <= w <= 2.0 for w in weights)
        assert all("," in r[columns.index("Vikt")] for r in rows[1:])
        assert {r[columns.index("År")] for r in rows[1:]} == {str(item["year"])}
        ids = [r[0] for r in rows[1:]]
        assert len(ids) == len(set(ids))
        answers = {r[trygg] for r in rows[1:]}
        if item["kommun"] == "1984":
            assert answers <= {str(c) for c in range(1, 8)} | {""}
        else:
            assert answers <= TRYGG_LABELS
            assert "Vet inte" in answers and "" in answers


def test_every_survey_place_name_resolves(survey_files):
    for item in survey_files:
        if item["kommun"] in ("1380", "0683"):
            continue
        lookup = {}
        for feature in _places(item["kommun"]):
            props = feature["properties"]
            for text in [props["name"], *props["aliases"].split(";")]:
                if text.strip():
                    lookup[text.strip().casefold()] = props["name"]
        rows = _rows(item["path"])
        column = rows[0].index("Område")
        written = [r[column] for r in rows[1:]]
        assert all(text.strip().casefold() in lookup for text in written)
        assert any(text != text.strip() for text in written)  # odd spacing is exercised


def test_hishult_is_deliberately_small_in_laholm_2023(survey_files):
    item = next(f for f in survey_files if f["kommun"] == "1381" and f["year"] == 2023)
    rows = _rows(item["path"])
    column = rows[0].index("Område")
    counts = Counter(r[column].strip().casefold() for r in rows[1:])
    assert 0 < counts["hishult"] < 10
    assert counts["laholms centrum"] > 80


def test_survey_points_lie_inside_a_place(survey_files):
    to_3006 = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)
    for item in survey_files:
        if item["kommun"] not in ("1380", "0683"):
            continue
        polygons = list(_polygons_3006(item["kommun"]).values())
        rows = _rows(item["path"])
        if item["kommun"] == "1380":
            lat = [float(r[1].replace(",", ".")) for r in rows[1:]]
            lon = [float(r[2].replace(",", ".")) for r in rows[1:]]
            assert all(len(r[1].split(",")[1]) == 6 for r in rows[1:])
            xs, ys = to_3006.transform(lon, lat)
        else:
            xs = [int(r[1]) for r in rows[1:]]
            ys = [int(r[2]) for r in rows[1:]]
        for x, y in zip(xs, ys, strict=True):
            point = shapely.Point(x, y)
            assert any(p.contains(point) and p.exterior.distance(point) >= 5 for p in polygons)


def test_incident_dates_fall_in_2023_and_2024(incident_files):
    for item in incident_files:
        rows = _rows(item["path"])
        assert rows[0][0] == "Datum" and rows[0][-1] == "Beskrivning"
        assert 600 <= len(rows) - 1 <= 2500, item["path"].name
        for row in rows[1:]:
            form = "%Y-%m-%d %H:%M" if len(row[0]) > 10 else "%Y-%m-%d"
            day = dt.datetime.strptime(row[0], form).date()
            assert dt.date(2023, 1, 1) <= day <= dt.date(2024, 12, 31)
            assert row[4] in {"1", "2", "3"}


def test_incidents_near_the_kommuns_places(incident_files):
    to_3006 = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)
    for item in incident_files:
        polygons = list(_polygons_3006(item["kommun"]).values())
        near = shapely.union_all([p.buffer(3000) for p in polygons])
        rows = _rows(item["path"])[1:]
        if item["kommun"] == "0683":
            xs, ys = [float(r[2]) for r in rows], [float(r[3]) for r in rows]
        else:
            lat = [float(r[2].replace(",", ".")) for r in rows]
            lon = [float(r[3].replace(",", ".")) for r in rows]
            xs, ys = to_3006.transform(lon, lat)
        assert shapely.contains_xy(near, xs, ys).all()
        inside = shapely.contains_xy(shapely.union_all(polygons), xs, ys)
        assert 0.2 < 1 - inside.mean() < 0.7, "background events should also fall outside places"


def test_varnamo_station_area_grows_in_2024(incident_files):
    item = next(f for f in incident_files if f["kommun"] == "0683")
    station = _polygons_3006("0683")["Området runt järnvägsstationen"]
    per_year = Counter(
        row[0][:4]
        for row in _rows(item["path"])[1:]
        if station.contains(shapely.Point(float(row[2]), float(row[3])))
    )
    assert per_year["2024"] > per_year["2023"] > 0
