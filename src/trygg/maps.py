"""Pure map building: places, a figure per place and grid layers → ``folium.Map``.

Nothing here imports streamlit or touches the network. The maps load Leaflet from the
dashboard's own static files (see :mod:`trygg.assets`), never from a CDN.

Every text that reaches the map passes through :func:`inert` first. Folium's tooltips,
Leaflet's labels and the legend insert text as HTML, and branca renders each element's
output a second time as a Jinja template, so a place named ``{{7*7}}`` would show 49
(and a cleverer name would run code on the server). :func:`inert` escapes HTML and
writes braces as character references, which the browser shows as braces and Jinja
never sees; :func:`place_map` then refuses any element that still holds Jinja markup.

A choropleth colours each place by one figure, a survey share of
:func:`trygg.stats.compute_stats` (:class:`Choropleth`) or an incident count or rate of
:func:`trygg.figures.place_figures` (:class:`IncidentChoropleth`), in at most five
classes found by Fisher–Jenks natural breaks (:func:`classify`). A place whose figure
is suppressed is hatched grey with a dashed outline and says "för få svar" or "färre
än 3 händelser": never a colour of the scale, never a number.

Incidents reach the map only as places, as grid cells of the Gi* hot-spot analysis
(:class:`HotspotLayer`) or as a smoothed density (:class:`DensityLayer`); a layer
refuses any geometry that is not an area, so raw incident points never do.
"""

from __future__ import annotations

import bisect
import html
import re
import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import folium
import geopandas as gpd
import mapclassify
import numpy as np
import shapely
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template
from shapely.geometry import mapping
from shapely.ops import polylabel

from trygg import assets, formatting, geo, settings
from trygg.errors import TryggError
from trygg.scales import (
    INCIDENT_CATEGORIES,
    ITEM_LABELS,
    ITEM_SCALES,
    MIN_INCIDENTS_PUBLIC,
    MIN_N,
    PLACE_KINDS,
    STORE_CRS,
)
from trygg.stats import figure_of
from trygg.strings import t

OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
#: ``auto`` shows the basemap when its server answers, ``on`` always, ``off`` never.
TILE_MODES = ("auto", "on", "off")

#: Simplification tolerance for the web, in metres (applied in EPSG:3006).
SIMPLIFY_M = 3.0
OUTLINE = "#16324f"
FILL = "#3d7ab8"
SELECTED = "#e8590c"
#: At most this many classes; ColorBrewer's OrRd ramp (light → dark) for each count.
MAX_CLASSES = 5
PALETTES: dict[int, tuple[str, ...]] = {
    1: ("#fc8d59",),
    2: ("#fdbb84", "#d7301f"),
    3: ("#fee8c8", "#fdbb84", "#e34a33"),
    4: ("#fef0d9", "#fdcc8a", "#fc8d59", "#d7301f"),
    5: ("#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000"),
}
PALETTE = PALETTES[MAX_CLASSES]
#: Suppressed places ("för få svar"): light grey hatching, a dashed grey outline.
#: The plain grey after the pattern is SVG's fallback paint if the pattern is missing.
HATCH_ID = "trygg-hatch"
HATCH_LIGHT = "#ececec"
HATCH_LINE = "#a3a3a3"
NO_DATA = f"url(#{HATCH_ID}) {HATCH_LIGHT}"
NO_DATA_OUTLINE = "#6e6e6e"
NO_DATA_DASH = "10 7"
BACKGROUND = "#f3f1ec"
#: Places whose rate cannot be computed (no population): white, not on the scale.
NEUTRAL_FILL = "#ffffff"
#: The places' fill while a grid layer lies over them, so the cells stand out.
FADED_OPACITY = 0.3
#: Getis-Ord Gi* bins (ColorBrewer RdBu): red shades hot, blue shades cold. Bin 0 (not
#: significant) has no colour and is never sent to the browser.
HOTSPOT_COLOURS: dict[int, str] = {
    3: "#b2182b",
    2: "#d6604d",
    1: "#f4a582",
    -1: "#92c5de",
    -2: "#4393c3",
    -3: "#2166ac",
}
HOTSPOT_OPACITY = 0.8
#: The density ramp (ColorBrewer Purples, light → dark), drawn semi-transparent.
DENSITY_PALETTE = ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f")
DENSITY_OPACITY = 0.55
#: Incident metrics: the count, the rate per 1 000 inhabitants, one category's count.
INCIDENT_TOTAL = "handelser"
INCIDENT_RATE = "handelser_per_1000"
INCIDENT_PREFIX = "handelser_"
#: How a place without a value on the scale is drawn (:meth:`Choropleth.status`).
SHOWN, SUPPRESSED, NO_POPULATION = "shown", "suppressed", "no_population"
#: Room kept free around the places when the map opens (and beside the legend).
MAP_PADDING_PX = 24
#: Where a map without places opens: the middle of Sweden.
SWEDEN = (62.0, 15.0)


