"""The basemap: OpenStreetMap, a kommun's own tile server, a local tile package, or none.

``TRYGG_TILES`` (read by :mod:`trygg.settings`) chooses: ``auto`` shows OpenStreetMap
when its server answers, ``osm`` always, ``none`` never, an ``http(s)`` URL template
with ``{z}``, ``{x}`` and ``{y}`` names a tile server of one's own, and the path of a
``.pmtiles`` or ``.mbtiles`` file names an offline raster tile package. The app serves
that package itself: :func:`publish_archive` copies it (an MBTiles file converted once
to PMTiles with the ``pmtiles`` package) into the dashboard's static folder, where
Streamlit answers the range requests that the npm ``pmtiles`` script (installed at
setup, inlined in the map) makes for each tile.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import folium
from branca.element import MacroElement
from folium.template import Template

from trygg import settings
from trygg.errors import TryggError
from trygg.filecheck import size
from trygg.maps.inert import JINJA_MARKUP, inert
from trygg.maps.offline import STATIC_URL
from trygg.strings import t
from trygg.text import suffix

OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
#: ``auto`` shows the basemap when its server answers, ``on`` always, ``off`` never.
TILE_MODES = ("auto", "on", "off")
#: The npm packages ``make setup`` installs (``package.json`` at the repo root).
NODE_MODULES = Path(__file__).resolve().parents[3] / "node_modules"
PMTILES_JS = NODE_MODULES / "pmtiles" / "dist" / "pmtiles.js"
ARCHIVE_SUFFIXES = (".pmtiles", ".mbtiles")
#: Where under the static folder a tile package is published.
TILES_FOLDER = "tiles"
#: The largest file Streamlit's static serving hands out (``MAX_APP_STATIC_FILE_SIZE``).
MAX_SERVED_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class TileSource:
    """A basemap: an XYZ URL template, its attribution and a short label for the UI.

    For a local tile package, ``archive`` is the file and ``url`` where the app serves it.
    """

    url: str
    attribution: str
    label: str
    archive: Path | None = None


def osm_tiles(lang: str | None = None) -> TileSource:
    """The OpenStreetMap standard tiles."""
    return TileSource(OSM_URL, t("map.osm_attribution", lang), t("map.osm_label", lang))


def tiles_from_env(
    environ: Mapping[str, str] | None = None, lang: str | None = None
) -> tuple[str, TileSource]:
    """Read ``TRYGG_TILES`` (and ``TRYGG_TILES_ATTR``) into a tile mode and source.

    Parameters
    ----------
    environ : Mapping, optional
        Defaults to the process environment (read by :mod:`trygg.settings`).
    lang : str
        Language of the attribution and label.

    Returns
    -------
    tuple
        ``(mode, source)``: mode is one of :data:`TILE_MODES`; the source is the basemap
        used whenever the mode lets one show.

    Examples
    --------
    >>> tiles_from_env({"TRYGG_TILES": "none"})[0]
    'off'
    >>> mode, source = tiles_from_env({"TRYGG_TILES": "https://t.example/{z}/{x}/{y}.png"})
    >>> mode, source.url
    ('on', 'https://t.example/{z}/{x}/{y}.png')
    """
    value, custom_attribution = settings.tiles_setting(environ)
    if value.lower() in {"auto", "osm", "none"}:
        mode = {"auto": "auto", "osm": "on", "none": "off"}[value.lower()]
        return mode, osm_tiles(lang)
    if _is_tile_template(value):
        host = urlsplit(value).hostname or value
        attribution = custom_attribution or t("map.custom_attribution", lang, host=host)
        return "on", TileSource(value, attribution, t("map.custom_label", lang))
    if suffix(value) in ARCHIVE_SUFFIXES:
        return "on", archive_tiles(Path(value), custom_attribution, lang)
    raise TryggError(t("err.tiles_setting", lang, value=value))


def _is_tile_template(value: str) -> bool:
    parts = urlsplit(value)
    has_xyz = all(part in value for part in ("{z}", "{x}", "{y}"))
    plain = not JINJA_MARKUP.search(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc) and has_xyz and plain


def choose_tiles(mode: str, source: TileSource, online: bool) -> TileSource | None:
    """The basemap to draw, or None for the plain offline background.

    Examples
    --------
    >>> choose_tiles("auto", osm_tiles(), online=False) is None
    True
    """
    if mode not in TILE_MODES:
        raise ValueError(f"tile mode must be one of {TILE_MODES}, not {mode!r}")
    return source if mode == "on" or (mode == "auto" and online) else None


def archive_tiles(
    path: Path, attribution: str | None = None, lang: str | None = None
) -> TileSource:
    """A local ``.pmtiles`` or ``.mbtiles`` file as a basemap served by the app.

    Raises
    ------
    TryggError
        When the file is missing or unreadable, larger than Streamlit serves, or the
        ``pmtiles`` script is not installed.
    """
    path = path.expanduser().resolve()
    if not path.is_file():
        raise TryggError(t("ctx.err_tiles_missing", path=str(path), lang=lang))
    if path.stat().st_size > MAX_SERVED_BYTES:
        found, limit = size(path.stat().st_size), size(MAX_SERVED_BYTES)
        raise TryggError(t("ctx.err_tiles_large", file=path.name, size=found, max=limit, lang=lang))
    if suffix(path) == ".mbtiles":
        _check_mbtiles(path, lang)
    if not PMTILES_JS.is_file():
        raise TryggError(t("ctx.err_pmtiles_js", lang=lang))
    url = f"{STATIC_URL}/{TILES_FOLDER}/{published_name(path)}"
    attribution = attribution or t("ctx.tiles_attribution", lang, file=path.name)
    return TileSource(url, attribution, t("ctx.tiles_label", lang, file=path.name), path)


def _check_mbtiles(path: Path, lang: str | None) -> None:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            connection.execute("SELECT name, value FROM metadata LIMIT 1").fetchall()
            connection.execute("SELECT zoom_level FROM tiles LIMIT 1").fetchall()
    except sqlite3.Error:
        raise TryggError(t("ctx.err_mbtiles", file=path.name, lang=lang)) from None


def published_name(path: Path) -> str:
    """The package's name under ``static/tiles/``: new whenever the file changes.

    Examples
    --------
    >>> published_name(Path(__file__)).startswith("basemap-")
    True
    """
    stat = path.stat()
    key = f"{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode()
    return f"basemap-{hashlib.sha256(key).hexdigest()[:16]}.pmtiles"


def publish_archive(static_dir: str | os.PathLike, environ: Mapping[str, str] | None = None):
    """Put the ``TRYGG_TILES`` package into ``static_dir/tiles/`` unless it is there.

    A ``.pmtiles`` file is copied (Streamlit refuses links that lead out of its folder),
    an ``.mbtiles`` file converted once; both are written under a temporary name and
    moved into place. Returns the published file, or None when ``TRYGG_TILES`` names no
    usable package (the page then says why, see :func:`tiles_from_env`).
    """
    value, _attribution = settings.tiles_setting(environ)
    if suffix(value) not in ARCHIVE_SUFFIXES:
        return None
    try:
        source = archive_tiles(Path(value))
    except TryggError:
        return None
    target = Path(static_dir) / TILES_FOLDER / published_name(source.archive)
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    try:
        if suffix(source.archive) == ".mbtiles":
            from pmtiles.convert import mbtiles_to_pmtiles

            mbtiles_to_pmtiles(str(source.archive), str(partial), None)
        else:
            shutil.copyfile(source.archive, partial)
        os.replace(partial, target)
    except (OSError, sqlite3.Error, KeyError, ValueError):
        partial.unlink(missing_ok=True)
        return None
    return target


def tile_layer(source: TileSource):
    """The Leaflet layer drawing ``source``: a tile layer, or a PMTiles raster layer."""
    if source.archive is None:
        return folium.TileLayer(source.url, attr=inert(source.attribution), max_zoom=19)
    return PMTilesLayer(source)


class PMTilesLayer(MacroElement):
    """A raster PMTiles package drawn by the npm ``pmtiles`` script's ``leafletRasterLayer``.

    The script (20 kB) is inlined, so the map needs no other file and the standalone
    HTML file keeps working without the app (then without the basemap).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.code }}
        var {{ this.get_name() }} = pmtiles.leafletRasterLayer(
            new pmtiles.PMTiles({{ this.url|tojson }}), {{ this.options|tojson }}
        ).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, source: TileSource):
        super().__init__()
        self._name = "PMTilesLayer"
        self.code = PMTILES_JS.read_text(encoding="utf-8").replace("</script", "<\\/script")
        self.url = source.url
        self.options = {"attribution": inert(source.attribution), "maxZoom": 19}
