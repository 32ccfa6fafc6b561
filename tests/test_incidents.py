"""Incident import and counts: exact containment, periods, categories, bad input, privacy."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest
from shapely.geometry import Point
from sqlalchemy import func, select

from tests.conftest import assert_clean_refusal, run_cli
from tests.survey_fixtures import GEOMETRIES, add_places
from trygg import store
from trygg.auth import local_admin
from trygg.errors import TryggError
from trygg.importers import crime_stats, incidents, survey_answers
from trygg.stats import report
from trygg.stats.report import place_figures
from trygg.store import batches, schema

#: These tests write as the command line's local administrator.
ADMIN = local_admin()

CATEGORIES = ["Skadegörelse", "Narkotika – innehav", "Buskörning moped", "Konstig sak", "stöld"]


def planted_incidents(seed: int = 3) -> list[dict]:
    """Two years of points: a tight cluster in Parken (2024) and spread background."""
    rng = random.Random(seed)
    rows = []
    for year in (2023, 2024):
        for _ in range(150):  # background over a 12 km × 8 km box
            rows.append((year, rng.uniform(368_000, 382_000), rng.uniform(6_263_000, 6_272_000)))
        if year == 2024:
            for _ in range(60):  # the cluster: within 30 m of (370 450, 6 265 450)
                rows.append(
                    (year, 370_450 + rng.uniform(-30, 30), 6_265_450 + rng.uniform(-30, 30))
                )
    incidents_ = []
    for index, (year, x, y) in enumerate(rows):
        incidents_.append(
            {
                "datum": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} "
                f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
                "kategori": CATEGORIES[index % len(CATEGORIES)],
                "x": round(x, 1),
                "y": round(y, 1),
                "antal": 1 + (index % 7 == 0),
            }
        )
    return incidents_


def write_csv(tmp_path, rows: list[dict], name: str = "handelser.csv") -> object:
    lines = ["Datum;Kategori;X;Y;Antal;Beskrivning"] + [
        f"{r['datum']};{r['kategori']};{str(r['x']).replace('.', ',')};"
        f"{str(r['y']).replace('.', ',')};{r['antal']};hemlig text {i}"
        for i, r in enumerate(rows)
    ]
    path = tmp_path / name
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    return path


def expected_counts(rows: list[dict], year: int) -> dict[str, int]:
    """Independent point-in-polygon count with shapely's ``contains``, summing antal."""
    counts = dict.fromkeys(GEOMETRIES, 0)
    for row in rows:
        if not row["datum"].startswith(str(year)):
            continue
        for name, polygon in GEOMETRIES.items():
            if polygon.contains(Point(row["x"], row["y"])):
                counts[name] += row["antal"]
    return counts


@pytest.fixture
def loaded(engine, tmp_path):
    add_places(engine, tmp_path)
    rows = planted_incidents()
    result = incidents.import_incidents(engine, write_csv(tmp_path, rows), "1381", actor=ADMIN)
    return engine, rows, result


def test_counts_per_place_and_year_equal_an_independent_count(loaded):
    engine, rows, result = loaded
    assert result["accepted"] == result["rows"] == len(rows)
    for year in (2023, 2024):
        figures = place_figures(engine, "1381", year)
        found = {p["place"]: p["incidents"]["total"] for p in figures["places"]}
        assert found == expected_counts(rows, year)
        assert figures["kommun_incidents"]["total"] == sum(
            r["antal"] for r in rows if r["datum"].startswith(str(year))
        )
    parken = next(
        p for p in place_figures(engine, "1381", 2024)["places"] if p["place"] == "Parken"
    )
    assert parken["incidents"]["previous_total"] == expected_counts(rows, 2023)["Parken"]
    assert parken["incidents"]["per_km2"] == pytest.approx(
        expected_counts(rows, 2024)["Parken"] / 0.04, rel=1e-3
    )
    assert parken["incidents"]["per_1000_inv"] is None  # no population


def test_from_to_period_is_inclusive(loaded):
    engine, rows, _ = loaded
    import datetime as dt

    figures = place_figures(engine, "1381", start=dt.date(2024, 3, 1), end=dt.date(2024, 3, 31))
    expected = sum(r["antal"] for r in rows if r["datum"].startswith("2024-03"))
    assert figures["kommun_incidents"]["total"] == expected
    assert figures["period"] == {"from": "2024-03-01", "to": "2024-03-31"}


def test_categories_map_to_the_canonical_list_and_unknowns_are_counted(loaded):
    engine, rows, result = loaded
    unknown = sum(1 for r in rows if r["kategori"] == "Konstig sak")
    assert result["unknown_categories"] == {"Konstig sak": unknown}
    totals = place_figures(engine, "1381", 2024)["kommun_incidents"]["by_category"]
    assert set(totals) <= {"skadegörelse", "narkotika", "buskörning", "övrigt", "stöld"}
    assert totals["övrigt"] == sum(
        r["antal"] for r in rows if r["kategori"] == "Konstig sak" and r["datum"][:4] == "2024"
    )


