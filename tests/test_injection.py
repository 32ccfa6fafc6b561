"""Text never becomes code (issue 7, acceptance 1).

Hostile text goes into every field that can reach a page or an export, through the
real importers and real files: Jinja that would print 49, loop, swallow the rest of the
page or create a file on this machine; an HTML tag with a script; Markdown links and
images; and Streamlit's own Markdown (maths, directives, icons, headings, lists). The
map (its tooltips, labels and legend), the standalone file, the dashboard (through
AppTest, and once in Chromium) and the command line's exports must show each text as
it was typed, and the file must never appear.
"""

from __future__ import annotations

import ast
import contextlib
import csv
import datetime as dt
import html
import io
import json
import re
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from unittest.mock import patch
from urllib.parse import quote, urlsplit

import folium
import geopandas as gpd
import pytest
import yaml
from branca.element import Element
from shapely.geometry import box
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from tests import browser_harness as harness
from tests.browser_harness import CHROMIUM, Offline
from tests.conftest import run_cli
from tests.test_dashboard import FakeMap
from trygg import auth, commitments, formatting, maps, places, store
from trygg.importers import crime_stats, incidents, survey_answers, survey_results
from trygg.stats import report
from trygg.strings import t
from trygg.text import fold_header

REPO = Path(__file__).resolve().parents[1]
DASHBOARD = REPO / "dashboard"
APP = str(DASHBOARD / "app.py")
sys.path.insert(0, str(DASHBOARD))
from markup import md, message  # noqa: E402  (the dashboard's own folder, as Streamlit runs it)

KOMMUN = "1381"
YEAR = 2024
ADMIN = auth.local_admin()
#: The file the Jinja payload would create.
#: Short, so that the payload still fits in a file name (255 bytes).
TARGET = Path("/tmp") / f"tp{uuid.uuid4().hex[:12]}"


def file_payload(target: Path) -> str:
    """Jinja that runs ``touch target`` on the server when it is rendered as a template.

    It needs no quote, backslash, ``<``, ``>``, ``&``, capital, ``_``, ``-`` or space:
    JSON (every map text passes ``tojson``) and the survey importer's header
    normalisation leave it as it is, so it would still run if an escape broke. ``_``
    and the space come from the text of ``lipsum``, words from ``dict(word=1)|first``.
    """

    def word(text: str) -> str:
        return f"dict({text}=1)|first"

    path = "".join(f"~g.os.sep~{word(part)}" for part in target.parts[1:])
    return (
        "{%set c=lipsum|string|list%}{%set u=c[18]~c[18]%}"
        f"{{%set g=cycler|attr(u~{word('init')}~u)|attr(u~{word('globals')}~u)%}}"
        f"{{{{g.os.popen({word('touch')}~c[9]{path}).read()}}}}"
    )


#: Lower case and single spaces only: kinds are case-folded and survey headers
#: normalised, and each payload must still read as typed where it is shown.
PAYLOADS = {
    "expression": "{{7*7}}",
    "statement": "{% for x in range(3) %}x{% endfor %}",
    "comment": "{# comment",
    "html": "<img src=x onerror=alert(1)>",
    "link": "[x](http://evil.example/)",
    "image": "![i](http://evil.example/x.png)",
    "file": file_payload(TARGET),
}
NAMES = list(PAYLOADS.values())
#: One text holding every payload, for the fields a kommun or a file has only one of.
ALL = " ".join(NAMES)
#: Batches' file names: the Jinja and HTML payloads (a file name holds no ``/``), and
#: the one that runs alone.
INCIDENTS_FILE = " ".join(NAMES[:4]) + ".csv"
RESULTS_FILE = PAYLOADS["file"] + ".csv"
#: Streamlit's Markdown, as commitment texts (each at the start of its line).
MARKDOWN = {
    "heading": "# heading",
    "list": "- item",
    "numbered": "1. item",
    "math": "$x^2$",
    "colour": ":red[x]",
    "icon": ":material/home:",
    "table": "| a | b |",
    "www": "www.evil.example",
    "email": "x@evil.example",
    "entity": "&lt;b&gt;",
    "logo": ":streamlit:",
    "arrow": "a -> b",
}
SECOND_TITLE = "# rubrik"
#: A second kommun with only the payloads that run (no ``{#``, which would stop a Jinja
#: pass at its syntax error before anything ran): its page would create the file.
LONE_KOMMUN = "0683"
LONE_NAMES = [PAYLOADS["expression"], PAYLOADS["file"]]
#: A place the kommun does not have, asked for in the address.
UNKNOWN_PLACE = "![okänd](http://evil.example/y.png)"


def alias(payload: str) -> str:
    return f"alias {payload}"


def item_indicator(prefix: str, payload: str) -> str:
    """The indicator a survey column ``"<prefix> <payload>"`` is stored as."""
    return fold_header(f"{prefix} {payload}")


@pytest.fixture(autouse=True)
def no_file_is_created():
    """After every test: the Jinja payload never ran."""
    yield
    created = TARGET.exists()
    TARGET.unlink(missing_ok=True)
    assert not created, f"a Jinja expression in the data created {TARGET}"


# --- The hostile kommun, built through the importers from real files ---------------------


@dataclass(frozen=True)
class Hostile:
    db: Path
    folder: Path
    batches: dict[str, int]


