"""A figure per place, as a choropleth shows it: a survey share or an incident count.

:class:`Choropleth` holds one survey indicator of the survey figures per place,
:class:`IncidentChoropleth` an incident count or rate. Each says, per place, whether the
value is shown (:data:`SHOWN`), hidden for too few answers or incidents
(:data:`SUPPRESSED`) or off the scale for want of a population (:data:`NO_POPULATION`),
and gives the tooltip's and legend's texts. A suppressed place never gets a number.

Each is classed by ``scheme`` (:func:`~trygg.maps.palette.classes_of`): round, fixed
steps by default. A survey place that differs significantly from the rest of the kommun
(``vs_rest``) says so in its tooltip, and :meth:`Choropleth.mark` gives the map its
outline mark; hidden places are never compared.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from trygg import formatting
from trygg.maps.metrics import (
    INCIDENT_RATE,
    INCIDENT_TOTAL,
    incident_about,
    incident_category,
    incident_label,
    indicator_about,
    indicator_label,
    vs_rest_text,
)
from trygg.maps.palette import COUNT, DEFAULT_SCHEME, RATE, SHARE, Classes, classes_of
from trygg.scales import MIN_INCIDENTS_PUBLIC, MIN_N
from trygg.stats.survey_figures import figure_of
from trygg.strings import t


def _once(layer, compute: Callable[[], Classes]) -> Classes:
    """A frozen layer's classes, computed on the first call and kept on the instance."""
    found = layer.__dict__.get("_classes")
    if found is None:
        found = compute()
        layer.__dict__["_classes"] = found
    return found


#: How a place without a value on the scale is drawn (:meth:`Choropleth.status`).
SHOWN, SUPPRESSED, NO_POPULATION = "shown", "suppressed", "no_population"


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
    scheme : str
        How the shares are classed: ``"equal"`` (steps of 5 percentage points, the
        default), ``"quantiles"`` or ``"natural"``.
    """

    title: str
    figures: Mapping[int, Mapping]
    year: int | None = None
    about: str = ""
    synthetic: bool = False
    min_n: int = MIN_N
    scheme: str = DEFAULT_SCHEME

    def classes(self) -> Classes:
        """The classes the places are drawn in (the legend lists the drawn ones); worked
        out once per choropleth, as every place's style asks for them."""
        return _once(self, lambda: classes_of(self.shown_values(), self.scheme, SHARE))

    def vs_rest(self, place_id: int) -> Mapping | None:
        """The place's comparison with the rest of the kommun; None when hidden."""
        return self.figure(place_id).get("vs_rest") if self.status(place_id) == SHOWN else None

    def mark(self, place_id: int) -> str | None:
        """``"higher"`` or ``"lower"`` when the place differs significantly, else None."""
        result = (self.vs_rest(place_id) or {}).get("result")
        return result if result in ("higher", "lower") else None

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

    def tooltip(self, place_id: int, lang: str | None = None) -> tuple[str, list[str]]:
        """The headline ("32,1 %" or "för få svar") and the lines under it: n, interval
        and, when compared, the comparison with the rest of the kommun in words."""
        texts = formatting.describe(self.figure(place_id), lang)
        compared = vs_rest_text(self.vs_rest(place_id), lang)
        lines = [texts[key] for key in ("n", "interval") if texts[key]]
        return texts["value"], [*lines, compared] if compared else lines

    def range_text(self, low: float, high: float, lang: str | None = None) -> str:
        """A class in the legend: "10–15 %" for a round step, else "11,3–15,7 %"."""
        if self.scheme == DEFAULT_SCHEME:
            low_text = formatting.decimal(low * 100, 0, lang)
            return t("fmt.range", lang, low=low_text, high=formatting.decimal(high * 100, 0, lang))
        return formatting.share_range(low, high, lang)

    def missing_rows(self, lang: str | None = None) -> list[tuple[str, str]]:
        """Legend rows for the places drawn off the scale: ``(status, text)``; a place
        hidden only to protect a small group elsewhere is named as such."""
        hidden = [self.figure(p) for p in self.figures if self.status(p) == SUPPRESSED]
        rows = []
        if any(not f.get("secondary_suppression") for f in hidden):
            rows.append((SUPPRESSED, t("map.legend_too_few", lang, min_n=self.min_n)))
        if any(f.get("secondary_suppression") for f in hidden):
            rows.append((SUPPRESSED, t("fmt.hidden_to_protect", lang)))
        return rows

    #: What the legend calls synthetic when ``synthetic`` is true (see ``legend_html``).
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
        Place id → the ``incidents`` block of the incident figures per place.
    previous : Mapping, optional
        Place id → the previous period's block; the tooltip then gives that count.
    previous_label : str
        The previous period's name in the tooltip ("2023").
    k : int
        The public threshold: a suppressed count says "färre än k", never a number.
    scheme : str
        How the figures are classed (see :class:`Choropleth`); classes start at zero.
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
    scheme: str = DEFAULT_SCHEME

    def classes(self) -> Classes:
        """The classes, from zero: zero is always in the lightest class."""
        kind = RATE if self.metric == INCIDENT_RATE else COUNT
        return _once(self, lambda: classes_of(self.shown_values(), self.scheme, kind))

    def mark(self, place_id: int) -> str | None:
        """Incidents are not compared with the rest of the kommun: never a mark."""
        return None

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

    def tooltip(self, place_id: int, lang: str | None = None) -> tuple[str, list[str]]:
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

    def range_text(self, low: float, high: float, lang: str | None = None) -> str:
        round_rate = self.scheme == DEFAULT_SCHEME and float(low).is_integer()
        decimals = 1 if self.metric == INCIDENT_RATE and not round_rate else 0
        return formatting.number_range(low, high, decimals, lang)

    def missing_rows(self, lang: str | None = None) -> list[tuple[str, str]]:
        statuses = {self.status(place_id) for place_id in self.blocks}
        rows = []
        if SUPPRESSED in statuses:
            rows.append((SUPPRESSED, t("map.legend_fewer_incidents", lang, k=self.k)))
        if NO_POPULATION in statuses:
            rows.append((NO_POPULATION, t("map.legend_no_population", lang)))
        return rows

    synthetic_kind = "incidents"


