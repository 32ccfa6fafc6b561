"""Has it been done: a commitment's status, its next follow-up, overdue marks, the Löften page.

The core rules are checked on tiny hand-made cases; the page through AppTest on the demo
database and on a small database whose texts start like spreadsheet formulas. Expected
counts come from ``trygg commitments --format json`` run as a subprocess.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import textwrap
from collections import Counter
from datetime import date
from pathlib import Path
from typing import ClassVar
from unittest.mock import patch

import pytest
from openpyxl import load_workbook
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from tests.conftest import run_cli
from tests.test_places import layer
from trygg import commitments, places
from trygg.auth import local_admin
from trygg.commitments import follow_up
from trygg.commitments.listing import (
    KOMMUN_WIDE,
    filter_commitments,
    status_summary,
    to_csv_bytes,
    to_xlsx_bytes,
)
from trygg.exports import TRIGGERS

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "dashboard"))
from markup import md  # the dashboard's own folder, as Streamlit runs it

REPO = Path(__file__).resolve().parents[1]
APP = str(REPO / "dashboard" / "app.py")
ADMIN = local_admin()
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")
LOFTEN = "views/loften.py"
#: Each summary metric's label, in the order of the summary bar.
SUMMARY_LABELS = {
    "Genomförda": "genomförd",
    "Pågår": "pågår",
    "Ej påbörjade": "ej påbörjad",
    "Inställda": "inställd",
}


# --- The one status rule ---------------------------------------------------------------


def fu(day: str, status: str, comment: str = "") -> dict:
    return {"date": day, "status": status, "comment": comment}


@pytest.mark.parametrize(
    ("stored", "follow_ups", "expected"),
    [
        # Halmstad: the file says genomförd, its only follow-up says pågår.
        ("genomförd", [fu("2017-06-15", "pågår")], "pågår"),
        # the latest by date, whatever the order of the list
        ("pågår", [fu("2024-09-30", "genomförd"), fu("2024-05-02", "inställd")], "genomförd"),
        # two on one day: the one recorded last
        ("pågår", [fu("2024-05-02", "pågår"), fu("2024-05-02", "inställd")], "inställd"),
        # none: the stored status; an unknown stored status counts as not started
        ("genomförd", [], "genomförd"),
        ("klar", [], "ej påbörjad"),
        (None, [], "ej påbörjad"),
    ],
)
def test_status_is_the_latest_follow_ups(stored, follow_ups, expected):
    assert follow_up.current_status(stored, follow_ups) == expected


@pytest.mark.parametrize(
    ("cadence", "last", "start", "expected"),
    [
        ("tertial", date(2024, 5, 12), date(2024, 1, 1), date(2024, 9, 12)),
        ("halvår", date(2024, 5, 12), date(2024, 1, 1), date(2024, 11, 12)),
        ("år", date(2024, 5, 12), date(2024, 1, 1), date(2025, 5, 12)),
        ("tertial", None, date(2024, 1, 1), date(2024, 5, 1)),  # from the löfte's start
        ("tertial", date(2023, 10, 31), None, date(2024, 2, 29)),  # kept within February
        ("halvår", date(2024, 8, 31), None, date(2025, 2, 28)),
        (None, date(2024, 5, 12), date(2024, 1, 1), None),  # no cadence, no due date
        ("tertial", None, None, None),
    ],
)
def test_next_follow_up_is_one_cadence_on(cadence, last, start, expected):
    assert follow_up.next_follow_up(cadence, last, start) == expected


def tertial(today: date, *, status="pågår", period_to=date(2025, 12, 31), follow_ups=None):
    return follow_up.progress(
        stored_status="pågår",
        follow_ups=follow_ups if follow_ups is not None else [fu("2024-05-12", status)],
        cadence="tertial",
        period_from=date(2024, 1, 1),
        period_to=period_to,
        today=today,
    )


@pytest.mark.parametrize(
    ("today", "overdue"),
    [(date(2024, 9, 11), False), (date(2024, 9, 12), False), (date(2024, 9, 13), True)],
)
def test_overdue_once_the_due_day_has_passed(today, overdue):
    state = tertial(today)
    assert state.next_due == date(2024, 9, 12)
    assert state.overdue is overdue
    assert state.ended is False


def test_an_ended_lofte_is_never_overdue():
    state = tertial(date(2026, 1, 1))
    assert (state.ended, state.overdue, state.next_due) == (True, False, None)
    assert tertial(date(2025, 12, 31)).ended is False  # its last day still holds
    assert tertial(date(2025, 12, 31)).overdue is True


def test_a_closed_commitment_is_not_overdue():
    for status in ("genomförd", "inställd"):
        state = tertial(date(2025, 6, 1), status=status)
        assert (state.status, state.overdue, state.next_due) == (status, False, None)


def test_without_follow_ups_the_first_is_due_one_cadence_after_the_start():
    state = tertial(date(2024, 6, 1), follow_ups=[])
    assert (state.next_due, state.overdue) == (date(2024, 5, 1), True)


def test_period_and_due_in_words():
    ended = follow_up.period_phrase("2024-01-01", "2025-12-31", date(2026, 1, 1))
    assert ended == "Period 2024-01-01 – 2025-12-31, avslutat 2025-12-31"
    holds = follow_up.period_phrase("2024-01-01", "2025-12-31", date(2025, 1, 1))
    assert holds.endswith("gäller till 2025-12-31")
    assert follow_up.period_phrase("2024-01-01", None, date(2025, 1, 1)).endswith("tills vidare")
    assert follow_up.due_phrase("2024-09-12", True) == "uppföljning försenad sedan 2024-09-12"
    assert follow_up.due_phrase("2024-09-12", False) == "nästa uppföljning senast 2024-09-12"
    assert follow_up.status_counts(["pågår", "genomförd", "pågår", "okänd"]) == {
        "genomförd": 1,
        "pågår": 2,
        "ej påbörjad": 1,
        "inställd": 0,
    }


# --- A small database: one löfte in force (tertial), one ended -------------------------

PROMISES = textwrap.dedent(
    """
    format: trygg-medborgarlofte/1
    kommun: "1381"
    medborgarloften:
      - title: Löftet som gäller
        period: {from: 2024-01-01, to: 2099-12-31}
        follow_up_cadence: tertial
        commitments:
          - party: polisen
            text: "=HYPERLINK(\\"http://x.example\\",\\"klicka\\")"
            places: [Parken]
            partners: ["+46 lokal förening"]
            status: genomförd
            follow_ups:
              - {date: 2024-01-20, status: genomförd, comment: "@SUM(A1)"}
              - {date: 2024-05-12, status: pågår, comment: "-1+1 kvar att göra"}
          - party: kommunen
            text: belysa gångvägen
            places: [Centrum]
            themes: [belysning]
            status: ej påbörjad
          - party: gemensamt
            text: följa upp arbetet
            status: pågår
            follow_ups:
              - {date: 2024-11-02, status: inställd, comment: Ersatt av annat}
      - title: Löftet som har slutat
        period: {from: 2024-01-01, to: 2025-12-31}
        follow_up_cadence: halvår
        commitments:
          - party: kommunen
            text: klippa buskarna i parken
            places: [Parken]
            status: pågår
            follow_ups:
              - {date: 2024-03-01, status: pågår, comment: Påbörjat}
    """
)


@pytest.fixture
def small_db(engine, tmp_path) -> Path:
    path = tmp_path / "places.gpkg"
    layer().to_file(path, driver="GPKG")
    places.import_places(engine, path, "1381", name_field="namn", alias_field="alias", actor=ADMIN)
    promises = tmp_path / "loften.yaml"
    promises.write_text(PROMISES, encoding="utf-8")
    commitments.import_commitments(engine, promises, "1381", actor=ADMIN)
    return Path(engine.url.database)


def test_listing_carries_status_due_date_and_period(small_db, engine):
    on_new_year = commitments.list_commitments(engine, "1381", today=date(2025, 1, 1))
    listed = {c["text"]: c for c in on_new_year}
    hostile = listed['=HYPERLINK("http://x.example","klicka")']
    assert (hostile["status"], hostile["recorded_status"]) == ("pågår", "genomförd")
    assert hostile["next_follow_up"] == "2024-09-12"  # 2024-05-12 + 4 months
    assert hostile["overdue"] is True
    assert listed["belysa gångvägen"]["next_follow_up"] == "2024-05-01"  # start + 4 months
    assert listed["följa upp arbetet"]["status"] == "inställd"
    assert listed["följa upp arbetet"]["overdue"] is False
    bushes = listed["klippa buskarna i parken"]
    assert bushes["period"] == {"from": "2024-01-01", "to": "2025-12-31"}
    assert (bushes["next_follow_up"], bushes["overdue"]) == ("2024-09-01", True)
    later = commitments.list_commitments(engine, "1381", today=date(2026, 1, 1))
    bushes = next(c for c in later if c["text"] == "klippa buskarna i parken")
    assert (bushes["ended"], bushes["overdue"], bushes["next_follow_up"]) == (True, False, None)


def test_filters_narrow_by_place_party_theme_and_status(small_db, engine):
    items = commitments.list_commitments(engine, "1381")

    def texts(found: list[dict]) -> list[str]:
        return sorted(c["text"] for c in found)

    assert texts(filter_commitments(items, places=["Centrum"])) == ["belysa gångvägen"]
    assert texts(filter_commitments(items, places=[KOMMUN_WIDE])) == ["följa upp arbetet"]
    assert len(filter_commitments(items, places=["Parken"])) == 2
    assert texts(filter_commitments(items, parties=["kommunen"], places=["Parken"])) == [
        "klippa buskarna i parken"
    ]
    assert texts(filter_commitments(items, themes=["belysning"])) == ["belysa gångvägen"]
    assert texts(filter_commitments(items, statuses=["inställd"])) == ["följa upp arbetet"]
    assert filter_commitments(items) == items
    assert status_summary(items) == {"genomförd": 0, "pågår": 2, "ej påbörjad": 1, "inställd": 1}


def csv_cells(data: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data.decode("utf-8"))) for cell in row]


def xlsx_cells(data: bytes) -> list:
    sheet = load_workbook(io.BytesIO(data)).active
    return [cell for row in sheet.iter_rows() for cell in row]


def assert_no_live_formula(cells: list[str]) -> None:
    """No cell a spreadsheet would run: none starts with = + - @ tab or CR, unless it is
    a plain number."""
    live = [c for c in cells if c[:1] in TRIGGERS and not PLAIN_NUMBER.fullmatch(c)]
    assert live == [], live


def test_downloads_have_no_live_formula(small_db, engine):
    items = commitments.list_commitments(engine, "1381")
    cells = csv_cells(to_csv_bytes(items))
    assert '\'=HYPERLINK("http://x.example","klicka")' in cells
    assert "'+46 lokal förening" in cells
    assert_no_live_formula(cells)
    workbook = xlsx_cells(to_xlsx_bytes(items))
    assert all(cell.data_type != "f" for cell in workbook)
    assert_no_live_formula([str(cell.value) for cell in workbook if cell.value is not None])
    assert '\'=HYPERLINK("http://x.example","klicka")' in [cell.value for cell in workbook]


# --- The page, on the demo database ------------------------------------------------------


def cli_commitments(db: Path, kommun: str) -> list[dict]:
    result = run_cli("--db", str(db), "commitments", "--kommun", kommun, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


class RecordingStorage(MemoryMediaFileStorage):
    """Streamlit's in-memory media store, remembered so a test can read the downloads."""

    made: ClassVar[list[MemoryMediaFileStorage]] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        RecordingStorage.made.append(self)


