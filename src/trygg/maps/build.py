"""A kommun's places and their figures → one ``folium.Map``, and that map as one file.

:func:`place_map` draws the places largest first, so a small place (Stadsparken) lies
above, and takes the clicks inside, a larger one that holds it (Laholms centrum); each
feature carries ``place_id``, so a click can be traced back to its place. Names,
the controls in the page's language and the zoom to a chosen place come from
:mod:`trygg.maps.view`; the look (large text for a projector, the hatching of
"för få svar") comes from ``templates/projector.css``. Every text has passed
:func:`~trygg.maps.inert.inert`, and the finished map passes
:func:`~trygg.maps.inert.refuse_templates`.

:func:`standalone_html` turns a built map (the one the page already shows) into one
self-contained file, so a page builds one map per rerun and the file only on request.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import folium
import geopandas as gpd
import numpy as np
import shapely
from branca.element import Element, Figure, MacroElement
from folium.elements import ElementAddToElement
from folium.template import Template
from shapely.geometry import mapping

from trygg.geometry import place_shapes, web_shapes
from trygg.maps import offline, palette, templates
from trygg.maps.choropleth import NO_POPULATION, SUPPRESSED, Choropleth, IncidentChoropleth
from trygg.maps.context import ContextLayer, add_context
from trygg.maps.inert import inert, refuse_templates, walk
from trygg.maps.layers import DensityLayer, HotspotLayer
from trygg.maps.legend import MAP_PADDING_PX, _Legend, legend_html
from trygg.maps.palette import Classes, classify
from trygg.maps.tiles import TileSource, tile_layer
from trygg.maps.view import Controls, PlaceLabels, ShowPlace
from trygg.scales import PLACE_KINDS, STORE_CRS, WEB_CRS
from trygg.strings import t

#: Where a map without places opens: the middle of Sweden.
SWEDEN = (62.0, 15.0)
#: One standalone file is rendered at a time: rendering borrows the map for a moment.
_rendering_lock = threading.Lock()


def place_map(
    places: gpd.GeoDataFrame,
    selected: str | None = None,
    *,
    tiles: TileSource | None = None,
    choropleth: Choropleth | IncidentChoropleth | None = None,
    overlays: Iterable[HotspotLayer | DensityLayer] = (),
    static_url: str = offline.STATIC_URL,
    lang: str | None = None,
    context: Iterable[ContextLayer] | None = None,
) -> folium.Map:
    """Draw a kommun's places, readable on a projector and without internet.

    Parameters
    ----------
    places : GeoDataFrame
        As from ``trygg.places.load_places``: id, name, aliases, kind, geometry, in
        EPSG:3006.
    selected : str, optional
        Name of the place to highlight (the dashboard hands the highlight to
        ``st_folium`` separately, see :func:`selection_layer`).
    tiles : TileSource, optional
        The basemap; None draws a plain light background (the offline mode).
    choropleth : Choropleth or IncidentChoropleth, optional
        A figure per place (see :func:`choropleth`, :func:`incident_choropleth`), drawn
        in classes with a legend; suppressed places are hatched grey and labelled "för
        få svar" or "färre än 3 händelser". Omitted: every place gets the same light fill.
    overlays : iterable of HotspotLayer or DensityLayer
        Grid layers drawn over the places (which are then filled more lightly), each
        with its part of the legend. They take no clicks: the places below keep them.
    static_url : str
        Where the dashboard serves its static folder (see :mod:`trygg.maps.offline`).
    lang : str
        Language of labels and tooltips.
    context : iterable of ContextLayer, optional
        Boundary, water, roads, buildings beneath the places (:mod:`trygg.maps.context`).

    Returns
    -------
    folium.Map
        Its only scripts and stylesheets are Leaflet's, under ``static_url``; every
        text in it has passed :func:`inert` (checked by :func:`refuse_templates`).

    Examples
    --------
    >>> m = place_map(load_places(engine, "1381"), "Stadsparken")  # doctest: +SKIP
    """
    overlays = list(overlays)
    web = web_places(places, choropleth, lang, faded=bool(overlays))
    fmap = folium.Map(
        SWEDEN, zoom_start=5, tiles=None, zoom_control=False, zoom_snap=0.25, zoom_delta=0.5
    )
    Controls(lang).add_to(fmap)
    if tiles is not None:
        tile_layer(tiles).add_to(fmap)
    _ProjectorStyle().add_to(fmap)
    add_context(fmap, context or ())
    if not web.empty:
        _places_layer(web).add_to(fmap)
    for overlay in overlays:
        overlay.layer(lang).add_to(fmap)
    if not web.empty:
        PlaceLabels(web, lang).add_to(fmap)
        west, south, east, north = web.total_bounds
        bounds = [[south, west], [north, east]]
        fmap.fit_bounds(bounds, padding=(MAP_PADDING_PX, MAP_PADDING_PX))
    if choropleth is not None or overlays:
        legend = legend_html(choropleth, lang, overlays)
        _Legend(legend, None if web.empty else bounds).add_to(fmap)
    if selected is not None:
        selection_layer(places, selected, zoom=False).add_to(fmap)
    offline.use_local_assets(fmap, static_url)
    return refuse_templates(fmap)


def _shapes(places: gpd.GeoDataFrame):
    """The places' web shapes: stored at import (``web_geometry``) or computed."""
    frame = _in_store_crs(places)
    if "web_geometry" not in frame.columns:
        return web_shapes(frame.geometry.array)
    labels = frame[["label_lon", "label_lat"]].to_numpy(dtype=float)
    return place_shapes(frame.geometry.array, frame["web_geometry"].to_numpy(), labels)


