"""The basemap: OpenStreetMap, a kommun's own tile server, or none (offline).

``TRYGG_TILES`` (read by :mod:`trygg.settings`) chooses: ``auto`` shows OpenStreetMap
when its server answers, ``osm`` always, ``none`` never, and an ``http(s)`` URL template
with ``{z}``, ``{x}`` and ``{y}`` names a tile server of one's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from trygg import settings
from trygg.errors import TryggError
from trygg.maps.inert import JINJA_MARKUP
from trygg.strings import t

OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
#: ``auto`` shows the basemap when its server answers, ``on`` always, ``off`` never.
TILE_MODES = ("auto", "on", "off")


@dataclass(frozen=True)
class TileSource:
    """A basemap: an XYZ URL template, its attribution and a short label for the UI."""

    url: str
    attribution: str
    label: str


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
