"""The Plats page's texts and tables, from the public figures of
:func:`trygg.stats.report.place_figures` (what ``trygg stats --public`` prints).

Pure functions: figures in, sentences, rows and chart specifications out. Every number
comes from the figures as published (suppressed figures never reach a text), formatted
by :mod:`trygg.formatting`.
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np

from trygg import formatting
from trygg.maps.metrics import indicator_label, item_label, vs_rest_text
from trygg.maps.palette import HATCH_LIGHT, MAX_CLASSES, PALETTE
from trygg.scales import (
    INCIDENT_CATEGORIES,
    ITEM_LABELS,
    ITEM_SCALES,
    LAN_NAMES,
    MIN_INCIDENTS_PUBLIC,
    WEB_CRS,
)
from trygg.stats.survey_figures import figure_of
from trygg.strings import category_label, t

CORE = "andel_otrygga"
#: The words of a place against the rest of the kommun, by ``vs_rest["result"]``.
#: A place against the rest of the kommun in words: the map's words, said once.
vs_rest_words = vs_rest_text


def vs_rest_sentence(vs_rest: Mapping | None, lang: str | None = None) -> str:
    """The comparison with the rest of the kommun as a sentence with the rest's share."""
    if not vs_rest:
        return ""
    return t(
        "plats.vs_rest_sentence",
        lang,
        words=vs_rest_words(vs_rest, lang),
        rest=formatting.percent(vs_rest["rest_andel"], lang=lang),
    )


def headline(figure: Mapping, min_n: int, lang: str | None = None) -> str:
    """The core share in a plain sentence, or why it is not shown.

    Parameters
    ----------
    figure : Mapping
        A share figure (``n``, ``andel``, ``ki_lag``, ``ki_hog``, ``suppressed``,
        ``secondary_suppression``), as :func:`trygg.stats.survey_figures.figure_of` gives.

    Examples
    --------
    >>> headline({"n": 36, "andel": 0.26, "ki_lag": 0.14, "ki_hog": 0.43,
    ...           "suppressed": False}, 10).replace("\\u00a0", " ").replace("\\u2060", "")
    '26,0 % (14,0–43,0 %) av 36 svarande känner sig otrygga ute sent på kvällen.'
    """
    n = formatting.integer(figure["n"], lang)
    if not figure["n"]:
        return t("plats.headline_no_answers", lang)
    if figure.get("secondary_suppression"):
        return t("plats.headline_protected", lang, n=n)
    if figure["suppressed"] or figure["andel"] is None:
        return t("plats.headline_too_few", lang, n=n, min_n=min_n)
    return t(
        "plats.headline",
        lang,
        value=formatting.percent(figure["andel"], lang=lang),
        range=formatting.share_range(figure["ki_lag"], figure["ki_hog"], lang),
        n=n,
    )


def place_survey(figures: Mapping, place: str) -> dict | None:
    """The ``survey`` block of the place called ``place`` in ``figures``, or None."""
    entry = next((p for p in figures["places"] if p["place"] == place), None)
    return None if entry is None else entry["survey"]


def trend_points(by_year: Mapping[int, Mapping], place: str) -> dict:
    """The place's core share in every survey year, and the years it is hidden.

    Parameters
    ----------
    by_year : Mapping
        Year → figures of that year (years without a survey are skipped).

    Returns
    -------
    dict
        ``{"points": [{"year", "andel", "ki_lag", "ki_hog", "n"}], "hidden": [year]}``,
        oldest first; a suppressed year is only in ``hidden``.
    """
    points, hidden = [], []
    for year in sorted(by_year):
        figures = by_year[year]
        survey = place_survey(figures, place) if figures["kommun_total"] else None
        if survey is None or not survey["n"]:
            continue
        figure = figure_of(survey, CORE)
        if figure["suppressed"]:
            hidden.append(year)
            continue
        fields = {key: figure[key] for key in ("andel", "ki_lag", "ki_hog", "n")}
        points.append({"year": year, **fields})
    return {"points": points, "hidden": hidden}


