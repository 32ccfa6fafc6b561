"""The presentation's slides for a kommun, from its public figures and its commitments.

Pure: figures (:func:`trygg.stats.report.place_figures` with ``public=True``), the
promises (:func:`trygg.commitments.store.load_promises`) and the commitments with their
current status (:func:`trygg.commitments.listing.list_commitments`) in, a list of slides
out. A title slide; one slide per designated place of the newest promise, in the order
the promise lists them, then per place a coordinator added; a closing slide with every
commitment's status. Every sentence is the Plats page's
(:func:`trygg.pages.place.headline` …), so nothing is computed here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import geopandas as gpd
from shapely.geometry import box

from trygg import formatting
from trygg.pages.place import CORE, headline, place_survey, vs_rest_sentence
from trygg.scales import WEB_CRS
from trygg.stats.survey_figures import figure_of
from trygg.strings import t

TITLE, PLACE, CLOSING = "title", "place", "closing"
#: At most this many key figures on a place slide.
MAX_FIGURES = 3
#: Room around a slide's place on its map, so that the neighbours show: at least this
#: many metres, or half the place's size, on every side.
CONTEXT_M = 400


def current_promise(promises: Sequence[Mapping]) -> Mapping | None:
    """The promise the presentation is about: the newest (``load_promises`` orders by
    the start of the period), or None without one."""
    return promises[-1] if promises else None


def slides(
    figures: Mapping,
    promises: Sequence[Mapping],
    commitments: Sequence[Mapping],
    lang: str | None = None,
    chosen: Sequence[str] = (),
) -> list[dict]:
    """Every slide of the kommun's presentation, in order.

    The place slides are the newest promise's designated places in the document's
    order, then the places a coordinator added (``chosen``,
    :func:`trygg.pages.chosen.chosen_places`) in theirs; a place comes once.

    Returns
    -------
    list
        ``{"kind": "title", "promise", "period", "places", "synthetic"}``, then
        ``{"kind": "place", "place", "figures": [{"value", "text"}], "commitments"}`` per
        designated place known in ``figures``, then ``{"kind": "closing",
        "commitments"}``; a commitment is ``{"party", "text", "status"}``.
    """
    promise = current_promise(promises)
    known = {entry["place"] for entry in figures["places"]}
    designated = [] if promise is None else promise["designated_places"]
    places = [name for name in dict.fromkeys([*designated, *chosen]) if name in known]
    title = {
        "kind": TITLE,
        "promise": None if promise is None else promise["title"],
        "period": None if promise is None else dict(promise["period"]),
        "places": places,
        "synthetic": bool(figures.get("synthetic")),
    }
    place_slides = [
        {
            "kind": PLACE,
            "place": name,
            "figures": key_figures(figures, name, lang),
            "commitments": [brief(c) for c in commitments if name in c["places"]],
        }
        for name in places
    ]
    closing = {"kind": CLOSING, "commitments": [brief(c) for c in commitments]}
    return [title, *place_slides, closing]


def brief(commitment: Mapping) -> dict:
    """What a slide shows of a commitment: its party, text and current status."""
    return {key: commitment[key] for key in ("party", "text", "status")}


def key_figures(figures: Mapping, place: str, lang: str | None = None) -> list[dict]:
    """At most :data:`MAX_FIGURES` figures of the place in words: the share of otrygga
    with interval and n, the comparison with the rest of the kommun, the incidents.

    ``value`` is the figure to show large ("" when there is none to show, e.g. a hidden
    share), ``text`` the sentence saying it.
    """
    found = []
    survey = place_survey(figures, place)
    if survey is not None and survey["n"]:
        figure = figure_of(survey, CORE)
        hidden = figure["suppressed"] or figure["andel"] is None
        value = "" if hidden else formatting.percent(figure["andel"], lang=lang)
        found.append({"value": value, "text": headline(figure, figures["min_n"], lang)})
        if not hidden and figure.get("vs_rest"):
            found.append({"value": "", "text": vs_rest_sentence(figure["vs_rest"], lang)})
    entry = next(p for p in figures["places"] if p["place"] == place)
    incidents = entry["incidents"]
    if incidents.get("total") is not None or incidents.get("suppressed"):
        count = formatting.incident_count(incidents.get("total"), figures["k"], lang)
        text = t("presentation.incidents", lang, count=count, year=figures["year"])
        found.append({"value": count, "text": text})
    return found[:MAX_FIGURES]


def clamp(number: int | None, total: int) -> int:
    """A slide number (1-based) inside ``1 … total``; None or nonsense is the first.

    Examples
    --------
    >>> clamp(3, 12), clamp(40, 12), clamp(0, 12), clamp(None, 12)
    (3, 12, 1, 1)
    """
    if number is None:
        return 1
    return max(1, min(int(number), total))


def slide_number(text: str | None, total: int) -> int:
    """The slide of ``?bild=`` (1-based) inside the presentation; not a number: the first.

    Examples
    --------
    >>> slide_number("3", 5), slide_number("99", 5), slide_number("x", 5)
    (3, 5, 1)
    """
    try:
        return clamp(int(str(text).strip()), total)
    except ValueError:
        return 1


def slide_bounds(places: gpd.GeoDataFrame, name: str) -> list[list[float]] | None:
    """What a place slide's map shows: the place with room around it for its neighbours
    (:data:`CONTEXT_M`), in WGS84 as ``[[south, west], [north, east]]``; None if unknown.
    """
    chosen = places[places["name"] == name]
    if chosen.empty:
        return None
    west, south, east, north = chosen.total_bounds
    margin = max(CONTEXT_M, (east - west) / 2, (north - south) / 2)
    around = box(west - margin, south - margin, east + margin, north + margin)
    west, south, east, north = gpd.GeoSeries([around], crs=places.crs).to_crs(WEB_CRS).total_bounds
    return [[float(south), float(west)], [float(north), float(east)]]
