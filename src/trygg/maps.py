"""Pure map building: places (and, later, a figure per place) → ``folium.Map``.

Nothing here imports streamlit or touches the network. The maps load Leaflet from the
dashboard's own static files (see :mod:`trygg.assets`), never from a CDN, and every
text that reaches the map is HTML-escaped first: folium's tooltips insert property
values as HTML.
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import folium
import geopandas as gpd
import shapely
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template
from shapely.geometry import mapping
from shapely.ops import polylabel

from trygg import assets, geo
from trygg.errors import TryggError
from trygg.scales import PLACE_KINDS, STORE_CRS
from trygg.strings import t

OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
TILES_ENV_VAR = "TRYGG_TILES"
TILES_ATTR_ENV_VAR = "TRYGG_TILES_ATTR"
#: ``auto`` shows the basemap when its server answers, ``on`` always, ``off`` never.
TILE_MODES = ("auto", "on", "off")

#: Simplification tolerance for the web, in metres (applied in EPSG:3006).
SIMPLIFY_M = 3.0
OUTLINE = "#16324f"
FILL = "#3d7ab8"
SELECTED = "#e8590c"
NO_DATA = "#b4b4b4"
#: Five light-to-dark classes (ColorBrewer OrRd) for a future figure per place.
PALETTE = ("#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000")
BACKGROUND = "#f3f1ec"
#: Where a map without places opens: the middle of Sweden.
SWEDEN = (62.0, 15.0)


@dataclass(frozen=True)
class TileSource:
    """A basemap: an XYZ URL template, its attribution and a short label for the UI."""

    url: str
    attribution: str
    label: str


def osm_tiles(lang: str = "sv") -> TileSource:
    """The OpenStreetMap standard tiles."""
    return TileSource(OSM_URL, t("map.osm_attribution", lang), t("map.osm_label", lang))


def tiles_from_env(
    environ: Mapping[str, str] | None = None, lang: str = "sv"
) -> tuple[str, TileSource]:
    """Read ``TRYGG_TILES`` (and ``TRYGG_TILES_ATTR``) into a tile mode and source.

    Parameters
    ----------
    environ : Mapping, optional
        Defaults to ``os.environ``.
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
    environ = os.environ if environ is None else environ
    value = environ.get(TILES_ENV_VAR, "").strip() or "auto"
    if value.lower() in {"auto", "osm", "none"}:
        mode = {"auto": "auto", "osm": "on", "none": "off"}[value.lower()]
        return mode, osm_tiles(lang)
    if _is_tile_template(value):
        host = urlsplit(value).hostname or value
        attribution = environ.get(TILES_ATTR_ENV_VAR) or t(
            "map.custom_attribution", lang, host=host
        )
        return "on", TileSource(value, attribution, t("map.custom_label", lang))
    raise TryggError(t("err.tiles_setting", lang, value=value))


def _is_tile_template(value: str) -> bool:
    parts = urlsplit(value)
    has_xyz = all(part in value for part in ("{z}", "{x}", "{y}"))
    return parts.scheme in {"http", "https"} and bool(parts.netloc) and has_xyz


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


def place_map(
    places: gpd.GeoDataFrame,
    selected: str | None = None,
    *,
    tiles: TileSource | None = None,
    values: Mapping[int, float | None] | None = None,
    value_title: str | None = None,
    static_url: str = assets.STATIC_URL,
    lang: str = "sv",
) -> folium.Map:
    """Draw a kommun's places, readable on a projector and without internet.

    Polygons are simplified in metres, reprojected to WGS84 and drawn largest first, so
    a small place (Stadsparken) lies above, and takes the clicks inside, a larger one
    that holds it (Laholms centrum). Each feature carries ``place_id`` in its properties,
    so a click can be traced back to its place.

    Parameters
    ----------
    places : GeoDataFrame
        As from :func:`trygg.places.load_places`: id, name, aliases, kind, geometry,
        in EPSG:3006.
    selected : str, optional
        Name of the place to highlight.
    tiles : TileSource, optional
        The basemap; None draws a plain light background (the offline mode).
    values : Mapping, optional
        A figure per place id for a choropleth; None values are drawn grey and
        labelled "för få svar". Omitted: every place gets the same fill.
    value_title : str, optional
        The legend's title when ``values`` is given.
    static_url : str
        Where the dashboard serves its static folder (see :mod:`trygg.assets`).
    lang : str
        Language of labels and tooltips.

    Returns
    -------
    folium.Map
        Its only scripts and stylesheets are Leaflet's, under ``static_url``.

    Examples
    --------
    >>> m = place_map(load_places(engine, "1381"), "Stadsparken")  # doctest: +SKIP
    """
    web = web_places(places, values, lang)
    fmap = folium.Map(
        SWEDEN, zoom_start=5, tiles=None, control_scale=True, zoom_snap=0.25, zoom_delta=0.5
    )
    if tiles is not None:
        folium.TileLayer(tiles.url, attr=html.escape(tiles.attribution), max_zoom=19).add_to(fmap)
    _ProjectorStyle().add_to(fmap)
    if not web.empty:
        _places_layer(web, values is not None).add_to(fmap)
        _PlaceLabels(web).add_to(fmap)
        west, south, east, north = web.total_bounds
        fmap.fit_bounds([[south, west], [north, east]], padding=(24, 24))
    if selected is not None:
        selection_layer(places, selected).add_to(fmap)
    if values is not None:
        _Legend(_legend_html(value_title or "", values, lang)).add_to(fmap)
    use_local_assets(fmap, static_url)
    return fmap