def kommun_trend_points(by_year: Mapping[int, Mapping]) -> dict:
    """The kommun's core share in every survey year: :func:`trend_points` of the whole
    kommun (its ``kommun_total``) instead of a place."""
    points, hidden = [], []
    for year in sorted(by_year):
        total = (by_year[year].get("kommun_total") or {}).get(CORE)
        if not total or not total.get("n"):
            continue
        if total["suppressed"]:
            hidden.append(year)
            continue
        fields = {key: total[key] for key in ("andel", "ki_lag", "ki_hog", "n")}
        points.append({"year": year, **fields})
    return {"points": points, "hidden": hidden}


def trend_note(trend: Mapping, lang: str | None = None) -> str:
    """Which years the chart leaves out because their figure is hidden; "" for none."""
    if not trend["hidden"]:
        return ""
    years = ", ".join(str(year) for year in trend["hidden"])
    return t("plats.trend_hidden", lang, years=years)


def trend_spec(trend: Mapping, lang: str | None = None) -> dict:
    """A Vega-Lite line over the years with the 95 % interval as a band."""
    share, low, high = (t(f"plats.chart_{key}", lang) for key in ("share", "low", "high"))
    year, n = t("dash.year", lang), t("dash.col_n", lang)
    values = [
        {year: str(p["year"]), share: p["andel"], low: p["ki_lag"], high: p["ki_hog"], n: p["n"]}
        for p in trend["points"]
    ]
    x = {"field": year, "type": "ordinal", "axis": {"labelAngle": 0}}
    axis = {"format": ".0%", "title": None}  # the heading above says what it is
    return {
        "data": {"values": values},
        "height": 260,
        "config": chart_config(lang),
        "layer": [
            {
                "mark": {"type": "area", "opacity": 0.3, "color": "#4575b4"},
                "encoding": {
                    "x": x,
                    "y": {"field": low, "type": "quantitative", "axis": axis},
                    "y2": {"field": high},
                },
            },
            {
                "mark": {"type": "line", "point": {"size": 80}, "color": "#08306b"},
                "encoding": {
                    "x": x,
                    "y": {"field": share, "type": "quantitative"},
                    "tooltip": [
                        {"field": year},
                        {"field": share, "format": ".1%"},
                        {"field": low, "format": ".1%"},
                        {"field": high, "format": ".1%"},
                        {"field": n},
                    ],
                },
            },
        ],
    }


def chart_config(lang: str | None = None) -> dict:
    """Vega-Lite settings shared by the pages' charts: large type, the page's numbers."""
    config = {"axis": {"labelFontSize": 16, "titleFontSize": 16}, "legend": {"labelFontSize": 16}}
    if formatting.decimal(0.5, 1, lang) != "0.5":
        nbsp = formatting.NBSP
        config["locale"] = {
            "number": {"decimal": ",", "thousands": nbsp, "grouping": [3], "currency": ["", ""]}
        }
    return config


def item_rows(survey: Mapping, lang: str | None = None) -> dict[str, list[dict]]:
    """The problem and worry items of a ``survey`` block, one table per scale, each row
    with its comparison with the rest of the kommun."""
    figures = {
        f"{scale}_{slug}": figure
        for scale in ITEM_SCALES
        for slug, figure in (survey.get(scale) or {}).items()
    }
    tables = formatting.item_tables(figures, item_label, lang)
    column = t("plats.col_vs_rest", lang)
    for scale, rows in tables.items():
        named = [i for i in figures if i.startswith(scale + "_")]
        for row, indicator in zip(rows, named, strict=True):
            row[column] = vs_rest_words(figures[indicator].get("vs_rest"), lang) or "–"
    return tables


