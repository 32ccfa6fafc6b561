"""The figures of ``trygg stats`` as one long table for CSV and Excel: plain machine formats.

One row per area × indicator × period, for every figure the JSON holds: the survey's
shares (with last year's core figure when the trend carries it), delivered area-level
results, incidents (total, per category, per km² and per 1 000 inhabitants, and the
period before), reported crime and the reference areas (län, riket). A hidden figure is
an empty ``value`` with ``suppressed`` true, exactly where the JSON has None.

Text cells go through :func:`trygg.exports.safe_cell`, so no place name becomes a
spreadsheet formula; numbers stay numbers.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

from trygg import exports
from trygg.scales import ITEM_SCALES
from trygg.stats.periods import Period
from trygg.strings import t

CSV_COLUMNS = (
    "kommun",
    "level",
    "place",
    "place_id",
    "kind",
    "indicator",
    "category",
    "period",
    "value",
    "unit",
    "n",
    "ki_lag",
    "ki_hog",
    "suppressed",
    "missing",
    "preliminary",
    "source",
)

#: ``kind``: where a figure comes from.
SURVEY, RESULT, INCIDENTS, CRIME, REFERENCE = (
    "enkät",
    "områdesresultat",
    "händelser",
    "brottsstatistik",
    "referens",
)
#: ``level``: a place, the whole kommun, or a reference area.
PLACE_LEVEL, KOMMUN_LEVEL = "plats", "kommun"

SHARE, COUNT = "andel", "antal"
PER_100K = "per 100 000 invånare"
INCIDENT_RATES = (("per_km2", "per km²"), ("per_1000_inv", "per 1 000 invånare"))


def table_rows(figures: dict) -> list[list]:
    """Every figure of :func:`trygg.stats.report.place_figures` as rows of ``CSV_COLUMNS``.

    Parameters
    ----------
    figures : dict
        The output of ``place_figures`` (or ``compute_stats``, which has no incidents
        and no crime statistics); ``references`` is read when present.

    Returns
    -------
    list of list
        Shares as floats 0–1 and other values as published, rounded to 6 decimals;
        booleans as ``"true"``/``"false"``; None (an empty cell) where a figure is hidden
        or does not apply.

    Examples
    --------
    >>> figures = {"kommun": "1381", "year": 2024, "places": [], "kommun_total": {
    ...     "andel_otrygga": {"n": 4, "andel": None, "ki_lag": None, "ki_hog": None,
    ...     "suppressed": True}}}
    >>> table_rows(figures)[0][:11]
    ['1381', 'kommun', None, None, 'enkät', 'andel_otrygga', None, '2024', None, 'andel', 4]
    """
    periods = _periods(figures)
    rows = []
    for place in figures["places"]:
        area = (figures["kommun"], PLACE_LEVEL, place["place"], place["place_id"])
        rows += [[*area, *cells] for cells in _place_cells(place, figures["year"], periods)]
    whole = (figures["kommun"], KOMMUN_LEVEL, None, None)
    kommun = {
        "survey": figures.get("kommun_total") or {},
        "results": figures.get("kommun_results", []),
        "incidents": figures.get("kommun_incidents"),
        "crime_stats": figures.get("kommun_crime_stats", []),
    }
    rows += [[*whole, *cells] for cells in _place_cells(kommun, figures["year"], periods)]
    for reference in figures.get("references") or []:
        rows.append(_reference_row(figures["kommun"], reference))
    return rows


def to_csv(figures: dict) -> str:
    """The rows of :func:`table_rows` as CSV: plain machine formats (decimal point).

    Text cells go through :func:`trygg.exports.safe_cell`, so no place name becomes a
    spreadsheet formula.
    """
    buffer = io.StringIO()
    exports.write_csv(buffer, CSV_COLUMNS, table_rows(figures), float_format=".6f")
    return buffer.getvalue()


def to_xlsx(figures: dict) -> bytes:
    """The rows of :func:`table_rows` as an Excel workbook; numbers stored as numbers."""
    buffer = io.BytesIO()
    exports.write_xlsx(buffer, CSV_COLUMNS, table_rows(figures), sheet=t("exports.sheet_stats"))
    return buffer.getvalue()


def _periods(figures: dict) -> tuple[str, str] | None:
    """The incidents' period and the one before as labels ("2024", "2024-03", a range)."""
    if "period" not in figures:
        return None
    start, end = (dt.date.fromisoformat(figures["period"][key]) for key in ("from", "to"))
    period = Period.of(None, start, end)
    return period.label, period.previous().label


