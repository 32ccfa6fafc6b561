"""Fuzz tests (issue 7, acceptance 3): no file takes the caller down, none reaches GDAL as
a path, and every refusal says what is wrong.

Hand-made hostile files and hypothesis-made files go through every importer in one
long-lived process (:mod:`tests.fuzz_runner`), as uploads do in the dashboard; the test
then checks its report: no traceback, no partial write, each file under 60 s, peak
memory of the caller and of the sandboxed readers under 1 GiB, and the caller alive at
the end. ``make fuzz`` runs the same with ``TRYGG_FUZZ_EXAMPLES`` (≥ 10 000) files.
"""

from __future__ import annotations

import http.server
import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import ClassVar

import geopandas as gpd
import pytest
from shapely.geometry import Polygon

from tests.conftest import REPO, run_cli
from tests.fuzz_runner import IMPORTERS
from tests.hostile_files import PARK_X, PARK_Y, hostile_files, seeds, zipped
from trygg import auth, places
from trygg.errors import TryggError
from trygg.importers import incidents, survey_answers
from trygg.tabular import read_mapping

#: Hypothesis examples in ``make test``; ``make fuzz`` sets this to 10 000 or more.
EXAMPLES = int(os.environ.get("TRYGG_FUZZ_EXAMPLES", "30"))
#: ``make fuzz`` also runs the slow hostile files and every hostile file on the CLI.
FULL = EXAMPLES > 1000
ONE_GIB_KB = 1024 * 1024
ADMIN = auth.local_admin()
CLI_COMMANDS = {
    "survey": ("import-survey", "1381"),
    "survey_results": ("import-survey-results", "1381"),
    "incidents": ("import-incidents", "1381"),
    "crime_stats": ("import-crime-stats", "1381"),
    "places": ("import-places", "2999"),
    "commitments": ("import-commitments", "1381"),
}


class Recorder(http.server.BaseHTTPRequestHandler):
    """A local server that remembers every request; no import may ever reach it."""

    hits: ClassVar[list[str]] = []

    def do_GET(self):
        self.hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", Recorder.hits
    httpd.shutdown()


def run_runner(folder: Path, *args: str, env: dict | None = None) -> dict:
    """Run the fuzz runner in its own process; return its report."""
    report = folder / "report.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.fuzz_runner",
            "--db",
            str(folder / "fuzz.sqlite"),
            "--report",
            str(report),
            *args,
        ],
        cwd=REPO,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=24 * 3600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(report.read_text())
    assert result["alive"]
    return result


def summarise(label: str, report: dict) -> None:
    """One line for README's Robusthet section (shown by ``make fuzz``, which runs ``-s``)."""
    entries = report["entries"]
    outcomes = {o: sum(e["outcome"] == o for e in entries) for o in ("ok", "refused", "unexpected")}
    print(
        f"\nFUZZ {label}: files={len(entries)} ok={outcomes['ok']} refused={outcomes['refused']} "
        f"unexpected={outcomes['unexpected']} "
        f"partial_writes={sum(e['partial_write'] for e in entries)} "
        f"max_seconds={max((e['seconds'] for e in entries), default=0)} "
        f"max_rss_caller_mb={report['maxrss_self_kb'] // 1024} "
        f"max_rss_reader_mb={report['maxrss_children_kb'] // 1024}"
    )


def assert_sound(report: dict) -> None:
    """The invariants every import must keep, whatever the file."""
    assert report["maxrss_self_kb"] < ONE_GIB_KB, report["maxrss_self_kb"]
    assert report["maxrss_children_kb"] < ONE_GIB_KB, report["maxrss_children_kb"]
    for entry in report["entries"]:
        label = f"{entry['file']} → {entry['importer']}"
        assert entry["outcome"] in {"ok", "refused"}, f"{label}: {entry.get('message')}"
        assert not entry["partial_write"], label
        assert entry["seconds"] < 60, label
        if entry["outcome"] == "refused":
            message = entry["message"]
            assert "\n" not in message and "Traceback" not in message, label
            assert "oväntat" not in message, f"{label}: {message}"


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory, server):
    """Every hostile file through every importer, in one caller process."""
    url, _hits = server
    folder = tmp_path_factory.mktemp("hostile")
    files = hostile_files(url, slow=FULL)
    jobs = []
    for hostile in files:
        path = folder / hostile.name
        path.write_bytes(hostile.data)
        jobs += [{"file": str(path), "importer": importer} for importer in IMPORTERS]
    (folder / "jobs.json").write_text(json.dumps(jobs))
    return folder, files, run_runner(folder, "--jobs", str(folder / "jobs.json"))