def web_places(
    places: gpd.GeoDataFrame,
    choropleth: Choropleth | IncidentChoropleth | None = None,
    lang: str | None = None,
    faded: bool = False,
) -> gpd.GeoDataFrame:
    """Places ready for the web: largest first, escaped texts, label points, WGS84.

    The shapes come from :func:`trygg.geometry.web_shapes` (coverage-simplified in
    metres, rounded to about a metre). With ``faded`` the places are filled lightly,
    for a grid layer drawn over them.

    Returns
    -------
    GeoDataFrame
        Columns place_id, tooltip, label, label_lat, label_lon, style, geometry in
        EPSG:4326, sorted by area, largest first; ``style`` is the Leaflet path style.
    """
    shapes = _shapes(places)
    frame = places.iloc[shapes.order]
    classes = classify(choropleth.shown_values()) if choropleth is not None else None
    return gpd.GeoDataFrame(
        {
            "place_id": [int(i) for i in frame["id"]],
            "tooltip": [_tooltip_html(row, choropleth, lang) for row in frame.itertuples()],
            "label": [inert(name) for name in frame["name"]],
            "label_lat": shapes.labels[:, 1],
            "label_lon": shapes.labels[:, 0],
            "style": [_style(choropleth, classes, int(i), faded) for i in frame["id"]],
        },
        geometry=shapes.shapes,
        crs=WEB_CRS,
    )


def _in_store_crs(places: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return places.to_crs(STORE_CRS) if places.crs is not None else places


def _tooltip_html(row, choropleth: Choropleth | IncidentChoropleth | None, lang: str) -> str:
    kind = PLACE_KINDS.get(row.kind, row.kind or "")
    lines = [f"<b>{inert(row.name)}</b>", inert(kind)]
    aliases = [str(a) for a in (row.aliases or [])]
    if aliases:
        lines.append(inert(t("map.tooltip_aliases", lang, aliases=", ".join(aliases))))
    if choropleth is not None:
        headline, details = choropleth.tooltip(int(row.id), lang)
        lines.append(f"<b>{inert(headline)}</b>")
        lines += [inert(line) for line in details]
    return "<br>".join(lines)


def _style(choropleth, classes: Classes | None, place_id: int, faded: bool = False) -> dict:
    """The Leaflet path style of one place: plain, a class colour, hatched grey or white.

    The class colour comes from ``choropleth.classes()`` (round steps by default; the
    ``classes`` handed in are not used). The fill never fades under grid layers
    (``faded`` changes nothing): the cells are outlines, so the legend still matches. A
    place significantly higher or lower than the rest of the kommun gets its mark
    (:data:`palette.MARKS`: a thick or a dotted outline), never only a colour.
    """
    if choropleth is None:
        style = {"color": palette.OUTLINE, "weight": 3.5, "fillColor": palette.FILL}
        style["fillOpacity"] = 0.22
    elif choropleth.status(place_id) == SUPPRESSED:
        style = {
            "color": palette.NO_DATA_OUTLINE,
            "weight": 3,
            "dashArray": palette.NO_DATA_DASH,
            "fillColor": palette.NO_DATA,
            "fillOpacity": 0.9,
        }
    elif choropleth.status(place_id) == NO_POPULATION:
        style = {"color": palette.OUTLINE, "weight": 3, "fillColor": palette.NEUTRAL_FILL}
        style["fillOpacity"] = 0.7
    else:
        fill = choropleth.classes().colour(choropleth.value(place_id))
        style = {"color": palette.OUTLINE, "weight": 3.5, "fillColor": fill, "fillOpacity": 0.78}
        style.update(palette.MARKS.get(choropleth.mark(place_id), {}))
    return style


def _places_layer(web: gpd.GeoDataFrame) -> folium.GeoJson:
    features = [_feature(row) for row in web.itertuples()]
    return folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name="places",
        style_function=lambda f: f["properties"]["style"],
        highlight_function=lambda f: {"weight": 6},
        tooltip=folium.GeoJsonTooltip(["tooltip"], labels=False, sticky=True),
        control=False,
    )


