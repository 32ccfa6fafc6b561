"""The map's stylesheet and scripts (trygg/maps/templates) are checked as what they are:
JavaScript by Node, CSS by a CSS parser; neither holds Jinja, and both ship with the package."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import geopandas as gpd
import pytest
import tinycss2
from shapely.geometry import box

from trygg import maps
from trygg.maps import templates
from trygg.maps.build import _ProjectorStyle

REPO = Path(__file__).resolve().parents[1]
FOLDER = Path(templates.__file__).parent
SCRIPTS = sorted(FOLDER.glob("*.js"))
STYLESHEETS = sorted(FOLDER.glob("*.css"))
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")


def node_check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([NODE, "--check", str(path)], capture_output=True, text=True, timeout=60)


def test_the_templates_are_there():
    assert [p.name for p in SCRIPTS] == ["labels.js", "legend.js"]
    assert [p.name for p in STYLESHEETS] == ["projector.css"]


@needs_node
@pytest.mark.parametrize("path", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_every_script_is_valid_javascript(path):
    result = node_check(path)
    assert result.returncode == 0, result.stderr


@needs_node
def test_node_check_catches_a_broken_script(tmp_path):
    broken = tmp_path / "broken.js"
    broken.write_text(SCRIPTS[0].read_text().replace("function (", "function ((", 1))
    assert node_check(broken).returncode != 0


@pytest.mark.parametrize("path", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_every_script_defines_one_function_and_runs_nothing(path):
    """Plain JavaScript: one function declaration at the top level, called by the page."""
    code = re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.DOTALL).strip()
    assert re.match(r"function trygg[A-Z]\w*\(", code)
    assert code.endswith("}") and code.count("\nfunction ") == 0


@pytest.mark.parametrize("path", SCRIPTS + STYLESHEETS, ids=[p.name for p in SCRIPTS + STYLESHEETS])
def test_no_template_holds_jinja(path):
    """Branca renders the page's parts a second time as Jinja: ``{{``, ``{%`` or ``{#``
    in a template would be evaluated there."""
    assert not maps.JINJA_MARKUP.search(path.read_text())


def declarations(css: str) -> list:
    """Every declaration of every rule; a parse error fails the test with its message.

    CSS closes a block left open at the end of the file, so braces are counted too.
    """
    plain = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    assert plain.count("{") == plain.count("}"), "unbalanced braces"
    found = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        assert rule.type == "qualified-rule", getattr(rule, "message", rule)
        assert tinycss2.serialize(rule.prelude).strip(), "a rule without a selector"
        for item in tinycss2.parse_blocks_contents(
            rule.content, skip_comments=True, skip_whitespace=True
        ):
            assert item.type == "declaration", getattr(item, "message", item)
            assert tinycss2.serialize(item.value).strip(), f"{item.name} has no value"
            found.append(item)
    return found


def test_the_stylesheet_parses_as_css():
    found = declarations(templates.source("projector.css"))
    assert len(found) > 40
    names = {item.lower_name for item in found}
    assert {"background", "font-size", "visibility", "max-width"} <= names


@pytest.mark.parametrize(
    "broken",
    [".a { color: red; ", ".a { color red; }", ".a { color: ; }", "color: red;"],
)
def test_the_css_check_catches_broken_css(broken):
    with pytest.raises(AssertionError):
        declarations(broken)


def test_every_custom_property_the_stylesheet_uses_is_set_by_the_page():
    css = templates.source("projector.css")
    used = set(re.findall(r"var\((--[\w-]+)\)", css))
    style = _ProjectorStyle()
    set_here = {item.name for item in declarations(f":root {{ {style.properties} }}")}
    assert used and used == set_here
    assert maps.BACKGROUND in style.properties and maps.NO_DATA_OUTLINE in style.properties


def test_the_page_calls_each_function_with_json_data():
    place = gpd.GeoDataFrame(
        {"id": [1], "name": ["Torget"], "kind": ["centrum"], "aliases": [[]]},
        geometry=[box(375_000, 6_264_000, 375_500, 6_264_500)],
        crs="EPSG:3006",
    )
    fmap = maps.place_map(place, choropleth=maps.Choropleth("Andel otrygga", {}))
    page = fmap.get_root().render()
    decoder = json.JSONDecoder()
    calls = {}
    for call in ("tryggPlaceLabels(", "tryggLegend("):
        assert page.count(f"function {call}") == 1
        start = page.index(call, page.index(f"function {call}") + len(call)) + len(call)
        calls[call], _end = decoder.raw_decode(page, start)
    assert [label["text"] for label in calls["tryggPlaceLabels("]] == ["Torget"]
    assert calls["tryggLegend("].startswith("<div class='trygg-legend'>")


def test_the_templates_are_package_data():
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    data = config["tool"]["setuptools"]["package-data"]["trygg"]
    assert {"maps/templates/*.js", "maps/templates/*.css"} <= set(data)
