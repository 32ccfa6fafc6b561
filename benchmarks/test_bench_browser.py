"""Browser benchmarks (issue 10, item 12): the dashboard in headless Chromium, offline.

In one run, with every request to a host other than this machine aborted:

- **load**: from the start of navigation until the Karta page for Laholm shows every
  place's path, against a minimal streamlit-folium page (benchmarks/folium_baseline.py,
  its own ``streamlit run``) that draws the same web shapes as one ``folium.GeoJson``.
  Each round opens a new browser context (an empty cache); compared by the fastest
  round of each. Target: at most 1.2× the baseline.
- **recolour**: on the Karta page, from the click on another figure in the metric list
  until the place paths' fills have changed; the median over five changes. Target:
  under 0.5 s.
- **payload**: the bytes of the WebSocket message that carries the map component to
  the browser (the map's HTML, script and data), for a kommun of 50 places (synthetic
  Voronoi cells with survey answers, imported through the real importers) and for
  Laholm. Target: under 300 kB for 50 places.

Measured with ``make bench`` and recorded in README.md ("Prestanda").
"""

from __future__ import annotations

import statistics

import geopandas as gpd
import numpy as np
import pytest
import shapely

from tests import browser_harness as harness
from tests.browser_harness import CHROMIUM, Offline
from tests.test_accessibility import RENDERED, open_rendered
from trygg import maps, places, store
from trygg.auth import local_admin
from trygg.demo import load_demo
from trygg.importers import survey_answers
from trygg.stats import report

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
LAHOLM = "1381"
#: A kommun code the demo does not use, for the 50 synthetic places.
FIFTY = "1382"
FIFTY_PLACES = 50
MAX_LOAD_RATIO = 1.2
MAX_RECOLOUR_S = 0.5
MAX_PAYLOAD_BYTES = 300_000
ROUNDS = 5
#: The figures the map is recoloured by in turn, starting from the default.
METRICS = ("problem_klotter", "oro_inbrott", "handelser", "problem_nedskrapning", "andel_otrygga")
WAIT_MS = 60_000
RESULTS: dict[str, float] = {}
#: How many place paths the map frame shows (a path drawn with an empty shape does not count).
DRAWN_PATHS = """(frame) => frame && frame.contentDocument ?
    [...frame.contentDocument.querySelectorAll('path.leaflet-interactive')]
        .filter(p => { const box = p.getBBox(); return box.width > 0 && box.height > 0; })
        .length : 0"""
#: True once the page's only map frame shows at least ``n`` place paths.
PATHS_SHOWN = f"""(n) => {{
    const frames = document.querySelectorAll("iframe[title*='st_folium']");
    return frames.length === 1 && ({DRAWN_PATHS})(frames[0]) >= n;
}}"""
#: The fills of the map frame's paths, in order, once every place is drawn.
FILLS = f"""(n) => {{
    const frames = document.querySelectorAll("iframe[title*='st_folium']");
    if (frames.length !== 1 || ({DRAWN_PATHS})(frames[0]) < n) return null;
    return [...frames[0].contentDocument.querySelectorAll('path.leaflet-interactive')]
        .map(p => p.getAttribute('fill')).join(' ');
}}"""


def fifty_places(seed: int = 50) -> gpd.GeoDataFrame:
    """50 neighbouring places over 8 × 5 km (SWEREF 99 TM): Voronoi cells of seeded
    points, their borders cut every 20 m and bent by one smooth field of up to 40 m, so
    that they wind like real borders and neighbours still share theirs."""
    rng = np.random.default_rng(seed)
    x0, y0 = 370_000, 6_265_000
    points = shapely.points(
        rng.uniform(0, 8_000, FIFTY_PLACES) + x0, rng.uniform(0, 5_000, FIFTY_PLACES) + y0
    )
    frame = shapely.box(x0, y0, x0 + 8_000, y0 + 5_000)
    cells = shapely.get_parts(
        shapely.voronoi_polygons(shapely.multipoints(points), extend_to=frame)
    )
    cells = shapely.segmentize(shapely.intersection(cells, frame), 20.0)

    def bend(xy: np.ndarray) -> np.ndarray:
        x, y = xy[:, 0] - x0, xy[:, 1] - y0
        edge = np.minimum.reduce([x, 8_000 - x, y, 5_000 - y])
        taper = np.clip(edge / 200, 0, 1)  # the outline stays straight
        shift = 40 * np.sin(x / 170 + np.cos(y / 230)) * np.cos(y / 190 - x / 410) * taper
        return np.column_stack([xy[:, 0] + shift, xy[:, 1] + shift * 0.6])

    shapes = shapely.transform(cells, bend)
    names = [f"Område {number:02d}" for number in range(1, len(shapes) + 1)]
    return gpd.GeoDataFrame({"namn": names}, geometry=list(shapes), crs="EPSG:3006")