def open_loften(monkeypatch, db: Path, **query: str) -> AppTest:
    monkeypatch.setenv("TRYGG_DB", str(db))
    monkeypatch.setenv("TRYGG_TILES", "none")
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    with patch("streamlit_folium.st_folium", lambda *args, **kwargs: None):
        at.switch_page(LOFTEN).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def summary_of(at: AppTest) -> dict[str, int]:
    return {SUMMARY_LABELS[m.label]: int(m.value) for m in at.metric if m.label in SUMMARY_LABELS}


def shown_texts(at: AppTest, listed: list[dict]) -> list[str]:
    texts = {f"**{c['text']}**" for c in listed}
    return [m.value for m in at.markdown if m.value in texts]


@pytest.mark.parametrize("kommun", ["1381", "1380"])
def test_summary_counts_equal_the_cli_statuses(monkeypatch, demo_db, kommun):
    listed = cli_commitments(demo_db, kommun)
    expected = Counter(c["status"] for c in listed)
    at = open_loften(monkeypatch, demo_db, kommun=kommun)
    assert summary_of(at) == {s: expected.get(s, 0) for s in SUMMARY_LABELS.values()}
    assert sum(summary_of(at).values()) == len(listed)
    if kommun == "1380":  # Halmstad: the file said genomförd, the follow-up pågår
        mopeds = next(c for c in listed if "mopedkontroller" in json.dumps(c["follow_ups"]))
        assert mopeds["status"] == "pågår"


