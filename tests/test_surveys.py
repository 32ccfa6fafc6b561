"""Respondent-level survey import: every form gives the same figures; bad input is refused."""

from __future__ import annotations

import csv
import io
import json
import random

import numpy as np
import openpyxl
import pytest
from pyproj import Transformer
from sqlalchemy import func, select

from tests.conftest import assert_clean_refusal, run_cli
from tests.survey_fixtures import add_places, inner_point
from trygg.auth import local_admin
from trygg.errors import TryggError
from trygg.importers import survey_answers
from trygg.scales import TRYGG_KVALL
from trygg.stats import report, tables
from trygg.store import schema

#: These tests write as the command line's local administrator.
ADMIN = local_admin()

LABELS = TRYGG_KVALL.labels
PROBLEM_LABELS = {
    1: "Inget problem",
    2: "Litet problem",
    3: "Ganska stort problem",
    4: "Mycket stort problem",
    5: "Vet ej",
}


def respondents(seed: int = 7) -> list[dict]:
    """Parken 14, Torget 25, Byn 7 respondents with random answers and weights."""
    rng = random.Random(seed)
    people = []
    for place, count in (("Parken", 14), ("Torget", 25), ("Byn", 7)):
        for k in range(count):
            people.append(
                {
                    "place": place,
                    "k": k,
                    "code": rng.choice([1, 2, 3, 4, 5, 6, 7, None]),
                    "problem": rng.choice([1, 2, 3, 4, 5, None]),
                    "weight": round(rng.uniform(0.4, 2.5), 2),
                }
            )
    return people


def expected(people: list[dict], by_point: bool, min_n: int = 10) -> dict:
    """The figures by the definitions, computed with plain loops (no project code)."""

    def places_of(person):
        if by_point and person["place"] == "Parken":
            return {"Parken", "Torget"}  # the park lies inside Torget
        return {person["place"]}

    figures = {}
    for place in ("Torget", "Parken", "Byn"):
        base = [p for p in people if place in places_of(p) and p["code"] in {1, 2, 3, 4, 5}]
        n = len(base)
        share = sum(p["weight"] for p in base if p["code"] in {3, 4, 5}) / sum(
            p["weight"] for p in base
        )
        figures[place] = (n, share if n >= min_n else None)
    return figures


def sweref(person) -> tuple[float, float]:
    return inner_point(person["place"], person["k"])


TO_WGS84 = Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)


def table(people, form: str) -> tuple[list[str], list[list]]:
    """The same answers laid out as one of the coordinators' forms."""
    header = {
        "utf8": ["plats", "ar", "trygg_kvall", "problem_nedskrapning", "vikt"],
        "excel-sv": ["Område", "År", "Trygg kväll", "Problem nedskräpning", "Vikt"],
        "codes": ["Plats", "År", "Trygg kväll", "Problem nedskräpning", "Vikt"],
        "wgs84": ["Latitud", "Longitud", "År", "Trygg kväll", "Problem nedskräpning", "Vikt"],
        "sweref": ["X", "Y", "År", "Trygg kväll", "Problem nedskräpning", "Vikt"],
    }[form if form in {"utf8", "codes", "wgs84", "sweref"} else "excel-sv"]
    rows = []
    for person in people:
        if form == "codes":
            answers = [person["code"] or "", person["problem"] or ""]
        else:
            answers = [LABELS.get(person["code"], ""), PROBLEM_LABELS.get(person["problem"], "")]
        if form == "wgs84":
            lon, lat = TO_WGS84.transform(*sweref(person))
            location = [f"{lat:.8f}", f"{lon:.8f}"]
        elif form == "sweref":
            location = [f"{c:.1f}" for c in sweref(person)]
        else:
            location = [person["place"]]
        rows.append([*location, 2024, *answers, person["weight"]])
    return header, rows


def write_form(tmp_path, people, form: str):
    if form == "xlsx":
        header, rows = table(people, "excel-sv")
        book = openpyxl.Workbook()
        book.active.append(header)
        for row in rows:
            book.active.append(row)
        path = tmp_path / "enkat.xlsx"
        book.save(path)
        return path
    header, rows = table(people, form)
    decimal_comma = form in {"cp1252", "sweref"}
    delimiter = ";" if form in {"cp1252", "sweref"} else ","
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        cells = [str(c) for c in row]
        if decimal_comma:
            cells = [c.replace(".", ",") for c in cells]
        writer.writerow(cells)
    encoding = {"cp1252": "cp1252", "bom": "utf-8-sig"}.get(form, "utf-8")
    path = tmp_path / f"enkat-{form}.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