def web_places(
    places: gpd.GeoDataFrame,
    values: Mapping[int, float | None] | None = None,
    lang: str = "sv",
) -> gpd.GeoDataFrame:
    """Places ready for the web: largest first, escaped texts, label points, WGS84.

    Returns
    -------
    GeoDataFrame
        Columns place_id, tooltip, label, label_lat, label_lon, fill, geometry in
        EPSG:4326, sorted by area, largest first.
    """
    frame = places.to_crs(STORE_CRS) if places.crs is not None else places
    frame = frame.assign(_area=frame.geometry.area).sort_values("_area", ascending=False)
    label_points = gpd.GeoSeries(_label_points(frame.geometry), crs=frame.crs).to_crs(4326)
    out = gpd.GeoDataFrame(
        {
            "place_id": [int(i) for i in frame["id"]],
            "tooltip": [_tooltip_html(row, values, lang) for row in frame.itertuples()],
            "label": [html.escape(str(name)) for name in frame["name"]],
            "label_lat": label_points.y.to_numpy(),
            "label_lon": label_points.x.to_numpy(),
            "fill": [_fill(values, int(i)) for i in frame["id"]],
        },
        geometry=frame.geometry.to_numpy(),
        crs=frame.crs,
    )
    return geo.to_web(out, SIMPLIFY_M).reset_index(drop=True)


def _label_points(geometries: gpd.GeoSeries) -> list[shapely.Point]:
    """A label point inside each place, clear of the smaller places it holds."""
    points = []
    for position, geom in enumerate(geometries):
        inner = [g for g in geometries.iloc[position + 1 :] if g.intersects(geom)]
        free = geom.difference(shapely.union_all(inner)) if inner else geom
        points.append(_pole(free) if not free.is_empty else _pole(geom))
    return points


def _pole(geom) -> shapely.Point:
    """The pole of inaccessibility of the largest part: the most central inner point."""
    parts = [p for p in getattr(geom, "geoms", [geom]) if p.geom_type == "Polygon"]
    if not parts:
        return geom.representative_point()
    return polylabel(max(parts, key=lambda p: p.area), tolerance=5.0)


def _tooltip_html(row, values: Mapping[int, float | None] | None, lang: str) -> str:
    kind = PLACE_KINDS.get(row.kind, row.kind or "")
    lines = [f"<b>{html.escape(str(row.name))}</b>", html.escape(str(kind))]
    aliases = [str(a) for a in (row.aliases or [])]
    if aliases:
        lines.append(html.escape(t("map.tooltip_aliases", lang, aliases=", ".join(aliases))))
    if values is not None:
        lines.append(html.escape(_value_text(values.get(int(row.id)), lang)))
    return "<br>".join(lines)


def _value_text(value: float | None, lang: str) -> str:
    if value is None:
        return t("map.too_few_answers", lang)
    return f"{value:.1f}".replace(".", ",") if lang == "sv" else f"{value:.1f}"


def _fill(values: Mapping[int, float | None] | None, place_id: int) -> str:
    if values is None:
        return FILL
    value = values.get(place_id)
    if value is None:
        return NO_DATA
    return PALETTE[_class_of(value, [v for v in values.values() if v is not None])]


def _class_of(value: float, present: list[float]) -> int:
    """Equal-interval class of ``value`` among the present values."""
    low, high = min(present), max(present)
    if high == low:
        return len(PALETTE) // 2
    position = (value - low) / (high - low)
    return min(int(position * len(PALETTE)), len(PALETTE) - 1)


def _places_layer(web: gpd.GeoDataFrame, choropleth: bool) -> folium.GeoJson:
    fill_opacity = 0.7 if choropleth else 0.22
    features = [_feature(row) for row in web.itertuples()]
    return folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name="places",
        style_function=lambda f: {
            "color": OUTLINE,
            "weight": 3.5,
            "fillColor": f["properties"]["fill"],
            "fillOpacity": fill_opacity,
        },
        highlight_function=lambda f: {"weight": 6, "fillOpacity": fill_opacity + 0.15},
        tooltip=folium.GeoJsonTooltip(["tooltip"], labels=False, sticky=True),
        control=False,
    )


