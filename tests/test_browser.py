"""End to end: the real dashboard in headless Chromium, with the internet cut off.

Every request to a host other than this machine is aborted and recorded, so the map
must load Leaflet from the dashboard itself. Debian's chromium is used (no browser
download); the test skips only when it is not installed. The harness (app, browser,
offline context) is tests/browser_harness.py, shared by every browser test.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests import browser_harness as harness
from tests.browser_harness import Offline, screenshot
from trygg import formatting, maps, places, store
from trygg.stats import report

pytestmark = harness.BROWSER_MARKS


@pytest.fixture(scope="module")
def app_url(demo_db):
    """The real app, started as ``make run`` does, on a free port."""
    with harness.streamlit_app(demo_db, env={"TRYGG_TILES": "auto"}) as base_url:
        yield base_url


browser = harness.browser_fixture()


def _tile_host() -> str:
    return urlsplit(maps.tiles_from_env({"TRYGG_TILES": "auto"})[1].url).hostname


def _laholm_place_count(demo_db) -> int:
    engine = store.make_engine(str(demo_db))
    try:
        return len(places.load_places(engine, "1381"))
    finally:
        engine.dispose()


def _hidden_places(demo_db) -> set[str]:
    engine = store.make_engine(str(demo_db))
    try:
        figures = report.compute_stats(engine, "1381")
    finally:
        engine.dispose()
    return {p["place"] for p in figures["places"] if p["survey"]["suppressed"]}


def _fills(frame) -> dict[str, str]:
    """Each place's fill on screen, by the first line of its tooltip (the place name)."""
    return frame.evaluate(
        """() => Object.fromEntries(Object.values(window.map._layers)
            .filter(l => l.feature && l._path)
            .map(l => [l.feature.properties.tooltip.split('<br>')[0].replace(/<[^>]+>/g, ''),
                       l._path.getAttribute('fill')]))"""
    )


def _boxes_under_legend(frame) -> list[str]:
    """Places whose drawn outline reaches under the legend."""
    return frame.evaluate(
        """() => {
            const legend = document.querySelector('.trygg-legend').getBoundingClientRect();
            return Object.values(window.map._layers)
              .filter(l => l.feature && l._path)
              .filter(l => {
                const box = l._path.getBoundingClientRect();
                return box.left < legend.right && legend.left < box.right &&
                       box.top < legend.bottom && legend.top < box.bottom;
              })
              .map(l => l.feature.properties.tooltip.split('<br>')[0]);
        }"""
    )


def test_laholm_map_renders_offline(app_url, browser, demo_db):
    offline = Offline(browser)
    page = offline.page
    page.goto(f"{app_url}/?kommun=1381", wait_until="domcontentloaded")
    frame_element = page.wait_for_selector("iframe[title*='st_folium']", timeout=60_000)
    frame = frame_element.content_frame()
    frame.wait_for_function("() => window.L !== undefined", timeout=30_000)
    frame.wait_for_selector("path.leaflet-interactive", timeout=30_000)
    page.get_by_text("Enkätsvar 2024").first.wait_for(timeout=30_000)
    page.wait_for_timeout(1500)

    polygons = frame.locator("path.leaflet-interactive").count()
    assert polygons >= _laholm_place_count(demo_db)
    assert frame.evaluate("() => window.L.version") == "1.9.3"
    scripts = frame.evaluate("() => [...document.scripts].map(s => s.src).filter(Boolean)")
    assert any("/app/static/vendor/" in src and src.endswith("leaflet.js") for src in scripts)
    assert frame.locator(".trygg-label span", has_text="Mellbystrand").count() == 1

    fills = _fills(frame)
    hidden = _hidden_places(demo_db)  # too few answers, or hidden to protect a small group
    assert "Hishult" in hidden
    assert all(fills[name].startswith(f"url(#{maps.HATCH_ID})") for name in hidden)
    shown = {name: fill for name, fill in fills.items() if name not in hidden}
    assert len(set(shown.values())) >= 2 and all(f.startswith("#") for f in shown.values())
    assert frame.evaluate(f"() => !!document.getElementById('{maps.HATCH_ID}')")
    legend = frame.locator(".trygg-legend").inner_text()
    assert "År 2024" in legend and "syntetiska demodata" in legend and "för få svar" in legend
    assert _boxes_under_legend(frame) == []
    assert offline.failed_local == []
    assert offline.errors == []
    fetched = [
        (kind, url) for kind, url in offline.external if urlsplit(url).hostname != _tile_host()
    ]
    assert fetched == [], "only basemap tiles may be asked for outside this machine"

    screenshot(page, "laholm_map.png")
    offline.context.close()