def test_no_hostile_file_crashes_the_caller_or_writes_partly(hostile_run):
    _folder, files, report = hostile_run
    assert len(report["entries"]) == len(files) * len(IMPORTERS)
    summarise("hostile", report)
    assert_sound(report)


def test_each_hostile_file_is_refused_naming_what_is_wrong(hostile_run):
    _folder, files, report = hostile_run
    expected = {hostile.name: hostile for hostile in files}
    checked = 0
    for entry in report["entries"]:
        hostile = expected[entry["file"]]
        if entry["importer"] != hostile.importer:
            continue
        said = entry.get("message") or " | ".join(entry.get("errors", []))
        assert hostile.expect in said, f"{entry['file']}: {said}"
        if hostile.expect and entry["outcome"] == "refused":
            assert hostile.name in said or "Rad " in said, said
        checked += 1
    assert checked == len(files)


def test_absurd_numbers_are_row_errors_naming_row_column_and_value(hostile_run):
    _folder, _files, report = hostile_run
    # A file with no good row is refused whole; its sentence names each error in full.
    meant = {"absurd_handelser.csv": "incidents", "absurd_enkat.csv": "survey"}
    meant |= {"absurd_bra.csv": "crime_stats"}
    errors = {
        e["file"]: e["errors"] if e["outcome"] == "ok" else [e["message"]]
        for e in report["entries"]
        if meant.get(e["file"]) == e["importer"]
    }
    assert any(
        "Rad 2, kolumn 'Antal', värde '9e18': antal ska vara ett heltal från 1 till 100 000" in e
        for e in errors["absurd_handelser.csv"]
    )
    assert any(
        "Rad 3, kolumn 'Datum', värde '9999-12-31'" in e for e in errors["absurd_handelser.csv"]
    )
    assert any("Rad 2, kolumn 'År', värde '9999'" in e for e in errors["absurd_enkat.csv"])
    assert any("Rad 3, kolumn 'Antal', värde '1e19'" in e for e in errors["absurd_bra.csv"])


def test_no_url_was_fetched_and_no_local_file_became_data(hostile_run, server):
    folder, _files, _report = hostile_run
    _url, hits = server
    assert hits == []
    with sqlite3.connect(folder / "fuzz.sqlite") as connection:
        names = [row[0] for row in connection.execute("SELECT name FROM place")]
        texts = [row[0] or "" for row in connection.execute("SELECT place_text FROM incident")]
    assert not [text for text in names + texts if "root" in text or "/bin/" in text]


def test_hypothesis_files_through_the_importers(tmp_path):
    report = run_runner(tmp_path, "--examples", str(EXAMPLES), "--seed", "7")
    summarise("hypothesis", report)
    assert report["failure"] == "", report["failure"][-4000:]
    assert len(report["entries"]) >= EXAMPLES
    assert_sound(report)
    outcomes = {entry["outcome"] for entry in report["entries"]}
    assert outcomes == {"ok", "refused"}


def _cli_cases():
    files = hostile_files("http://127.0.0.1:9", slow=False)
    if FULL:
        return files
    wanted = {"gles.xlsx", "passwd.vrt"}
    return [hostile for hostile in files if hostile.name in wanted]


@pytest.fixture(scope="module")
def cli_db(tmp_path_factory):
    from tests.fuzz_runner import prepare

    path = tmp_path_factory.mktemp("cli") / "cli.sqlite"
    prepare(path).dispose()
    return path


@pytest.mark.parametrize("hostile", _cli_cases(), ids=lambda hostile: hostile.name)
def test_the_command_line_refuses_in_one_sentence_with_exit_1(hostile, tmp_path, cli_db):
    path = tmp_path / hostile.name
    path.write_bytes(hostile.data)
    command, kommun = CLI_COMMANDS[hostile.importer]
    result = run_cli("--db", str(cli_db), command, str(path), "--kommun", kommun)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    if result.returncode == 1:
        message = result.stderr.strip()
        assert len(message.splitlines()) == 1 and hostile.expect in message, message


# --- Limits named in the refusal (lowered by their variables) -----------------------------


def count_rows(engine) -> dict[str, int]:
    from tests.fuzz_runner import table_counts

    return table_counts(engine)


@pytest.fixture
def laholm(tmp_path):
    from tests.fuzz_runner import prepare

    engine = prepare(tmp_path / "gränser.sqlite")
    yield engine
    engine.dispose()