FORMS = ["utf8", "cp1252", "bom", "xlsx", "codes", "wgs84", "sweref"]


@pytest.mark.parametrize("form", FORMS)
def test_every_form_gives_the_independently_computed_figures(engine, tmp_path, form):
    add_places(engine, tmp_path)
    people = respondents()
    result = survey_answers.import_survey(
        engine, write_form(tmp_path, people, form), "1381", actor=ADMIN
    )
    assert result["rejected"] == 0, result["errors"]
    assert result["accepted"] == result["rows"] == len(people)
    figures = {p["place"]: p["survey"] for p in report.compute_stats(engine, "1381")["places"]}
    for place, (n, share) in expected(people, by_point=form in {"wgs84", "sweref"}).items():
        assert figures[place]["n"] == n, place
        if share is None or figures[place]["secondary_suppression"]:
            # Too few answers, or hidden so that the kommun total can't reveal Byn.
            assert figures[place]["suppressed"] is True
            assert figures[place]["andel_otrygga"] is None
            assert figures[place]["ki_lag"] is None
        else:
            assert figures[place]["andel_otrygga"] == pytest.approx(share, abs=1e-9)
            assert figures[place]["ki_lag"] < share < figures[place]["ki_hog"]
    assert sum(not f["suppressed"] for f in figures.values()) >= 1


def test_hand_computed_share_weights_and_items(engine, tmp_path):
    add_places(engine, tmp_path)
    path = tmp_path / "liten.csv"
    # Codes 1, 3, 5 count (weights 1, 2, 1: hits 3 and 5 weigh 3 of 4); 6, 7 and blank do not.
    path.write_text(
        "plats;ar;trygg_kvall;problem_klotter;oro_inbrott;vikt\n"
        "Parken;2024;1;1;4;1\n"
        "Parken;2024;3;3;Vet ej;2\n"
        "parkområdet ;2024;5;5;1;1\n"
        "Parken;2024;6;4;3;1\n"
        "Parken;2024;7;;2;1\n"
        "Parken;2024;;2;;1\n",
        encoding="utf-8",
    )
    survey_answers.import_survey(engine, path, "1381", actor=ADMIN)
    park = next(
        p for p in report.compute_stats(engine, "1381", min_n=1)["places"] if p["place"] == "Parken"
    )["survey"]
    assert park["n"] == 3
    assert park["andel_otrygga"] == pytest.approx(3 / 4)
    assert park["n_eff"] == pytest.approx(4**2 / (1 + 4 + 1))
    # Klotter: codes 1, 3, 4, 2 count (5 = Vet ej does not); 3 (w 2) and 4 (w 1) are hits of 5.
    assert park["problem"]["klotter"]["n"] == 4
    assert park["problem"]["klotter"]["andel"] == pytest.approx(3 / 5)
    # Inbrott: codes 4, 1, 3, 2 count; 4 (w 1) and 3 (w 1) are hits of 4.
    assert park["oro"]["inbrott"]["andel"] == pytest.approx(2 / 4)


def test_small_n_is_suppressed_at_the_threshold(engine, tmp_path):
    add_places(engine, tmp_path)
    rows = "".join(f"Byn;2024;{3 if i % 2 else 1};1\n" for i in range(10))
    path = tmp_path / "byn.csv"
    path.write_text("plats;ar;trygg_kvall;vikt\n" + rows, encoding="utf-8")
    survey_answers.import_survey(engine, path, "1381", actor=ADMIN)
    byn = {
        m: next(
            p
            for p in report.compute_stats(engine, "1381", min_n=m)["places"]
            if p["place"] == "Byn"
        )["survey"]
        for m in (10, 11)
    }
    assert byn[10]["suppressed"] is False and byn[10]["andel_otrygga"] == pytest.approx(0.5)
    assert byn[11]["suppressed"] is True and byn[11]["andel_otrygga"] is None
    assert byn[11]["n"] == 10