def test_metric_selector_recolours_the_map(app_url, browser):
    offline = Offline(browser)
    page = offline.page
    page.goto(f"{app_url}/?kommun=1381&visa=problem_nedskrapning", wait_until="domcontentloaded")
    frame = page.wait_for_selector("iframe[title*='st_folium']", timeout=60_000).content_frame()
    frame.wait_for_selector(".trygg-legend", timeout=30_000)
    assert "Problem: Nedskräpning" in frame.locator(".trygg-legend").inner_text()
    litter = _fills(frame)
    page.goto(f"{app_url}/?kommun=1381&visa=andel_otrygga", wait_until="domcontentloaded")
    frame = page.wait_for_selector("iframe[title*='st_folium']", timeout=60_000).content_frame()
    frame.locator(".trygg-legend", has_text="otrygga").wait_for(timeout=30_000)
    assert _fills(frame) != litter
    assert offline.errors == []
    offline.context.close()


def test_click_on_stadsparken_selects_it(app_url, browser, demo_db):
    offline = Offline(browser)
    page = offline.page
    page.goto(f"{app_url}/?kommun=1381&plats=Laholms%20centrum", wait_until="domcontentloaded")
    frame = page.wait_for_selector("iframe[title*='st_folium']", timeout=60_000).content_frame()
    # The map is zoomed to Laholms centrum: wait for its own path (a place outside the
    # view is drawn as "M0 0" and never becomes visible).
    centrum = "path.leaflet-interactive[aria-label='Laholms centrum']"
    frame.wait_for_selector(centrum, timeout=30_000)
    page.get_by_text("Åtaganden för Laholms centrum", exact=True).wait_for(timeout=30_000)
    _click_the_park(page, frame)
    assert "plats=Stadsparken" in page.url
    page.get_by_text("Enkätsvar 2024 – Stadsparken").wait_for(timeout=30_000)
    assert page.get_by_text("ingen säkerställd förändring").count() >= 1
    _hover_shows_the_figures(frame, demo_db)
    _show_the_town(frame)
    screenshot(page, "laholm_stadsparken.png")
    assert offline.errors == []
    offline.context.close()


def _click_the_park(page, frame, attempts: int = 3) -> None:
    """Zoom to Stadsparken and click its middle; on a slow machine a click can land while
    the map is still redrawing, so try again a few times before failing."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    selected = page.get_by_text("Åtaganden för Stadsparken", exact=True)
    for attempt in range(attempts):
        frame.evaluate(
            """() => {
                const park = Object.values(window.map._layers).find(
                    l => l.feature && l.feature.properties.tooltip.includes('Stadsparken'));
                window.map.fitBounds(park.getBounds(), {animate: false});
            }"""
        )
        page.wait_for_timeout(1000)
        box = frame.locator("#map_div").bounding_box()
        assert box is not None
        frame.locator("#map_div").click(position={"x": box["width"] / 2, "y": box["height"] / 2})
        try:
            selected.wait_for(timeout=20_000)
            return
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise


def _hover_shows_the_figures(frame, demo_db) -> None:
    """The park's tooltip: its share, n and interval as the place panel gives them."""
    engine = store.make_engine(str(demo_db))
    figures = report.compute_stats(engine, "1381")
    engine.dispose()
    park = next(p for p in figures["places"] if p["place"] == "Stadsparken")["survey"]
    centre = frame.evaluate(
        """() => {
            const park = Object.values(window.map._layers).find(
                l => l.feature && l.feature.properties.tooltip.startsWith('<b>Stadsparken<'));
            const point = window.map.latLngToContainerPoint(park.getCenter());
            return {x: point.x, y: point.y};
        }"""
    )
    frame.locator("#map_div").hover(position=centre)
    tooltip = frame.locator(".leaflet-tooltip", has_text="Stadsparken")
    tooltip.wait_for(timeout=10_000)
    text = tooltip.inner_text()
    assert formatting.percent(park["andel_otrygga"]) in text
    assert formatting.count(park["n"]) in text
    assert formatting.interval(park["ki_lag"], park["ki_hog"]) in text


