"""Offline web assets (trygg.maps.offline): Leaflet copied from XStatic-Leaflet and served
by the dashboard."""

from __future__ import annotations

import re
import socket
import time
import tomllib
from pathlib import Path

import pytest

from trygg.maps import offline as assets

REPO = Path(__file__).resolve().parents[1]


def test_ensure_assets_copies_every_leaflet_file(tmp_path):
    folder = assets.ensure_assets(tmp_path)
    assert folder == tmp_path / "vendor" / "leaflet-1.9.3"
    for name in assets.LEAFLET_FILES:
        assert (folder / name).read_bytes() == (assets.LEAFLET_SOURCE / name).read_bytes()


def test_ensure_assets_is_idempotent_and_repairs_a_broken_copy(tmp_path):
    folder = assets.ensure_assets(tmp_path)
    first = (folder / "leaflet.js").stat().st_mtime_ns
    assets.ensure_assets(tmp_path)
    assert (folder / "leaflet.js").stat().st_mtime_ns == first
    (folder / "leaflet.css").write_text("truncated")
    assets.ensure_assets(tmp_path)
    assert (folder / "leaflet.css").read_bytes() == (
        assets.LEAFLET_SOURCE / "leaflet.css"
    ).read_bytes()
    assert sorted(p.name for p in folder.iterdir() if p.is_file()) == ["leaflet.css", "leaflet.js"]


def test_urls_point_at_the_copied_files(tmp_path):
    folder = assets.ensure_assets(tmp_path)
    urls = [url for pairs in assets.asset_urls().values() for _name, url in pairs]
    assert urls == [
        "/app/static/vendor/leaflet-1.9.3/leaflet.js",
        "/app/static/vendor/leaflet-1.9.3/leaflet.css",
    ]
    for url in urls:
        assert (tmp_path / url.removeprefix("/app/static/")).is_file()
    assert folder.is_dir()


def test_css_images_sit_next_to_the_stylesheet(tmp_path):
    folder = assets.ensure_assets(tmp_path)
    css = (folder / "leaflet.css").read_text()
    for image in re.findall(r"url\((images/[^)]+)\)", css):
        assert (folder / image).is_file(), image


def test_streamlit_serves_the_static_folder():
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableStaticServing"] is True
    assert config["browser"]["gatherUsageStats"] is False


def test_inline_css_embeds_its_images():
    css = assets.inline_css()
    assert "url(images/" not in css
    assert css.count("url(data:image/png;base64,") == 3
    assert not re.search(r"https?://", css)


def test_inline_js_is_safe_inside_a_script_element():
    code = assets.inline_js()
    assert "sourceMappingURL" not in code
    assert "</script" not in code.lower()
    assert 'version="1.9.3"' in code


@pytest.fixture
def listening_port():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


def test_host_reachable_when_a_server_listens(listening_port):
    assert assets.host_reachable(f"http://127.0.0.1:{listening_port}/{{z}}/{{x}}/{{y}}.png")


def test_host_unreachable_when_nothing_listens(listening_port):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    assert not assets.host_reachable(f"http://127.0.0.1:{closed}/t.png")


def test_unresolvable_host_answers_within_the_bound():
    started = time.monotonic()
    assert not assets.host_reachable("https://tiles.invalid/{z}/{x}/{y}.png", timeout=0.5)
    assert time.monotonic() - started < 1.0


def test_url_without_host_is_unreachable():
    assert not assets.host_reachable("{z}/{x}/{y}.png")
