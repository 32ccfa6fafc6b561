"""Offline maps: Leaflet from the XStatic-Leaflet package, served by the dashboard.

The map needs Leaflet's JavaScript, its stylesheet and the stylesheet's images, nothing
more. They are copied from the installed ``xstatic.pkg.leaflet`` package into the
dashboard's static folder, which Streamlit serves at ``/app/static/`` when
``server.enableStaticServing`` is on (:func:`use_local_assets` points a map there). For
a standalone HTML file they are inlined (:func:`inline_assets`).

This module also holds the one network check the dashboard makes: whether the tile
server can be reached, bounded in time so a hanging DNS lookup cannot stall a page.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import socket
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

import xstatic.pkg.leaflet as xleaflet
from folium.elements import JSCSSMixin

from trygg.maps.inert import walk

#: Where Streamlit serves ``<app folder>/static/`` (``server.enableStaticServing``).
STATIC_URL = "/app/static"
LEAFLET_SOURCE = Path(xleaflet.BASE_DIR)
#: The folder under ``static/``, versioned so a new Leaflet never meets a stale cache.
LEAFLET_FOLDER = f"vendor/leaflet-{xleaflet.VERSION}"
LEAFLET_JS = "leaflet.js"
LEAFLET_CSS = "leaflet.css"
LEAFLET_IMAGES = (
    "images/layers.png",
    "images/layers-2x.png",
    "images/marker-icon.png",
    "images/marker-icon-2x.png",
    "images/marker-shadow.png",
)
LEAFLET_FILES = (LEAFLET_JS, LEAFLET_CSS, *LEAFLET_IMAGES)


def asset_urls(static_url: str = STATIC_URL) -> dict[str, list[tuple[str, str]]]:
    """The map's script and stylesheet URLs, in folium's ``(name, url)`` form.

    Parameters
    ----------
    static_url : str
        The URL path where the static folder is served.

    Returns
    -------
    dict
        ``{"js": [("leaflet", url)], "css": [("leaflet_css", url)]}``.

    Examples
    --------
    >>> asset_urls()["js"]  # doctest: +ELLIPSIS
    [('leaflet', '/app/static/vendor/leaflet-.../leaflet.js')]
    """
    base = f"{static_url.rstrip('/')}/{LEAFLET_FOLDER}"
    return {
        "js": [("leaflet", f"{base}/{LEAFLET_JS}")],
        "css": [("leaflet_css", f"{base}/{LEAFLET_CSS}")],
    }


def ensure_assets(static_dir: str | os.PathLike) -> Path:
    """Copy Leaflet's files into ``static_dir`` unless an identical copy is there.

    Safe to call on every page run and from several sessions at once: each file is
    written to a temporary name and moved into place.

    Parameters
    ----------
    static_dir : str or PathLike
        The dashboard's static folder (``dashboard/static``).

    Returns
    -------
    Path
        The folder holding the copied files.
    """
    target = Path(static_dir) / LEAFLET_FOLDER
    for name in LEAFLET_FILES:
        _copy_if_changed(LEAFLET_SOURCE / name, target / name)
    from trygg.maps.tiles import publish_archive  # it imports this module

    publish_archive(static_dir)  # a TRYGG_TILES package, see trygg.maps.tiles
    return target


def _copy_if_changed(source: Path, target: Path) -> None:
    if target.is_file() and target.stat().st_size == source.stat().st_size:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as handle:
        temporary = Path(handle.name)
    shutil.copyfile(source, temporary)
    os.replace(temporary, target)


def inline_js() -> str:
    """Leaflet's JavaScript, ready to sit inside a ``<script>`` element."""
    code = (LEAFLET_SOURCE / LEAFLET_JS).read_text(encoding="utf-8")
    code = re.sub(r"^//# sourceMappingURL=.*$", "", code, flags=re.MULTILINE)
    return code.replace("</script", "<\\/script")


def inline_css() -> str:
    """Leaflet's stylesheet with its images embedded as ``data:`` URLs."""
    css = (LEAFLET_SOURCE / LEAFLET_CSS).read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    return re.sub(r"url\((images/[\w.-]+\.png)\)", _data_url, css)


def _data_url(match: re.Match) -> str:
    payload = base64.b64encode((LEAFLET_SOURCE / match.group(1)).read_bytes()).decode("ascii")
    return f"url(data:image/png;base64,{payload})"


def use_local_assets(fmap, static_url: str = STATIC_URL):
    """Point the map's scripts and stylesheets at the dashboard's own copy of Leaflet.

    Folium's defaults fetch Leaflet, jQuery, Bootstrap and Font Awesome from CDNs;
    this map needs Leaflet only. Any other element that brings its own web assets is
    refused, so a plugin cannot slip a CDN back in.

    Parameters
    ----------
    fmap : folium.Map
        The map, changed in place.
    static_url : str
        The URL path where the static folder is served.

    Returns
    -------
    folium.Map
        ``fmap`` itself.

    Raises
    ------
    ValueError
        If an element other than the map carries scripts or stylesheets.
    """
    urls = asset_urls(static_url)
    fmap.default_js = urls["js"]
    fmap.default_css = urls["css"]
    for element in walk(fmap):
        if element is not fmap and _brings_assets(element):
            raise ValueError(f"{type(element).__name__} needs web assets not served here")
    return fmap


def _brings_assets(element) -> bool:
    return isinstance(element, JSCSSMixin) and bool(element.default_js or element.default_css)


def inline_assets(page: str, fmap) -> str:
    """``page`` (the rendered ``fmap``) with Leaflet's script and stylesheet inlined.

    Raises
    ------
    ValueError
        If a script or stylesheet link is left in the page afterwards.
    """
    for _name, url in fmap.default_js:
        page = page.replace(f'<script src="{url}"></script>', f"<script>{inline_js()}</script>")
    for _name, url in fmap.default_css:
        page = page.replace(
            f'<link rel="stylesheet" href="{url}"/>', f"<style>{inline_css()}</style>"
        )
    tiles = f"{STATIC_URL}/tiles/"  # a tile package is fetched, like any basemap
    if STATIC_URL in page.replace(tiles, "") or "<script src=" in page:
        raise ValueError("standalone_html: a script or stylesheet link was left in the page")
    return page


def host_reachable(url: str, timeout: float = 1.5) -> bool:
    """Whether a TCP connection to the host of ``url`` opens within ``timeout`` seconds.

    The lookup and connection run in a daemon thread, so a hanging DNS resolver costs
    at most ``timeout`` seconds.

    Parameters
    ----------
    url : str
        A URL or tile template such as ``https://tile.openstreetmap.org/{z}/{x}/{y}.png``.
    timeout : float
        The most time spent, in seconds.

    Returns
    -------
    bool
        True if the connection opened in time.
    """
    parts = urlsplit(url.replace("{s}", "a"))
    if not parts.hostname:
        return False
    port = parts.port or (80 if parts.scheme == "http" else 443)
    result: list[bool] = []
    worker = threading.Thread(
        target=_try_connect, args=(parts.hostname, port, timeout, result), daemon=True
    )
    worker.start()
    worker.join(timeout)
    return bool(result and result[0])


def _try_connect(host: str, port: int, timeout: float, result: list[bool]) -> None:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            result.append(True)
    except OSError:
        result.append(False)