def test_kommun_total_stays_and_the_place_that_would_reveal_a_small_one_is_hidden(engine, tmp_path):
    add_places(engine, tmp_path)
    big = "".join(f"Byn;2024;{1 + i % 4}\n" for i in range(20))
    small = "".join(f"Parken;2024;{3 + i % 2}\n" for i in range(4))
    path = tmp_path / "svar.csv"
    path.write_text("plats;ar;trygg_kvall\n" + big + small, encoding="utf-8")
    survey_answers.import_survey(engine, path, "1381", actor=ADMIN)
    figures = report.compute_stats(engine, "1381")
    total = figures["kommun_total"]["andel_otrygga"]
    # 24 answers: Byn's 20 (codes 1-4: 10 unsafe) and Parken's 4 (all unsafe): 14 of 24.
    assert total["suppressed"] is False and total["andel"] == pytest.approx(14 / 24)
    by_name = {p["place"]: p["survey"] for p in figures["places"]}
    # Parken has too few answers; the kommun total minus Byn would give Parken's 4, so
    # Byn is hidden too (complementary), not the kommun headline.
    assert by_name["Parken"]["suppressed"] and not by_name["Parken"]["secondary_suppression"]
    assert by_name["Byn"]["suppressed"] and by_name["Byn"]["secondary_suppression"]
    assert by_name["Byn"]["n"] == 20 and by_name["Byn"]["andel_otrygga"] is None