#: What starts Jinja markup: an expression, a statement or a comment.
JINJA_MARKUP = re.compile(r"\{[{%#]")
#: Attributes of an element that are not its data (walked separately or code).
NOT_DATA = frozenset({"_parent", "_children", "_template", "_template_str"})


def inert(text) -> str:
    """``text`` as HTML that shows it literally and that Jinja reads as plain text.

    HTML is escaped and ``{``/``}`` become ``&#123;``/``&#125;``: the browser shows
    braces, while branca's second rendering pass finds no ``{{``, ``{%`` or ``{#``.
    Every text from data or the catalogue goes through here on its way to folium.

    Parameters
    ----------
    text : object
        Any text (or value, shown as its ``str``).

    Returns
    -------
    str
        HTML for an ``innerHTML``, a tooltip or a ``<title>``.

    Examples
    --------
    >>> inert("{{7*7}} <b>")
    '&#123;&#123;7*7&#125;&#125; &lt;b&gt;'
    """
    return html.escape(str(text)).replace("{", "&#123;").replace("}", "&#125;")


def refuse_templates(element):
    """Raise if ``element`` or anything below it holds text that Jinja would evaluate.

    A last guard behind :func:`inert`: a text that reached folium some other way fails
    here, in Python, instead of being run as a template when the map is rendered.

    Parameters
    ----------
    element : branca.element.Element
        A map, or a layer handed to the page on its own.

    Returns
    -------
    branca.element.Element
        ``element`` itself, unchanged.

    Raises
    ------
    ValueError
        Naming the element whose data holds ``{{``, ``{%`` or ``{#``.
    """
    for part in _walk(element):
        found = _jinja_text({k: v for k, v in vars(part).items() if k not in NOT_DATA})
        if found is not None:
            raise ValueError(f"{type(part).__name__} holds Jinja markup: {found[:80]!r}")
    return element


def _jinja_text(value) -> str | None:
    """The first string in ``value`` (nested dicts, lists, tuples) with Jinja markup."""
    if isinstance(value, str):
        return value if JINJA_MARKUP.search(value) else None
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, (list, tuple)):
        for item in value:
            found = _jinja_text(item)
            if found is not None:
                return found
    return None


@dataclass(frozen=True)
class TileSource:
    """A basemap: an XYZ URL template, its attribution and a short label for the UI."""

    url: str
    attribution: str
    label: str


@dataclass(frozen=True)
class Choropleth:
    """One survey figure per place, as the map shows it.

    Attributes
    ----------
    title : str
        What is shown, in plain words (the legend's heading).
    figures : Mapping
        Place id → ``{"andel", "n", "ki_lag", "ki_hog", "suppressed"}`` (a share 0–1).
        A place missing here is drawn as "för få svar" with n = 0.
    year : int, optional
        The survey year, stated in the legend.
    about : str
        One line saying which answers count.
    synthetic : bool
        The legend says "syntetiska demodata" when true.
    min_n : int
        The suppression threshold, named in the legend.
    """

    title: str
    figures: Mapping[int, Mapping]
    year: int | None = None
    about: str = ""
    synthetic: bool = False
    min_n: int = MIN_N

    def figure(self, place_id: int) -> Mapping:
        found = self.figures.get(place_id)
        return found or {"n": 0, "andel": None, "ki_lag": None, "ki_hog": None, "suppressed": True}

    def status(self, place_id: int) -> str:
        """:data:`SHOWN`, or :data:`SUPPRESSED` when there are too few answers."""
        figure = self.figure(place_id)
        return SUPPRESSED if figure["suppressed"] or figure["andel"] is None else SHOWN

    def value(self, place_id: int) -> float | None:
        return self.figure(place_id)["andel"] if self.status(place_id) == SHOWN else None

    def shown_values(self) -> list[float]:
        """The values that reach the map: every unsuppressed figure's share."""
        return [v for v in map(self.value, self.figures) if v is not None]

    def tooltip(self, place_id: int, lang: str = "sv") -> tuple[str, list[str]]:
        """The headline ("32,1 %" or "för få svar") and the lines under it (n, interval)."""
        texts = formatting.describe(self.figure(place_id), lang)
        return texts["value"], [texts[key] for key in ("n", "interval") if texts[key]]

    def range_text(self, low: float, high: float, lang: str = "sv") -> str:
        return formatting.share_range(low, high, lang)

    def missing_rows(self, lang: str = "sv") -> list[tuple[str, str]]:
        """Legend rows for places off the scale: ``(status, text)``."""
        return [(SUPPRESSED, t("map.legend_too_few", lang, min_n=self.min_n))]

    #: What the legend calls synthetic when ``synthetic`` is true (see :func:`legend_html`).
    synthetic_kind = "answers"


#: The incident block of a place the figures do not mention: nothing happened there.
NO_INCIDENTS = {"total": 0, "by_category": {}, "per_1000_inv": None, "suppressed": False}


