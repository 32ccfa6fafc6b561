"""The Jämför page: every place ranked by one figure, from the public figures of
:func:`trygg.stats.report.place_figures` (what ``trygg stats --public`` prints).

A survey share comes with its 95 % interval, n and the comparison with the rest of the
kommun; an incident figure with its count or rate. Hidden figures are never ranked:
they are listed with the reason they are hidden.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

from trygg import exports, formatting
from trygg.maps.metrics import (
    INCIDENT_RATE,
    INCIDENT_TOTAL,
    incident_category,
    is_incident_metric,
    metric_options,
)
from trygg.pages.place import chart_config, vs_rest_words
from trygg.scales import MIN_INCIDENTS_PUBLIC
from trygg.stats.survey_figures import figure_of
from trygg.strings import t

SHARE, COUNT, RATE = "share", "count", "rate"


def ranking(figures: Mapping, metric: str, lang: str | None = None) -> dict:
    """The places ranked by ``metric``, highest first, and the places it hides.

    Returns
    -------
    dict
        ``{"metric", "label", "kind" ("share", "count" or "rate"), "year", "kommun"
        (the kommun's value, None for counts or when hidden), "rows": [{"place",
        "value", "low", "high", "n", "vs_rest"}], "hidden": [{"place", "reason"}]}``;
        shares are 0–1, ``low``/``high``/``n`` None for incident figures.
    """
    kind = _kind(metric)
    k = figures.get("k", MIN_INCIDENTS_PUBLIC)
    rows, hidden = [], []
    for entry in figures["places"]:
        if kind == SHARE:
            found = _survey_row(entry, metric, lang)
        else:
            found = _incident_row(entry, metric, k, lang)
        if "reason" in found:
            hidden.append({"place": entry["place"], "reason": found["reason"]})
        else:
            rows.append({"place": entry["place"], **found})
    rows.sort(key=lambda row: (-row["value"], row["place"]))
    hidden.sort(key=lambda row: row["place"])
    return {
        "metric": metric,
        "label": metric_options(figures, lang).get(metric, metric),
        "kind": kind,
        "year": figures["year"],
        "kommun": _kommun_value(figures, metric, kind),
        "rows": rows,
        "hidden": hidden,
    }


def _kind(metric: str) -> str:
    if not is_incident_metric(metric):
        return SHARE
    return RATE if metric == INCIDENT_RATE else COUNT


def _survey_row(entry: Mapping, metric: str, lang: str | None) -> dict:
    figure = figure_of(entry["survey"], metric)
    if not figure["n"]:
        return {"reason": t("jamfor.no_answers", lang)}
    if figure.get("secondary_suppression"):
        return {"reason": t("fmt.hidden_to_protect", lang)}
    if figure["suppressed"] or figure["andel"] is None:
        return {"reason": t("map.too_few_answers", lang)}
    return {
        "value": figure["andel"],
        "low": figure["ki_lag"],
        "high": figure["ki_hog"],
        "n": figure["n"],
        "vs_rest": (figure.get("vs_rest") or {}).get("result"),
    }


def _incident_row(entry: Mapping, metric: str, k: int, lang: str | None) -> dict:
    block = entry["incidents"]
    if metric == INCIDENT_TOTAL:
        value = block["total"]
    elif metric == INCIDENT_RATE:
        value = None if block["suppressed"] else block["per_1000_inv"]
        if value is None and not block["suppressed"]:
            return {"reason": t("fmt.no_population", lang)}
    else:
        value = block["by_category"].get(incident_category(metric), 0)
    if value is None:
        return {"reason": t("fmt.fewer_than_incidents", lang, k=k)}
    return {"value": value, "low": None, "high": None, "n": None, "vs_rest": None}


def _kommun_value(figures: Mapping, metric: str, kind: str) -> float | None:
    if kind == SHARE:
        total = figures["kommun_total"].get(metric)
        return None if not total or total["suppressed"] else total["andel"]
    if kind == RATE:
        return figures["kommun_incidents"].get("per_1000_inv")
    return None


def value_text(rank: Mapping, value: float, lang: str | None = None) -> str:
    """One ranked value as people read it: "32,1 %", "160", "47,5"."""
    if rank["kind"] == SHARE:
        return formatting.percent(value, lang=lang)
    if rank["kind"] == RATE:
        return formatting.decimal(value, 1, lang)
    return formatting.integer(value, lang)


def kommun_sentence(rank: Mapping, kommun_namn: str, lang: str | None = None) -> str:
    """The kommun's value that the chart draws as a line, or why there is none."""
    if rank["kommun"] is None:
        key = "jamfor.kommun_none_count" if rank["kind"] == COUNT else "jamfor.kommun_hidden"
        return t(key, lang, kommun=kommun_namn)
    value = value_text(rank, rank["kommun"], lang)
    return t("jamfor.kommun_line", lang, kommun=kommun_namn, value=value)


