"""The dashboard's rooms: pages lay out, ``data.py`` reads, and a failure stays a sentence.

The layout is read with ``ast`` (imports and calls, not text), so a page that starts to
compute or read on its own fails here. The page failure is a real one: a table missing
from a real database file.
"""

from __future__ import annotations

import ast
import sqlite3
from pathlib import Path

import pytest

from tests.test_dashboard import REPO, run_app
from trygg.strings import t

DASHBOARD = REPO / "dashboard"
LAYOUT = sorted([*(DASHBOARD / "views").glob("*.py"), *(DASHBOARD / "panels").glob("*.py")])
#: What only computes: a page or panel importing one of these is in the wrong room.
COMPUTING = ("pandas", "numpy", "geopandas", "shapely")
#: The core's reads: only ``data.py`` calls them (cached on the data version).
READS = (
    "trygg.store",
    "trygg.store.reads",
    "trygg.stats",
    "trygg.stats.report",
    "trygg.places",
    "trygg.places.lookup",
)


def imported(path: Path) -> set[str]:
    """Every module ``path`` imports, and every ``from … import`` name as ``module.name``."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return found


@pytest.mark.parametrize("path", LAYOUT, ids=lambda p: str(p.relative_to(DASHBOARD)))
def test_pages_and_panels_only_lay_out(path):
    modules = imported(path)
    computing = {m for m in modules if m.split(".")[0] in COMPUTING}
    reads = {m for m in modules if m in READS or m.startswith("trygg.store.")}
    assert computing == set(), f"{path.name} computes: {computing}"
    assert reads == set(), f"{path.name} reads the store itself: {reads}"


def test_only_data_reads_and_it_keys_on_the_version():
    readers = [
        p.name
        for p in DASHBOARD.rglob("*.py")
        if {"trygg.stats.report", "trygg.store.reads"} & imported(p)
    ]
    assert readers == ["data.py"]
    tree = ast.parse((DASHBOARD / "data.py").read_text(encoding="utf-8"))
    cached = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        and any("cache_data" in ast.unparse(d) for d in node.decorator_list)
    ]
    assert len(cached) >= 8
    for function in cached:
        decorator = next(d for d in function.decorator_list if "cache_data" in ast.unparse(d))
        keywords = {k.arg for k in decorator.keywords}
        assert "ttl" not in keywords and "max_entries" in keywords, function.name
        assert "version" in [a.arg for a in function.args.args], function.name
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    assert not [c for c in calls if ast.unparse(c.func).endswith(".clear")], "no global clear()"


def test_a_failing_page_shows_one_sentence_and_no_traceback(monkeypatch, demo_engine, tmp_path):
    path = tmp_path / "demo.sqlite"
    demo_engine.dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("DROP TABLE survey_response")
    monkeypatch.setenv("TRYGG_DB", str(path))
    monkeypatch.setenv("TRYGG_TILES", "none")
    at = run_app()
    assert [e.value for e in at.error] == [t("err.page_failed")]
    assert at.title[0].value == "Trygghetskartan – Laholm", "the page got as far as it could"