@dataclass(frozen=True)
class IncidentChoropleth:
    """One incident figure per place: the count, the rate per 1 000, or one category.

    Attributes
    ----------
    title, year, about, synthetic
        As for :class:`Choropleth`.
    metric : str
        :data:`INCIDENT_TOTAL`, :data:`INCIDENT_RATE` or ``INCIDENT_PREFIX + category``.
    blocks : Mapping
        Place id → the ``incidents`` block of :func:`trygg.figures.place_figures`.
    previous : Mapping, optional
        Place id → the previous period's block; the tooltip then gives that count.
    previous_label : str
        The previous period's name in the tooltip ("2023").
    k : int
        The public threshold: a suppressed count says "färre än k", never a number.
    """

    title: str
    metric: str
    blocks: Mapping[int, Mapping]
    previous: Mapping[int, Mapping] | None = None
    previous_label: str = ""
    year: int | None = None
    about: str = ""
    synthetic: bool = False
    k: int = MIN_INCIDENTS_PUBLIC

    def count(self, block: Mapping) -> int | None:
        """The metric's count in ``block`` (the total for a rate); None when suppressed."""
        category = incident_category(self.metric)
        return block["total"] if category is None else block["by_category"].get(category, 0)

    def status(self, place_id: int) -> str:
        block = self.blocks.get(place_id, NO_INCIDENTS)
        if self.count(block) is None:
            return SUPPRESSED
        if self.metric == INCIDENT_RATE and block["per_1000_inv"] is None:
            return NO_POPULATION
        return SHOWN

    def value(self, place_id: int) -> float | None:
        if self.status(place_id) != SHOWN:
            return None
        block = self.blocks.get(place_id, NO_INCIDENTS)
        return block["per_1000_inv"] if self.metric == INCIDENT_RATE else self.count(block)

    def shown_values(self) -> list[float]:
        return [v for v in map(self.value, self.blocks) if v is not None]

    def tooltip(self, place_id: int, lang: str = "sv") -> tuple[str, list[str]]:
        """The headline ("12 händelser", "4,2 per 1 000 invånare", "färre än 3 händelser")
        and the lines under it: the count behind a rate, the previous period's count."""
        count = self.count(self.blocks.get(place_id, NO_INCIDENTS))
        status, details = self.status(place_id), []
        if self.metric == INCIDENT_RATE and status != SUPPRESSED:
            rate = self.value(place_id)
            headline = (
                t("fmt.no_population", lang) if rate is None else formatting.per_1000(rate, lang)
            )
            details.append(formatting.incidents(count, self.k, lang))
        else:
            headline = formatting.incidents(count, self.k, lang)
        if self.previous is not None:
            before = self.count(self.previous.get(place_id, NO_INCIDENTS))
            text = formatting.incidents(before, self.k, lang)
            details.append(t("fmt.previous_period", lang, period=self.previous_label, value=text))
        return headline, details

    def range_text(self, low: float, high: float, lang: str = "sv") -> str:
        decimals = 1 if self.metric == INCIDENT_RATE else 0
        return formatting.number_range(low, high, decimals, lang)

    def missing_rows(self, lang: str = "sv") -> list[tuple[str, str]]:
        statuses = {self.status(place_id) for place_id in self.blocks}
        rows = []
        if SUPPRESSED in statuses:
            rows.append((SUPPRESSED, t("map.legend_fewer_incidents", lang, k=self.k)))
        if NO_POPULATION in statuses:
            rows.append((NO_POPULATION, t("map.legend_no_population", lang)))
        return rows

    synthetic_kind = "incidents"


@dataclass(frozen=True)
class Classes:
    """Classes of values: class i holds the values in ``(bins[i-1], bins[i]]``.

    ``ranges`` are the smallest and largest value actually in each class, for the
    legend; ``colours`` the fill of each class.
    """

    bins: tuple[float, ...]
    ranges: tuple[tuple[float, float], ...]

    @property
    def colours(self) -> tuple[str, ...]:
        return PALETTES.get(len(self.bins), ())

    def index(self, value: float) -> int:
        """The class of ``value``; values above the last bin go in the last class."""
        return min(bisect.bisect_left(self.bins, value), len(self.bins) - 1)

    def colour(self, value: float) -> str:
        return self.colours[self.index(value)]


