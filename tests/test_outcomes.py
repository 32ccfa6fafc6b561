"""Whole-file outcomes and plausible coordinates, with real files and a real database.

A file with no accepted row is refused whole (exit 1, no batch, nothing stored);
repeated row errors are grouped; ``--json`` prints a refusal as JSON on standard out;
points in another coordinate system than the one given are refused with a sentence that
names the likely one; rows without coordinates are kept for the kommun total.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from pyproj import Transformer

from tests.conftest import assert_clean_refusal, run_cli
from tests.test_dashboard import (
    COORDINATOR,
    COORDINATOR_KOMMUNER,
    COORDINATOR_PASSWORD,
    open_upload_page,
    upload,
)
from trygg import auth
from trygg.errors import TryggError
from trygg.importers import incidents
from trygg.store import batches

EXTERNAL = Path(__file__).resolve().parents[2] / "shared" / "external"
POLICE_UK = EXTERNAL / "2019-01-city-of-london-street.csv"
POLISEN = EXTERNAL / "polisen_handelser_2024.csv"
STHLM_PLACES = EXTERNAL / "stockholm_basomraden_sweref99_1800.gpkg"
STHLM_POINTS = EXTERNAL / "stockholm_statistikomraden_punkter_sweref99_1800.csv"
#: A point inside Laholms centrum (WGS 84), a demo place of kommun 1381.
LAHOLM = (13.0424, 56.5107)


def external(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path.name} is not in ../shared/external")
    return path


ADMIN = auth.local_admin()


@pytest.fixture
def db(tmp_path, demo_db) -> str:
    """A private copy of the demo database, as a path for ``--db``."""
    copy = tmp_path / "demo.sqlite"
    copy.write_bytes(demo_db.read_bytes())
    return str(copy)


def query(db: str, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql, params).fetchall()


def stored_state(db: str) -> tuple:
    """Everything an import could leave behind: batches, stored files, rows."""
    return (
        query(db, "SELECT id, kind, file_name, sha256, status FROM import_batch ORDER BY id"),
        query(db, "SELECT count(*) FROM incident"),
        query(db, "SELECT count(*) FROM incident_place"),
        query(db, "SELECT count(*) FROM survey_response"),
    )


def incident_csv(path: Path, dates: list[str], point=LAHOLM) -> Path:
    lines = ["datum,kategori,lat,lon"] + [f"{d},Skadegörelse,{point[1]},{point[0]}" for d in dates]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- Whole-file outcomes ---------------------------------------------------------------


def test_a_file_with_every_row_bad_is_refused_whole_and_the_fixed_file_imports(db, tmp_path):
    bad = incident_csv(tmp_path / "handelser.csv", ["igår", "2024-13-45", "snart"])
    before = stored_state(db)
    batches_before = run_cli("--db", db, "batches", "--kommun", "1381", "--format", "json").stdout
    assert json.loads(batches_before), "the demo kommun has batches"

    result = run_cli("--db", db, "import-incidents", str(bad), "--kommun", "1381")
    message = assert_clean_refusal(result)
    assert result.returncode == 1
    assert message.startswith("Filen handelser.csv importerades inte")
    # Up to 5 errors: each named in full (row, column, value); more are grouped.
    for row, value in ((2, "igår"), (3, "2024-13-45"), (4, "snart")):
        assert f"Rad {row}, kolumn 'datum', värde '{value}': datumet kan inte läsas" in message
    assert stored_state(db) == before
    assert (
        run_cli("--db", db, "batches", "--kommun", "1381", "--format", "json").stdout
        == batches_before
    )
    assert query(db, "SELECT count(*) FROM import_batch WHERE file_name = 'handelser.csv'") == [
        (0,)
    ]

    as_json = run_cli("--db", db, "import-incidents", str(bad), "--kommun", "1381", "--json")
    assert as_json.returncode == 1
    assert as_json.stderr.strip() == message
    refusal = json.loads(as_json.stdout)
    assert refusal["refused"] is True and refusal["message"] == message
    assert [(g["column"], g["count"], g["rows"]) for g in refusal["error_groups"]] == [
        ("datum", 3, [2, 3, 4])
    ]
    assert stored_state(db) == before

    fixed = incident_csv(tmp_path / "handelser.csv", ["2024-03-01", "2024-03-02", "2024-03-03"])
    imported = run_cli("--db", db, "import-incidents", str(fixed), "--kommun", "1381", "--json")
    assert imported.returncode == 0, imported.stderr
    summary = json.loads(imported.stdout)
    assert (summary["accepted"], summary["rejected"], summary["error_groups"]) == (3, 0, [])
    assert query(db, "SELECT count(*) FROM incident WHERE batch_id = ?", summary["batch_id"]) == [
        (3,)
    ]


def test_a_survey_with_every_row_bad_and_a_file_without_data_rows_are_refused(db, tmp_path):
    survey = tmp_path / "enkat.csv"
    survey.write_text("Område;År;Trygg kväll\nStadsparken;2024;9\nAtlantis;2024;2\n", "utf-8")
    empty = incident_csv(tmp_path / "tom.csv", [])
    before = stored_state(db)

    refused = run_cli("--db", db, "import-survey", str(survey), "--kommun", "1381", "--json")
    assert refused.returncode == 1
    body = json.loads(refused.stdout)
    assert body["refused"] is True and "enkat.csv" in body["message"]
    assert sorted(g["rows"][0] for g in body["error_groups"]) == [2, 3]
    message = assert_clean_refusal(
        run_cli("--db", db, "import-incidents", str(empty), "--kommun", "1381")
    )
    assert "tom.csv" in message and "inga datarader" in message
    assert stored_state(db) == before


def test_a_refusal_before_the_rows_is_json_too(db, tmp_path):
    listing = run_cli("--db", db, "places", "--kommun", "9999", "--format", "json")
    assert listing.returncode == 1
    assert json.loads(listing.stdout) == {"refused": True, "message": listing.stderr.strip()}


def polisen_rows(tmp_path: Path, good: int) -> tuple[Path, int]:
    """The 24 534 polisen.se events (their own types and points) as an incident file whose
    dates cannot be read, except the first ``good`` rows (a skadegörelse in Laholm); and
    how many rows have a broken date and are not summary or update posts."""
    events = pd.read_csv(external(POLISEN), dtype=str, keep_default_na=False)
    assert len(events) == 24_534
    frame = pd.DataFrame(
        {
            "datum": "2024-01-01 0:40:16 sent",
            "kategori": events["type"],
            "lat": events["lat"],
            "lon": events["lon"],
        }
    )
    good_row = ["2024-05-01", "Skadegörelse", str(LAHOLM[1]), str(LAHOLM[0])]
    frame.loc[: good - 1, ["datum", "kategori", "lat", "lon"]] = good_row
    path = tmp_path / "polisen_trasig.csv"
    frame.to_csv(path, index=False)
    # polisen.se's summary and update posts are accepted but not counted (issue 12).
    summary_posts = frame["kategori"].str.startswith("Sammanfattning") | (
        frame["kategori"] == "Uppdatering"
    )
    return path, int((~summary_posts).sum()) - good


def test_24534_rows_with_a_broken_date_are_one_grouped_sentence(db, tmp_path):
    path, broken = polisen_rows(tmp_path, good=0)
    before = stored_state(db)
    result = run_cli("--db", db, "import-incidents", str(path), "--kommun", "1381")
    message = assert_clean_refusal(result)
    assert message.startswith("Filen polisen_trasig.csv importerades inte")
    count = f"{broken:,}".replace(",", " ")
    assert f"{count} rader: datumet kan inte läsas" in message
    assert "(kolumn datum), t.ex. rad " in message and " … " in message
    assert stored_state(db) == before
    as_json = run_cli("--db", db, "import-incidents", str(path), "--kommun", "1381", "--json")
    groups = json.loads(as_json.stdout)["error_groups"]
    assert [(g["column"], g["count"], len(g["rows"])) for g in groups] == [("datum", broken, 20)]


def test_repeated_errors_of_an_imported_file_print_one_line_per_group(db, tmp_path):
    path, broken = polisen_rows(tmp_path, good=1)
    result = run_cli("--db", db, "import-incidents", str(path), "--kommun", "1381")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) <= 25, lines[:30]
    count = f"{broken:,}".replace(",", " ")
    assert sum(line.startswith(f"{count} rader: datumet") for line in lines) == 1
    assert f"{broken} avvisade" in result.stdout

    listed = run_cli("--db", db, "batches", "--kommun", "1381", "--format", "json").stdout
    batch_id = max(b["id"] for b in json.loads(listed))
    assert run_cli("--db", db, "rollback", str(batch_id)).returncode == 0
    as_json = run_cli("--db", db, "import-incidents", str(path), "--kommun", "1381", "--json")
    summary = json.loads(as_json.stdout)
    date_group = next(g for g in summary["error_groups"] if g["column"] == "datum")
    assert date_group["count"] == broken == summary["rejected"]
    assert date_group["rows"] == sorted(date_group["rows"]) and len(date_group["rows"]) == 20
    assert sum(e["column"] == "datum" for e in summary["errors"]) == broken


# --- Plausible coordinates -------------------------------------------------------------


@pytest.fixture
def stockholm(tmp_path) -> tuple[str, Path]:
    """A database with kommun 0180 and its 419 basområden, and an incident file of the
    419 label points (EPSG:3011) with a date."""
    db = str(tmp_path / "sthlm.sqlite")
    made = run_cli(
        "--db", db, "import-places", str(external(STHLM_PLACES)),
        "--kommun", "0180", "--kommun-name", "Stockholm",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    points = pd.read_csv(external(STHLM_POINTS))
    frame = pd.DataFrame(
        {"datum": "2024-03-15", "kategori": "Skadegörelse", "x": points["x"], "y": points["y"]}
    )
    path = tmp_path / "sthlm_handelser.csv"
    frame.to_csv(path, index=False)
    return db, path


def per_place(db: str) -> dict[str, int]:
    stats = run_cli("--db", db, "stats", "--kommun", "0180", "--year", "2024")
    assert stats.returncode == 0, stats.stderr
    return {p["place"]: p["incidents"]["total"] for p in json.loads(stats.stdout)["places"]}


def test_stockholm_points_without_crs_are_refused_naming_epsg_3011(stockholm):
    db, path = stockholm
    before = stored_state(db)
    message = assert_clean_refusal(
        run_cli("--db", db, "import-incidents", str(path), "--kommun", "0180")
    )
    assert message == "Koordinaterna ser ut som SWEREF 99 18 00; ange --crs EPSG:3011."
    as_json = run_cli("--db", db, "import-incidents", str(path), "--kommun", "0180", "--json")
    assert as_json.returncode == 1
    assert json.loads(as_json.stdout) == {"refused": True, "message": message}
    assert stored_state(db) == before

    given = run_cli(
        "--db", db, "import-incidents", str(path), "--kommun", "0180", "--crs", "EPSG:3011",
        "--json",
    )  # fmt: skip
    assert given.returncode == 0, given.stderr
    summary = json.loads(given.stdout)
    assert (summary["accepted"], summary["warnings"]) == (419, [])

    # Independently: geopandas, the points in EPSG:3011 within the polygons.
    polygons = gpd.read_file(STHLM_PLACES)[["namn", "geometry"]].set_crs(3011, allow_override=True)
    raw = pd.read_csv(STHLM_POINTS)
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(raw["x"], raw["y"]), crs=3011)
    joined = gpd.sjoin(points, polygons, predicate="within")
    expected = dict.fromkeys(polygons["namn"], 0) | joined.groupby("namn").size().to_dict()
    assert per_place(db) == expected
    assert sum(expected.values()) == 418  # one label point lies in no polygon

    rolled = run_cli("--db", db, "rollback", str(summary["batch_id"]))
    assert rolled.returncode == 0, rolled.stderr
    forced = run_cli(
        "--db", db, "import-incidents", str(path), "--kommun", "0180", "--force", "--json"
    )
    assert forced.returncode == 0, forced.stderr
    forced_summary = json.loads(forced.stdout)
    assert forced_summary["accepted"] == 419
    assert forced_summary["warnings"] == [message]
    assert forced_summary["outside_places"] == 419  # placed as given: 300 km west
    assert set(per_place(db).values()) == {0}


def test_police_uk_no_location_rows_count_for_the_kommun(db):
    path = external(POLICE_UK)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    blank = raw.index[(raw["Longitude"] == "") & (raw["Latitude"] == "")]
    assert len(blank) == 31 and len(raw) == 617

    def total() -> int:
        result = run_cli("--db", db, "stats", "--kommun", "1381", "--year", "2019")
        return (
            json.loads(result.stdout)["kommun_incidents"]["total"] if result.returncode == 0 else 0
        )

    before = total()
    result = run_cli("--db", db, "import-incidents", str(path), "--kommun", "1381", "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    missing = [e for e in summary["errors"] if e["message"].startswith("koordinat saknas")]
    assert sorted(e["row"] for e in missing) == [i + 2 for i in blank]
    assert {(e["column"], e["value"]) for e in missing} == {("Longitude/Latitude", "")}
    assert (summary["rows"], summary["accepted"], summary["rejected"]) == (617, 31, 586)
    outside = [e for e in summary["errors"] if e not in missing]
    assert len(outside) == 586 and all("utanför Sverige" in e["message"] for e in outside)
    assert len(summary["warnings"]) == 1
    assert total() - before == 31
    stored = query(
        db,
        "SELECT count(*), count(x), count(location_precision = 'kommun' OR NULL) FROM incident "
        "WHERE batch_id = ?",
        summary["batch_id"],
    )
    assert stored == [(31, 0, 31)]


def test_a_half_filled_coordinate_pair_is_rejected_and_a_blank_survey_point_once(db, tmp_path):
    path = tmp_path / "halv.csv"
    path.write_text(
        "datum,kategori,lat,lon\n"
        f"2024-03-01,Skadegörelse,{LAHOLM[1]},\n"
        "2024-03-02,Skadegörelse,,\n"
        f"2024-03-03,Skadegörelse,{LAHOLM[1]},{LAHOLM[0]}\n",
        encoding="utf-8",
    )
    result = run_cli("--db", db, "import-incidents", str(path), "--kommun", "1381", "--json")
    summary = json.loads(result.stdout)
    assert (summary["accepted"], summary["rejected"]) == (2, 1)
    by_row = {e["row"]: e for e in summary["errors"]}
    assert sorted(by_row) == [2, 3] and len(summary["errors"]) == 2
    assert "kan inte läsas" in by_row[2]["message"] and by_row[2]["column"] == "lon"
    assert by_row[3]["message"].startswith("koordinat saknas")

    survey = tmp_path / "enkat.csv"
    survey.write_text(
        f"År;Trygg kväll;lat;lon\n2024;2;;\n2024;3;{LAHOLM[1]};{LAHOLM[0]}\n", encoding="utf-8"
    )
    answered = run_cli("--db", db, "import-survey", str(survey), "--kommun", "1381", "--json")
    assert answered.returncode == 0, answered.stderr
    errors = json.loads(answered.stdout)["errors"]
    assert [(e["row"], e["column"], e["value"], e["message"]) for e in errors] == [
        (2, "lon/lat", "", "koordinat saknas")
    ]


# --- The upload page -------------------------------------------------------------------


@pytest.fixture
def coordinator(monkeypatch, demo_engine, tmp_path):
    """A private demo database with the coordinator of Laholm in it, for the dashboard."""
    auth.add_user(demo_engine, COORDINATOR, COORDINATOR_PASSWORD, kommuner=COORDINATOR_KOMMUNER)
    monkeypatch.setenv("TRYGG_DB", str(tmp_path / "demo.sqlite"))
    monkeypatch.setenv("TRYGG_TILES", "none")
    return demo_engine


def test_upload_page_groups_repeated_errors_and_shows_a_refusal(coordinator):
    rows = "".join(f"Stadsparken;2024;{answer}\r\n" for answer in ["2"] + ["9"] * 24)
    data = ("Område;År;Trygg kväll\r\n" + rows).encode("utf-8")
    at = upload(open_upload_page(), "upprepat.csv", data)
    assert {m.label: m.value for m in at.metric}["Avvisade"] == "24"
    grouped = at.dataframe[0].value
    assert grouped.columns.tolist() == ["Rader", "Kolumn", "Fel", "T.ex. rad"]
    assert grouped["Rader"].tolist() == ["24"] and grouped["Kolumn"].tolist() == ["Trygg kväll"]
    assert grouped["T.ex. rad"].tolist() == [", ".join(map(str, range(3, 23))) + " …"]
    assert len(at.dataframe[1].value) == 24  # every rejected row, to fix and download

    before = len(batches.list_batches(coordinator, "1381"))
    bad = ("Område;År;Trygg kväll\r\n" + "Stadsparken;2024;9\r\n" * 3).encode("utf-8")
    at = upload(at, "trasig.csv", bad)
    assert len(at.error) == 1
    shown = at.error[0].value.replace("\\", "")  # as Markdown, every ":" escaped
    assert shown.startswith("Filen trasig.csv importerades inte, ingen rad kunde sparas: ")
    for row in (2, 3, 4):  # a few errors: each named in full, with its value
        assert f"Rad {row}, kolumn 'Trygg kväll', värde '9': svaret finns inte på skalan" in shown
    assert len(batches.list_batches(coordinator, "1381")) == before


@pytest.mark.parametrize(
    ("crs", "swap", "expected"),
    [
        ("EPSG:3021", False, "Koordinaterna ser ut som RT90 2.5 gon V; ange --crs EPSG:3021."),
        ("EPSG:3008", False, "Koordinaterna ser ut som SWEREF 99 13 30; ange --crs EPSG:3008."),
        ("EPSG:4326", False, "Koordinaterna ser ut som WGS 84; ange --crs EPSG:4326."),
        (
            "EPSG:4326",
            True,
            "Koordinaterna ser ut som WGS 84 med latitud och longitud i omvänd ordning; "
            "byt kolumnerna X och Y med --mapping.",
        ),
    ],
)
def test_points_in_another_system_name_it(demo_engine, tmp_path, crs, swap, expected):
    # Points inside Laholm's demo places: their representative points (EPSG:3006).
    with demo_engine.connect() as connection:
        wkb = connection.exec_driver_sql(
            "SELECT geom_wkb FROM place WHERE kommun_kod = '1381'"
        ).scalars()
        inside = gpd.GeoSeries.from_wkb(list(wkb), crs=3006).representative_point()
    xs, ys = Transformer.from_crs(3006, crs, always_xy=True).transform(inside.x, inside.y)
    if swap:
        xs, ys = ys, xs
    path = tmp_path / "annat_system.csv"
    lines = ["Datum;Kategori;X;Y"] + [
        f"2024-03-01;Klotter;{x:.6f};{y:.6f}" for x, y in zip(xs, ys, strict=True)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(TryggError) as refused:
        incidents.import_incidents(demo_engine, path, "1381", actor=ADMIN)
    assert str(refused.value) == expected
    if crs == "EPSG:3008":  # read as given (EPSG:3006) the points are in Sweden, far west
        forced = incidents.import_incidents(demo_engine, path, "1381", actor=ADMIN, force=True)
        assert forced["warnings"][:1] == [expected] and forced["accepted"] == len(inside)
    else:  # read as given they lie outside Sweden: every row is rejected, the file too
        with pytest.raises(TryggError) as every_row:
            incidents.import_incidents(demo_engine, path, "1381", actor=ADMIN, force=True)
        assert f"{len(inside)} rader: punkten ligger utanför Sverige" in str(every_row.value)
        assert str(every_row.value).endswith(expected)
    if not swap:  # the same points, said to be in their system, land in their places
        again = path.read_bytes() + b"\n"
        given = incidents.import_incidents(
            demo_engine, path, "1381", actor=ADMIN, crs=crs, data=again
        )
        assert given["warnings"] == [] and given["outside_places"] == 0
