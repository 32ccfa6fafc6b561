"""NTU tables with the län and the whole country (issue 12, item 7 and acceptance 5).

BRÅ's real regional tables from ``../shared/external/`` are imported as a coordinator
would, with ``trygg import-survey-results``; the expected values are typed from the files
by hand (HELA RIKET 15, Hallands län 15, Halmstad 17 …), and the rows a file should skip
are counted a second way, by reading the file with :mod:`csv` here.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from unittest.mock import patch

import pytest
from streamlit.testing.v1 import AppTest

from conftest import run_cli
from trygg import store
from trygg.stats import report
from trygg.strings import use_language

REPO = Path(__file__).resolve().parents[1]
APP = str(REPO / "dashboard" / "app.py")
EXTERNAL = Path(__file__).resolve().parents[2] / "shared" / "external"
NTU_2010 = EXTERNAL / "ntu2010_otrygghet_oro_regionala_resultat.csv"
NTU_2013 = EXTERNAL / "ntu2013_otrygghet_oro_per_lan.csv"
#: BRÅ's title above the 2010 table, as its page has it.
TITLE_2010 = "Otrygghet och oro för brott, regionala resultat 2010"
INVISIBLE = {"\u00a0": " ", "\u2060": ""}

pytestmark = pytest.mark.skipif(not NTU_2010.exists(), reason="../shared/external is missing")

#: Kristianstad (1290, Skåne län) has one place, in WGS84, and nothing but NTU results.
KRISTIANSTAD_PLACE = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"namn": "Kristianstads centrum", "typ": "centrum"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [[14.14, 56.02], [14.17, 56.02], [14.17, 56.04], [14.14, 56.04], [14.14, 56.02]]
                ],
            },
        }
    ],
}


def plain(text: str) -> str:
    for char, replacement in INVISIBLE.items():
        text = text.replace(char, replacement)
    return text


@pytest.fixture(autouse=True)
def swedish():
    use_language("sv")
    yield
    use_language("sv")


def ok(*args: str) -> dict | str:
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout) if "--json" in args or "json" in args else result.stdout


def db_rows(db: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql, params).fetchall()


@pytest.fixture(scope="module")
def halmstad(tmp_path_factory, demo_db) -> tuple[Path, dict]:
    """The demo database with NTU 2010 imported for Halmstad (1380), and the summary."""
    db = tmp_path_factory.mktemp("ntu") / "halmstad.sqlite"
    db.write_bytes(demo_db.read_bytes())
    summary = ok(
        "--db", str(db), "import-survey-results", str(NTU_2010), "--kommun", "1380",
        "--year", "2010", "--json",
    )  # fmt: skip
    return db, summary


@pytest.fixture(scope="module")
def kristianstad(tmp_path_factory) -> tuple[Path, dict]:
    """A database holding only Kristianstad's one place and NTU 2010."""
    folder = tmp_path_factory.mktemp("kristianstad")
    db, layer = folder / "k.sqlite", folder / "places.geojson"
    layer.write_text(json.dumps(KRISTIANSTAD_PLACE), encoding="utf-8")
    ok("--db", str(db), "init")
    ok(
        "--db", str(db), "import-places", str(layer), "--kommun", "1290",
        "--kommun-name", "Kristianstad", "--json",
    )  # fmt: skip
    summary = ok(
        "--db", str(db), "import-survey-results", str(NTU_2010), "--kommun", "1290",
        "--year", "2010", "--json",
    )  # fmt: skip
    return db, summary


def file_areas(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row[0] for row in list(csv.reader(handle, delimiter=";"))[1:] if row]


# --- Import ------------------------------------------------------------------------