def classify(values: Iterable[float], k: int = MAX_CLASSES) -> Classes:
    """Group ``values`` into at most ``k`` classes by Fisher–Jenks natural breaks.

    With ``k`` or fewer distinct values, each distinct value is its own class, so one
    or two places still get a sensible (and honest) colouring.

    Parameters
    ----------
    values : iterable of float
        The unsuppressed values; None is not allowed here.
    k : int
        The largest number of classes (at most :data:`MAX_CLASSES`).

    Returns
    -------
    Classes

    Examples
    --------
    >>> classify([10, 11, 12, 50, 52, 90], k=3).bins
    (12.0, 52.0, 90.0)
    >>> classify([0.3, 0.3]).bins
    (0.3,)
    """
    present = np.sort(np.asarray(list(values), dtype=float))
    distinct = np.unique(present)
    k = min(k, MAX_CLASSES, len(distinct))
    if k == 0:
        return Classes((), ())
    if k == len(distinct):
        bins = tuple(float(v) for v in distinct)
    else:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Numba not installed", UserWarning)
            bins = tuple(float(b) for b in mapclassify.FisherJenks(present, k=k).bins)
    highs = [float(present[np.searchsorted(present, b, side="right") - 1]) for b in bins]
    lows = [float(present[0])] + [
        float(present[np.searchsorted(present, b, side="right")]) for b in bins[:-1]
    ]
    return Classes(bins, tuple(zip(lows, highs, strict=True)))


def indicator_label(indicator: str, lang: str = "sv") -> str:
    """The plain-language name of a figure: "Problem: Nedskräpning".

    Examples
    --------
    >>> indicator_label("oro_inbrott")
    'Oro: Inbrott i bostaden'
    """
    if indicator == "andel_otrygga":
        return t("map.metric_andel_otrygga", lang)
    return t(f"map.metric_{indicator.split('_', 1)[0]}", lang, item=item_label(indicator))


def item_label(indicator: str) -> str:
    """The item's own name, without "Problem:" or "Oro:": "Nedskräpning"."""
    slug = indicator.split("_", 1)[1]
    return ITEM_LABELS.get(slug, slug.replace("_", " ").capitalize())


def indicator_about(indicator: str, lang: str = "sv") -> str:
    """One line saying which answers a figure counts."""
    key = "andel_otrygga" if indicator == "andel_otrygga" else indicator.split("_", 1)[0]
    return t(f"map.about_{key}", lang)


def metric_options(figures: Mapping, lang: str = "sv") -> dict[str, str]:
    """The figures a map can show for ``figures``: name → label.

    The survey's core question first, then the problem items, then the worry items,
    each in alphabetical order of their label; then, when ``figures`` come from
    :func:`trygg.figures.place_figures`, the incident metrics (:func:`incident_options`).
    """
    items = [i for i in figures["kommun_total"] if i != "andel_otrygga"]
    prefixes = list(ITEM_SCALES)
    items.sort(key=lambda i: (prefixes.index(i.split("_", 1)[0]), indicator_label(i, lang)))
    survey = ["andel_otrygga", *items] if figures["kommun_total"] else []
    return {**{i: indicator_label(i, lang) for i in survey}, **incident_options(figures, lang)}


def incident_options(figures: Mapping, lang: str = "sv") -> dict[str, str]:
    """The incident metrics: count, rate per 1 000, then each category the kommun has.

    Examples
    --------
    >>> incident_options({"kommun_incidents": {"by_category": {"narkotika": 4}}})
    ... # doctest: +NORMALIZE_WHITESPACE
    {'handelser': 'Händelser (antal)', 'handelser_per_1000': 'Händelser per 1 000 invånare',
     'handelser_narkotika': 'Händelser: Narkotika'}
    """
    if "kommun_incidents" not in figures:
        return {}
    present = figures["kommun_incidents"]["by_category"]
    metrics = [INCIDENT_TOTAL, INCIDENT_RATE]
    metrics += [INCIDENT_PREFIX + c for c in INCIDENT_CATEGORIES if c in present]
    return {metric: incident_label(metric, lang) for metric in metrics}


def is_incident_metric(metric: str) -> bool:
    return metric == INCIDENT_TOTAL or metric.startswith(INCIDENT_PREFIX)


def incident_category(metric: str) -> str | None:
    """The category of a per-category metric ("handelser_narkotika" → "narkotika")."""
    if metric in (INCIDENT_TOTAL, INCIDENT_RATE):
        return None
    return metric.removeprefix(INCIDENT_PREFIX)


def incident_label(metric: str, lang: str = "sv") -> str:
    """The plain-language name of an incident metric: "Händelser: Narkotika"."""
    if metric == INCIDENT_TOTAL:
        return t("map.metric_incidents", lang)
    if metric == INCIDENT_RATE:
        return t("map.metric_incidents_rate", lang)
    category = incident_category(metric)
    return t("map.metric_incidents_category", lang, category=INCIDENT_CATEGORIES[category])


def _incident_about(metric: str, lang: str) -> str:
    key = {INCIDENT_TOTAL: "incidents", INCIDENT_RATE: "incidents_rate"}.get(metric)
    return t(f"map.about_{key or 'incidents_category'}", lang)


