"""The walls between the rooms: imports point down, one home per fact, short modules.

Floors, from the ground up (README, "Arkitektur"):

1. ground: settings, errors, scales, strings, text, tabular, geo, files, store, auth …
2. domain: places, stats, maps
3. content: importers, commitments
4. faces: cli, demo (and the dashboard, outside the package)

A module may import from its own floor and the floors below, never above. To see the
test fail, add ``from trygg import cli`` to ``src/trygg/text.py`` and run
``.venv/bin/python -m pytest tests/test_architecture.py``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "src" / "trygg"
DASHBOARD = REPO / "dashboard"
FLOORS = {
    "ground": {
        "settings",
        "errors",
        "scales",
        "strings",
        "text",
        "tabular",
        "mappings",
        "geo",
        "geometry",
        "filecheck",
        "sandbox",
        "exports",
        "formatting",
        "store",
        "auth",
    },
    "domain": {"places", "stats", "maps", "pages"},
    "content": {"importers", "commitments", "documents"},
    "faces": {"cli", "demo", "__main__"},
}
LEVEL = {room: level for level, rooms in enumerate(FLOORS.values()) for room in rooms}
MAX_LINES = 450
#: Catalogues of text and scales, not code: long by nature.
LONG_ALLOWED = {"strings/core.py", "scales.py"}


def room_of(module: str) -> str | None:
    """``trygg.stats.report`` → ``stats``; None for anything outside the package."""
    parts = module.split(".")
    return parts[1] if parts[0] == "trygg" and len(parts) > 1 else None


def imported_modules(source: str, package: str = "trygg") -> set[str]:
    """Every ``trygg…`` module a source imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == package:
                found |= {f"{package}.{alias.name}" for alias in node.names}
            elif node.module.startswith(package + "."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith(package + ".")}
    return found


def upward_imports(room: str, source: str) -> list[str]:
    """The imports of a module in ``room`` that reach a higher floor."""
    own = LEVEL[room]
    return sorted(
        module
        for module in imported_modules(source)
        if room_of(module) in LEVEL and LEVEL[room_of(module)] > own
    )


def package_modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def test_every_room_is_on_a_floor():
    rooms = {
        p.relative_to(PACKAGE).parts[0].removesuffix(".py")
        for p in package_modules()
        if p.name != "__init__.py" or p.parent != PACKAGE
    }
    assert rooms <= set(LEVEL), rooms - set(LEVEL)


@pytest.mark.parametrize("path", package_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down(path):
    if path == PACKAGE / "__init__.py":
        return
    room = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
    assert upward_imports(room, path.read_text(encoding="utf-8")) == []


def test_the_floor_check_catches_an_upward_import():
    assert upward_imports("text", "from trygg import cli\n") == ["trygg.cli"]
    assert upward_imports("stats", "def f():\n    from trygg.importers import base\n") == [
        "trygg.importers"
    ]
    assert upward_imports("stats", "from trygg.places import lookup\n") == []
    assert upward_imports("cli", "from trygg.stats import report\n") == []


def test_the_core_never_imports_streamlit():
    for path in package_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {
            alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {
            node.module.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
        }
        assert "streamlit" not in names and "streamlit_folium" not in names, path


def _python_files(*roots: Path) -> list[Path]:
    return sorted(p for root in roots for p in root.rglob("*.py") if ".venv" not in p.parts)


def _grep(pattern: str, *roots: Path) -> set[str]:
    expression = re.compile(pattern)
    return {
        str(path.relative_to(REPO))
        for path in _python_files(*roots)
        if expression.search(path.read_text(encoding="utf-8"))
    }


def test_one_module_reads_the_environment():
    assert _grep(r"os\.environ|getenv", PACKAGE, DASHBOARD) == {"src/trygg/settings.py"}


def test_one_name_normaliser():
    assert _grep(r"casefold", PACKAGE, DASHBOARD) == {"src/trygg/text.py"}


def test_one_home_for_hiding_small_numbers():
    assert _grep(r"def \w*suppress", PACKAGE, DASHBOARD) == {"src/trygg/stats/suppression.py"}


@pytest.mark.parametrize("path", package_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_are_short(path):
    if path.relative_to(PACKAGE).as_posix() in LONG_ALLOWED:
        return
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


def test_every_sentence_has_both_languages_with_the_same_placeholders():
    import string

    from trygg.strings import CATALOGUE

    def fields(text: str) -> set[str]:
        return {name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name}

    assert set(CATALOGUE["sv"]) == set(CATALOGUE["en"])
    mismatched = [
        key for key, text in CATALOGUE["sv"].items() if fields(text) != fields(CATALOGUE["en"][key])
    ]
    assert mismatched == []