def table_rows(rank: Mapping, lang: str | None = None) -> tuple[list[str], list[list]]:
    """The ranking as a header and rows of plain values: ranked places, then hidden ones.

    Shares are percentages rounded to one decimal, so the table, its CSV and the chart
    say the same.
    """
    share = rank["kind"] == SHARE
    header = [t("jamfor.col_rank", lang), t("jamfor.col_place", lang), _value_column(rank, lang)]
    if share:
        header += [t("jamfor.col_low", lang), t("jamfor.col_high", lang), t("dash.col_n", lang)]
    header.append(t("jamfor.col_note", lang))
    rows = []
    for number, row in enumerate(rank["rows"], start=1):
        cells = [number, row["place"], _plain(rank, row["value"])]
        if share:
            cells += [_plain(rank, row["low"]), _plain(rank, row["high"]), row["n"]]
        cells.append(vs_rest_words({"result": row["vs_rest"]}, lang) if row["vs_rest"] else "")
        rows.append(cells)
    for row in rank["hidden"]:
        rows.append([None, row["place"], None, *([None] * 3 if share else []), row["reason"]])
    return header, rows


def _value_column(rank: Mapping, lang: str | None) -> str:
    unit = {SHARE: "jamfor.unit_share", RATE: "jamfor.unit_rate", COUNT: "jamfor.unit_count"}
    return t("jamfor.col_value", lang, unit=t(unit[rank["kind"]], lang))


def _plain(rank: Mapping, value: float | None) -> float | int | None:
    if value is None:
        return None
    if rank["kind"] == SHARE:
        return round(value * 100, 1)
    return round(value, 1) if rank["kind"] == RATE else value


def csv_bytes(rank: Mapping, lang: str | None = None) -> bytes:
    """The table as a UTF-8 CSV file, every cell through the formula-safe writer."""
    buffer = io.StringIO()
    header, rows = table_rows(rank, lang)
    exports.write_csv(buffer, header, rows)
    return buffer.getvalue().encode("utf-8")


def chart_spec(rank: Mapping, lang: str | None = None) -> dict:
    """A Vega-Lite chart: one bar (share: a point with interval whiskers) per ranked
    place, highest first, and the kommun's value as a rule."""
    place, value = t("jamfor.col_place", lang), rank["label"]
    low, high = t("jamfor.col_low", lang), t("jamfor.col_high", lang)
    share = rank["kind"] == SHARE
    fmt = ".1%" if share else (".1f" if rank["kind"] == RATE else "d")
    values = [
        {place: row["place"], value: row["value"], low: row["low"], high: row["high"]}
        for row in rank["rows"]
    ]
    order = [row["place"] for row in rank["rows"]]
    y = {
        "field": place,
        "type": "nominal",
        "sort": order,
        "title": None,
        "axis": {"labelLimit": 320},
    }
    x_axis = {"format": ".0%" if share else "d", "title": value}
    tooltip = [{"field": place}, {"field": value, "format": fmt}]
    if share:
        tooltip += [{"field": low, "format": fmt}, {"field": high, "format": fmt}]
        layers = [
            {
                "mark": {"type": "rule", "strokeWidth": 3, "color": "#4575b4"},
                "encoding": {
                    "y": y,
                    "x": {"field": low, "type": "quantitative"},
                    "x2": {"field": high},
                },
            },
            {
                "mark": {"type": "point", "filled": True, "size": 140, "color": "#08306b"},
                "encoding": {
                    "y": y,
                    "x": {"field": value, "type": "quantitative", "axis": x_axis},
                    "tooltip": tooltip,
                },
            },
        ]
    else:
        layers = [
            {
                "mark": {"type": "bar", "color": "#4575b4"},
                "encoding": {
                    "y": y,
                    "x": {"field": value, "type": "quantitative", "axis": x_axis},
                    "tooltip": tooltip,
                },
            }
        ]
    if rank["kommun"] is not None:
        layers.append(
            {
                "data": {"values": [{"kommun": rank["kommun"]}]},
                "mark": {
                    "type": "rule",
                    "color": "#b2182b",
                    "strokeWidth": 2,
                    "strokeDash": [6, 4],
                },
                "encoding": {"x": {"field": "kommun", "type": "quantitative"}},
            }
        )
    return {
        "data": {"values": values},
        "height": {"step": 40},
        "config": chart_config(lang),
        "layer": layers,
    }