def choropleth(figures: Mapping, indicator: str = "andel_otrygga", lang: str = "sv") -> Choropleth:
    """The choropleth of one indicator from :func:`trygg.stats.compute_stats` output."""
    return Choropleth(
        title=indicator_label(indicator, lang),
        figures={p["place_id"]: figure_of(p["survey"], indicator) for p in figures["places"]},
        year=figures["year"],
        about=indicator_about(indicator, lang),
        synthetic=bool(figures.get("synthetic")),
        min_n=figures.get("min_n", MIN_N),
    )


def incident_choropleth(
    figures: Mapping,
    metric: str = INCIDENT_TOTAL,
    previous: Mapping | None = None,
    synthetic: bool = False,
    lang: str = "sv",
) -> IncidentChoropleth:
    """The choropleth of one incident metric from :func:`trygg.figures.place_figures`.

    Parameters
    ----------
    figures : Mapping
        The period's figures (with ``incidents`` per place).
    metric : str
        One of :func:`incident_options`.
    previous : Mapping, optional
        The previous period's figures; the tooltip then names its count.
    synthetic : bool
        The incidents are synthetic demo data (the legend says so).
    """

    def blocks(found: Mapping) -> dict[int, Mapping]:
        return {p["place_id"]: p["incidents"] for p in found["places"]}

    return IncidentChoropleth(
        title=incident_label(metric, lang),
        metric=metric,
        blocks=blocks(figures),
        previous=None if previous is None else blocks(previous),
        previous_label="" if previous is None else str(previous["year"]),
        year=figures["year"],
        about=_incident_about(metric, lang),
        synthetic=synthetic,
        k=figures.get("k", MIN_INCIDENTS_PUBLIC),
    )


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


def place_map(
    places: gpd.GeoDataFrame,
    selected: str | None = None,
    *,
    tiles: TileSource | None = None,
    choropleth: Choropleth | IncidentChoropleth | None = None,
    overlays: Iterable[HotspotLayer | DensityLayer] = (),
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
    choropleth : Choropleth or IncidentChoropleth, optional
        A figure per place (see :func:`choropleth`, :func:`incident_choropleth`), drawn
        in classes with a legend; suppressed places are hatched grey and labelled "för
        få svar" or "färre än 3 händelser". Omitted: every place gets the same light fill.
    overlays : iterable of HotspotLayer or DensityLayer
        Grid layers drawn over the places (which are then filled more lightly), each
        with its part of the legend. They take no clicks: the places below keep them.
    static_url : str
        Where the dashboard serves its static folder (see :mod:`trygg.assets`).
    lang : str
        Language of labels and tooltips.

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
        SWEDEN, zoom_start=5, tiles=None, control_scale=True, zoom_snap=0.25, zoom_delta=0.5
    )
    if tiles is not None:
        folium.TileLayer(tiles.url, attr=inert(tiles.attribution), max_zoom=19).add_to(fmap)
    _ProjectorStyle().add_to(fmap)
    if not web.empty:
        _places_layer(web).add_to(fmap)
    for overlay in overlays:
        overlay.layer(lang).add_to(fmap)
    if not web.empty:
        _PlaceLabels(web).add_to(fmap)
        west, south, east, north = web.total_bounds
        bounds = [[south, west], [north, east]]
        fmap.fit_bounds(bounds, padding=(MAP_PADDING_PX, MAP_PADDING_PX))
    if selected is not None:
        selection_layer(places, selected).add_to(fmap)
    if choropleth is not None or overlays:
        legend = legend_html(choropleth, lang, overlays)
        _Legend(legend, None if web.empty else bounds).add_to(fmap)
    use_local_assets(fmap, static_url)
    return refuse_templates(fmap)


