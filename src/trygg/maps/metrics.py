"""What a map can be coloured by: survey indicators and incident metrics, and their names;
and a place's comparison with the rest of the kommun in words (:func:`vs_rest_text`).

A survey indicator is ``andel_otrygga`` or ``<scale>_<item>`` (``problem_nedskrapning``,
``oro_inbrott``); an incident metric is the count (:data:`INCIDENT_TOTAL`), the rate per
1 000 inhabitants (:data:`INCIDENT_RATE`) or one category's count
(``INCIDENT_PREFIX + category``).
"""

from __future__ import annotations

from collections.abc import Mapping

from trygg.scales import INCIDENT_CATEGORIES, ITEM_LABELS, ITEM_SCALES
from trygg.strings import category_label, t

#: Incident metrics: the count, the rate per 1 000 inhabitants, one category's count.
INCIDENT_TOTAL = "handelser"
INCIDENT_RATE = "handelser_per_1000"
INCIDENT_PREFIX = "handelser_"


def indicator_label(indicator: str, lang: str | None = None) -> str:
    """The plain-language name of a figure: "Problem: Nedskräpning".

    Examples
    --------
    >>> indicator_label("oro_inbrott")
    'Oro: Inbrott i bostaden'
    """
    if indicator == "andel_otrygga":
        return t("map.metric_andel_otrygga", lang)
    return t(f"map.metric_{indicator.split('_', 1)[0]}", lang, item=item_label(indicator))


def item_label(indicator: str, lang: str | None = None) -> str:
    """The item's own name, without "Problem:" or "Oro:": "Nedskräpning" ("Litter")."""
    slug = indicator.split("_", 1)[1]
    if slug in ITEM_LABELS:
        return t(f"item.{slug}", lang)
    return slug.replace("_", " ").capitalize()


def indicator_about(indicator: str, lang: str | None = None) -> str:
    """One line saying which answers a figure counts."""
    key = "andel_otrygga" if indicator == "andel_otrygga" else indicator.split("_", 1)[0]
    return t(f"map.about_{key}", lang)


def metric_options(figures: Mapping, lang: str | None = None) -> dict[str, str]:
    """The figures a map can show for ``figures``: name → label.

    The survey's core question first, then the problem items, then the worry items,
    each in alphabetical order of their label; then, when ``figures`` hold incident
    figures per place, the incident metrics (:func:`incident_options`).
    """
    items = [i for i in figures["kommun_total"] if i != "andel_otrygga"]
    prefixes = list(ITEM_SCALES)
    items.sort(key=lambda i: (prefixes.index(i.split("_", 1)[0]), indicator_label(i, lang)))
    survey = ["andel_otrygga", *items] if figures["kommun_total"] else []
    return {**{i: indicator_label(i, lang) for i in survey}, **incident_options(figures, lang)}


def incident_options(figures: Mapping, lang: str | None = None) -> dict[str, str]:
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
    """Whether ``metric`` counts incidents (else it is a survey indicator).

    Examples
    --------
    >>> is_incident_metric("handelser_per_1000"), is_incident_metric("oro_inbrott")
    (True, False)
    """
    return metric == INCIDENT_TOTAL or metric.startswith(INCIDENT_PREFIX)


def incident_category(metric: str) -> str | None:
    """The category of a per-category metric ("handelser_narkotika" → "narkotika")."""
    if metric in (INCIDENT_TOTAL, INCIDENT_RATE):
        return None
    return metric.removeprefix(INCIDENT_PREFIX)


def incident_label(metric: str, lang: str | None = None) -> str:
    """The plain-language name of an incident metric: "Händelser: Narkotika"."""
    if metric == INCIDENT_TOTAL:
        return t("map.metric_incidents", lang)
    if metric == INCIDENT_RATE:
        return t("map.metric_incidents_rate", lang)
    category = incident_category(metric)
    return t("map.metric_incidents_category", lang, category=category_label(category, lang))


def incident_about(metric: str, lang: str | None = None) -> str:
    """One line saying which incidents an incident metric counts."""
    key = {INCIDENT_TOTAL: "incidents", INCIDENT_RATE: "incidents_rate"}.get(metric)
    return t(f"map.about_{key or 'incidents_category'}", lang)


#: The words for each result of a place's comparison with the rest of the kommun.
VS_REST_KEYS = {
    "higher": "map.vs_rest_higher",
    "lower": "map.vs_rest_lower",
    "no_difference": "map.vs_rest_no_difference",
}


def vs_rest_text(vs_rest: Mapping | None, lang: str | None = None) -> str:
    """A place's ``vs_rest`` comparison in words; "" when there is none (hidden place,
    too small a rest).

    Parameters
    ----------
    vs_rest : Mapping, optional
        ``{"rest_andel", "diff", "p_value", "result"}`` with ``result`` one of
        ``"higher"``, ``"lower"``, ``"no_difference"``; or None.
    lang : str
        The language; the current one when None.

    Examples
    --------
    >>> vs_rest_text({"rest_andel": 0.2, "diff": 0.1, "p_value": 0.01, "result": "higher"})
    'säkerställt högre än i övriga kommunen'
    >>> vs_rest_text(None)
    ''
    """
    if not vs_rest or vs_rest.get("result") not in VS_REST_KEYS:
        return ""
    return t(VS_REST_KEYS[vs_rest["result"]], lang)