def _feature(row) -> dict:
    return {
        "type": "Feature",
        "id": str(row.place_id),
        "properties": {"place_id": row.place_id, "tooltip": row.tooltip, "style": row.style},
        "geometry": mapping(row.geometry),
    }


def selection_layer(
    places: gpd.GeoDataFrame, selected: str | None, *, zoom: bool = True
) -> folium.FeatureGroup:
    """The highlight of the selected place: a white halo under a thick orange outline.

    It takes no clicks, so the places below stay clickable. The dashboard hands it
    to ``st_folium(feature_group_to_add=...)`` so selecting a place does not reload
    the map. Its outline is the place's shape as the map draws it. When drawn, it
    zooms the map to the place, or with no place chosen to the whole kommun
    (:class:`~trygg.maps.view.ShowPlace`, a child of the outline, so the group holds
    the two outlines only); :func:`place_map`'s own highlight marks the place on the
    kommun's map without zooming.

    Parameters
    ----------
    places : GeoDataFrame
        The kommun's places, as for :func:`place_map`.
    selected : str, optional
        The selected place's name; None gives a layer that only shows the whole
        kommun, an unknown name an empty layer.
    zoom : bool
        Whether drawing the layer zooms the map (False: the outline only).

    Returns
    -------
    folium.FeatureGroup
    """
    group = folium.FeatureGroup(name=t("map.selected_layer"), control=False)
    if selected is None:
        if zoom and not places.empty:
            ShowPlace().add_to(group)
        return group
    chosen = np.flatnonzero((places["name"] == selected).to_numpy())
    if len(chosen) == 0:
        return group
    shapes = _shapes(places)
    drawn = shapes.shapes[np.isin(shapes.order, chosen)]
    outline = mapping(shapely.union_all(drawn))
    for color, weight in (("#ffffff", 13), (palette.SELECTED, 7)):
        style = {"color": color, "weight": weight, "fill": color == palette.SELECTED}
        style["fillOpacity"] = 0.12
        layer = folium.GeoJson(
            outline, style_function=lambda _f, s=style: s, interactive=False, control=False
        ).add_to(group)
    if zoom:
        ShowPlace(shapely.union_all(drawn)).add_to(layer)
    return refuse_templates(group)