def _place_cells(block: dict, year: int | None, periods) -> Iterator[list]:
    """A place's (or the kommun's) cells from ``kind`` on."""
    survey_period = None if year is None else str(year)
    yield from _survey_cells(block.get("survey") or {}, survey_period)
    for result in block.get("results", []):
        yield _cells(
            RESULT,
            result["indicator"],
            survey_period,
            result["value"],
            result["unit"],
            n=result["n"],
            interval=(result["ki_lag"], result["ki_hog"]),
            hidden=bool(result["suppressed"]),
            missing=bool(result["missing"]),
            source=result["source"],
        )
    if block.get("incidents") is not None and periods is not None:
        yield from _incident_cells(block["incidents"], *periods)
    for crime in block.get("crime_stats", []):
        yield from _crime_cells(crime)


def _survey_cells(survey: dict, period: str | None) -> Iterator[list]:
    """The core share and the item shares, and last year's core share from the trend.

    A place's survey block nests the items by scale; the kommun total has them flat
    (``problem_nedskrapning``).
    """
    if isinstance(survey.get("andel_otrygga"), dict):
        items = list(survey.items())
    elif survey:
        items = [("andel_otrygga", {**survey, "andel": survey["andel_otrygga"]})]
        for prefix in ITEM_SCALES:
            items += [(f"{prefix}_{slug}", item) for slug, item in survey[prefix].items()]
    else:
        items = []
    for indicator, item in items:
        yield _cells(
            SURVEY,
            indicator,
            period,
            item["andel"],
            SHARE,
            n=item["n"],
            interval=(item["ki_lag"], item["ki_hog"]),
            hidden=bool(item["suppressed"]),
        )
    trend = survey.get("trend")
    if trend:
        yield _cells(
            SURVEY,
            "andel_otrygga",
            str(trend["previous_year"]),
            trend["previous_andel_otrygga"],
            SHARE,
            n=trend["previous_n"],
        )


def _incident_cells(block: dict, period: str, previous: str) -> Iterator[list]:
    """Total, categories, rates and the previous period's total; hidden where None."""
    yield _cells(INCIDENTS, "handelser", period, block["total"], COUNT)
    for category, count in block["by_category"].items():
        yield _cells(INCIDENTS, "handelser", period, count, COUNT, category=category)
    for key, unit in INCIDENT_RATES:
        if block[key] is not None:
            yield _cells(INCIDENTS, f"handelser_{key}", period, block[key], unit)
    yield _cells(INCIDENTS, "handelser", previous, block["previous_total"], COUNT)


def _crime_cells(crime: dict) -> Iterator[list]:
    """The count and, where it was delivered or is hidden with the count, the rate."""
    hidden = bool(crime["suppressed"])
    values = [("anmalda_brott", crime["count"], COUNT)]
    if crime["per_100k"] is not None or hidden:
        values.append(("anmalda_brott_per_100k", crime["per_100k"], PER_100K))
    for indicator, value, unit in values:
        yield _cells(
            CRIME,
            indicator,
            crime["period"],
            value,
            unit,
            category=crime["offence"],
            hidden=hidden,
            missing=value is None and not hidden,
            preliminary=crime["preliminary"],
            source=crime["source"],
        )


def _reference_row(kommun: str, reference: dict) -> list:
    """A reference area's figure (helper keys as :mod:`trygg.stats.report` gives them)."""
    year = reference.get("year")
    cells = _cells(
        REFERENCE,
        reference.get("indicator"),
        None if year is None else str(year),
        reference.get("value"),
        reference.get("unit"),
        n=reference.get("n"),
        interval=(reference.get("ki_lag"), reference.get("ki_hog")),
        missing=reference.get("value") is None,
        source=reference.get("source"),
    )
    return [kommun, reference.get("level"), reference.get("area"), None, *cells]


def _cells(
    kind: str,
    indicator: str,
    period: str | None,
    value,
    unit: str | None,
    *,
    category: str | None = None,
    n: int | None = None,
    interval: tuple = (None, None),
    hidden: bool | None = None,
    missing: bool = False,
    preliminary: bool | None = None,
    source: str | None = None,
) -> list:
    """The cells from ``kind`` to ``source``. ``hidden`` defaults to "value is None" (how
    incident counts are hidden); a hidden figure shows neither value nor interval."""
    hidden = value is None and not missing if hidden is None else hidden
    shown = [None if hidden else _rounded(v) for v in (value, *interval)]
    return [
        kind,
        indicator,
        category,
        period,
        shown[0],
        unit,
        n,
        *shown[1:],
        _flag(hidden),
        _flag(missing),
        None if preliminary is None else _flag(preliminary),
        source,
    ]


def _flag(value) -> str:
    return "true" if value else "false"


def _rounded(value):
    """Floats rounded to 6 decimals, ints as ints, None as None."""
    if value is None or isinstance(value, bool):
        return value
    return value if isinstance(value, int) else round(float(value), 6)