def test_points_outside_places_are_kept_for_the_kommun(loaded):
    _engine, rows, result = loaded
    inside_any = sum(
        1 for r in rows if any(p.contains(Point(r["x"], r["y"])) for p in GEOMETRIES.values())
    )
    assert result["outside_places"] == len(rows) - inside_any
    assert result["unresolved"] == 0


def test_police_uk_columns_and_month_dates(engine, tmp_path):
    add_places(engine, tmp_path)
    path = tmp_path / "police.csv"
    path.write_text(
        "Crime ID,Month,Longitude,Latitude,Crime type,Context\n"
        ",2024-05,13.0,56.5,Anti-social behaviour,\n"
        ",2024-06,13.0,56.5,Drugs,\n"
        ",2024-13,13.0,56.5,Drugs,\n",
        encoding="utf-8",
    )
    result = incidents.import_incidents(engine, path, "1381", actor=ADMIN)
    assert (result["accepted"], result["rejected"]) == (2, 1)
    assert result["errors"][0]["row"] == 4 and result["errors"][0]["column"] == "Month"
    totals = place_figures(engine, "1381", 2024)["kommun_incidents"]["by_category"]
    assert totals == {"narkotika": 1, "ordningsstörning": 1}


def test_geojson_points(engine, tmp_path):
    add_places(engine, tmp_path)
    from pyproj import Transformer

    lon, lat = Transformer.from_crs(3006, 4326, always_xy=True).transform(370_500, 6_265_500)
    features = [
        {
            "type": "Feature",
            "properties": {"datum": "2024-02-01 22:15", "kategori": "Klotter"},
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
        },
        {
            "type": "Feature",
            "properties": {"datum": "2024-02-02", "kategori": "Klotter"},
            "geometry": None,
        },
    ]
    path = tmp_path / "est.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    result = incidents.import_incidents(engine, path, "1381", actor=ADMIN)
    # A feature without a geometry is kept for the kommun total, with "koordinat saknas".
    assert (result["accepted"], result["rejected"]) == (2, 0)
    assert [e["message"].split(";")[0] for e in result["errors"]] == ["koordinat saknas"]
    places = {
        p["place"]: p["incidents"]["total"] for p in place_figures(engine, "1381", 2024)["places"]
    }
    assert places == {"Byn": 0, "Parken": 1, "Torget": 1}


def test_place_names_instead_of_points(engine, tmp_path):
    add_places(engine, tmp_path)
    path = tmp_path / "namn.csv"
    path.write_text(
        "datum;kategori;plats\n2024-01-05;Stöld;stadsparken\n2024-01-06;Stöld;Torg\n",
        encoding="utf-8",
    )
    result = incidents.import_incidents(engine, path, "1381", actor=ADMIN)
    assert (result["accepted"], result["unresolved"]) == (1, 1)
    assert "Torget" in result["errors"][0]["message"]


def test_bad_rows_are_reported_by_spreadsheet_row(engine, tmp_path):
    add_places(engine, tmp_path)
    path = tmp_path / "blandat.csv"
    path.write_text(
        "Datum;Kategori;X;Y;Antal\n"
        "2024-01-05 21:00;Stöld;370500;6265500;1\n"  # row 2: fine
        "igår;Stöld;370500;6265500;1\n"  # row 3: date
        "2024-01-05;Stöld;abc;6265500;1\n"  # row 4: coordinate
        "2024-01-05;Stöld;370500;6265500;0\n"  # row 5: antal
        "2024-02-30;Stöld;370500;6265500;2\n",  # row 6: no such date
        encoding="utf-8",
    )
    result = incidents.import_incidents(engine, path, "1381", actor=ADMIN)
    assert [(e["row"], e["column"]) for e in result["errors"]] == [
        (3, "Datum"),
        (4, "X"),
        (5, "Antal"),
        (6, "Datum"),
    ]
    assert (result["rows"], result["accepted"], result["rejected"]) == (5, 1, 4)


@pytest.mark.parametrize("case", ["empty", "random", "header-only", "no-location", "no-date"])
def test_whole_file_refusals_leave_the_database_unchanged(tmp_path, case):
    db = str(tmp_path / "x.sqlite")
    engine = store.make_engine(db)
    store.upgrade(engine)
    add_places(engine, tmp_path)
    path = tmp_path / "fil.csv"
    path.write_bytes(
        {
            "empty": b"",
            "random": np.random.default_rng(5).integers(0, 256, 4000, dtype=np.uint8).tobytes(),
            "header-only": b"Datum;Kategori;X;Y\r\n",
            "no-location": b"Datum;Kategori\n2024-01-01;Klotter\n",
            "no-date": b"Kategori;X;Y\nKlotter;370500;6265500\n",
        }[case]
    )

    def counts():
        with engine.connect() as connection:
            return [
                connection.execute(select(func.count()).select_from(t)).scalar()
                for t in (schema.incident, schema.import_batch)
            ]

    before = counts()
    assert_clean_refusal(run_cli("--db", db, "import-incidents", str(path), "--kommun", "1381"))
    assert counts() == before