def write_rows(path: Path, header: list, rows: list) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def import_hostile_places(engine, path: Path, kommun: str, names: list, kommun_name: str):
    """Squares 1 km apart, each named, aliased and kinded by a payload."""
    squares = [box(370_000 + i * 2000, 6_265_000, 371_000 + i * 2000, 6_266_000) for i in range(7)]
    gpd.GeoDataFrame(
        {"namn": names, "alias": [alias(p) for p in names], "typ": names, "invanare": 500},
        geometry=squares[: len(names)],
        crs="EPSG:3006",
    ).to_file(path, driver="GPKG")
    places.import_places(
        engine,
        path,
        kommun,
        name_field="namn",
        alias_field="alias",
        kind_field="typ",
        population_field="invanare",
        kommun_name=kommun_name,
        actor=ADMIN,
    )


def import_hostile_survey(engine, folder: Path) -> None:
    """12 answers per place; one problem and one worry item named by each payload."""
    header = ["plats", "ar", "trygg_kvall"]
    header += [f"problem {p}" for p in NAMES] + [f"oro {p}" for p in NAMES]
    rows = [
        [name, YEAR, 1 + (r + i) % 7]
        + [1 + (r + j) % 5 for j in range(7)]
        + [1 + (r * j + i) % 5 for j in range(7)]
        for i, name in enumerate(NAMES)
        for r in range(12)
    ]
    path = write_rows(folder / "enkat.csv", header, rows)
    survey_answers.import_survey(engine, path, KOMMUN, source=ALL, actor=ADMIN)


def import_hostile_counts(engine, folder: Path) -> dict:
    """Incidents (the payload as category), BRÅ figures (as offence) and delivered
    results (as indicator, the alias as area, from a file with a hostile name)."""
    found = write_rows(
        folder / INCIDENTS_FILE,
        ["datum", "kategori", "plats", "antal"],
        [[f"{YEAR}-03-{10 + k} 21:{10 + k}", p, p, 1] for p in NAMES for k in range(4)],
    )
    summary = incidents.import_incidents(engine, found, KOMMUN, source=ALL, actor=ADMIN)
    bra = write_rows(
        folder / "bra.csv",
        ["Område", "Period", "Brottstyp", "Antal", "Per 100 000 inv"],
        [[p, YEAR, p, 12, 100] for p in NAMES],
    )
    crime_stats.import_crime_stats(engine, bra, KOMMUN, actor=ADMIN)
    delivered = write_rows(
        folder / RESULTS_FILE,
        ["Område", "År", "Indikator", "Värde", "Antal svar"],
        [[alias(p), YEAR, p, 35, 120] for p in NAMES],
    )
    results = survey_results.import_survey_results(engine, delivered, KOMMUN, actor=ADMIN)
    batch_ids = {INCIDENTS_FILE: summary["batch_id"], RESULTS_FILE: results["batch_id"]}
    return {"incidents": summary, "batches": batch_ids}


def promise_document() -> dict:
    """Two medborgarlöften: one whose every text is a payload, one of Markdown texts."""

    def period() -> dict:  # one dict each: the importer refuses YAML aliases
        return {"from": dt.date(2024, 1, 1), "to": dt.date(2025, 12, 31)}

    bound = [
        {
            "party": ("polisen", "kommunen", "gemensamt")[i % 3],
            "text": f"löfte {p}",
            "places": [p],
            "partners": [f"partner {p}"],
            "status": "pågår",
            "follow_ups": [
                {"date": dt.date(2024, 5, 20), "status": "pågår", "comment": f"uppföljning {p}"}
            ],
        }
        for i, p in enumerate(NAMES)
    ]
    wide = [{"party": "gemensamt", "text": text, "places": []} for text in MARKDOWN.values()]
    return {
        "format": "trygg-medborgarlofte/1",
        "kommun": KOMMUN,
        "medborgarloften": [
            {
                "title": ALL,
                "period": period(),
                "signed": dt.date(2024, 1, 12),
                "signatories": [{"name": f"namn {p}", "role": f"roll {p}"} for p in NAMES],
                "source": ALL,
                "commitments": bound,
            },
            {"title": SECOND_TITLE, "period": period(), "commitments": wide},
        ],
    }


def import_hostile_promises(engine, folder: Path) -> None:
    path = folder / "medborgarlofte.yaml"
    path.write_text(yaml.safe_dump(promise_document(), allow_unicode=True), encoding="utf-8")
    commitments.import_commitments(engine, path, KOMMUN, actor=ADMIN)
    heading = next(
        c for c in commitments.list_commitments(engine, KOMMUN) if c["text"] == MARKDOWN["heading"]
    )
    commitments.record_follow_up(
        engine, heading["id"], status="pågår", comment=f"uppföljning {ALL}", actor=ADMIN
    )


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Hostile:
    folder = tmp_path_factory.mktemp("hostile")
    db = folder / "trygg.sqlite"
    engine = store.make_engine(str(db))
    store.upgrade(engine)
    try:
        import_hostile_places(engine, folder / "platser.gpkg", KOMMUN, NAMES, ALL)
        lone = folder / "ensam.gpkg"
        import_hostile_places(engine, lone, LONE_KOMMUN, LONE_NAMES, PAYLOADS["file"])
        import_hostile_survey(engine, folder)
        counts = import_hostile_counts(engine, folder)
        import_hostile_promises(engine, folder)
    finally:
        engine.dispose()
    assert counts["incidents"]["unknown_categories"] == {p: 4 for p in NAMES}
    return Hostile(db=db, folder=folder, batches=counts["batches"])


def test_the_payloads_are_live_jinja():
    """One Jinja pass, as branca gives every element's output, runs each payload, even
    after ``tojson``: 49, a loop, a syntax error that stops the page, a new file."""
    target = TARGET.with_name(TARGET.name + "live")
    assert Element(template=PAYLOADS["expression"]).render() == "49"
    assert Element(template=PAYLOADS["statement"]).render() == "xxx"
    with pytest.raises(Exception, match="end of comment"):
        Element(template=f"before {PAYLOADS['comment']} after").render()
    try:
        Element(template=json.dumps(file_payload(target))).render()
        assert target.exists()
    finally:
        target.unlink(missing_ok=True)
    assert fold_header(f"oro {PAYLOADS['file']}").replace("_", " ") == (
        f"oro {PAYLOADS['file']}"
    ), "a survey header keeps it as typed"