def test_rows_over_the_limit_are_refused_naming_the_variable(laholm, tmp_path, monkeypatch):
    monkeypatch.setenv("TRYGG_MAX_ROWS", "5")
    path = tmp_path / "enkat.csv"
    path.write_text("Område;År\n" + "Stadsparken;2024\n" * 5, encoding="utf-8")
    before = count_rows(laholm)
    with pytest.raises(TryggError, match="fler än 5 rader; gränsen sätts med TRYGG_MAX_ROWS"):
        survey_answers.import_survey(laholm, path, "1381", actor=ADMIN)
    assert count_rows(laholm) == before


def test_a_file_over_the_byte_limit_is_refused_before_it_is_read(laholm, tmp_path, monkeypatch):
    monkeypatch.setenv("TRYGG_MAX_FILE_MB", "1")
    path = tmp_path / "stor.csv"
    path.write_bytes(b"Omrade;Ar\n" + b"Stadsparken;2024\n" * 130_000)
    with pytest.raises(
        TryggError, match=r"stor\.csv är 2 MB stor; gränsen är 1 MB \(TRYGG_MAX_FILE_MB\)"
    ):
        incidents.import_incidents(laholm, path, "1381", actor=ADMIN)


def test_a_layer_over_the_vertex_limit_is_refused_before_validation(laholm, tmp_path, monkeypatch):
    monkeypatch.setenv("TRYGG_MAX_VERTICES", "100")
    ring = Polygon([(PARK_X + i % 2, PARK_Y + i) for i in range(200)])  # invalid: needs repair
    path = tmp_path / "tagg.gpkg"
    gpd.GeoDataFrame({"namn": ["Tagg"]}, geometry=[ring], crs="EPSG:3006").to_file(path)
    before = count_rows(laholm)
    with pytest.raises(
        TryggError, match="har 201 hörnpunkter; gränsen är 100 \\(TRYGG_MAX_VERTICES\\)"
    ):
        places.import_places(laholm, path, "2999", actor=ADMIN)
    assert count_rows(laholm) == before


def test_a_zip_unpacking_over_the_limit_is_refused_by_its_directory(laholm, tmp_path, monkeypatch):
    monkeypatch.setenv("TRYGG_MAX_UNZIPPED_MB", "1")
    shapefile = seeds()["platser.zip"][0]
    path = tmp_path / "platser.zip"
    path.write_bytes(zipped({"omraden.xml": os.urandom(2 * 1024 * 1024), "omraden.shp": shapefile}))
    with pytest.raises(
        TryggError, match=r"packas upp till 2 MB; gränsen är 1 MB \(TRYGG_MAX_UNZIPPED_MB\)"
    ):
        places.import_places(laholm, path, "2999", actor=ADMIN)


def test_an_endless_geopackage_view_is_stopped_at_the_time_limit(laholm, tmp_path, monkeypatch):
    from tests.hostile_files import endless_geopackage

    monkeypatch.setenv("TRYGG_READ_TIMEOUT_S", "3")
    path = tmp_path / "oandlig.gpkg"
    path.write_bytes(endless_geopackage())
    with pytest.raises(TryggError, match=r"gränsen 3 s \(TRYGG_READ_TIMEOUT_S\)"):
        places.import_places(laholm, path, "2999", actor=ADMIN)


def test_the_caller_survives_a_reader_that_aborts(laholm, tmp_path):
    """calamine aborts its process on this sheet; only the sandboxed child dies."""
    path = tmp_path / "gles.xlsx"
    path.write_bytes(next(h.data for h in hostile_files("") if h.name == "gles.xlsx"))
    with pytest.raises(
        TryggError, match=r"mer minne än gränsen 1 024 MB \(TRYGG_READER_MEMORY_MB\)"
    ):
        survey_answers.import_survey(laholm, path, "1381", actor=ADMIN)
    good = tmp_path / "enkat.xlsx"
    good.write_bytes(seeds()["enkat.xlsx"][0])
    assert survey_answers.import_survey(laholm, good, "1381", actor=ADMIN)["accepted"] == 3


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("djup.json", "[" * 100_000 + "]" * 100_000, "djup.json"),
        ("alias.yaml", "a: &a x\nplats: *a\n", "YAML-alias på rad 2"),
        ("djup.yaml", "a: " + "[" * 60 + "]" * 60, "TRYGG_MAX_NESTING"),
    ],
)
def test_a_hostile_mapping_file_is_refused_naming_it(tmp_path, name, text, expected):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TryggError, match=expected):
        read_mapping(path)


def test_a_survey_year_option_outside_the_range_is_refused(laholm, tmp_path):
    path = tmp_path / "enkat.csv"
    path.write_text("Område;Trygg kväll\nStadsparken;3\n", encoding="utf-8")
    with pytest.raises(TryggError, match="Året 9999 ligger utanför 1900–2100"):
        survey_answers.import_survey(laholm, path, "1381", year=9999, actor=ADMIN)
