"""Pure map building: places, a figure per place and grid layers → ``folium.Map``.

Nothing here imports streamlit or touches the network (except :func:`host_reachable`,
the one bounded check whether a tile server answers). The maps load Leaflet from the
dashboard's own static files (:mod:`trygg.maps.offline`), never from a CDN.

One room per concern:

- :mod:`~trygg.maps.metrics`: what a map can show and its name;
- :mod:`~trygg.maps.palette`: colours and classes (Fisher–Jenks);
- :mod:`~trygg.maps.choropleth`: a figure per place, suppressed places never a number;
- :mod:`~trygg.maps.layers`: Gi* hot spots and density, areas only, never raw points;
- :mod:`~trygg.maps.legend`: the legend;
- :mod:`~trygg.geometry`: simplified shapes and label points;
- :mod:`~trygg.maps.build`: the map and the standalone file;
- :mod:`~trygg.maps.view`: the controls in the page's language, the place names, the
  zoom to a chosen place;
- :mod:`~trygg.maps.inert`: the text chokepoint (:func:`inert`, :func:`refuse_templates`);
- :mod:`~trygg.maps.tiles`, :mod:`~trygg.maps.offline`: basemap and offline assets;
- ``templates/``: the stylesheet and scripts, as plain ``.css`` and ``.js`` files.

The names below are the package's public face: ``from trygg import maps`` and
``maps.place_map(...)``.
"""

from trygg.geometry import SIMPLIFY_M, WebShapes, forget_web_shapes, web_shapes
from trygg.maps.build import SWEDEN, place_map, selection_layer, standalone_html, web_places
from trygg.maps.choropleth import (
    NO_INCIDENTS,
    NO_POPULATION,
    SHOWN,
    SUPPRESSED,
    Choropleth,
    IncidentChoropleth,
    choropleth,
    incident_choropleth,
)
from trygg.maps.inert import JINJA_MARKUP, inert, refuse_templates, walk
from trygg.maps.layers import DensityLayer, HotspotLayer
from trygg.maps.legend import MAP_PADDING_PX, legend_html
from trygg.maps.metrics import (
    INCIDENT_PREFIX,
    INCIDENT_RATE,
    INCIDENT_TOTAL,
    incident_about,
    incident_category,
    incident_label,
    incident_options,
    indicator_about,
    indicator_label,
    is_incident_metric,
    item_label,
    metric_options,
)
from trygg.maps.offline import STATIC_URL, ensure_assets, host_reachable, use_local_assets
from trygg.maps.palette import (
    BACKGROUND,
    DENSITY_OPACITY,
    DENSITY_PALETTE,
    FADED_OPACITY,
    FILL,
    HATCH_ID,
    HATCH_LIGHT,
    HATCH_LINE,
    HOTSPOT_COLOURS,
    HOTSPOT_OPACITY,
    MAX_CLASSES,
    NEUTRAL_FILL,
    NO_DATA,
    NO_DATA_DASH,
    NO_DATA_OUTLINE,
    OUTLINE,
    PALETTE,
    PALETTES,
    SELECTED,
    Classes,
    classify,
    heat_css,
)
from trygg.maps.tiles import (
    OSM_URL,
    TILE_MODES,
    TileSource,
    choose_tiles,
    osm_tiles,
    tiles_from_env,
)

__all__ = [
    "BACKGROUND",
    "DENSITY_OPACITY",
    "DENSITY_PALETTE",
    "FADED_OPACITY",
    "FILL",
    "HATCH_ID",
    "HATCH_LIGHT",
    "HATCH_LINE",
    "HOTSPOT_COLOURS",
    "HOTSPOT_OPACITY",
    "INCIDENT_PREFIX",
    "INCIDENT_RATE",
    "INCIDENT_TOTAL",
    "JINJA_MARKUP",
    "MAP_PADDING_PX",
    "MAX_CLASSES",
    "NEUTRAL_FILL",
    "NO_DATA",
    "NO_DATA_DASH",
    "NO_DATA_OUTLINE",
    "NO_INCIDENTS",
    "NO_POPULATION",
    "OSM_URL",
    "OUTLINE",
    "PALETTE",
    "PALETTES",
    "SELECTED",
    "SHOWN",
    "SIMPLIFY_M",
    "STATIC_URL",
    "SUPPRESSED",
    "SWEDEN",
    "TILE_MODES",
    "Choropleth",
    "Classes",
    "DensityLayer",
    "HotspotLayer",
    "IncidentChoropleth",
    "TileSource",
    "WebShapes",
    "choose_tiles",
    "choropleth",
    "classify",
    "ensure_assets",
    "forget_web_shapes",
    "heat_css",
    "host_reachable",
    "incident_about",
    "incident_category",
    "incident_choropleth",
    "incident_label",
    "incident_options",
    "indicator_about",
    "indicator_label",
    "inert",
    "is_incident_metric",
    "item_label",
    "legend_html",
    "metric_options",
    "osm_tiles",
    "place_map",
    "refuse_templates",
    "selection_layer",
    "standalone_html",
    "tiles_from_env",
    "use_local_assets",
    "walk",
    "web_places",
    "web_shapes",
]