def web_places(
    places: gpd.GeoDataFrame,
    choropleth: Choropleth | IncidentChoropleth | None = None,
    lang: str = "sv",
    faded: bool = False,
) -> gpd.GeoDataFrame:
    """Places ready for the web: largest first, escaped texts, label points, WGS84.

    With ``faded`` the places are filled lightly, for a grid layer drawn over them.

    Returns
    -------
    GeoDataFrame
        Columns place_id, tooltip, label, label_lat, label_lon, style, geometry in
        EPSG:4326, sorted by area, largest first; ``style`` is the Leaflet path style.
    """
    frame = places.to_crs(STORE_CRS) if places.crs is not None else places
    frame = frame.assign(_area=frame.geometry.area).sort_values("_area", ascending=False)
    label_points = gpd.GeoSeries(_label_points(frame.geometry), crs=frame.crs).to_crs(4326)
    classes = classify(choropleth.shown_values()) if choropleth is not None else None
    out = gpd.GeoDataFrame(
        {
            "place_id": [int(i) for i in frame["id"]],
            "tooltip": [_tooltip_html(row, choropleth, lang) for row in frame.itertuples()],
            "label": [inert(name) for name in frame["name"]],
            "label_lat": label_points.y.to_numpy(),
            "label_lon": label_points.x.to_numpy(),
            "style": [_style(choropleth, classes, int(i), faded) for i in frame["id"]],
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


def _tooltip_html(row, choropleth: Choropleth | None, lang: str) -> str:
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
    """The Leaflet path style of one place: plain, a class colour, hatched grey or white."""
    if choropleth is None:
        style = {"color": OUTLINE, "weight": 3.5, "fillColor": FILL, "fillOpacity": 0.22}
    elif choropleth.status(place_id) == SUPPRESSED:
        style = {
            "color": NO_DATA_OUTLINE,
            "weight": 3,
            "dashArray": NO_DATA_DASH,
            "fillColor": NO_DATA,
            "fillOpacity": 0.9,
        }
    elif choropleth.status(place_id) == NO_POPULATION:
        style = {"color": OUTLINE, "weight": 3, "fillColor": NEUTRAL_FILL, "fillOpacity": 0.7}
    else:
        fill = classes.colour(choropleth.value(place_id))
        style = {"color": OUTLINE, "weight": 3.5, "fillColor": fill, "fillOpacity": 0.78}
    if faded:
        style["fillOpacity"] = min(style["fillOpacity"], FADED_OPACITY)
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
    return refuse_templates(group)


def legend_html(
    choropleth: Choropleth | IncidentChoropleth | None,
    lang: str = "sv",
    overlays: Iterable[HotspotLayer | DensityLayer] = (),
) -> str:
    """The legend: what is shown, the year, the classes, what is left off and the source.

    Every text is escaped; the classes are listed from the highest down, as they
    read on a map where darker means more. Each overlay adds its own section.
    """
    overlays = list(overlays)
    parts = [] if choropleth is None else [_choropleth_legend(choropleth, lang)]
    parts += [overlay.legend_html(lang) for overlay in overlays]
    layers = [layer for layer in [choropleth, *overlays] if layer is not None]
    kinds = frozenset(layer.synthetic_kind for layer in layers if layer.synthetic)
    if kinds:
        note = inert(t(SYNTHETIC_NOTES[kinds], lang))
        parts.append(f"<div class='trygg-legend-synthetic'>{note}</div>")
    return f"<div class='trygg-legend'>{''.join(parts)}</div>"


#: The legend's source note for the kinds of synthetic data on the map.
SYNTHETIC_NOTES = {
    frozenset({"answers"}): "map.legend_synthetic",
    frozenset({"incidents"}): "map.legend_synthetic_incidents",
    frozenset({"answers", "incidents"}): "map.legend_synthetic_both",
}


def _choropleth_legend(choropleth: Choropleth | IncidentChoropleth, lang: str) -> str:
    classes = classify(choropleth.shown_values())
    notes = [choropleth.about]
    if choropleth.year is not None:
        notes.insert(0, t("map.legend_year", lang, year=choropleth.year))
    rows = [_legend_heading(choropleth.title, notes)]
    rows += [
        _legend_row(f"background:{colour}", choropleth.range_text(low, high, lang))
        for colour, (low, high) in reversed(list(zip(classes.colours, classes.ranges, strict=True)))
    ]
    for status, text in choropleth.missing_rows(lang):
        if status == SUPPRESSED:
            rows.append(_legend_row("trygg-hatch-swatch", text, css=True))
        else:
            rows.append(_legend_row(f"background:{NEUTRAL_FILL}", text))
    return "".join(rows)


def _legend_heading(title: str, notes: Iterable[str]) -> str:
    head = [f"<div class='trygg-legend-title'>{inert(title)}</div>"]
    head += [f"<div class='trygg-legend-note'>{inert(n)}</div>" for n in notes if n]
    return "".join(head)


def _legend_row(swatch: str, text: str, css: bool = False) -> str:
    look = f"class='trygg-swatch {swatch}'" if css else f"class='trygg-swatch' style='{swatch}'"
    return f"<div class='trygg-legend-row'><span {look}></span>{inert(text)}</div>"


# --- Grid layers: hot spots and density ------------------------------------------------


@dataclass(frozen=True)
class HotspotLayer:
    """Gi* hot and cold spots: the significant cells of the grid, coloured by bin.

    Attributes
    ----------
    grid : Mapping
        The ``grid`` FeatureCollection of :func:`trygg.analysis.hotspots` (square cells
        with ``gi_bin``). Public output already leaves out cells under k.
    cell : float
        The cell size in metres, named in the legend.
    category : str, optional
        The category analysed (its label), or None for all.
    synthetic : bool
        The incidents are synthetic demo data.
    """

    grid: Mapping
    cell: float
    category: str | None = None
    synthetic: bool = False

    def features(self) -> list[dict]:
        """The cells with bin ≠ 0, weakest first; only their bin and style are sent."""
        cells = [f for f in _area_features(self.grid) if f["properties"]["gi_bin"] != 0]
        cells.sort(key=lambda f: abs(f["properties"]["gi_bin"]))
        return [
            _cell_feature(f, {"gi_bin": int(f["properties"]["gi_bin"])}, _hotspot_style(f))
            for f in cells
        ]

    def layer(self, lang: str = "sv") -> folium.GeoJson:
        return _grid_layer(self.features(), t("map.hotspot_layer", lang))

    def legend_html(self, lang: str = "sv") -> str:
        category = self.category or t("map.all_categories", lang)
        cell = t("fmt.metres", lang, value=formatting.integer(round(self.cell), lang))
        note = t("map.hotspot_note", lang, cell=cell, category=category)
        rows = [
            _swatches_row([HOTSPOT_COLOURS[b] for b in (3, 2, 1)], t("map.hotspot_hot", lang)),
            _swatches_row([HOTSPOT_COLOURS[b] for b in (-3, -2, -1)], t("map.hotspot_cold", lang)),
        ]
        heading = _legend_heading(t("map.hotspot_title", lang), [])
        note_html = f"<div class='trygg-legend-note'>{inert(note)}</div>"
        return f"<div class='trygg-legend-section'>{heading}{''.join(rows)}{note_html}</div>"

    synthetic_kind = "incidents"


@dataclass(frozen=True)
class DensityLayer:
    """A smoothed density of incidents: coarse cells on a sequential ramp, see-through.

    Attributes
    ----------
    density : Mapping
        The ``density`` FeatureCollection of :func:`trygg.analysis.hotspots` (cells with
        ``density`` per km²; sparse cells are already left out).
    synthetic : bool
        The incidents are synthetic demo data.
    """

    density: Mapping
    synthetic: bool = False

    def classes(self) -> Classes:
        return classify(f["properties"]["density"] for f in _area_features(self.density))

    def colours(self) -> tuple[str, ...]:
        return DENSITY_PALETTE[MAX_CLASSES - len(self.classes().bins) :]

    def features(self) -> list[dict]:
        classes, colours = self.classes(), self.colours()
        features = []
        for f in _area_features(self.density):
            density = f["properties"]["density"]
            colour = colours[classes.index(density)]
            style = {"stroke": False, "fillColor": colour, "fillOpacity": DENSITY_OPACITY}
            features.append(_cell_feature(f, {"density": density}, style))
        return features

    def layer(self, lang: str = "sv") -> folium.GeoJson:
        return _grid_layer(self.features(), t("map.density_layer", lang))

    def legend_html(self, lang: str = "sv") -> str:
        classes = self.classes()
        cell = self.density.get("cell", 250)
        note = t("map.density_note", lang, cell=t("fmt.metres", lang, value=round(cell)))
        rows = [
            _legend_row(
                f"background:{colour};opacity:{DENSITY_OPACITY + 0.2}",
                formatting.number_range(low, high, 0, lang),
            )
            for colour, (low, high) in reversed(
                list(zip(self.colours(), classes.ranges, strict=True))
            )
        ]
        heading = _legend_heading(t("map.density_title", lang), [note])
        return f"<div class='trygg-legend-section'>{heading}{''.join(rows)}</div>"

    synthetic_kind = "incidents"


def _area_features(collection: Mapping) -> list[dict]:
    """The features of a grid layer; anything but an area (a raw point) is refused."""
    features = list(collection.get("features", []))
    for feature in features:
        kind = feature["geometry"]["type"]
        if kind not in {"Polygon", "MultiPolygon"}:
            raise ValueError(f"a grid layer holds areas only, not {kind}: no raw points")
    return features


def _cell_feature(feature: Mapping, properties: dict, style: dict) -> dict:
    return {
        "type": "Feature",
        "properties": {**properties, "style": style},
        "geometry": feature["geometry"],
    }


def _hotspot_style(feature: Mapping) -> dict:
    colour = HOTSPOT_COLOURS[int(feature["properties"]["gi_bin"])]
    return {"color": colour, "weight": 1, "fillColor": colour, "fillOpacity": HOTSPOT_OPACITY}


def _grid_layer(features: list[dict], name: str) -> folium.GeoJson:
    """Cells that take no clicks or hovers, so the places under them stay clickable."""
    return folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=name,
        style_function=lambda f: f["properties"]["style"],
        interactive=False,
        control=False,
    )


def _swatches_row(colours: list[str], text: str) -> str:
    swatches = "".join(
        f"<span class='trygg-swatch trygg-swatch-small' style='background:{c}'></span>"
        for c in colours
    )
    return f"<div class='trygg-legend-row'>{swatches}{inert(text)}</div>"


def heat_css(n: int | None, top: int) -> str:
    """The look of one hour × weekday cell: OrRd by its share of the busiest cell.

    A suppressed cell (None) is plain grey, so its colour tells nothing either.

    Examples
    --------
    >>> heat_css(10, 10)
    'background-color: #b30000; color: #ffffff'
    >>> heat_css(0, 10)
    ''
    """
    if n is None:
        return f"background-color: {HATCH_LIGHT}; color: #3b4a59; font-size: 10px"
    if n <= 0 or top <= 0:
        return ""
    index = min(MAX_CLASSES, int(np.ceil(MAX_CLASSES * n / top))) - 1
    text = "#ffffff" if index >= 3 else "#10253a"
    return f"background-color: {PALETTE[index]}; color: {text}"


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
    root.title = inert(title)
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
    """Large text, a light offline background, the label and legend styles, the hatching.

    The hatch is an SVG pattern in the page; Leaflet's paths refer to it by id.
    """

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
            font-size: 17px; line-height: 1.35; box-shadow: 0 1px 4px rgba(0,0,0,.4);
            max-width: 14em; color: #10253a; }
          .trygg-legend-title { font-weight: 700; margin-bottom: 2px; }
          .trygg-legend-note { font-size: 14px; color: #3b4a59; }
          .trygg-legend-row { margin-top: 3px; white-space: nowrap; }
          .trygg-legend-synthetic { margin-top: 6px; font-size: 14px; font-weight: 700;
            color: #7a2e00; }
          .trygg-swatch { display: inline-block; width: 22px; height: 18px;
            margin-right: 8px; vertical-align: -3px; border: 1px solid #555; }
          .trygg-swatch-small { width: 16px; margin-right: 2px; }
          .trygg-swatch-small:last-of-type { margin-right: 8px; }
          .trygg-legend-section { margin-top: 8px; padding-top: 6px;
            border-top: 1px solid #c8c8c8; }
          .trygg-legend-section .trygg-legend-row { white-space: normal; }
          .trygg-legend-section:first-child { margin-top: 0; padding-top: 0; border-top: 0; }
          .trygg-hatch-swatch { border: 2px dashed {{ this.outline }};
            background: repeating-linear-gradient(45deg, {{ this.hatch_line }} 0 2px,
              {{ this.hatch_light }} 2px 6px); }
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
        self.background = BACKGROUND
        self.hatch_id = HATCH_ID
        self.hatch_light = HATCH_LIGHT
        self.hatch_line = HATCH_LINE
        self.outline = NO_DATA_OUTLINE


class _PlaceLabels(MacroElement):
    """Permanent place names, placed so they do not overlap.

    Larger places are labelled first. A label sits on its place when it fits inside,
    else beside it (right, left, below, above), never over another label, the legend or
    a place it is not nested with; one that fits nowhere hides until the user zooms in.
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
          function controlBoxes() {
            var frame = map.getContainer().getBoundingClientRect();
            return [].map.call(map.getContainer().querySelectorAll(".trygg-legend"), function (el) {
              var r = el.getBoundingClientRect();
              return {left: r.left - frame.left, top: r.top - frame.top,
                      right: r.right - frame.left, bottom: r.bottom - frame.top};
            });
          }
          function layout() {
            var size = map.getSize(), taken = controlBoxes();
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
    """A legend drawn as a plain Leaflet control (no branca colormap: it pulls in d3).

    Once drawn, the map is fitted again so no place lies under it: the places go
    either left of the legend or above it, whichever lets the map zoom in further.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map, bounds, pad) {
          var legend = L.control({position: "bottomright"});
          legend.onAdd = function () {
            var div = L.DomUtil.create("div");
            div.innerHTML = {{ this.content|tojson }};
            return div;
          };
          legend.addTo(map);
          if (!bounds) { return; }
          bounds = L.latLngBounds(bounds);
          function fit() {
            // The legend's own box: its max-width holds before Leaflet's stylesheet loads.
            var box = legend.getContainer().firstChild.getBoundingClientRect();
            var size = map.getSize(), w = box.width + 2 * pad, h = box.height + 2 * pad;
            var options = [[w, pad], [pad, h]].filter(function (corner) {
              return corner[0] + pad < size.x && corner[1] + pad < size.y;
            });
            if (!options.length) { return; }  // a frame not laid out yet: wait for resize
            var zooms = options.map(function (corner) {
              return map.getBoundsZoom(bounds, false, L.point(corner[0] + pad, corner[1] + pad));
            });
            var best = zooms.indexOf(Math.max.apply(null, zooms));
            map.fitBounds(bounds, {paddingTopLeft: [pad, pad], paddingBottomRight: options[best]});
          }
          // Until the user moves the map, keep it fitted when its frame changes size.
          var touched = false;
          ["mousedown", "wheel", "touchstart", "keydown"].forEach(function (name) {
            map.getContainer().addEventListener(name, function () { touched = true; });
          });
          map.on("resize", function () { if (!touched) { fit(); } });
          fit();
        })({{ this._parent.get_name() }}, {{ this.bounds|tojson }}, {{ this.padding }});
        {% endmacro %}
        """
    )

    def __init__(self, content: str, bounds: list | None):
        super().__init__()
        self._name = "Legend"
        self.content = content
        self.bounds = bounds
        self.padding = MAP_PADDING_PX