def test_kommun_row_is_a_result_and_lan_and_riket_are_references(halmstad):
    db, summary = halmstad
    areas = file_areas(NTU_2010)
    lan_rows = [a for a in areas if a.endswith(" län")]
    others = [a for a in areas if a not in lan_rows and a not in ("HELA RIKET", "Halmstad")]
    assert summary["year"] == 2010 and summary["rejected"] == 0 and summary["errors"] == []
    assert summary["rows"] == len(areas) == 52
    assert summary["references"] == 2
    assert summary["excluded"] == {"andra_lan": len(lan_rows) - 1, "andra_kommuner": len(others)}
    assert summary["excluded"] == {"andra_lan": 19, "andra_kommuner": 30}
    stored = db_rows(
        db,
        "SELECT area, place_id, reference, year, value, unit, missing_marker FROM survey_result"
        " WHERE indicator = 'andel_otrygga' AND year = 2010 ORDER BY row_number",
    )
    assert stored == [
        ("HELA RIKET", None, "riket", 2010, 15.0, "procent", None),
        ("Hallands län", None, "län", 2010, 15.0, "procent", None),
        ("Halmstad", None, None, 2010, 17.0, "procent", None),
    ]
    indicators = db_rows(
        db,
        "SELECT indicator, value FROM survey_result WHERE area = 'Halmstad' ORDER BY id",
    )
    # Halmstad;17;19;26;19;12;11 — NTU's names mapped to the map's, the rest kept.
    assert indicators == [
        ("andel_otrygga", 17.0),
        ("Oro över brottsligheten i samhället", 19.0),
        ("Oro för närstående", 26.0),
        ("oro_inbrott", 19.0),
        ("oro_overfall", 12.0),
        ("oro_bilbrott", 11.0),
    ]


def test_xx_is_missing_never_zero(kristianstad):
    db, summary = kristianstad
    assert summary["rejected"] == 0 and summary["references"] == 2
    # Kristianstad;19;23;26;17;14;XX
    rows = db_rows(
        db,
        "SELECT indicator, value, missing_marker FROM survey_result"
        " WHERE area = 'Kristianstad' AND indicator IN ('andel_otrygga', 'oro_bilbrott')"
        " ORDER BY indicator",
    )
    assert rows == [("andel_otrygga", 19.0, None), ("oro_bilbrott", None, "XX")]
    lan = db_rows(db, "SELECT area, value FROM survey_result WHERE reference = 'län'")
    assert ("Skåne län", 19.0) in lan and {area for area, _ in lan} == {"Skåne län"}


def test_a_file_without_any_year_is_refused_and_stores_nothing(tmp_path, kristianstad):
    db = tmp_path / "k.sqlite"
    db.write_bytes(kristianstad[0].read_bytes())
    before = db_rows(db, "SELECT count(*) FROM import_batch")
    result = run_cli(
        "--db", str(db), "import-survey-results", str(NTU_2010), "--kommun", "1290"
    )  # fmt: skip
    assert result.returncode == 1
    assert "--year" in result.stderr and "vilket år" in result.stderr
    assert db_rows(db, "SELECT count(*) FROM import_batch") == before


def test_a_title_line_gives_the_year_and_rows_keep_their_numbers(tmp_path, demo_engine):
    titled = tmp_path / "ntu2010_med_rubrik.csv"
    titled.write_text(f"{TITLE_2010}\n{NTU_2010.read_text(encoding='utf-8')}", encoding="utf-8")
    db = demo_engine.url.database
    summary = ok("--db", db, "import-survey-results", str(titled), "--kommun", "1380", "--json")
    assert summary["year"] == 2010 and summary["rejected"] == 0
    # Halmstad is on line 33 of BRÅ's file; the title line above makes it 34.
    lines = NTU_2010.read_text(encoding="utf-8").splitlines()
    assert lines.index(next(x for x in lines if x.startswith("Halmstad;"))) + 1 == 33
    rows = db_rows(Path(db), "SELECT row_number, year FROM survey_result WHERE area = 'Halmstad'")
    assert set(rows) == {(34, 2010)}
    again = ok(
        "--db", db, "import-survey-results", str(NTU_2010), "--kommun", "1381",
        "--year", "2012", "--json",
    )  # fmt: skip
    assert again["year"] == 2012 and again["excluded"]["andra_kommuner"] == 31