def _show_the_town(frame) -> None:
    """The town above the legend, the mouse away: the README picture."""
    frame.evaluate(
        """() => {
            const find = name => Object.values(window.map._layers).find(
                l => l.feature && l.feature.properties.tooltip.startsWith('<b>' + name + '<'));
            const town = find('Laholms centrum').getBounds()
                .extend(find('Glänningeområdet').getBounds())
                .extend(find('Campus Laholm').getBounds());
            const legend = document.querySelector('.trygg-legend').getBoundingClientRect();
            window.map.fitBounds(town, {animate: false, paddingTopLeft: [60, 60],
                                        paddingBottomRight: [60, legend.height + 60]});
        }"""
    )
    frame.locator("#map_div").hover(position={"x": 5, "y": 300})
    frame.page.wait_for_timeout(1000)


def test_standalone_file_needs_no_network(browser, demo_db, tmp_path):
    engine = store.make_engine(str(demo_db))
    layer = maps.choropleth(report.compute_stats(engine, "1381"))
    fmap = maps.place_map(places.load_places(engine, "1381"), "Stadsparken", choropleth=layer)
    engine.dispose()
    path = tmp_path / "laholm.html"
    path.write_text(maps.standalone_html(fmap), encoding="utf-8")
    offline = Offline(browser)
    offline.page.goto(path.as_uri())
    offline.page.wait_for_selector("path.leaflet-interactive", timeout=30_000)
    assert offline.page.locator("path.leaflet-interactive").count() >= 10
    assert "syntetiska demodata" in offline.page.locator(".trygg-legend").inner_text()
    assert offline.external == []
    assert offline.errors == []
    offline.context.close()


def _hot_cells_by_station(frame) -> dict:
    """The fills of the drawn 99 % hot-spot cells, and how many lie over the station area."""
    return frame.evaluate(
        """() => {
            const layers = Object.values(window.map._layers);
            const station = layers.find(l => l.feature && l.feature.properties.tooltip &&
                l.feature.properties.tooltip.startsWith('<b>Området runt järnvägsstationen<'));
            const hot = layers.filter(
                l => l.feature && l.feature.properties.gi_bin === 3 && l._path);
            return {fills: hot.map(l => l._path.getAttribute('fill')),
                    station: hot.filter(l => station.getBounds().intersects(l.getBounds())).length};
        }"""
    )


def _is_red(colour: str) -> bool:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return red > 150 and red > green + 60 and red > blue + 60


def test_hot_spot_layer_shows_red_cells_around_varnamo_station(app_url, browser):
    offline = Offline(browser)
    page = offline.page
    page.goto(f"{app_url}/?kommun=0683", wait_until="domcontentloaded")
    frame = page.wait_for_selector("iframe[title*='st_folium']", timeout=60_000).content_frame()
    frame.wait_for_selector("path.leaflet-interactive", timeout=30_000)
    assert _hot_cells_by_station(frame)["fills"] == []  # off until chosen

    page.get_by_text("Hot spots (Getis-Ord Gi*)", exact=True).click()
    # The component redraws in a new frame; wait until it is the only one, with the layer.
    page.wait_for_function(
        """() => {
            const frames = document.querySelectorAll("iframe[title*='st_folium']");
            const legend = frames.length === 1 && frames[0].contentDocument &&
                frames[0].contentDocument.querySelector('.trygg-legend');
            return !!legend && legend.innerText.includes('Getis-Ord Gi*');
        }""",
        timeout=30_000,
    )
    frame = page.wait_for_selector("iframe[title*='st_folium']", timeout=10_000).content_frame()
    frame.wait_for_function(
        "() => Object.values(window.map._layers).some(l => l._path && "
        "l.feature && l.feature.properties.gi_bin === 3)",
        timeout=10_000,
    )
    hot = _hot_cells_by_station(frame)
    assert hot["fills"] and all(_is_red(fill) for fill in hot["fills"])
    assert hot["station"] > 0
    assert "99/95/90" in frame.locator(".trygg-legend").inner_text()
    assert offline.errors == []
    fetched = [url for _kind, url in offline.external if urlsplit(url).hostname != _tile_host()]
    assert fetched == []
    offline.context.close()