# --- The map, as the browser reads it ------------------------------------------------------


def shown(fragment: str) -> str:
    """What a browser shows of an HTML fragment: tags are line breaks, references decoded."""
    return html.unescape(re.sub(r"<[^>]*>", "\n", fragment))


def _json_after(page: str, marker: str, opener: str) -> list:
    """Every JSON value that starts with ``opener`` right after ``marker`` in ``page``."""
    decoder = json.JSONDecoder()
    pattern = re.escape(marker) + f"(?={re.escape(opener)})"
    return [decoder.raw_decode(page, found.end())[0] for found in re.finditer(pattern, page)]


@dataclass(frozen=True)
class MapTexts:
    """The HTML that the map's JavaScript hands to the browser's ``innerHTML``."""

    tooltips: list[str]
    labels: list[str]
    legend: str


def map_texts(page: str, legend: bool = True) -> MapTexts:
    features = [f for data in _json_after(page, "_add(", "{") for f in data["features"]]
    tooltips = [
        f["properties"]["tooltip"] for f in features if "tooltip" in f.get("properties", {})
    ]
    labels = [
        label["text"] for labels in _json_after(page, "tryggPlaceLabels(", "[") for label in labels
    ]
    legends = _json_after(page, "tryggLegend(", '"')
    assert len(legends) == int(legend)
    return MapTexts(tooltips, labels, "".join(legends))


def assert_no_markup_injected(fragment: str) -> None:
    """Only the map's own tags: no image, script or link from the data."""
    assert not re.search(r"<(img|script|a|iframe|svg)\b", fragment, re.IGNORECASE), fragment


def lines(fragment: str) -> list[str]:
    return [line for line in shown(fragment).splitlines() if line.strip()]


def assert_map_shows_text_literally(page: str, indicator: str | None, names=NAMES) -> None:
    """Each place's tooltip starts with its name, kind and alias as typed; each label is
    a name as typed; the legend's title is the chosen item's label as typed."""
    texts = map_texts(page, legend=indicator is not None)
    tooltips = {lines(tip)[0]: lines(tip) for tip in texts.tooltips}
    assert set(tooltips) == set(names)
    for name, tip in tooltips.items():
        assert tip[1:3] == [name, t("map.tooltip_aliases", aliases=alias(name))]
    assert sorted(shown(label) for label in texts.labels) == sorted(names)
    if indicator is not None:
        assert lines(texts.legend)[0] == maps.indicator_label(indicator)
    for fragment in [*texts.tooltips, *texts.labels, texts.legend]:
        assert_no_markup_injected(fragment)


def hostile_map(hostile: Hostile, indicator: str, only: str | None = None):
    """The kommun's map coloured by ``indicator``; with ``only``, just that place."""
    engine = store.make_engine(str(hostile.db))
    try:
        frame = places.load_places(engine, KOMMUN)
        layer = maps.choropleth(report.compute_stats(engine, KOMMUN), indicator)
    finally:
        engine.dispose()
    if only is not None:
        frame = frame[frame["name"] == only]
    return maps.place_map(frame, only or NAMES[0], choropleth=layer)


@pytest.mark.parametrize("payload", NAMES, ids=list(PAYLOADS))
def test_map_shows_each_text_as_typed(hostile, payload):
    """One payload alone on its map (name, alias, kind, legend), so that an escape that
    broke would run it: 49, xxx, a swallowed page, the file."""
    indicator = item_indicator("problem", payload)
    page = hostile_map(hostile, indicator, only=payload).get_root().render()
    assert_map_shows_text_literally(page, indicator, [payload])
    assert maps.indicator_label(indicator) == f"Problem: {payload}"


def test_map_shows_every_text_as_typed(hostile):
    indicator = item_indicator("oro", PAYLOADS["expression"])
    assert_map_shows_text_literally(hostile_map(hostile, indicator).get_root().render(), indicator)


def test_standalone_file_shows_every_text_as_typed(hostile):
    indicator = item_indicator("oro", PAYLOADS["file"])
    page = maps.standalone_html(hostile_map(hostile, indicator), title=ALL)
    title = re.search(r"<title>(.*)</title>", page).group(1)
    assert html.unescape(title) == ALL
    assert_map_shows_text_literally(page, indicator)


def test_any_text_that_would_be_templated_is_refused():
    """The guard behind :func:`maps.inert`: a text that reached folium raw is refused."""
    maps.refuse_templates(hostile_free_map())
    for payload in (PAYLOADS["expression"], PAYLOADS["statement"], PAYLOADS["comment"]):
        tainted = hostile_free_map()
        folium.Marker([56.5, 13.0], tooltip=payload).add_to(tainted)
        with pytest.raises(ValueError, match="Jinja"):
            maps.refuse_templates(tainted)
    inert = maps.inert(ALL)
    assert html.unescape(inert) == ALL, "the browser reads it back as typed"
    assert not maps.JINJA_MARKUP.search(inert) and "<" not in inert


def test_the_basemap_attribution_shows_as_typed():
    _mode, source = maps.tiles_from_env(
        {"TRYGG_TILES": "https://t.example/{z}/{x}/{y}.png", "TRYGG_TILES_ATTR": ALL}
    )
    page = maps.place_map(hostile_free_map_frame(), tiles=source).get_root().render()
    (attribution,) = re.findall(r'"attribution": ("(?:[^"\\]|\\.)*")', page)
    assert shown(json.loads(attribution)) == ALL