def test_header_only_empty_random_and_no_location_files_are_refused(engine, tmp_path):
    add_places(engine, tmp_path)
    cases = {
        "tom.csv": b"",
        "brus.csv": bytes(random.Random(1).randrange(256) for _ in range(2000)),
        "rubrik.csv": b"plats;ar;trygg_kvall\r\n",
        "utanplats.csv": b"ar;trygg_kvall\n2024;1\n",
        "brus.xlsx": b"PK\x03\x04 not really a workbook",
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(TryggError):
            survey_answers.import_survey(engine, path, "1381", actor=ADMIN)
    with engine.connect() as connection:
        for table in (schema.survey_response, schema.import_batch):
            count = connection.execute(select(func.count()).select_from(table)).scalar()
            assert count == (1 if table is schema.import_batch else 0)  # the places batch


def test_kommun_wide_answers_need_no_location(engine, tmp_path):
    add_places(engine, tmp_path)
    path = tmp_path / "kommun.csv"
    path.write_text("trygg_kvall\n" + "3\n1\n" * 6, encoding="utf-8")
    result = survey_answers.import_survey(
        engine, path, "1381", year=2024, kommun_wide=True, actor=ADMIN
    )
    assert result["accepted"] == 12
    figures = report.compute_stats(engine, "1381")
    assert figures["kommun_total"]["andel_otrygga"]["andel"] == pytest.approx(0.5)
    assert all(p["survey"]["n"] == 0 for p in figures["places"])


def test_bad_rows_are_reported_by_spreadsheet_row_and_the_rest_stored(engine, tmp_path):
    add_places(engine, tmp_path)
    path = tmp_path / "blandat.csv"
    path.write_text(
        "Område;År;Trygg kväll;Vikt\n"  # row 1
        "Parken;2024;Mycket trygg;1\n"  # row 2
        "Parkn;2024;Mycket trygg;1\n"  # row 3: unknown place, close to Parken
        "\n"  # row 4: blank, still numbered
        "Torget;2024;Jättetrygg;1\n"  # row 5: not on the scale
        "Byn;2024;Ganska otrygg;0\n"  # row 6: weight not positive
        "Byn;tjugo;Ganska otrygg;1,5\n"  # row 7: year unreadable
        "Byn;2024;Vet inte;1,5\n",  # row 8: fine ("Vet inte" = Vet ej)
        encoding="utf-8",
    )
    result = survey_answers.import_survey(engine, path, "1381", actor=ADMIN)
    assert (result["rows"], result["accepted"], result["rejected"], result["unresolved"]) == (
        6,
        2,
        4,
        1,
    )
    found = [(e["row"], e["column"], e["value"]) for e in result["errors"]]
    assert found == [
        (3, "Område", "Parkn"),
        (5, "Trygg kväll", "Jättetrygg"),
        (6, "Vikt", "0"),
        (7, "År", "tjugo"),
    ]
    assert "Parken" in result["errors"][0]["message"]
    with engine.connect() as connection:
        stored = connection.execute(select(schema.survey_response.c.row_number)).scalars().all()
    assert sorted(stored) == [2, 8]


def test_points_outside_every_place_are_unresolved(engine, tmp_path):
    add_places(engine, tmp_path)
    path = tmp_path / "punkter.csv"
    path.write_text(
        "x;y;ar;trygg_kvall\n370500;6265500;2024;1\n0;0;2024;1\nabc;1;2024;1\n", encoding="utf-8"
    )
    result = survey_answers.import_survey(engine, path, "1381", actor=ADMIN)
    assert result["unresolved"] == 1 and result["rejected"] == 2
    assert [e["row"] for e in result["errors"]] == [3, 4]


def test_rt90_points_with_crs_option(engine, tmp_path):
    add_places(engine, tmp_path)
    to_rt90 = Transformer.from_crs("EPSG:3006", "EPSG:3021", always_xy=True)
    x, y = to_rt90.transform(370_500, 6_265_500)
    path = tmp_path / "rt90.csv"
    path.write_text(f"easting;northing;ar;trygg_kvall\n{x};{y};2024;3\n", encoding="utf-8")
    survey_answers.import_survey(engine, path, "1381", crs="EPSG:3021", actor=ADMIN)
    figures = {
        p["place"]: p["survey"]["n"]
        for p in report.compute_stats(engine, "1381", min_n=1)["places"]
    }
    assert figures == {"Byn": 0, "Parken": 1, "Torget": 1}


def test_mapping_file_names_unusual_headers(engine, tmp_path):
    add_places(engine, tmp_path)
    path = tmp_path / "egen.csv"
    path.write_text("Var bor du;Fråga 1;Enkätår\nParken;Mycket otrygg;2024\n", encoding="utf-8")
    mapping = tmp_path / "mappning.json"
    mapping.write_text(
        json.dumps({"plats": "Var bor du", "trygg_kvall": "Fråga 1", "ar": "Enkätår"})
    )
    result = survey_answers.import_survey(engine, path, "1381", mapping=mapping, actor=ADMIN)
    assert result["accepted"] == 1


def test_identical_file_is_not_imported_twice(engine, tmp_path):
    add_places(engine, tmp_path)
    path = write_form(tmp_path, respondents(), "utf8")
    first = survey_answers.import_survey(engine, path, "1381", actor=ADMIN)
    with pytest.raises(TryggError, match=f"batch {first['batch_id']}"):
        survey_answers.import_survey(engine, path, "1381", actor=ADMIN)


def test_original_file_is_kept_with_the_batch(engine, tmp_path):
    add_places(engine, tmp_path)
    path = write_form(tmp_path, respondents(), "cp1252")
    result = survey_answers.import_survey(engine, path, "1381", actor=ADMIN)
    with engine.connect() as connection:
        original = connection.execute(
            select(schema.import_batch.c.original).where(
                schema.import_batch.c.id == result["batch_id"]
            )
        ).scalar_one()
    assert original == path.read_bytes()


def test_several_batches_of_a_year_are_pooled_and_trend_is_tested(engine, tmp_path):
    add_places(engine, tmp_path)
    first = tmp_path / "2023.csv"
    first.write_text(
        "plats;ar;trygg_kvall\n" + "Torget;2023;3\n" * 60 + "Torget;2023;1\n" * 40, encoding="utf-8"
    )
    spring = tmp_path / "2024a.csv"
    spring.write_text(
        "plats;ar;trygg_kvall\n" + "Torget;2024;3\n" * 15 + "Torget;2024;1\n" * 35, encoding="utf-8"
    )
    autumn = tmp_path / "2024b.csv"
    autumn.write_text(
        "plats;ar;trygg_kvall\n" + "Torget;2024;4\n" * 15 + "Torget;2024;2\n" * 35, encoding="utf-8"
    )
    for path in (first, spring, autumn):
        survey_answers.import_survey(engine, path, "1381", actor=ADMIN)
    torget = next(
        p for p in report.compute_stats(engine, "1381")["places"] if p["place"] == "Torget"
    )["survey"]
    assert torget["n"] == 100 and torget["andel_otrygga"] == pytest.approx(0.3)
    # By hand: pooled p = 0.45, se = sqrt(0.45·0.55·(2/100)) = 0.070356, z = −0.3/se = −4.264.
    assert torget["trend"]["previous_andel_otrygga"] == pytest.approx(0.6)
    assert torget["trend"]["z"] == pytest.approx(-4.2640, abs=1e-3)
    assert torget["trend"]["significant"] is True


def test_cli_rollback_and_restore_change_the_figures(tmp_path):
    db = str(tmp_path / "x.sqlite")
    from trygg import store

    engine = store.make_engine(db)
    store.upgrade(engine)
    add_places(engine, tmp_path)
    engine.dispose()
    base = tmp_path / "a.csv"
    base.write_text("plats;ar;trygg_kvall\n" + "Torget;2024;1\n" * 10, encoding="utf-8")
    extra = tmp_path / "b.csv"
    extra.write_text("plats;ar;trygg_kvall\n" + "Torget;2024;4\n" * 10, encoding="utf-8")
    run_cli("--db", db, "import-survey", str(base), "--kommun", "1381")
    batch = json.loads(
        run_cli("--db", db, "import-survey", str(extra), "--kommun", "1381", "--json").stdout
    )["batch_id"]

    def torget():
        figures = json.loads(
            run_cli("--db", db, "stats", "--kommun", "1381", "--format", "json").stdout
        )
        return next(p["survey"] for p in figures["places"] if p["place"] == "Torget")

    assert (torget()["n"], torget()["andel_otrygga"]) == (20, 0.5)
    assert run_cli("--db", db, "rollback", str(batch)).returncode == 0
    assert (torget()["n"], torget()["andel_otrygga"]) == (10, 0.0)
    assert run_cli("--db", db, "restore", str(batch)).returncode == 0
    assert (torget()["n"], torget()["andel_otrygga"]) == (20, 0.5)
    listed = json.loads(
        run_cli("--db", db, "batches", "--kommun", "1381", "--format", "json").stdout
    )
    assert {b["kind"] for b in listed} == {"places", "survey"}


@pytest.mark.parametrize("case", ["empty", "random", "header-only", "no-location"])
def test_cli_refuses_bad_files_in_one_sentence_leaving_the_db_unchanged(tmp_path, case):
    db = str(tmp_path / "x.sqlite")
    from trygg import store

    engine = store.make_engine(db)
    store.upgrade(engine)
    add_places(engine, tmp_path)
    path = tmp_path / "fil.csv"
    path.write_bytes(
        {
            "empty": b"",
            "random": np.random.default_rng(3).integers(0, 256, 3000, dtype=np.uint8).tobytes(),
            "header-only": b"Omr\xe5de;\xc5r;Trygg kv\xe4ll\r\n",
            "no-location": b"ar;trygg_kvall\n2024;1\n",
        }[case]
    )

    def count():
        with engine.connect() as connection:
            return connection.execute(
                select(func.count()).select_from(schema.survey_response)
            ).scalar()

    before = count()
    assert_clean_refusal(
        run_cli("--db", db, "import-survey", str(path), "--kommun", "1381", "--json")
    )
    assert count() == before == 0


def test_csv_stats_rows(engine, tmp_path):
    add_places(engine, tmp_path)
    survey_answers.import_survey(
        engine, write_form(tmp_path, respondents(), "utf8"), "1381", actor=ADMIN
    )
    text = tables.to_csv(report.compute_stats(engine, "1381"))
    rows = list(csv.DictReader(io.StringIO(text)))
    byn = next(r for r in rows if r["place"] == "Byn" and r["indicator"] == "andel_otrygga")
    assert byn["suppressed"] == "true" and byn["value"] == ""
    assert {r["indicator"] for r in rows} == {"andel_otrygga", "problem_nedskrapning"}


def test_coordinates_win_over_a_place_column(engine, tmp_path):
    add_places(engine, tmp_path)
    path = tmp_path / "bada.csv"
    # The point lies in Parken (inside Torget); the name column says Byn.
    path.write_text("Område;X;Y;År;Trygg kväll\nByn;370500;6265500;2024;3\n", encoding="utf-8")
    survey_answers.import_survey(engine, path, "1381", actor=ADMIN)
    found = {
        p["place"]: p["survey"]["n"]
        for p in report.compute_stats(engine, "1381", min_n=1)["places"]
    }
    assert found == {"Byn": 0, "Parken": 1, "Torget": 1}


def test_a_superscript_digit_is_not_a_code():
    # "²".isdigit() is True but int("²") fails: it is simply not on the scale.
    from trygg.scales import TRYGG_KVALL

    assert TRYGG_KVALL.code_for("²") is None and TRYGG_KVALL.code_for("2") == 2