def test_bare_lan_names_in_a_table_per_lan(demo_engine):
    db = demo_engine.url.database
    summary = ok(
        "--db", db, "import-survey-results", str(NTU_2013), "--kommun", "1380",
        "--year", "2013", "--json",
    )  # fmt: skip
    assert summary["rejected"] == 0 and summary["references"] == 2
    assert summary["excluded"] == {"andra_lan": 20, "andra_kommuner": 0}
    figures = report.place_figures(demo_engine, "1380", 2013, public=True)
    core = {r["level"]: (r["area"], r["value"]) for r in figures["references"]
            if r["indicator"] == "andel_otrygga"}  # fmt: skip
    # Halland;15;… and Hela riket;15;…
    assert core == {"län": ("Halland", 15.0), "riket": ("Hela riket", 15.0)}
    assert figures["kommun_results"] == []


# --- stats and the year list ---------------------------------------------------------


def test_stats_json_has_the_references_of_the_year(halmstad):
    db, _summary = halmstad
    figures = ok(
        "--db", str(db), "stats", "--kommun", "1380", "--year", "2010", "--public",
        "--format", "json",
    )  # fmt: skip
    references = figures["references"]
    assert len(references) == 12  # 2 areas × 6 indicators
    assert {
        "area": "Hallands län", "level": "län", "indicator": "andel_otrygga", "year": 2010,
        "value": 15.0, "unit": "procent", "missing_marker": None,
    } in references  # fmt: skip
    assert {
        "area": "HELA RIKET", "level": "riket", "indicator": "oro_inbrott", "year": 2010,
        "value": 15.0, "unit": "procent", "missing_marker": None,
    } in references  # fmt: skip
    own = [r for r in figures["kommun_results"] if r["indicator"] == "andel_otrygga"]
    assert [(r["area"], r["value"]) for r in own] == [("Halmstad", 17.0)]
    latest = ok("--db", str(db), "stats", "--kommun", "1380", "--public", "--format", "json")
    assert latest["year"] == 2024 and latest["references"] == []
    assert latest["years"][0] == 2010


def test_a_kommun_with_only_these_results_offers_2010(kristianstad):
    db, _summary = kristianstad
    engine = store.make_engine(str(db))
    try:
        # What dashboard/data.figures hands the pages (their year lists).
        figures = report.place_figures(engine, "1290", None, public=True)
    finally:
        engine.dispose()
    assert figures["years"] == [2010] and figures["year"] == 2010
    printed = ok("--db", str(db), "stats", "--kommun", "1290", "--format", "json")
    assert printed["year"] == 2010


# --- The pages -----------------------------------------------------------------------


def open_page(db: Path, page: str, monkeypatch, **query: str) -> AppTest:
    monkeypatch.setenv("TRYGG_DB", str(db))
    monkeypatch.setenv("TRYGG_TILES", "none")
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    with patch("streamlit_folium.st_folium", lambda *a, **k: None):
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


CORE_2010 = "Andel som känner sig otrygga ute sent på kvällen 2010"


def test_place_page_shows_the_lan_and_the_country(halmstad, monkeypatch):
    at = open_page(
        halmstad[0], "views/plats.py", monkeypatch,
        kommun="1380", plats="Centrala Vallås", ar="2010",
    )  # fmt: skip
    texts = [plain(m.value).replace("\\", "") for m in at.markdown]
    assert f"{CORE_2010}: Halmstad 17 %, Hallands län 15 %, riket 15 %." in texts
    assert "Oro: Stöld ur eller av bil 2010: Halmstad 11 %, Hallands län 11 %, riket 14 %." in texts


def test_compare_page_shows_them_for_the_chosen_figure(kristianstad, monkeypatch):
    at = open_page(kristianstad[0], "views/jamfor.py", monkeypatch, kommun="1290")
    texts = [plain(m.value).replace("\\", "") for m in at.markdown]
    assert f"{CORE_2010}: Kristianstad 19 %, Skåne län 19 %, riket 15 %." in texts
    assert not any(text.startswith("Oro för närstående") for text in texts)
