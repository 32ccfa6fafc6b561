"""Context beneath the places: boundary, water, roads and buildings in neutral greys.

The layers lie in a pane of their own below Leaflet's overlay pane, so every place is
drawn above them; they take no clicks, hovers or keyboard focus. Each path carries the
CSS classes ``trygg-context`` and ``trygg-context-<kind>``. A layer may name where it
comes from (the demo's approximate outline and sea say so), shown as its attribution.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import folium
import shapely
from folium.map import CustomPane
from folium.utilities import JsCode
from shapely.geometry import mapping

from trygg.maps.inert import inert
from trygg.store.batches import DEMO_USER
from trygg.strings import t

#: The pane holding the context: above the tiles (200), below the places (400).
PANE = "tryggContext"
PANE_Z_INDEX = 350
CSS_CLASS = "trygg-context"
#: A context path keeps no ``feature``: on the map, a layer with a feature is a place.
FORGET_FEATURE = JsCode("function (_feature, layer) { delete layer.feature; }")
#: Drawing order, lowest first, and each kind's neutral style.
STYLES: dict[str, dict] = {
    "bebyggelse": {"color": "#c9c9c9", "weight": 0.5, "fillColor": "#dcdcdc", "fillOpacity": 0.8},
    "vatten": {"color": "#aebfca", "weight": 1, "fillColor": "#cfdde6", "fillOpacity": 1},
    "vag": {"color": "#ffffff", "weight": 2.5, "fill": False, "opacity": 0.95},
    "grans": {"color": "#5a5a5a", "weight": 2, "fill": False, "dashArray": "8 4 2 4"},
}


@dataclass(frozen=True)
class ContextLayer:
    """One kind of context for a kommun: WGS84 shapes, their names, and a source note."""

    kind: str
    shapes: tuple[shapely.Geometry, ...]
    names: tuple[str | None, ...] = ()
    note: str | None = None


def context_layers(rows: Iterable[tuple], lang: str | None = None) -> list[ContextLayer]:
    """Group stored features (``store.reads.context_features``) into layers, in drawing order.

    A layer's note is its batch's source; the demo's layers get the catalogue's words for
    what they are (approximate), in ``lang``.

    Parameters
    ----------
    rows : iterable of (kind, name, web_wkb, source, uploaded_by)
    lang : str, optional
        Language of the demo's notes.

    Examples
    --------
    >>> square = shapely.to_wkb(shapely.Point(13.0, 56.5).buffer(0.01))
    >>> rows = [("grans", None, square, None, "anna"), ("vatten", "Sjö", square, "LM", "anna")]
    >>> [(layer.kind, layer.note) for layer in context_layers(rows)]
    [('vatten', 'LM'), ('grans', None)]
    """
    grouped: dict[str, list] = {}
    notes: dict[str, str | None] = {}
    for kind, name, wkb, source, uploaded_by in rows:
        grouped.setdefault(kind, []).append((name, shapely.from_wkb(wkb)))
        demo = uploaded_by == DEMO_USER
        notes[kind] = t(f"ctx.demo_note_{kind}", lang) if demo else source
    return [
        ContextLayer(
            kind,
            tuple(shape for _name, shape in grouped[kind]),
            tuple(name for name, _shape in grouped[kind]),
            notes[kind],
        )
        for kind in STYLES
        if kind in grouped
    ]


def add_context(fmap: folium.Map, layers: Iterable[ContextLayer]) -> None:
    """Add the context pane and, in one group, a non-interactive GeoJSON layer per kind."""
    layers = [layer for layer in layers if layer.shapes]
    if not layers:
        return
    CustomPane(PANE, z_index=PANE_Z_INDEX, pointer_events=False).add_to(fmap)
    group = folium.FeatureGroup(name="context", control=False).add_to(fmap)
    for layer in layers:
        _geojson(layer).add_to(group)


def path_style(kind: str) -> dict:
    """The Leaflet path options of a kind: its style and the two CSS classes.

    Examples
    --------
    >>> path_style("vatten")["className"]
    'trygg-context trygg-context-vatten'
    """
    return {**STYLES[kind], "className": f"{CSS_CLASS} {CSS_CLASS}-{kind}"}


def _geojson(layer: ContextLayer) -> folium.GeoJson:
    names = layer.names or (None,) * len(layer.shapes)
    features = [
        {
            "type": "Feature",
            "properties": {"name": inert(name) if name else ""},
            "geometry": mapping(shape),
        }
        for shape, name in zip(layer.shapes, names, strict=True)
    ]
    style = path_style(layer.kind)
    extra = {"attribution": inert(layer.note)} if layer.note else {}
    return folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=f"context-{layer.kind}",
        style_function=lambda _feature: style,
        control=False,
        on_each_feature=FORGET_FEATURE,
        interactive=False,
        pane=PANE,
        **extra,
    )