def test_json_status_is_the_latest_follow_ups(demo_db):
    for kommun in ("1381", "1278", "1380", "0683", "1984"):
        for item in cli_commitments(demo_db, kommun):
            by_date = sorted(item["follow_ups"], key=lambda f: f["date"])
            expected = by_date[-1]["status"] if by_date else item["recorded_status"]
            assert item["status"] == expected, item["text"]


def test_laholm_lofte_shows_as_ended_and_place_filter_narrows(monkeypatch, demo_db):
    listed = cli_commitments(demo_db, "1381")
    at = open_loften(monkeypatch, demo_db, kommun="1381")
    assert at.title[0].value == "Medborgarlöften i Laholm"
    assert any("avslutat 2025-12-31" in m.value for m in at.markdown)
    assert len(shown_texts(at, listed)) == len(listed) == 19
    place = at.multiselect(key="loften_places_1381")
    assert place.placeholder == "Alla"
    with patch("streamlit_folium.st_folium", lambda *args, **kwargs: None):
        place.set_value(["Stadsparken"]).run()
    in_park = [c for c in listed if "Stadsparken" in c["places"]]
    assert 0 < len(shown_texts(at, listed)) == len(in_park) < len(listed)
    assert at.query_params["plats"] == "Stadsparken"
    assert sum(summary_of(at).values()) == len(in_park)