def hostile_free_map_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": [1], "name": ["Torget"], "aliases": [[]], "kind": ["centrum"]},
        geometry=[box(370_000, 6_265_000, 371_000, 6_266_000)],
        crs="EPSG:3006",
    )


def hostile_free_map():
    return maps.place_map(hostile_free_map_frame())


def test_a_tile_address_with_jinja_is_refused():
    with pytest.raises(Exception, match="TRYGG_TILES"):
        maps.tiles_from_env({"TRYGG_TILES": "https://t.example/{z}/{x}/{y}.png?{{7*7}}"})


# --- The dashboard, through AppTest ---------------------------------------------------------


@pytest.fixture
def hostile_env(monkeypatch, hostile):
    monkeypatch.setenv("TRYGG_DB", str(hostile.db))
    monkeypatch.setenv("TRYGG_TILES", "none")
    return hostile


def run_page(fake: FakeMap | None = None, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    with patch("streamlit_folium.st_folium", fake or FakeMap()):
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def page_texts(at: AppTest) -> list[str]:
    """Every Markdown source on the page (main and sidebar), headings and labels too."""
    kinds = ("title", "header", "subheader", "markdown", "caption")
    kinds += ("warning", "info", "error", "success")
    texts = [str(element.value) for kind in kinds for element in getattr(at, kind)]
    texts += [m.label for m in at.metric] + [str(m.value) for m in at.metric]
    for table in at.table:
        frame = table.value
        texts += [str(v) for v in (*frame.columns, *frame.index, *frame.to_numpy().ravel())]
    return texts


def assert_escaped_everywhere(texts: list[str], expected: list[str]) -> None:
    """Each text is on the page in the escaped form that Streamlit shows as typed, and no
    payload is anywhere unescaped (a link, an image, a tag)."""
    joined = "\n".join(texts)
    for text in expected:
        assert md(text) in joined, text
    for raw in (PAYLOADS["link"], PAYLOADS["image"], PAYLOADS["html"], "http://"):
        assert raw not in joined, raw


def item_tables(at: AppTest) -> list[list[str]]:
    """The survey's problem and worry tables: the item names in each."""
    column = t("dash.col_item")
    return [list(tb.value[column]) for tb in at.table if tb.value.columns[0] == column]


def test_the_kommun_page_shows_every_text_as_typed(hostile_env):
    fake = FakeMap()
    at = run_page(fake, kommun=KOMMUN)
    assert at.title[0].value == f"{t('app.title')} – {md(ALL)}"
    survey = t("dash.survey_heading_kommun", year=YEAR, kommun=ALL)
    assert_escaped_everywhere(page_texts(at), [survey, SECOND_TITLE])
    assert [sorted(names) for names in item_tables(at)] == [sorted(map(md, NAMES))] * 2
    options = at.selectbox(key="metric_select").options
    assert {f"Problem: {p}" for p in NAMES} <= set(options), "a selectbox shows plain text"
    (fmap, _kwargs), *_ = fake.calls
    assert_map_shows_text_literally(fmap.get_root().render(), "andel_otrygga")


def test_the_promises_page_shows_every_commitment_text_as_typed(hostile_env):
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["kommun"] = KOMMUN
    at.switch_page("views/loften.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    expected = [*MARKDOWN.values(), f"uppföljning {ALL}"]
    for payload in NAMES:
        expected += [f"löfte {payload}", f"partner {payload}", f"uppföljning {payload}"]
    assert_escaped_everywhere(page_texts(at), expected)


@pytest.mark.parametrize("payload", NAMES, ids=list(PAYLOADS))
def test_a_place_page_shows_every_text_as_typed(hostile_env, payload):
    at = run_page(kommun=KOMMUN, plats=payload, visa=item_indicator("problem", payload))
    assert at.selectbox(key="plats_select").value == payload
    texts = page_texts(at)
    heading = t("dash.heading_place", place=payload)
    assert md(heading) in [h.value for h in at.header]
    value = formatting.delivered(delivered_result(hostile_env, payload))
    delivered = t("dash.delivered_line", indicator=payload, value=value)
    source = t("dash.delivered_source", source=RESULTS_FILE)
    area = t("dash.delivered_area", area=alias(payload))
    assert_escaped_everywhere(texts, [heading, delivered, source, area, f"löfte {payload}"])


def delivered_result(hostile: Hostile, payload: str) -> dict:
    engine = store.make_engine(str(hostile.db))
    try:
        found = report.compute_stats(engine, KOMMUN)
    finally:
        engine.dispose()
    (result,) = next(p for p in found["places"] if p["place"] == payload)["results"]
    return result


def test_a_page_holding_only_running_payloads_shows_them_as_typed(hostile_env):
    fake = FakeMap()
    at = run_page(fake, kommun=LONE_KOMMUN)
    assert at.title[0].value == f"{t('app.title')} – {md(PAYLOADS['file'])}"
    assert message("dash.heading_kommun", kommun=PAYLOADS["file"]) in [h.value for h in at.header]
    (fmap, _kwargs), *_ = fake.calls
    assert_map_shows_text_literally(fmap.get_root().render(), None, LONE_NAMES)


def test_an_alias_in_the_address_opens_its_place(hostile_env):
    at = run_page(kommun=KOMMUN, plats=alias(PAYLOADS["link"]))
    assert at.query_params["plats"] == PAYLOADS["link"]
    assert md(t("dash.heading_place", place=PAYLOADS["link"])) in [h.value for h in at.header]


@pytest.mark.parametrize(
    ("param", "value"),
    [("kommun", PAYLOADS["link"]), ("plats", UNKNOWN_PLACE), ("plats", MARKDOWN["math"])],
)
def test_markdown_in_the_address_stays_text_in_a_warning(hostile_env, param, value):
    at = run_page(**{"kommun": KOMMUN, param: value})
    if param == "kommun":
        expected = message("dash.kommun_unknown_url", code=value, namn=ALL)
    else:
        expected = message("dash.place_unknown_url", name=value, kommun=ALL)
    assert [w.value for w in at.warning] == [expected]
    assert md(value) in expected and value not in expected


def test_md_escapes_each_kind_of_markdown():
    """Each construct loses the character that starts it, or gets a word joiner where
    Streamlit links or replaces text after parsing; the rest reads as typed."""
    escaped = {
        "heading": r"\# heading",
        "list": r"\- item",
        "numbered": r"1\. item",
        "math": r"\$x^2\$",
        "colour": r"\:red\[x\]",
        "icon": r"\:material\/home\:",
        "table": r"\| a \| b \|",
        "www": "www\u2060.evil.example",
        "email": "x\\@\u2060evil.example",
        "entity": r"\&lt;b\&gt;",
        "logo": "\\:\u2060streamlit\\:",
        "arrow": "a -\u2060\\> b",
    }
    assert {key: md(text) for key, text in MARKDOWN.items()} == escaped
    assert md(PAYLOADS["image"]) == "!\\[i\\](http\\:\u2060\\/\\/evil.example\\/x.png)"
    assert md(PAYLOADS["html"]) == r"\<img src=x onerror=alert(1)\>"
    assert md("två\nrader\n\n    kod") == "två rader kod", "no second line, no code block"
    assert md("n\u00a0=\u00a012") == "n\u00a0=\u00a012", "no-break spaces and figures stay"


# --- The download is built only when it is asked for -----------------------------------------


def test_a_rerun_builds_no_standalone_file(hostile_env, monkeypatch):
    """Counted, not replaced: the page's ``maps.standalone_html`` and Streamlit's
    registration of the deferred download are wrapped, and both still run."""
    built, managers = [], {}
    real_build, real_register = maps.standalone_html, MediaFileManager.add_deferred

    def counted(*args, **kwargs):
        built.append(kwargs.get("title"))
        return real_build(*args, **kwargs)

    def remembered(manager, *args, **kwargs):
        file_id = real_register(manager, *args, **kwargs)
        managers[file_id] = manager
        return file_id

    monkeypatch.setattr(maps, "standalone_html", counted)
    monkeypatch.setattr(MediaFileManager, "add_deferred", remembered)
    at = run_page(kommun=KOMMUN)
    with patch("streamlit_folium.st_folium", FakeMap()):
        at.run()
    assert not at.exception
    assert built == [], "two page runs built no standalone file"

    (button,) = at.sidebar.get("download_button")
    file_id = button.proto.deferred_file_id
    assert file_id and not button.proto.url
    manager = managers[file_id]
    url = manager.execute_deferred(file_id)
    assert built == [f"{t('app.title')} – {ALL}"], "a click builds it, once"
    stored = manager.read_file(Path(urlsplit(url).path).name)
    page = bytes(stored.content).decode("utf-8")
    assert html.unescape(re.search(r"<title>(.*)</title>", page).group(1)) == built[0]
    assert_map_shows_text_literally(page, "andel_otrygga")


# --- Every text call in the dashboard passes data through the markup helpers ---------------

#: Streamlit calls whose text (first argument, or these keywords) is Markdown.
TEXT_CALLS = {
    *("title", "header", "subheader", "markdown", "caption", "write", "html", "toast"),
    *("warning", "error", "info", "success", "metric", "expander", "popover", "tabs"),
    *("button", "download_button", "link_button", "form_submit_button", "page_link"),
    *("toggle", "checkbox", "radio", "selectbox", "multiselect", "select_slider", "slider"),
    *("text_input", "text_area", "number_input", "date_input", "time_input", "file_uploader"),
    "table",
}
TEXT_KEYWORDS = {"body", "label", "help", "placeholder"}
METRIC_KEYWORDS = {"value", "delta"}
#: The markup helpers: their output shows as typed whatever went in.
HELPERS = {"md", "message", "badge", "heat_table", "table", "page_style"}
#: Receivers that are not Streamlit (a logger's ``info``).
NOT_STREAMLIT = {"logging", "logger", "log", "LOGGER", "_LOGGER", "warnings"}
SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.Module)


class TextCallCheck:
    """Finds Streamlit text calls whose text may hold data that skipped the helpers.

    Safe text is a literal, an UPPER_CASE constant, a helper's output, a catalogue text
    ``t(key, …)`` filled with safe values, a combination of those (f-string, ``+``,
    ``a if c else b``, list), or a local name every assignment of which is safe.
    Parameters, loop variables, attributes and any other call may carry data.
    """

    def __init__(self, source: str):
        self.tree = ast.parse(source)
        self.parents = {
            child: node for node in ast.walk(self.tree) for child in ast.iter_child_nodes(node)
        }
        self.bindings = {
            scope: _bindings(scope) for scope in ast.walk(self.tree) if isinstance(scope, SCOPES)
        }

    def text_calls(self) -> list[tuple[ast.Call, list[ast.expr]]]:
        calls = [node for node in ast.walk(self.tree) if isinstance(node, ast.Call)]
        return [(call, args) for call in calls if (args := text_arguments(call))]

    def unsafe(self) -> list[str]:
        return [
            f"line {call.lineno}: {ast.unparse(call)[:100]}"
            for call, args in self.text_calls()
            if not all(self.is_safe(arg, self.scope_of(call), set()) for arg in args)
        ]

    def scope_of(self, node: ast.AST) -> ast.AST:
        while not isinstance(node, SCOPES):
            node = self.parents[node]
        return node

    def is_safe(self, node: ast.expr, scope: ast.AST, seen: set) -> bool:
        def safe(child: ast.expr) -> bool:
            return self.is_safe(child, scope, seen)

        if isinstance(node, ast.Constant):
            return True
        if isinstance(node, ast.Name):
            return node.id.isupper() or self.name_is_safe(node.id, scope, seen)
        if isinstance(node, ast.JoinedStr):
            parts = [v.value for v in node.values if isinstance(v, ast.FormattedValue)]
            return all(map(safe, parts))
        if isinstance(node, (ast.List, ast.Tuple)):
            return all(map(safe, node.elts))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return safe(node.left) and safe(node.right)
        if isinstance(node, ast.IfExp):
            return safe(node.body) and safe(node.orelse)
        if isinstance(node, ast.Call):
            name = _called_name(node.func)
            if name in HELPERS:
                return True
            if name == "t":
                return all(map(safe, node.args[1:])) and all(safe(k.value) for k in node.keywords)
        return False

    def name_is_safe(self, name: str, scope: ast.AST, seen: set) -> bool:
        while name not in self.bindings[scope] and not isinstance(scope, ast.Module):
            scope = self.scope_of(self.parents[scope])
        values = self.bindings[scope].get(name)
        if not values or (name, scope) in seen:
            return False
        seen = seen | {(name, scope)}
        return all(value is not None and self.is_safe(value, scope, seen) for value in values)


def _bindings(scope: ast.AST) -> dict[str, list[ast.expr | None]]:
    """What each name of ``scope`` is bound to; None where the value is not visible
    (a parameter, a loop or ``with`` target, unpacking, ``+=``)."""
    found: dict[str, list] = {}
    if not isinstance(scope, ast.Module):
        for arg in ast.walk(scope.args):
            if isinstance(arg, ast.arg):
                found.setdefault(arg.arg, []).append(None)
    for node in _own_nodes(scope):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            found.setdefault(node.id, []).append(_assigned_value(node, scope))
    return found


def _own_nodes(scope: ast.AST):
    """The nodes of ``scope`` itself, not those of the functions defined in it."""
    todo = list(ast.iter_child_nodes(scope))
    while todo:
        node = todo.pop()
        yield node
        if not isinstance(node, SCOPES[:3]):
            todo.extend(ast.iter_child_nodes(node))


def _assigned_value(target: ast.Name, scope: ast.AST) -> ast.expr | None:
    for node in _own_nodes(scope):
        if isinstance(node, ast.Assign) and target in node.targets:
            return node.value
        if isinstance(node, ast.AnnAssign) and node.target is target:
            return node.value
    return None


def _called_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _root(node: ast.expr) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _text_functions(func: ast.expr) -> list[ast.Attribute]:
    """The Streamlit text functions ``func`` may be (both sides of ``a if c else b``)."""
    if isinstance(func, ast.IfExp):
        return _text_functions(func.body) + _text_functions(func.orelse)
    if isinstance(func, ast.Attribute) and func.attr in TEXT_CALLS:
        return [] if _root(func) in NOT_STREAMLIT else [func]
    return []


def text_arguments(call: ast.Call) -> list[ast.expr]:
    """The arguments of ``call`` that Streamlit reads as Markdown (none if not a text call)."""
    functions = _text_functions(call.func)
    if not functions:
        return []
    names = {f.attr for f in functions}
    positional = 3 if "metric" in names else 0 if "page_link" in names else 1
    wanted = TEXT_KEYWORDS | (METRIC_KEYWORDS if "metric" in names else set())
    keywords = [k.value for k in call.keywords if k.arg in wanted]
    return list(call.args[:positional]) + keywords


def unsafe_text_calls(source: str) -> tuple[int, list[str]]:
    """How many text calls ``source`` makes, and those whose text may carry raw data."""
    check = TextCallCheck(source)
    return len(check.text_calls()), check.unsafe()


@pytest.mark.parametrize(
    "snippet",
    [
        "st.warning(t('dash.place_unknown_url', name=wanted, kommun=k))",
        "st.title(f\"{t('app.title')} – {name}\")",
        "st.caption(' · '.join(titles))",
        "(st.error if bad else st.success)(message_text)",
        "left.markdown(f'**{item}**')",
        "st.sidebar.caption(t('dash.public_on', k=k))",
        "st.metric(label, md(value))",
        "st.markdown(f':{colour}-badge[{md(text)}]')",
        "st.expander(name)",
        "st.info(t('x') + place)",
        "st.table(rows, hide_index=True)",
    ],
)
def test_the_check_finds_raw_data_in_text(snippet):
    assert unsafe_text_calls(snippet) == (1, [f"line 1: {ast.unparse(ast.parse(snippet))}"])


@pytest.mark.parametrize(
    "snippet",
    [
        "st.warning(message('dash.place_unknown_url', name=wanted, kommun=k))",
        "st.title(f\"{t('app.title')} – {md(name)}\")",
        "st.caption(md(' · '.join(titles)))",
        "st.sidebar.caption(t('dash.layers'))",
        "st.markdown(badge(colour, text))",
        "st.metric(t('dash.incidents_total'), md(total))",
        "st.caption(t('dash.public_on' if public else 'dash.public_off'))",
        "logger.info(f'{user} logged in')",
        "st.table(table(rows), hide_index=True)",
    ],
)
def test_the_check_lets_escaped_text_pass(snippet):
    assert unsafe_text_calls(snippet)[1] == []


@pytest.mark.parametrize(
    "page", sorted(DASHBOARD.rglob("*.py")), ids=lambda p: str(p.relative_to(DASHBOARD))
)
def test_dashboard_hands_data_to_streamlit_only_escaped(page):
    _count, unsafe = unsafe_text_calls(page.read_text(encoding="utf-8"))
    assert unsafe == [], "\n".join(unsafe)


def test_the_check_sees_every_page_and_panel():
    """The check reads the folders the pages are laid out from, and finds their calls."""
    checked = {str(p.relative_to(DASHBOARD).parent) for p in DASHBOARD.rglob("*.py")}
    assert {".", "views", "panels"} <= checked
    counts = {
        path.stem: unsafe_text_calls(path.read_text(encoding="utf-8"))[0]
        for path in (DASHBOARD / "panels").glob("*.py")
    }
    assert sum(counts.values()) >= 80, counts
    assert all(counts[panel] >= 5 for panel in ("map", "survey", "incidents", "commitments"))


# --- Exports from the command line ------------------------------------------------------------


def cli(hostile: Hostile, *args: str) -> str:
    result = run_cli("--db", str(hostile.db), *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_stats_exports_keep_every_text(hostile):
    rows = list(
        csv.DictReader(io.StringIO(cli(hostile, "stats", "--kommun", KOMMUN, "--format", "csv")))
    )
    # Kommun-level rows (level "kommun") have no place; every place row is a hostile name.
    assert {row["place"] for row in rows if row["level"] != "kommun"} == set(NAMES)
    indicators = {row["indicator"] for row in rows}
    assert {item_indicator(prefix, p) for prefix in ("problem", "oro") for p in NAMES} <= indicators
    figures = json.loads(cli(hostile, "stats", "--kommun", KOMMUN, "--format", "json"))
    assert ALL in [source["source"] for source in figures["sources"]], "the survey's source"
    for place in figures["places"]:
        (result,) = place["results"]
        assert (result["indicator"], result["area"]) == (place["place"], alias(place["place"]))
        assert result["source"] == RESULTS_FILE
        assert [c["offence"] for c in place["crime_stats"]] == [place["place"]]


def test_place_exports_keep_every_text(hostile, tmp_path):
    out = tmp_path / "platser.geojson"
    cli(hostile, "export", "--kommun", KOMMUN, "--format", "geojson", "--out", str(out))
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    found = {f["properties"]["name"]: f["properties"] for f in features}
    assert set(found) == set(NAMES)
    for name, properties in found.items():
        assert (properties["aliases"], properties["kind"]) == ([alias(name)], name)
    listed = json.loads(cli(hostile, "places", "--kommun", KOMMUN, "--format", "json"))
    assert {row["name"] for row in listed} == set(NAMES)


def test_commitment_exports_keep_every_text(hostile, tmp_path):
    as_yaml, as_csv = tmp_path / "ut.yaml", tmp_path / "ut.csv"
    for out in (as_yaml, as_csv):
        cli(hostile, "export-commitments", "--kommun", KOMMUN, "--out", str(out))
    promises = {p["title"]: p for p in yaml.safe_load(as_yaml.read_text())["medborgarloften"]}
    assert set(promises) == {ALL, SECOND_TITLE}
    first = promises[ALL]
    assert [s["name"] for s in first["signatories"]] == [f"namn {p}" for p in NAMES]
    assert [s["role"] for s in first["signatories"]] == [f"roll {p}" for p in NAMES]
    assert [c["text"] for c in first["commitments"]] == [f"löfte {p}" for p in NAMES]
    assert [c["partners"] for c in first["commitments"]] == [[f"partner {p}"] for p in NAMES]
    assert [c["follow_ups"][0]["comment"] for c in first["commitments"]] == [
        f"uppföljning {p}" for p in NAMES
    ]
    second = promises[SECOND_TITLE]["commitments"]
    assert [c["text"] for c in second] == list(MARKDOWN.values())
    assert second[0]["follow_ups"][-1]["comment"] == f"uppföljning {ALL}"
    rows = [
        r for r in csv.DictReader(io.StringIO(as_csv.read_text())) if r["medborgarlofte"] == ALL
    ]
    assert [r["text"] for r in rows] == [f"löfte {p}" for p in NAMES]
    assert rows[0]["partners"] == f"partner {NAMES[0]}"
    listed = json.loads(cli(hostile, "commitments", "--kommun", KOMMUN, "--format", "json"))
    assert {c["medborgarlofte"] for c in listed} == {ALL, SECOND_TITLE}


def test_the_batch_list_keeps_file_names_and_sources(hostile):
    listed = json.loads(cli(hostile, "batches", "--kommun", KOMMUN, "--format", "json"))
    by_id = {row["id"]: row for row in listed}
    names = {name: by_id[batch_id]["file_name"] for name, batch_id in hostile.batches.items()}
    assert names == {name: name for name in hostile.batches}
    assert sorted(row["kind"] for row in listed if row["source"] == ALL) == ["incidents", "survey"]


# --- Once in a real browser -------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_app(hostile):
    """The real dashboard on the hostile database, started as ``make run`` starts it."""
    with harness.streamlit_app(hostile.db) as base_url:
        yield base_url


chromium = harness.browser_fixture("chromium")


#: Elements the data must never create on the page.
INJECTED = (
    "img[src='x'], img[src*='evil.example'], a[href*='evil.example'], .katex, "
    "img[alt='Streamlit logo'], [data-testid='stMarkdownContainer'] span[role='img']"
)


def visible(text: str) -> str:
    """Text as a reader sees it: the word joiners of :func:`md` have no width."""
    return text.replace("\u2060", "")


def _hover_tooltips(frame) -> dict[str, list[str]]:
    """Hover each place's middle; its tooltip's lines, by the first (the place's name)."""
    points = frame.evaluate(
        """() => Object.values(window.map._layers).filter(l => l.feature && l._path)
            .map(l => { const p = window.map.latLngToContainerPoint(l.getCenter());
                        return {x: p.x, y: p.y}; })"""
    )
    found = {}
    for point in points:
        frame.locator("#map_div").hover(position={"x": 2, "y": 2})
        frame.locator(".leaflet-tooltip").wait_for(state="detached", timeout=10_000)
        frame.locator("#map_div").hover(position=point)
        tooltip = frame.locator(".leaflet-tooltip")
        tooltip.wait_for(timeout=10_000)
        text = [line for line in tooltip.inner_text().splitlines() if line.strip()]
        found[text[0]] = text
    return found


def _open_map(page, url: str):
    page.goto(url, wait_until="domcontentloaded")
    frame = page.wait_for_selector("iframe[title*='st_folium']", timeout=60_000).content_frame()
    frame.wait_for_selector(".trygg-label span", state="attached", timeout=30_000)
    return frame


#: Until the page has drawn all of these (it draws as its script runs), or time is up.
ALL_DRAWN = """expected => {
    const main = document.querySelector("[data-testid='stMain']");
    const text = main ? main.innerText.replaceAll("\\u2060", "") : "";
    return expected.every(e => text.includes(e));
}"""


def _page_shows_texts_as_typed(page, expected: list[str]) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with contextlib.suppress(PlaywrightTimeout):  # the assertion below names what is missing
        page.wait_for_function(ALL_DRAWN, arg=expected, timeout=30_000)
    body = visible(page.locator("[data-testid='stMain']").inner_text())
    missing = [text for text in expected if text not in body]
    assert missing == []
    assert page.locator(INJECTED).count() == 0
    assert page.locator("li", has_text="item").count() == 0
    assert page.locator("h1, h2, h3, h4", has_text="heading").count() == 0


def _map_shows_texts_as_typed(frame, names: list[str], legend: str | None) -> None:
    assert sorted(frame.locator(".trygg-label span").all_text_contents()) == sorted(names)
    if legend is not None:
        assert frame.locator(".trygg-legend-title").first.inner_text() == legend
    tooltips = _hover_tooltips(frame)
    assert set(tooltips) == set(names)
    for name, lines_ in tooltips.items():
        assert lines_[1:3] == [name, t("map.tooltip_aliases", aliases=alias(name))]
    assert frame.locator(INJECTED).count() == 0


def _download_shows_texts_as_typed(offline, page, tmp_path) -> None:
    # Streamlit draws the button twice (one copy only measures the width).
    button = page.locator("[data-testid='stDownloadButton'] button").locator("visible=true")
    with page.expect_download(timeout=60_000) as download:
        button.first.click()
    path = tmp_path / "karta.html"
    download.value.save_as(path)
    standalone = offline.context.new_page()
    standalone.goto(path.as_uri())
    standalone.wait_for_selector(".trygg-label span", state="attached", timeout=30_000)
    assert standalone.title() == f"{t('app.title')} – {ALL}"
    assert sorted(standalone.locator(".trygg-label span").all_text_contents()) == sorted(NAMES)
    standalone.close()


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_the_browser_shows_every_text_as_typed(hostile_app, chromium, tmp_path):
    """The page, the map's labels, tooltips and legend, the downloaded file and the
    warnings, in Chromium with the internet cut off; nothing is fetched from the
    payloads' addresses and no file is created."""
    offline = Offline(chromium)
    page = offline.page
    visa = item_indicator("problem", PAYLOADS["expression"])
    frame = _open_map(page, f"{hostile_app}/?kommun={KOMMUN}&visa={quote(visa)}")
    assert visible(page.locator("h1").first.inner_text()) == f"{t('app.title')} – {ALL}"
    _page_shows_texts_as_typed(page, [ALL, SECOND_TITLE])
    _map_shows_texts_as_typed(frame, NAMES, maps.indicator_label(visa))
    _download_shows_texts_as_typed(offline, page, tmp_path)

    page.goto(f"{hostile_app}/loften?kommun={KOMMUN}", wait_until="domcontentloaded")
    page.get_by_text(f"löfte {NAMES[-1]}", exact=True).wait_for(timeout=60_000)
    promised = [*MARKDOWN.values(), f"uppföljning {ALL}"]
    for payload in NAMES:
        promised += [f"löfte {payload}", f"partner {payload}", f"uppföljning {payload}"]
    _page_shows_texts_as_typed(page, promised)

    frame = _open_map(page, f"{hostile_app}/?kommun={LONE_KOMMUN}")
    title = f"{t('app.title')} – {PAYLOADS['file']}"
    page.get_by_text(title).first.wait_for(timeout=30_000)
    _map_shows_texts_as_typed(frame, LONE_NAMES, None)

    page.goto(
        f"{hostile_app}/?kommun={quote(PAYLOADS['link'])}&plats={quote(UNKNOWN_PLACE)}",
        wait_until="domcontentloaded",
    )
    page.locator("[data-testid='stAlert']").nth(1).wait_for(timeout=60_000)
    warnings = visible("\n".join(page.locator("[data-testid='stAlert']").all_inner_texts()))
    assert PAYLOADS["link"] in warnings and UNKNOWN_PLACE in warnings
    assert page.locator(INJECTED).count() == 0

    assert [url for _kind, url in offline.external if "evil.example" in url] == []
    assert offline.errors == []
    offline.context.close()
    assert not TARGET.exists()