def survey_rows(names: list[str], seed: int = 50) -> str:
    """40 answers a place for 2024 (codes 1–4 of trygg_kvall), seeded."""
    rng = np.random.default_rng(seed)
    rows = [
        f"{name};2024;{code};{rng.integers(1, 5)}\n"
        for name in names
        for code in rng.integers(1, 5, 40)
    ]
    return "plats;ar;trygg_kvall;problem_klotter\n" + "".join(rows)


@pytest.fixture(scope="module")
def bench_db(tmp_path_factory):
    """The demo database and a kommun of 50 places with survey answers."""
    folder = tmp_path_factory.mktemp("bench-browser")
    path = folder / "bench.sqlite"
    engine = store.make_engine(str(path))
    load_demo(engine)
    layer = fifty_places()
    layer.to_file(folder / "fifty.gpkg", driver="GPKG")
    admin = local_admin()
    places.import_places(
        engine, folder / "fifty.gpkg", FIFTY, name_field="namn", kommun_name="Femtio", actor=admin
    )
    answers = folder / "fifty.csv"
    answers.write_text(survey_rows(list(layer["namn"])), encoding="utf-8")
    survey_answers.import_survey(engine, answers, FIFTY, actor=admin)
    counts = {kommun: len(places.load_places(engine, kommun)) for kommun in (LAHOLM, FIFTY)}
    engine.dispose()
    return {"path": path, "places": counts}


@pytest.fixture(scope="module")
def dashboard_url(bench_db):
    with harness.streamlit_app(bench_db["path"]) as url:
        yield url


@pytest.fixture(scope="module")
def baseline_url(bench_db):
    with harness.streamlit_app(bench_db["path"], script="benchmarks/folium_baseline.py") as url:
        yield url


chromium = harness.browser_fixture("chromium")


class FreshPages:
    """Each round's page in a new offline context (an empty cache); the round before's
    context is closed when the next is made."""

    def __init__(self, browser, url: str, paths: int):
        self.browser, self.url, self.paths = browser, url, paths
        self.offline: Offline | None = None

    def setup(self):
        self.close()
        self.offline = Offline(self.browser)
        return (self.offline.page, self.url, self.paths), {}

    def close(self) -> None:
        if self.offline is not None:
            self.offline.context.close()
            self.offline = None


def load_until_drawn(page, url: str, paths: int) -> None:
    page.goto(url, wait_until="commit")
    page.wait_for_function(PATHS_SHOWN, arg=paths, timeout=WAIT_MS, polling="raf")


def timed_load(benchmark, chromium, url: str, paths: int) -> float:
    """The fastest of :data:`ROUNDS` loads of ``url`` until ``paths`` place paths show."""
    fresh = FreshPages(chromium, url, paths)
    try:
        benchmark.pedantic(load_until_drawn, setup=fresh.setup, rounds=ROUNDS)
    finally:
        fresh.close()
    return benchmark.stats.stats.min


def report_line(capsys, text: str) -> None:
    with capsys.disabled():
        print(f"\n{text}")


def test_load_baseline(benchmark, chromium, baseline_url, bench_db):
    url = f"{baseline_url}/?kommun={LAHOLM}"
    RESULTS["baseline"] = timed_load(benchmark, chromium, url, bench_db["places"][LAHOLM])


def test_load_karta(benchmark, chromium, dashboard_url, baseline_url, bench_db, capsys):
    if "baseline" not in RESULTS:
        pytest.skip("the baseline did not run")
    url = f"{dashboard_url}/?kommun={LAHOLM}"
    seconds = timed_load(benchmark, chromium, url, bench_db["places"][LAHOLM])
    ratio = seconds / RESULTS["baseline"]
    benchmark.extra_info.update(ratio=round(ratio, 2), baseline_s=round(RESULTS["baseline"], 3))
    report_line(
        capsys,
        f"Load, Laholm: {seconds:.2f} s against {RESULTS['baseline']:.2f} s = {ratio:.2f}×",
    )
    assert ratio <= MAX_LOAD_RATIO