def test_rollback_removes_the_batch_from_counts(loaded):
    engine, _rows, result = loaded

    batches.set_status(engine, result["batch_id"], batches.ROLLED_BACK, actor=ADMIN)
    assert place_figures(engine, "1381", 2024).get("kommun_incidents", {"total": 0})["total"] in (
        0,
        None,
    )
    batches.set_status(engine, result["batch_id"], batches.ACTIVE, actor=ADMIN)
    assert place_figures(engine, "1381", 2024)["kommun_incidents"]["total"] > 0


def test_public_figures_suppress_small_counts_and_what_reveals_them(loaded):
    engine, _rows, _ = loaded
    public = place_figures(engine, "1381", 2024, public=True, k=3)
    private = place_figures(engine, "1381", 2024)
    for shown, full in zip(public["places"], private["places"], strict=True):
        hidden = 0
        for category, value in full["incidents"]["by_category"].items():
            public_value = shown["incidents"]["by_category"][category]
            if 0 < value < 3:
                assert public_value is None
            if public_value is None:
                hidden += value
            else:
                assert public_value == value
        # Total minus the shown categories must not reveal fewer than k incidents.
        assert hidden == 0 or hidden >= 3


def test_time_profile_counts_hours_and_weekdays(engine, tmp_path):
    add_places(engine, tmp_path)
    path = tmp_path / "tider.csv"
    # 2024-03-15 is a Friday, 2024-03-18 a Monday.
    path.write_text(
        "Datum;Kategori;X;Y;Antal\n"
        "2024-03-15 21:40;Klotter;370500;6265500;2\n"
        "2024-03-15 21:05;Klotter;370500;6265500;1\n"
        "2024-03-18 08:00;Stöld;370500;6265500;1\n"
        "2024-04-02;Stöld;370500;6265500;1\n",
        encoding="utf-8",
    )
    incidents.import_incidents(engine, path, "1381", actor=ADMIN)
    profile = report.time_profile(engine, "1381", year=2024, place="Parken")
    grid = profile["hour_weekday"]
    assert grid[4][21] == 3 and grid[0][8] == 1
    assert sum(map(sum, grid)) == 4 == profile["timed"]
    assert profile["by_month"] == {"2024-03": 4, "2024-04": 1}
    klotter = report.time_profile(engine, "1381", year=2024, category="klotter")
    assert klotter["total"] == 3


def test_crime_stats_keep_markers_as_missing_and_the_preliminary_flag(engine, tmp_path):
    add_places(engine, tmp_path)
    path = tmp_path / "bra.csv"
    path.write_text(
        "Område;Period;Brottstyp;Antal;Per 100 000 inv;Status\n"
        "Laholm;2024;Skadegörelse;412;1 600,5;Preliminär\n"
        "Laholm;2024;Narkotikabrott;..;..;Slutlig\n"
        "Torget;2024;Stöld;XX;;Slutlig\n"
        "Laholm;2024;Misshandel;tio;;Slutlig\n",
        encoding="utf-8",
    )
    result = crime_stats.import_crime_stats(engine, path, "1381", actor=ADMIN)
    assert (result["accepted"], result["rejected"]) == (3, 1)
    assert result["errors"][0]["row"] == 5
    figures = place_figures(engine, "1381", 2024)
    kommun = {r["offence"]: r for r in figures["kommun_crime_stats"]}
    assert kommun["Skadegörelse"]["count"] == 412
    assert kommun["Skadegörelse"]["per_100k"] == pytest.approx(1600.5)
    assert kommun["Skadegörelse"]["preliminary"] is True
    assert kommun["Narkotikabrott"]["count"] is None and kommun["Narkotikabrott"]["missing"]
    torget = next(p for p in figures["places"] if p["place"] == "Torget")
    assert torget["crime_stats"][0]["count"] is None


def test_stats_cli_reports_incidents(loaded, tmp_path):
    engine, rows, _ = loaded
    db = engine.url.database
    result = run_cli("--db", db, "stats", "--kommun", "1381", "--year", "2023", "--format", "json")
    figures = json.loads(result.stdout)
    found = {p["place"]: p["incidents"]["total"] for p in figures["places"]}
    assert found == expected_counts(rows, 2023)


def test_unknown_kommun_and_bad_crs_are_refused(engine, tmp_path):
    add_places(engine, tmp_path)
    path = write_csv(tmp_path, planted_incidents()[:5])
    with pytest.raises(TryggError, match="0683 finns inte"):
        incidents.import_incidents(engine, path, "0683", actor=ADMIN)
    with pytest.raises(TryggError, match="EPSG:0"):
        incidents.import_incidents(engine, path, "1381", crs="EPSG:0", actor=ADMIN)


def test_default_year_is_the_latest_survey_year(loaded, tmp_path):
    engine, _rows, _ = loaded
    assert place_figures(engine, "1381")["year"] == 2024  # incidents only: their last year
    path = tmp_path / "enkat.csv"
    path.write_text("plats;ar;trygg_kvall\n" + "Torget;2021;3\n" * 12, encoding="utf-8")

    survey_answers.import_survey(engine, path, "1381", actor=ADMIN)
    figures = place_figures(engine, "1381")
    assert figures["year"] == 2021
    torget = next(p for p in figures["places"] if p["place"] == "Torget")
    assert torget["survey"]["n"] == 12