def test_place_in_the_address_filters_the_list(monkeypatch, demo_db):
    listed = cli_commitments(demo_db, "1381")
    at = open_loften(monkeypatch, demo_db, kommun="1381", plats="glänninge")
    assert at.multiselect(key="loften_places_1381").value == ["Glänningeområdet"]
    expected = [c for c in listed if "Glänningeområdet" in c["places"]]
    assert len(shown_texts(at, listed)) == len(expected)


def test_overdue_mark_timeline_and_downloads_on_the_page(monkeypatch, small_db):
    RecordingStorage.made.clear()
    with patch("streamlit.testing.v1.app_test.MemoryMediaFileStorage", RecordingStorage):
        at = open_loften(monkeypatch, small_db, kommun="1381")
    texts = [m.value for m in at.markdown]
    assert ":red-badge[uppföljning försenad sedan 2024-09-12]" in " ".join(texts)
    assert any("avslutat 2025-12-31" in text for text in texts)
    assert any("gäller till 2099-12-31" in text for text in texts)
    timeline = [text for text in texts if text.startswith("**2024")]
    assert timeline[:2] == [  # the hostile commitment's history, the latest first
        f"**2024-05-12** · {md('pågår – -1+1 kvar att göra')}",
        f"**2024-01-20** · {md('genomförd – @SUM(A1)')}",
    ]
    (storage,) = RecordingStorage.made
    buttons = {b.key: b for b in at.get("download_button")}
    downloaded = {
        key: storage.get_file(Path(buttons[key].proto.url).name).content
        for key in ("loften_csv", "loften_xlsx")
    }
    cells = csv_cells(downloaded["loften_csv"])
    assert len(list(csv.reader(io.StringIO(downloaded["loften_csv"].decode())))) == 5
    assert_no_live_formula(cells)
    workbook = xlsx_cells(downloaded["loften_xlsx"])
    assert all(cell.data_type != "f" for cell in workbook)
    assert_no_live_formula([str(cell.value) for cell in workbook if cell.value is not None])


def test_english_page(monkeypatch, demo_db):
    at = open_loften(monkeypatch, demo_db, kommun="1381", lang="en")
    assert at.title[0].value == "Citizen promises in Laholm"
    assert {m.label for m in at.metric} >= {"Done", "Ongoing", "Not started", "Cancelled"}
    assert [m.placeholder for m in at.multiselect] == ["All"] * 4
    assert any("ended 2025-12-31" in m.value for m in at.markdown)