def choropleth(
    figures: Mapping,
    indicator: str = "andel_otrygga",
    lang: str | None = None,
    scheme: str = DEFAULT_SCHEME,
) -> Choropleth:
    """The choropleth of one indicator from the survey figures per place.

    Parameters
    ----------
    figures : Mapping
        The survey figures (``places`` with a ``survey`` block each, ``year``,
        ``synthetic``, ``min_n``).
    indicator : str
        ``andel_otrygga`` or a problem or worry item (see :func:`metric_options`).
    lang : str
        Language of the title and the legend's note.
    scheme : str
        ``"equal"`` (default), ``"quantiles"`` or ``"natural"``.

    Returns
    -------
    Choropleth
    """
    return Choropleth(
        title=indicator_label(indicator, lang),
        figures={p["place_id"]: _figure(p["survey"], indicator) for p in figures["places"]},
        year=figures["year"],
        about=indicator_about(indicator, lang),
        synthetic=bool(figures.get("synthetic")),
        min_n=figures.get("min_n", MIN_N),
        scheme=scheme,
    )


def _figure(survey: Mapping, indicator: str) -> Mapping:
    """One indicator's figure; the core figure keeps its block's ``vs_rest``."""
    figure = figure_of(survey, indicator)
    if indicator == "andel_otrygga" and "vs_rest" not in figure and survey.get("vs_rest"):
        return {**figure, "vs_rest": survey["vs_rest"]}
    return figure


def incident_choropleth(
    figures: Mapping,
    metric: str = INCIDENT_TOTAL,
    previous: Mapping | None = None,
    synthetic: bool = False,
    lang: str | None = None,
    scheme: str = DEFAULT_SCHEME,
) -> IncidentChoropleth:
    """The choropleth of one incident metric from the incident figures per place.

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
    lang : str
        Language of the title and the legend's note.
    scheme : str
        ``"equal"`` (round steps from zero, the default), ``"quantiles"`` or ``"natural"``.

    Returns
    -------
    IncidentChoropleth
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
        about=incident_about(metric, lang),
        synthetic=synthetic,
        k=figures.get("k", MIN_INCIDENTS_PUBLIC),
        scheme=scheme,
    )