def delivered_rows(by_year: Mapping[int, Mapping], place: str, lang: str | None = None) -> list:
    """Area-level results delivered for the place (Police index 0–6, NTU), every year."""
    rows = []
    for year in sorted(by_year, reverse=True):
        entry = next((p for p in by_year[year]["places"] if p["place"] == place), None)
        for result in [] if entry is None else entry["results"]:
            rows.append(
                {
                    t("dash.year", lang): str(year),
                    t("dash.col_item", lang): result_label(result["indicator"], lang),
                    t("plats.col_value", lang): formatting.delivered(result, lang),
                    t("dash.col_n", lang): "" if result["n"] is None else str(result["n"]),
                    t("plats.col_source", lang): result["source"] or "",
                }
            )
    return rows


def result_label(indicator: str, lang: str | None = None) -> str:
    """A delivered figure's name: a figure the dashboard knows in words ("Andel som känner
    sig otrygga …", "Oro: Inbrott i bostaden"), any other as the file wrote it."""
    prefix, _, slug = indicator.partition("_")
    if indicator == CORE or (prefix in ITEM_SCALES and slug in ITEM_LABELS):
        return indicator_label(indicator, lang)
    return indicator


def reference_sentences(
    figures: Mapping, kommun: str, indicators: list[str] | None = None, lang: str | None = None
) -> list[str]:
    """The kommun's delivered figure beside its län's and the country's, one sentence per
    indicator that has references: "Andel … 2010: Halmstad 17 %, Hallands län 15 %,
    riket 15 %." The core share first; ``indicators`` limits the sentences to those."""
    references = figures.get("references") or []
    order = sorted(dict.fromkeys(r["indicator"] for r in references), key=lambda i: i != CORE)
    own: dict[str, Mapping] = {}
    for result in figures.get("kommun_results") or []:
        own.setdefault(result["indicator"], result)
    sentences = []
    for indicator in order if indicators is None else [i for i in indicators if i in order]:
        parts = []
        if indicator in own:
            result = own[indicator]
            small = result["suppressed"] and not result["missing"]
            value = None if result["suppressed"] else result["value"]
            parts.append(_reference_part(kommun, value, result["unit"], lang, small))
        for level in ("län", "riket"):
            for row in references:
                if row["indicator"] == indicator and row["level"] == level:
                    area = (
                        LAN_NAMES.get(str(figures.get("kommun", ""))[:2], row["area"])
                        if level == "län"
                        else t("references.riket", lang)
                    )
                    parts.append(_reference_part(area, row["value"], row["unit"], lang))
        sentences.append(
            t(
                "references.sentence",
                lang,
                indicator=result_label(indicator, lang),
                year=figures["year"],
                parts=t("references.separator", lang).join(parts),
            )
        )
    return sentences


def _reference_part(area, value: float | None, unit: str, lang, small: bool = False) -> str:
    if small:
        shown = t("map.too_few_answers", lang)
    elif value is None:
        shown = t("fmt.result_missing", lang)
    else:
        text = formatting.decimal(value, 0 if float(value).is_integer() else 1, lang)
        key = "fmt.result_index" if unit == "index" else "fmt.percent"
        shown = t(key, lang, value=text)
    return t("references.part", lang, area=area, value=shown)


def category_change_rows(
    current: Mapping,
    previous: Mapping | None,
    labels: tuple[str, str],
    k: int = MIN_INCIDENTS_PUBLIC,
    lang: str | None = None,
) -> list[dict[str, str]]:
    """Incidents by category this period and the one before, with the change.

    ``labels`` name the two periods' columns. A change is given only where both counts
    are published; the total of all categories comes last. Without a previous period
    (None) the rows hold this period only.

    Examples
    --------
    >>> rows = category_change_rows({"by_category": {"hot": 5}, "total": 5},
    ...                             {"by_category": {"hot": 3}, "total": 3}, ("2024", "2023"))
    >>> [list(row.values()) for row in rows]
    [['Hot', '5', '3', '+2'], ['Alla kategorier', '5', '3', '+2']]
    """
    blocks = [current] if previous is None else [current, previous]
    present = {c for block in blocks for c in block["by_category"]}
    named = [(c, category_label(c, lang)) for c in INCIDENT_CATEGORIES if c in present]
    counts = [(label, [b["by_category"].get(c, 0) for b in blocks]) for c, label in named]
    counts.append((t("dash.all_categories_row", lang), [b["total"] for b in blocks]))
    rows = []
    for label, values in counts:
        row = {t("dash.col_category", lang): label}
        for name, value in zip(labels, values, strict=False):
            row[name] = formatting.incident_count(value, k, lang)
        if previous is not None:
            now, before = values
            known = now is not None and before is not None
            row[t("plats.col_change", lang)] = signed(now - before, lang) if known else "–"
        rows.append(row)
    return rows


