"""The dashboard reads again when the data changes, and only then; a rerun builds one map.

AppTest on a real database file. The core's functions are wrapped to count their calls
(they still run): ``report.place_figures`` for the cached figures, ``maps.place_map``
and ``maps.standalone_html`` for the map. The import comes from the command line, as a
coordinator's shell would make it, or from the importer.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from pathlib import Path
from unittest.mock import patch
from urllib.parse import urlsplit

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from tests.conftest import run_cli
from tests.test_dashboard import (
    UPLOAD,
    FakeMap,
    place_figures,
    run_app,
    survey_n_line,
)
from trygg import auth, formatting, maps
from trygg.importers.survey_answers import import_survey
from trygg.stats import report
from trygg.store.reads import data_version

#: One respondent in Värnamo (kommun 0683), a kommun the page below does not show.
VARNAMO_UPLOAD = "Område;År;Trygg kväll\r\nCentrala Värnamo;2024;Mycket otrygg\r\n".encode()


@pytest.fixture
def private_env(monkeypatch, demo_engine, tmp_path) -> Path:
    """The dashboard on a private copy of the demo database; its path."""
    path = tmp_path / "demo.sqlite"
    monkeypatch.setenv("TRYGG_DB", str(path))
    monkeypatch.setenv("TRYGG_TILES", "none")
    return path


def rerun(at, fake: FakeMap | None = None):
    with patch("streamlit_folium.st_folium", fake or FakeMap()):
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def stadsparken_n(engine) -> int:
    return place_figures(report.compute_stats(engine, "1381"), "Stadsparken")["survey"]["n"]


def test_an_import_from_the_shell_shows_on_the_next_rerun(private_env, demo_engine, tmp_path):
    n_before = stadsparken_n(demo_engine)
    at = run_app(plats="Stadsparken")
    assert survey_n_line(at).startswith(f"{formatting.count(n_before)} · ")
    upload = tmp_path / "enkat.csv"
    upload.write_bytes(UPLOAD)
    result = run_cli("--db", str(private_env), "import-survey", str(upload), "--kommun", "1381")
    assert result.returncode == 0, result.stderr
    rerun(at)
    assert survey_n_line(at).startswith(f"{formatting.count(n_before + 1)} · ")


@pytest.fixture
def figure_reads(monkeypatch) -> Counter:
    """How often the core computed figures per place, by kommun."""
    calls: Counter = Counter()
    real = report.place_figures

    def counted(engine, kommun, *args, **kwargs):
        calls[kommun] += 1
        return real(engine, kommun, *args, **kwargs)

    monkeypatch.setattr(report, "place_figures", counted)
    return calls


def test_only_an_import_in_the_kommun_recomputes_its_figures(
    private_env, demo_engine, tmp_path, figure_reads
):
    at = run_app(plats="Stadsparken")
    assert figure_reads["1381"] >= 1
    n_line = survey_n_line(at)

    figure_reads.clear()
    rerun(at)
    assert figure_reads == {}, "nothing changed: every figure came from the cache"

    laholm, varnamo = data_version(demo_engine, "1381"), data_version(demo_engine, "0683")
    import_survey(
        demo_engine,
        "varnamo.csv",
        "0683",
        data=VARNAMO_UPLOAD,
        actor=auth.local_admin(),
        allow_duplicates=True,
    )
    assert data_version(demo_engine, "0683") > varnamo
    assert data_version(demo_engine, "1381") == laholm
    rerun(at)
    assert figure_reads == {}, "Värnamo's import left Laholm's cached figures alone"
    assert survey_n_line(at) == n_line

    import_survey(demo_engine, "enkat.csv", "1381", data=UPLOAD, actor=auth.local_admin())
    rerun(at)
    assert figure_reads["1381"] >= 1, "Laholm's own import is read at once"
    assert survey_n_line(at) != n_line


@pytest.fixture
def map_builds(monkeypatch) -> Counter:
    """How often the page built a folium map and a standalone file."""
    calls: Counter = Counter()
    for name in ("place_map", "standalone_html"):
        real = getattr(maps, name)

        def counted(*args, _real=real, _name=name, **kwargs):
            calls[_name] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(maps, name, counted)
    return calls


@pytest.fixture
def deferred(monkeypatch) -> dict:
    """The media managers that registered a deferred download, by file id."""
    managers = {}
    real = MediaFileManager.add_deferred

    def remembered(manager, *args, **kwargs):
        file_id = real(manager, *args, **kwargs)
        managers[file_id] = manager
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", remembered)
    return managers


#: Widget changes on the map page, each a rerun.
CHANGES = {
    "metric": lambda at: at.selectbox(key="metric_select").set_value("problem_nedskrapning"),
    "year": lambda at: at.selectbox(key="year_select").set_value("2023"),
    "place": lambda at: at.selectbox(key="plats_select").set_value("Hishult"),
    "whole kommun": lambda at: at.selectbox(key="plats_select").set_value(""),
    "basemap": lambda at: at.sidebar.radio(key="tiles_mode").set_value("on"),
    "density": lambda at: at.sidebar.toggle(key="layer_density").set_value(True),
    "kommun": lambda at: at.sidebar.selectbox(key="kommun_select").set_value("0683"),
}


def test_a_rerun_builds_the_map_once_and_no_standalone_file(private_env, map_builds, deferred):
    fake = FakeMap()
    at = run_app(fake, plats="Stadsparken")
    assert map_builds == {"place_map": 1}
    for change, widget in CHANGES.items():
        map_builds.clear()
        widget(at)
        rerun(at, fake)
        assert map_builds == {"place_map": 1}, change
    keys = {kwargs["key"] for _fmap, kwargs in fake.calls}
    assert keys == {"karta_1381", "karta_0683"}, "one key per kommun, whatever is shown"
    assert all(
        set(kwargs["returned_objects"])
        <= {"last_active_drawing", "last_object_clicked", "last_object_clicked_tooltip"}
        for _fmap, kwargs in fake.calls
    )

    (button,) = at.sidebar.get("download_button")
    manager = deferred[button.proto.deferred_file_id]
    url = manager.execute_deferred(button.proto.deferred_file_id)
    assert map_builds == {"place_map": 1, "standalone_html": 1}, "the file reuses the map"
    page = bytes(manager.read_file(Path(urlsplit(url).path).name).content).decode("utf-8")
    assert html.unescape(re.search(r"<title>(.*)</title>", page).group(1)) == (
        "Trygghetskartan – Värnamo"
    )
    assert json.dumps("Centrala Värnamo")[1:-1] in page, "Värnamo's places are in it"
    assert maps.STATIC_URL not in page, "Leaflet is inlined: the file needs no server"