def _feature(row) -> dict:
    return {
        "type": "Feature",
        "id": str(row.place_id),
        "properties": {"place_id": row.place_id, "tooltip": row.tooltip, "fill": row.fill},
        "geometry": mapping(row.geometry),
    }


def selection_layer(places: gpd.GeoDataFrame, selected: str | None) -> folium.FeatureGroup:
    """The highlight of the selected place: a white halo under a thick orange outline.

    It takes no clicks, so the places below stay clickable. The dashboard hands it
    to ``st_folium(feature_group_to_add=...)`` so selecting a place does not reload
    the map.

    Parameters
    ----------
    places : GeoDataFrame
        The kommun's places, as for :func:`place_map`.
    selected : str, optional
        The selected place's name; None or an unknown name gives an empty layer.

    Returns
    -------
    folium.FeatureGroup
    """
    group = folium.FeatureGroup(name=t("map.selected_layer"), control=False)
    chosen = places[places["name"] == selected] if selected is not None else places.iloc[:0]
    if chosen.empty:
        return group
    shapes = mapping(geo.to_web(chosen[["geometry"]], SIMPLIFY_M).union_all())
    for color, weight in (("#ffffff", 13), (SELECTED, 7)):
        style = {"color": color, "weight": weight, "fill": color == SELECTED, "fillOpacity": 0.12}
        folium.GeoJson(
            shapes, style_function=lambda _f, s=style: s, interactive=False, control=False
        ).add_to(group)
    return group


def _legend_html(title: str, values: Mapping[int, float | None], lang: str) -> str:
    present = sorted(v for v in values.values() if v is not None)
    rows = []
    if present:
        low, high = present[0], present[-1]
        rows.append(_legend_row(PALETTE[0], _value_text(low, lang)))
        rows.append(_legend_row(PALETTE[-1], _value_text(high, lang)))
    rows.append(_legend_row(NO_DATA, t("map.too_few_answers", lang)))
    return f"<div class='trygg-legend'><b>{html.escape(title)}</b>{''.join(rows)}</div>"


def _legend_row(color: str, text: str) -> str:
    swatch = f"<span class='trygg-swatch' style='background:{color}'></span>"
    return f"<div>{swatch}{html.escape(text)}</div>"


def use_local_assets(fmap: folium.Map, static_url: str = assets.STATIC_URL) -> folium.Map:
    """Point the map's scripts and stylesheets at the dashboard's own copy of Leaflet.

    Folium's defaults fetch Leaflet, jQuery, Bootstrap and Font Awesome from CDNs;
    this map needs Leaflet only. Any other element that brings its own web assets is
    refused, so a plugin cannot slip a CDN back in.

    Raises
    ------
    ValueError
        If an element other than the map carries scripts or stylesheets.
    """
    urls = assets.asset_urls(static_url)
    fmap.default_js = urls["js"]
    fmap.default_css = urls["css"]
    for element in _walk(fmap):
        if element is not fmap and _brings_assets(element):
            raise ValueError(f"{type(element).__name__} needs web assets not served here")
    return fmap


def _brings_assets(element) -> bool:
    return isinstance(element, JSCSSMixin) and bool(element.default_js or element.default_css)


def _walk(element) -> Iterator:
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def standalone_html(fmap: folium.Map, title: str = "Trygghetskartan") -> str:
    """One self-contained HTML file: Leaflet inlined, no file fetched from anywhere.

    Only the basemap, if the map has one, is loaded from its tile server; without it
    the file needs no network at all (a projector laptop in a library hall).

    Parameters
    ----------
    fmap : folium.Map
        A map from :func:`place_map`.
    title : str
        The page title.

    Returns
    -------
    str
        The HTML document.
    """
    root = fmap.get_root()
    root.title = html.escape(title)
    page = root.render()
    for _name, url in fmap.default_js:
        page = page.replace(
            f'<script src="{url}"></script>', f"<script>{assets.inline_js()}</script>"
        )
    for _name, url in fmap.default_css:
        page = page.replace(
            f'<link rel="stylesheet" href="{url}"/>', f"<style>{assets.inline_css()}</style>"
        )
    if assets.STATIC_URL in page or "<script src=" in page:
        raise ValueError("standalone_html: a script or stylesheet link was left in the page")
    return page


