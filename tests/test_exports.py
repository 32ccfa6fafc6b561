"""Every CSV and XLSX the product writes: no cell runs as a formula, numbers stay numbers."""

from __future__ import annotations

import copy
import csv
import io
import json

import geopandas as gpd
import openpyxl
import pytest
from shapely.geometry import box

from tests.conftest import run_cli
from trygg import commitments, exports, formatting, places
from trygg.auth import local_admin
from trygg.importers import survey_answers
from trygg.stats import tables
from trygg.stats.report import place_figures

HOSTILE = ['=HYPERLINK("http://x","y")', "+cmd", "-1+1", "@SUM(1)", "\t=1", "\r=1"]
#: Place names survive the importer's whitespace clean-up, so tab and CR are left out.
HOSTILE_NAMES = ['=HYPERLINK("http://x","y")', "+cmd", "-1+1", "@SUM(1)"]
NUMERIC_STATS_COLUMNS = ("place_id", "n", "value", "ki_lag", "ki_hog")


#: These tests write as the command line's local administrator.
ADMIN = local_admin()


def csv_cells(text: str, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def assert_no_live_formula(rows: list[list]) -> None:
    """No cell begins with a formula character, unless it is a plain number like -1.5."""
    live = [
        cell
        for row in rows
        for cell in row
        if str(cell).startswith(exports.TRIGGERS) and not is_number(cell)
    ]
    assert live == []


def xlsx_rows(data: bytes) -> tuple[list[list], list[list]]:
    """The values of the first sheet (text as :func:`xlsx_text`) and the cells' data types."""
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    cells = list(sheet.iter_rows())
    values = [
        [xlsx_text(c.value) if isinstance(c.value, str) else c.value for c in row] for row in cells
    ]
    return values, [[c.data_type for c in row] for row in cells]


def xlsx_text(text: str) -> str:
    """Text as compared after an XLSX round trip: a carriage return as a line feed. XML
    readers turn one into the other, except openpyxl with lxml, which keeps it (_x000D_)."""
    return text.replace("\r", "\n")


def assert_xlsx_safe(data: bytes) -> tuple[list[list], list[list]]:
    values, types = xlsx_rows(data)
    assert all(kind != "f" for row in types for kind in row)
    assert_no_live_formula([[v for v in row if isinstance(v, str)] for row in values])
    return values, types


# --- The one function ----------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_text_is_quoted_and_restored(text):
    safe = exports.safe_cell(text)
    assert safe == "'" + text
    assert exports.restore_cell(safe) == text


@pytest.mark.parametrize("text", ["Stadsparken", "'citat'", "'=redan citerad", "''@två", ""])
def test_other_text_round_trips(text):
    assert exports.restore_cell(exports.safe_cell(text)) == text
    assert not exports.safe_cell(text).startswith(exports.TRIGGERS)


@pytest.mark.parametrize(("text", "safe"), [("-1", "-1"), ("-1.5", "-1.5"), ("-1,5", "'-1,5")])
def test_negative_numbers_as_text_stay_numbers_a_spreadsheet_reads(text, safe):
    assert exports.safe_cell(text) == safe
    assert exports.restore_cell(safe) == text


@pytest.mark.parametrize("value", [0, -3, 0.25, -1.5, 1e-9, None])
def test_numbers_stay_numbers(value):
    assert exports.safe_cell(value) is value


def test_write_xlsx_stores_text_as_text_and_numbers_as_numbers():
    buffer = io.BytesIO()
    exports.write_xlsx(buffer, ["text", "n", "andel"], [[text, 12, 0.25] for text in HOSTILE])
    values, types = assert_xlsx_safe(buffer.getvalue())
    assert [row[0] for row in values[1:]] == [xlsx_text("'" + text) for text in HOSTILE]
    assert {tuple(row[1:]) for row in types[1:]} == {("n", "n")}
    assert {tuple(row[1:]) for row in values[1:]} == {(12, 0.25)}


# --- trygg stats ---------------------------------------------------------------------


@pytest.fixture
def hostile_kommun(engine, tmp_path):
    """Places named like formulas, each with 12 answers (enough to publish a share)."""
    boxes = [box(370_000 + 2_000 * i, 6_265_000, 371_000 + 2_000 * i, 6_266_000) for i in range(4)]
    path = tmp_path / "platser.geojson"
    gpd.GeoDataFrame({"namn": HOSTILE_NAMES}, geometry=boxes, crs="EPSG:3006").to_file(
        path, driver="GeoJSON"
    )
    places.import_places(engine, path, "1381", name_field="namn", actor=ADMIN)
    lines = ["x;y;År;Trygg kväll;Problem klotter"]
    for i, geometry in enumerate(boxes):
        x, y = geometry.centroid.x, geometry.centroid.y
        lines += [f"{x + k};{y};2024;{1 + (k + i) % 5};{1 + k % 4}" for k in range(12)]
    answers = tmp_path / "enkat.csv"
    answers.write_text("\n".join(lines), encoding="utf-8")
    survey_answers.import_survey(engine, answers, "1381", actor=ADMIN)
    return engine


def test_stats_csv_and_xlsx_from_the_command_line(hostile_kommun, tmp_path):
    db = str(hostile_kommun.url.database)
    result = run_cli("--db", db, "stats", "--kommun", "1381", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = csv_cells(result.stdout)
    assert_no_live_formula(rows)
    header = rows[0]
    body = [row for row in rows[1:] if row[header.index("level")] == "plats"]
    assert sorted({row[header.index("place")] for row in body}) == sorted(
        "'" + name for name in HOSTILE_NAMES
    )
    shares = [row for row in body if row[header.index("kind")] == "enkät"]
    for row in shares:
        for column in NUMERIC_STATS_COLUMNS:
            float(row[header.index(column)])

    out = tmp_path / "stats.xlsx"
    result = run_cli("--db", db, "stats", "--kommun", "1381", "--format", "xlsx", "--out", str(out))
    assert result.returncode == 0, result.stderr
    values, types = assert_xlsx_safe(out.read_bytes())
    assert values[0] == list(tables.CSV_COLUMNS)
    assert len(values) == len(rows)
    kinds = [row[tables.CSV_COLUMNS.index("kind")] for row in values]
    for row_types in (row for row, kind in zip(types, kinds, strict=True) if kind == "enkät"):
        assert {row_types[tables.CSV_COLUMNS.index(c)] for c in NUMERIC_STATS_COLUMNS} == {"n"}


def test_stats_xlsx_needs_a_file(hostile_kommun):
    result = run_cli(
        "--db", str(hostile_kommun.url.database), "stats", "--kommun", "1381", "--format", "xlsx"
    )
    assert result.returncode == 1
    assert "--out" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("name", HOSTILE)
def test_stats_writers_quote_every_trigger(hostile_kommun, name):
    figures = copy.deepcopy(place_figures(hostile_kommun, "1381"))
    for place in figures["places"]:
        place["place"] = name
    rows = csv_cells(tables.to_csv(figures))
    assert_no_live_formula(rows)
    assert {row[2] for row in rows[1:] if row[1] == "plats"} == {"'" + name}
    values, _types = assert_xlsx_safe(tables.to_xlsx(figures))
    assert {row[2] for row in values[1:] if row[1] == "plats"} == {xlsx_text("'" + name)}


# --- Rejected rows -------------------------------------------------------------------


def test_rejected_rows_of_a_real_import_are_safe(hostile_kommun, tmp_path):
    path = tmp_path / "dåliga.csv"
    x, y = 370_500, 6_265_500
    # One good row last: a file with no good row is refused whole (issue 12).
    lines = ["x;y;År;Trygg kväll"] + [f"{x};{y};2024;{text}" for text in HOSTILE_NAMES]
    path.write_text("\n".join([*lines, f"{x};{y};2024;1"]), encoding="utf-8")
    summary = survey_answers.import_survey(hostile_kommun, path, "1381", actor=ADMIN)
    assert summary["rejected"] == len(HOSTILE_NAMES) and summary["accepted"] == 1
    rows = csv_cells(formatting.row_errors_csv(summary["errors"]).decode("utf-8-sig"), ";")
    assert_no_live_formula(rows)
    assert [int(float(row[0])) for row in rows[1:]] == [2, 3, 4, 5]
    values, types = assert_xlsx_safe(formatting.row_errors_xlsx(summary["errors"]))
    assert [row[0] for row in values[1:]] == [2, 3, 4, 5]
    assert {row[0] for row in types[1:]} == {"n"}


@pytest.mark.parametrize("text", HOSTILE)
def test_rejected_rows_quote_every_field(text):
    errors = [{"row": 7, "column": text, "value": text, "message": text}]
    rows = csv_cells(formatting.row_errors_csv(errors).decode("utf-8-sig"), ";")
    assert_no_live_formula(rows)
    assert rows[1] == ["7", "'" + text, "'" + text, "'" + text]
    values, types = assert_xlsx_safe(formatting.row_errors_xlsx(errors))
    assert values[1] == [7, *[xlsx_text("'" + text)] * 3]
    assert types[1][0] == "n"


# --- Medborgarlöften -----------------------------------------------------------------

PROMISE = {
    "format": "trygg-medborgarlofte/1",
    "kommun": "1381",
    "medborgarloften": [
        {
            "title": HOSTILE_NAMES[0],
            "period": {"from": "2024-01-01", "to": "2024-12-31"},
            "signatories": [{"name": HOSTILE_NAMES[1], "role": "-chef"}],
            "source": HOSTILE_NAMES[3],
            "designated_places": [HOSTILE_NAMES[2]],
            "commitments": [
                {
                    "party": "polisen",
                    "text": text,
                    "places": [HOSTILE_NAMES[i % 4]],
                    "themes": ["polisnarvaro"],
                    "partners": [text, "@skolan"],
                }
                for i, text in enumerate(HOSTILE_NAMES)
            ],
        }
    ],
}


def test_commitments_csv_is_safe_and_round_trips_byte_for_byte(hostile_kommun, tmp_path):
    source = tmp_path / "lofte.yaml"
    source.write_text(json.dumps(PROMISE), encoding="utf-8")
    commitments.import_commitments(hostile_kommun, source, "1381", actor=ADMIN)
    db = str(hostile_kommun.url.database)
    first = tmp_path / "forsta.csv"
    result = run_cli("--db", db, "export-commitments", "--kommun", "1381", "--out", str(first))
    assert result.returncode == 0, result.stderr
    assert_no_live_formula(csv_cells(first.read_text(encoding="utf-8")))
    before = commitments.list_commitments(hostile_kommun, "1381")
    assert {c["text"] for c in before} == set(HOSTILE_NAMES)

    result = run_cli("--db", db, "import-commitments", str(first), "--kommun", "1381")
    assert result.returncode == 0, result.stderr
    after = commitments.list_commitments(hostile_kommun, "1381")
    assert [{k: v for k, v in c.items() if k != "follow_ups"} for c in after] == [
        {k: v for k, v in c.items() if k != "follow_ups"} for c in before
    ]
    again = tmp_path / "igen.csv"
    run_cli("--db", db, "export-commitments", "--kommun", "1381", "--out", str(again))
    assert again.read_bytes() == first.read_bytes()


@pytest.mark.parametrize("text", HOSTILE)
def test_commitments_csv_quotes_every_field(hostile_kommun, text):
    promises = commitments.load_promises(hostile_kommun, "1381") or [
        {
            "title": "t",
            "period": {"from": None, "to": None},
            "signed": None,
            "signatories": [],
            "follow_up_cadence": None,
            "source": None,
            "designated_places": [],
            "commitments": [],
        }
    ]
    promise = promises[0] | {
        "title": text,
        "source": text,
        "signatories": [{"name": text, "role": ""}],
        "designated_places": [text],
        "commitments": [
            {
                "party": "polisen",
                "text": text,
                "places": [text],
                "designated": False,
                "themes": [text],
                "partners": [text],
                "status": "pågår",
            }
        ],
    }
    rows = csv_cells(commitments.to_csv("1381", [promise]))
    assert_no_live_formula(rows)
    assert rows[1].count("'" + text) == 8