def standalone_html(
    fmap: folium.Map,
    title: str = "Trygghetskartan",
    *,
    selection: folium.FeatureGroup | None = None,
) -> str:
    """One self-contained HTML file: Leaflet inlined, no file fetched from anywhere.

    Only the basemap, if the map has one, is loaded from its tile server; without it
    the file needs no network at all (a projector laptop in a library hall). The map
    is rendered as it is, so the map a page already shows can be reused; ``fmap`` is
    left as it was.

    Parameters
    ----------
    fmap : folium.Map
        A map from :func:`place_map`.
    title : str
        The page title.
    selection : folium.FeatureGroup, optional
        A highlight from :func:`selection_layer` to draw in the file (once, also when
        ``st_folium`` has already added it to ``fmap``).

    Returns
    -------
    str
        The HTML document.

    Examples
    --------
    A page shows one map and builds the file from it only when it is asked for:

    >>> shown = place_map(places, choropleth=layer)  # doctest: +SKIP
    >>> selection = selection_layer(places, "Stadsparken")  # doctest: +SKIP
    >>> st_folium(shown, feature_group_to_add=selection)  # doctest: +SKIP
    >>> build = lambda: standalone_html(shown, "Laholm", selection=selection)  # doctest: +SKIP
    """
    with _rendering_lock, _on_a_page_of_its_own(fmap, selection) as page:
        page.title = inert(title)
        # The file's visible title, over the map (a projector shows no browser tab).
        page.html.add_child(Element(f"<h1 style='{FILE_TITLE_STYLE}'>{inert(title)}</h1>"))
        html = page.render()
    return offline.inline_assets(html, fmap)


#: The downloaded file's title: top centre over the map, readable on a projector.
FILE_TITLE_STYLE = (
    "position:absolute;top:8px;left:50%;transform:translateX(-50%);z-index:1000;margin:0;"
    "padding:4px 14px;background:rgba(255,255,255,0.92);color:#121110;"
    "font:600 26px/1.25 system-ui,sans-serif;border-radius:4px"
)


@contextmanager
def _on_a_page_of_its_own(fmap: folium.Map, selection) -> Iterator[Figure]:
    """``fmap``, with ``selection`` added, on a fresh page; afterwards both are put back.

    A fresh page, since folium adds to the page it renders on: a map already rendered
    for ``st_folium`` would otherwise add every layer to the map a second time. For the
    same reason the layers' "add me to my parent" parts from earlier renders go first:
    ``st_folium`` renames the elements, and a part naming a layer by its old name would
    stop the page's script. The file opens on the whole kommun, the chosen place
    outlined: the selection's zoom (:class:`~trygg.maps.view.ShowPlace`) stays out.
    """
    for element in walk(fmap):
        for key, child in list(element._children.items()):
            if isinstance(child, ElementAddToElement):
                del element._children[key]
    parent, children = fmap._parent, dict(fmap._children)
    added = selection is not None and selection not in children.values()
    if added:
        selection_parent = selection._parent
        selection.add_to(fmap)
    zooms = [
        (element, key, child)
        for element in walk(fmap)
        for key, child in list(element._children.items())
        if isinstance(child, ShowPlace)
    ]
    for element, key, _child in zooms:
        del element._children[key]
    page = Figure()
    page.add_child(fmap)
    try:
        yield page
    finally:
        for element, key, child in zooms:
            element._children[key] = child
        fmap._parent = parent
        fmap._children.clear()
        fmap._children.update(children)
        if added:
            selection._parent = selection_parent


class _ProjectorStyle(MacroElement):
    """Large text, a light offline background, the label and legend styles, the hatching.

    The stylesheet is ``templates/projector.css``; its colours are custom properties set
    here from :mod:`trygg.maps.palette`. The hatch is an SVG pattern in the page;
    Leaflet's paths refer to it by id.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        :root { {{ this.properties }} }
        {{ this.css }}
        </style>
        {% endmacro %}
        {% macro html(this, kwargs) %}
        <svg width="0" height="0" style="position:absolute" aria-hidden="true">
          <defs>
            <pattern id="{{ this.hatch_id }}" width="8" height="8"
                     patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
              <rect width="8" height="8" fill="{{ this.hatch_light }}"></rect>
              <rect width="2.5" height="8" fill="{{ this.hatch_line }}"></rect>
            </pattern>
          </defs>
        </svg>
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "ProjectorStyle"
        self.css = templates.source("projector.css")
        colours = {
            "background": palette.BACKGROUND,
            "hatch-light": palette.HATCH_LIGHT,
            "hatch-line": palette.HATCH_LINE,
            "no-data-outline": palette.NO_DATA_OUTLINE,
        }
        self.properties = " ".join(f"--trygg-{name}: {value};" for name, value in colours.items())
        self.hatch_id = palette.HATCH_ID
        self.hatch_light = palette.HATCH_LIGHT
        self.hatch_line = palette.HATCH_LINE