#: Notes when the visitor's click on an option lands (capture phase, before the app).
MARK_CLICK = """() => { window.__picked = null; document.addEventListener('click', event => {
    if (event.target.closest("[role='option']")) window.__picked = performance.now();
}, {capture: true, once: true}); }"""
#: Milliseconds from that click until the fills differ from ``old``; null until then.
RECOLOURED = f"""([n, old]) => {{
    const now = ({FILLS})(n);
    return window.__picked !== null && now !== null && now !== old &&
        performance.now() - window.__picked;
}}"""


def test_recolour(benchmark, chromium, dashboard_url, bench_db, capsys):
    """Timed in the page, from the click on the option to the new fills (``raf`` polling,
    within a frame); pytest-benchmark's own rounds add Playwright's click on top."""
    engine = store.make_engine(str(bench_db["path"]))
    labels = maps.metric_options(report.place_figures(engine, LAHOLM, None, public=True))
    engine.dispose()
    paths = bench_db["places"][LAHOLM]
    offline = Offline(chromium)
    page = offline.page
    open_rendered(page, f"{dashboard_url}/?kommun={LAHOLM}")
    metrics = iter(METRICS)
    before: list[str] = []
    in_page: list[float] = []

    def setup():
        page.wait_for_function(RENDERED, timeout=WAIT_MS)
        before[:] = [page.evaluate(FILLS, paths)]
        assert before[0], "the map is drawn"
        page.locator(".st-key-metric_select input").click()
        page.evaluate(MARK_CLICK)
        return (labels[next(metrics)],), {}

    def change(label: str) -> None:
        page.get_by_role("option", name=label, exact=True).click()
        waited = page.wait_for_function(
            RECOLOURED, arg=[paths, before[0]], timeout=WAIT_MS, polling="raf"
        )
        in_page.append(waited.json_value() / 1000)

    try:
        benchmark.pedantic(change, setup=setup, rounds=len(METRICS))
    finally:
        offline.context.close()
    median = statistics.median(in_page)
    benchmark.extra_info.update(median_in_page_s=round(median, 3))
    report_line(
        capsys,
        f"Recolour, Laholm: median {median:.2f} s in the page "
        f"({', '.join(f'{t:.2f}' for t in in_page)}); "
        f"with Playwright's click {statistics.median(benchmark.stats.stats.data):.2f} s",
    )
    assert median < MAX_RECOLOUR_S


def component_payload(chromium, url: str) -> bytes:
    """The largest WebSocket message naming the map component."""
    offline = Offline(chromium)
    messages: list[bytes] = []

    def listen(socket) -> None:
        def received(payload) -> None:
            data = payload if isinstance(payload, bytes) else payload.encode("utf-8")
            if b"st_folium" in data:
                messages.append(data)

        socket.on("framereceived", received)

    offline.page.on("websocket", listen)
    try:
        open_rendered(offline.page, url)
    finally:
        offline.context.close()
    assert messages, "no message carried the map component"
    return max(messages, key=len)


def test_payload(benchmark, chromium, dashboard_url, bench_db, capsys):
    message = benchmark.pedantic(
        component_payload, args=(chromium, f"{dashboard_url}/?kommun={FIFTY}"), rounds=1
    )
    # The message is the map: it names every place ("Område 01" … "Område 50").
    assert all(f"de {number:02d}".encode() in message for number in range(1, 51))
    fifty = len(message)
    laholm = len(component_payload(chromium, f"{dashboard_url}/?kommun={LAHOLM}"))
    benchmark.extra_info.update(fifty_bytes=fifty, laholm_bytes=laholm)
    report_line(
        capsys,
        f"Map payload: {bench_db['places'][FIFTY]} places {fifty:,} bytes; "
        f"Laholm ({bench_db['places'][LAHOLM]} places) {laholm:,} bytes",
    )
    assert bench_db["places"][FIFTY] == FIFTY_PLACES
    assert fifty < MAX_PAYLOAD_BYTES