class _ProjectorStyle(MacroElement):
    """Large text, a light offline background and the label and legend styles."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
          .leaflet-container { background: {{ this.background }}; font-size: 18px; }
          .leaflet-tooltip { font-size: 20px; line-height: 1.3; padding: 6px 10px;
            white-space: normal; width: max-content; max-width: 16em; }
          .leaflet-interactive:focus { outline: none; }
          .trygg-label span {
            position: absolute; visibility: hidden; white-space: nowrap;
            font: 700 19px/1.1 system-ui, sans-serif; color: #10253a;
            text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 5px #fff, 0 0 8px #fff;
            pointer-events: none;
          }
          .trygg-legend { background: #fff; padding: 8px 12px; border-radius: 6px;
            font-size: 18px; line-height: 1.5; box-shadow: 0 1px 4px rgba(0,0,0,.4); }
          .trygg-swatch { display: inline-block; width: 18px; height: 18px;
            margin-right: 8px; vertical-align: -3px; border: 1px solid #555; }
        </style>
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "ProjectorStyle"
        self.background = BACKGROUND


class _PlaceLabels(MacroElement):
    """Permanent place names, placed so they do not overlap.

    Larger places are labelled first. A label sits on its place when it fits inside,
    else beside it (right, left, below, above), never over another label or over a
    place it is not nested with; one that fits nowhere hides until the user zooms in.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
          var items = {{ this.labels|tojson }}.map(function (l) {
            var icon = L.divIcon({className: "trygg-label", html: "<span>" + l.text + "</span>",
                                  iconSize: null});
            var marker = L.marker([l.lat, l.lon], {icon: icon, interactive: false,
                                                    keyboard: false}).addTo(map);
            return {marker: marker, bounds: L.latLngBounds(l.bounds)};
          });
          function overlaps(a, b) {
            return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
          }
          function candidates(item, w, h) {
            var at = map.latLngToContainerPoint(item.marker.getLatLng());
            var sw = map.latLngToContainerPoint(item.bounds.getSouthWest());
            var ne = map.latLngToContainerPoint(item.bounds.getNorthEast());
            var gap = 5, mid = -h / 2, centre = -w / 2;
            var beside = [[ne.x - at.x + gap, mid], [sw.x - at.x - w - gap, mid],
                          [centre, sw.y - at.y + gap], [centre, ne.y - at.y - h - gap]];
            var inside = ne.x - sw.x > w && sw.y - ne.y > h;
            var offsets = inside ? [[centre, mid]].concat(beside) : beside;
            return offsets.map(function (o) {
              return {dx: o[0], dy: o[1], left: at.x + o[0], top: at.y + o[1],
                      right: at.x + o[0] + w, bottom: at.y + o[1] + h};
            });
          }
          function pixelBox(bounds) {
            var sw = map.latLngToContainerPoint(bounds.getSouthWest());
            var ne = map.latLngToContainerPoint(bounds.getNorthEast());
            return {left: sw.x, top: ne.y, right: ne.x, bottom: sw.y};
          }
          function nested(a, b) { return a.contains(b) || b.contains(a); }
          function layout() {
            var size = map.getSize(), taken = [];
            var boxes = items.map(function (item) { return pixelBox(item.bounds); });
            items.forEach(function (item) {
              var element = item.marker.getElement();
              if (!element || !element.firstChild) { return; }
              var span = element.firstChild;
              var others = boxes.filter(function (box, i) {
                return !nested(item.bounds, items[i].bounds);
              });
              var spot = candidates(item, span.offsetWidth, span.offsetHeight).find(function (c) {
                var onMap = c.left >= 0 && c.top >= 0 && c.right <= size.x && c.bottom <= size.y;
                var clash = function (other) { return overlaps(c, other); };
                return onMap && !taken.some(clash) && !others.some(clash);
              });
              span.style.visibility = spot ? "visible" : "hidden";
              if (spot) {
                span.style.transform = "translate(" + spot.dx + "px," + spot.dy + "px)";
                taken.push(spot);
              }
            });
          }
          map.on("zoomend moveend resize", layout);
          map.whenReady(function () { setTimeout(layout, 0); });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, web: gpd.GeoDataFrame):
        super().__init__()
        self._name = "PlaceLabels"
        self.labels = [
            {
                "text": row.label,
                "lat": round(row.label_lat, 6),
                "lon": round(row.label_lon, 6),
                "bounds": [[round(v, 6) for v in pair] for pair in _latlng_bounds(row.geometry)],
            }
            for row in web.itertuples()
        ]


def _latlng_bounds(geometry) -> list[list[float]]:
    west, south, east, north = geometry.bounds
    return [[south, west], [north, east]]


class _Legend(MacroElement):
    """A legend drawn as a plain Leaflet control (no branca colormap: it pulls in d3)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
          var legend = L.control({position: "bottomright"});
          legend.onAdd = function () {
            var div = L.DomUtil.create("div");
            div.innerHTML = {{ this.content|tojson }};
            return div;
          };
          legend.addTo(map);
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, content: str):
        super().__init__()
        self._name = "Legend"
        self.content = content
