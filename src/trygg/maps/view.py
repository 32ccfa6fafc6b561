"""What a reader does with the map: its controls in the page's language, the place names,
and a view that follows the chosen place.

- :class:`Controls`: Leaflet's zoom buttons with titles from the catalogue ("Zooma in"),
  a metric-only scale bar (Leaflet's own shows mi/ft too) and the attribution prefix;
- :class:`PlaceLabels`: a name on each place at its label point, fixed at import (so
  it never moves with the metric), a name on hover and keyboard focus, the button
  "Visa hela kommunen", drawn by ``tryggPlaceLabels`` in ``templates/labels.js``;
- :class:`ShowPlace`: part of the selection layer; when the layer is drawn the map is
  fitted to the chosen place (or to every place), so ``st_folium`` zooms without
  reloading the map (its ``feature_group_to_add`` is drawn again when it changes).

Texts reach the page as JSON; the ones read as HTML have passed
:func:`~trygg.maps.inert.inert`, the others are set as plain text by the script.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np
import shapely
from branca.element import MacroElement
from folium.template import Template

from trygg.geometry import WEB_DECIMALS
from trygg.maps import templates
from trygg.maps.inert import inert
from trygg.maps.legend import MAP_PADDING_PX
from trygg.strings import t

#: The closest the map zooms in on a chosen place (a small park still shows its streets).
MAX_PLACE_ZOOM = 17


def _bounds(west: float, south: float, east: float, north: float) -> list[list[float]]:
    """Leaflet's ``[[south, west], [north, east]]``, rounded like the shapes."""
    return np.round([[south, west], [north, east]], WEB_DECIMALS).tolist()


class Controls(MacroElement):
    """Zoom buttons, a metric scale bar and the attribution prefix, in ``lang``."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.control.zoom({{ this.zoom|tojson }}).addTo({{ this._parent.get_name() }});
        L.control.scale({imperial: false, metric: true, maxWidth: 160})
            .addTo({{ this._parent.get_name() }});
        if ({{ this._parent.get_name() }}.attributionControl) {
            {{ this._parent.get_name() }}.attributionControl.setPrefix({{ this.prefix|tojson }});
        }
        {% endmacro %}
        """
    )

    def __init__(self, lang: str | None = None):
        super().__init__()
        self._name = "Controls"
        self.zoom = {
            "position": "topleft",
            "zoomInTitle": t("map.zoom_in", lang),
            "zoomOutTitle": t("map.zoom_out", lang),
        }
        self.prefix = inert(t("map.attribution_prefix", lang))


class PlaceLabels(MacroElement):
    """Permanent place names, the focusable places and the whole-kommun button, drawn
    by ``tryggPlaceLabels`` in ``templates/labels.js`` (larger places first)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.code }}
        tryggPlaceLabels({{ this.labels|tojson }}, {{ this.options|tojson }},
                         {{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, web: gpd.GeoDataFrame, lang: str | None = None):
        super().__init__()
        self._name = "PlaceLabels"
        self.code = templates.source("labels.js")
        self.labels = [
            {
                "place_id": int(place_id),
                "text": text,
                "lat": round(float(lat), WEB_DECIMALS),
                "lon": round(float(lon), WEB_DECIMALS),
                "bounds": _bounds(*box),
            }
            for place_id, text, lat, lon, box in zip(
                web["place_id"],
                web["label"],
                web["label_lat"],
                web["label_lon"],
                shapely.bounds(web.geometry.array).tolist(),
                strict=True,
            )
        ]
        self.options = {
            "reset": t("map.show_whole_kommun", lang),
            "pad": MAP_PADDING_PX,
            "maxZoom": MAX_PLACE_ZOOM,
        }


class ShowPlace(MacroElement):
    """Fits its map to ``bounds`` (None: to every place) when drawn, through the
    ``tryggShow`` that :class:`PlaceLabels` gives the map; a map without places has
    none and stays as it is."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        if ({{ this.map_name }}.tryggShow) {
            {{ this.map_name }}.tryggShow({{ this.bounds|tojson }});
        }
        {% endmacro %}
        """
    )

    def __init__(self, shape=None):
        super().__init__()
        self._name = "ShowPlace"
        self.bounds = None if shape is None else _bounds(*shapely.bounds(shape).tolist())

    @property
    def map_name(self) -> str:
        """The name of the map this element is drawn on, however deep it sits."""
        element = self._parent
        while not isinstance(element, folium.Map):
            element = element._parent
        return element.get_name()