def signed(value: int, lang: str | None = None) -> str:
    """A change with its sign: "+2", "−3", "0"."""
    if value > 0:
        return "+" + formatting.integer(value, lang)
    return formatting.integer(value, lang)


def month_names(lang: str | None = None) -> list[str]:
    """The twelve months' short names: "jan", "feb", … (English "Jan", "Feb", …)."""
    return [t(f"plats.month_{month}", lang) for month in range(1, 13)]


def weekday_names(lang: str | None = None) -> list[str]:
    """The weekdays' short names, Monday first."""
    return [t(f"plats.day_{day}", lang) for day in range(7)]


def month_spec(profile: Mapping, year: int, lang: str | None = None) -> dict:
    """A Vega-Lite bar chart of the year's months; a suppressed month has no bar."""
    month, count = t("dash.col_month", lang), t("dash.col_count", lang)
    names = month_names(lang)
    values = [
        {month: name, count: profile["by_month"].get(f"{year}-{number:02d}", 0)}
        for number, name in enumerate(names, start=1)
    ]
    return {
        "data": {"values": values},
        "height": 220,
        "config": chart_config(lang),
        "mark": {"type": "bar", "color": "#4575b4"},
        "encoding": {
            "x": {"field": month, "type": "ordinal", "sort": names, "axis": {"labelAngle": 0}},
            "y": {"field": count, "type": "quantitative", "axis": {"format": "d", "title": None}},
            "tooltip": [{"field": month}, {"field": count}],
        },
    }


def place_bounds(places: gpd.GeoDataFrame, name: str) -> list[list[float]] | None:
    """The place's bounds in WGS84 as ``[[south, west], [north, east]]``; None if unknown."""
    chosen = places[places["name"] == name]
    if chosen.empty:
        return None
    west, south, east, north = chosen.to_crs(WEB_CRS).total_bounds
    return [[float(south), float(west)], [float(north), float(east)]]


def heat_cells(profile: Mapping, k: int = MIN_INCIDENTS_PUBLIC, lang: str | None = None) -> list:
    """The hour × weekday table as cells: text, background, text colour, Monday first.

    A cell's colour is its class of the busiest cell (the map's sequential palette); a
    suppressed cell is plain grey with "<3", so its colour tells nothing either.

    Returns
    -------
    list
        Seven rows of ``(day, [{"text", "background", "colour", "title"}] × 24)``.
    """
    table = profile["hour_weekday"]
    top = max((n for row in table for n in row if n is not None), default=0)
    rows = []
    for day, counts in zip(weekday_names(lang), table, strict=True):
        cells = []
        for hour, n in enumerate(counts):
            background, colour = _heat_colours(n, top)
            title = f"{day} {hour:02d}: {formatting.incident_count(n, k, lang)}"
            cells.append(
                {
                    "text": formatting.heat_cell(n, k, lang),
                    "background": background,
                    "colour": colour,
                    "title": title,
                }
            )
        rows.append((day, cells))
    return rows


def _heat_colours(n: int | None, top: int) -> tuple[str, str]:
    if n is None:
        return HATCH_LIGHT, "#3b4a59"
    if n <= 0 or top <= 0:
        return "#ffffff", "#10253a"
    index = min(MAX_CLASSES, int(np.ceil(MAX_CLASSES * n / top))) - 1
    return PALETTE[index], "#ffffff" if index >= 3 else "#10253a"
