"""Numbers as people read them: Swedish decimal comma and space, in the map and dashboard.

One formatter for every figure a person sees (tooltips, legends, the place panel), so
"58,7 %" looks the same everywhere. Machine exports (CSV, JSON) keep plain formats and
do not come through here. The spaces are no-break spaces (U+00A0), so "58,7 %" and
"1 234" never break across lines on a narrow tooltip.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping

from trygg import exports
from trygg.scales import INCIDENT_CATEGORIES, ITEM_SCALES, MIN_INCIDENTS_PUBLIC
from trygg.strings import category_label, current_language, t
from trygg.text import fold

NBSP = "\u00a0"
MINUS = "\u2212"


def decimal(value: float, decimals: int = 1, lang: str | None = None) -> str:
    """A number with ``decimals`` decimals; Swedish: decimal comma, space for thousands.

    Examples
    --------
    >>> decimal(1234.56).replace(NBSP, " ")
    '1 234,6'
    >>> decimal(-0.25, 2)
    '−0,25'
    >>> decimal(1234.56, lang="en")
    '1,234.6'
    """
    text = f"{abs(value):,.{decimals}f}"
    negative = value < 0 and float(text.replace(",", "")) != 0
    if (lang or current_language()) == "sv":
        text = text.replace(",", NBSP).replace(".", ",")
        return (MINUS if negative else "") + text
    return ("-" if negative else "") + text


def integer(value: int, lang: str | None = None) -> str:
    """A whole number with a thousands separator."""
    return decimal(value, 0, lang)


def percent(share: float, decimals: int = 1, lang: str | None = None) -> str:
    """A share (0–1) as a percentage: ``0.587`` → "58,7 %".

    Examples
    --------
    >>> percent(0.5866).replace(NBSP, " ")
    '58,7 %'
    """
    return t("fmt.percent", lang, value=decimal(share * 100, decimals, lang))


def share_range(low: float, high: float, lang: str | None = None) -> str:
    """Two shares as a range: "45,1–71,2 %"; one value when both round alike."""
    if percent(low, lang=lang) == percent(high, lang=lang):
        return percent(high, lang=lang)
    return t("fmt.range", lang, low=decimal(low * 100, 1, lang), high=decimal(high * 100, 1, lang))


def interval(low: float, high: float, lang: str | None = None) -> str:
    """A 95 % confidence interval of a share: "95 % KI 45,1–71,2 %"."""
    return t("fmt.interval", lang, range=share_range(low, high, lang))


def count(n: int, lang: str | None = None) -> str:
    """The number of answers behind a figure: "n = 54"."""
    return t("fmt.n", lang, n=integer(n, lang))


def describe(figure: Mapping, lang: str | None = None) -> dict[str, str]:
    """The texts of one share figure: ``andel``, ``n``, ``ki_lag``, ``ki_hog``, ``suppressed``.

    A suppressed figure gives "för få svar" and its n, never a value or an interval; one
    hidden only so that a subtraction cannot reveal a small group says so instead.

    Returns
    -------
    dict
        ``{"value", "n", "interval", "range"}``: "32,1 %", "n = 53",
        "95 % KI 20,7–46,2 %" and the bare "20,7–46,2 %"; the last two are empty when
        suppressed.
    """
    if figure["suppressed"] or figure["andel"] is None:
        reason = "fmt.hidden_to_protect" if figure.get("secondary_suppression") else None
        return {
            "value": t(reason or "map.too_few_answers", lang),
            "n": count(figure["n"], lang),
            "interval": "",
            "range": "",
        }
    return {
        "value": percent(figure["andel"], lang=lang),
        "n": count(figure["n"], lang),
        "interval": interval(figure["ki_lag"], figure["ki_hog"], lang),
        "range": share_range(figure["ki_lag"], figure["ki_hog"], lang),
    }


def trend(change: Mapping, lang: str | None = None) -> str:
    """The change since the previous year, with an arrow and whether it is significant.

    Parameters
    ----------
    change : Mapping
        A ``trend`` block from :func:`trygg.stats.compute_stats`.

    Examples
    --------
    >>> trend({"change": -0.091, "previous_year": 2023, "previous_andel_otrygga": 0.412,
    ...        "significant": False}).replace(NBSP, " ")
    '↓ 9,1 procentenheter lägre än 2023 (41,2 %) – ingen säkerställd förändring'
    """
    points = decimal(abs(change["change"]) * 100, 1, lang)
    values = {
        "points": points,
        "year": change["previous_year"],
        "previous": percent(change["previous_andel_otrygga"], lang=lang),
    }
    if points == decimal(0, 1, lang):
        direction = t("fmt.trend_same", lang, **values)
    elif change["change"] > 0:
        direction = t("fmt.trend_up", lang, **values)
    else:
        direction = t("fmt.trend_down", lang, **values)
    verdict = t("fmt.significant" if change["significant"] else "fmt.not_significant", lang)
    return f"{direction} – {verdict}"


def delivered(result: Mapping, lang: str | None = None) -> str:
    """A delivered area-level figure: an index (0–6) or a percentage, or why it is missing."""
    if result["missing"]:
        return t("fmt.result_missing", lang)
    if result["suppressed"]:
        return t("map.too_few_answers", lang)
    if result["unit"] == "index":
        return t("fmt.result_index", lang, value=decimal(result["value"], 1, lang))
    return t("fmt.percent", lang, value=decimal(result["value"], 1, lang))


def incident_count(n: int | None, k: int = MIN_INCIDENTS_PUBLIC, lang: str | None = None) -> str:
    """A count of incidents for a table cell; a suppressed count (None) is "färre än 3".

    Examples
    --------
    >>> incident_count(1234).replace(NBSP, " ")
    '1 234'
    >>> incident_count(None)
    'färre än 3'
    """
    return t("fmt.fewer_than", lang, k=k) if n is None else integer(n, lang)


def incidents(n: int | None, k: int = MIN_INCIDENTS_PUBLIC, lang: str | None = None) -> str:
    """A count with its noun: "12 händelser", "1 händelse", or "färre än 3 händelser".

    Examples
    --------
    >>> incidents(1), incidents(None)
    ('1 händelse', 'färre än 3 händelser')
    """
    if n is None:
        return t("fmt.fewer_than_incidents", lang, k=k)
    return t("fmt.incident_one" if n == 1 else "fmt.incidents", lang, n=integer(n, lang))


def describe_incidents(
    block: Mapping, k: int = MIN_INCIDENTS_PUBLIC, lang: str | None = None
) -> dict[str, str]:
    """The texts of one ``incidents`` block of :func:`trygg.figures.place_figures`.

    A suppressed count gives "färre än 3", and its rates say so too (a rate would let a
    reader work the count out); a place without population says "saknar invånartal".

    Returns
    -------
    dict
        ``{"total", "previous", "per_1000", "per_km2"}``: "160", "142 händelser" (the
        previous period), "47,5 per 1 000 invånare" and "1 652 per km²" (empty without
        an area).

    Examples
    --------
    >>> describe_incidents({"total": None, "per_1000_inv": None, "per_km2": None,
    ...                     "previous_total": 4, "suppressed": True})
    ... # doctest: +NORMALIZE_WHITESPACE
    {'total': 'färre än 3', 'previous': '4 händelser', 'per_1000': 'färre än 3 händelser',
     'per_km2': 'färre än 3 händelser'}
    """
    texts = {
        "total": incident_count(block["total"], k, lang),
        "previous": incidents(block["previous_total"], k, lang),
    }
    if block["suppressed"]:
        hidden = t("fmt.fewer_than_incidents", lang, k=k)
        return {**texts, "per_1000": hidden, "per_km2": hidden}
    rate, density = block["per_1000_inv"], block["per_km2"]
    return {
        **texts,
        "per_1000": t("fmt.no_population", lang) if rate is None else per_1000(rate, lang),
        "per_km2": "" if density is None else per_km2(density, lang),
    }


def per_1000(value: float, lang: str | None = None) -> str:
    """A rate per 1 000 inhabitants: "47,5 per 1 000 invånare"."""
    return t("fmt.per_1000", lang, value=decimal(value, 1, lang))


def per_km2(value: float, lang: str | None = None) -> str:
    """A density: "1 652 per km²" (one decimal below 100)."""
    return t("fmt.per_km2", lang, value=decimal(value, 0 if value >= 100 else 1, lang))


def number_range(low: float, high: float, decimals: int = 0, lang: str | None = None) -> str:
    """Two numbers as a legend range, "12–40"; one number when both round alike.

    Examples
    --------
    >>> number_range(3, 12).replace("\u2060", "")  # word joiners keep it on one line
    '3–12'
    >>> number_range(4.04, 4.01, 1)
    '4,0'
    """
    low_text, high_text = decimal(low, decimals, lang), decimal(high, decimals, lang)
    if low_text == high_text:
        return high_text
    return t("fmt.number_range", lang, low=low_text, high=high_text)


def heat_cell(n: int | None, k: int = MIN_INCIDENTS_PUBLIC, lang: str | None = None) -> str:
    """A cell of the hour × weekday table: blank for none, "<3" when suppressed.

    Examples
    --------
    >>> heat_cell(0), heat_cell(12), heat_cell(None)
    ('', '12', '<3')
    """
    if n is None:
        return t("fmt.fewer_than_short", lang, k=k)
    return "" if n == 0 else integer(n, lang)


def row_errors_csv(errors: Iterable[Mapping], lang: str | None = None) -> bytes:
    """Rejected rows as a CSV file a coordinator opens in Excel to fix the source file.

    Semicolons and a UTF-8 byte-order mark, so Swedish Excel opens it in columns with
    å, ä and ö intact. Row numbers are the source file's spreadsheet rows. A value that
    looks like a formula is written as text (:func:`trygg.exports.safe_cell`).
    """
    buffer = io.StringIO()
    header, rows = _row_error_table(errors, lang)
    exports.write_csv(buffer, header, rows, delimiter=";", lineterminator="\r\n")
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def row_errors_xlsx(errors: Iterable[Mapping], lang: str | None = None) -> bytes:
    """The rejected rows of :func:`row_errors_csv` as an Excel workbook."""
    buffer = io.BytesIO()
    header, rows = _row_error_table(errors, lang)
    exports.write_xlsx(buffer, header, rows, sheet=t("exports.sheet_rejected", lang))
    return buffer.getvalue()


def row_error_rows(errors: Iterable[Mapping], lang: str | None = None) -> list[dict]:
    """The rejected rows of :func:`row_errors_csv` as table rows for the upload page."""
    header, rows = _row_error_table(errors, lang)
    return [dict(zip(header, row, strict=True)) for row in rows]


def _row_error_table(errors: Iterable[Mapping], lang: str) -> tuple[list[str], list[list]]:
    keys = ("row", "column", "value", "message")
    header = [t(f"upload.col_{key}", lang) for key in keys]
    return header, [[error[key] for key in keys] for error in errors]


# --- The lines and tables of the map page ----------------------------------------------


def dotted(*parts: str) -> str:
    """The parts that are not empty, joined by " · ".

    Examples
    --------
    >>> dotted("n = 53", "", "95 % KI 20–46 %")
    'n = 53 · 95 % KI 20–46 %'
    """
    return " · ".join(part for part in parts if part)


def item_tables(
    figures: Mapping[str, Mapping], label: Callable[[str], str], lang: str | None = None
) -> dict[str, list[dict]]:
    """Survey items as table rows, one table per answer scale: problems, then worries.

    Parameters
    ----------
    figures : Mapping
        Indicator (``problem_nedskrapning``) → share figure, as :func:`describe` takes.
    label : callable
        The item's name for an indicator (:func:`trygg.maps.item_label`).

    Returns
    -------
    dict
        Scale (``problem``, ``oro``) → rows of question, share, n and 95 % interval;
        a scale without items is left out.
    """
    tables = {}
    for scale in ITEM_SCALES:
        rows = [
            _share_row(label(indicator), figure, lang)
            for indicator, figure in figures.items()
            if indicator.startswith(scale + "_")
        ]
        if rows:
            tables[scale] = rows
    return tables


def _share_row(label: str, figure: Mapping, lang: str) -> dict[str, str]:
    texts = describe(figure, lang)
    return {
        t("dash.col_item", lang): label,
        t("dash.col_share", lang): texts["value"],
        t("dash.col_n", lang): integer(figure["n"], lang),
        t("dash.col_interval", lang): texts["range"],
    }


def category_rows(
    blocks: Mapping[str, Mapping], k: int = MIN_INCIDENTS_PUBLIC, lang: str | None = None
) -> list[dict[str, str]]:
    """Incidents by category for one or more periods, the total of all categories last.

    ``blocks`` maps a period's name ("2024", "2023") to an ``incidents`` block; a
    category is listed when any of the periods has it.

    Examples
    --------
    >>> rows = category_rows({"2024": {"by_category": {"hot": 4}, "total": 4},
    ...                       "2023": {"by_category": {}, "total": None}})
    >>> [list(row.values()) for row in rows]
    [['Hot', '4', '0'], ['Alla kategorier', '4', 'färre än 3']]
    """
    present = {category for block in blocks.values() for category in block["by_category"]}
    column = t("dash.col_category", lang)
    rows = [
        {
            column: category_label(category, lang),
            **{
                period: incident_count(block["by_category"].get(category, 0), k, lang)
                for period, block in blocks.items()
            },
        }
        for category in INCIDENT_CATEGORIES
        if category in present
    ]
    total = {period: incident_count(block["total"], k, lang) for period, block in blocks.items()}
    return [*rows, {column: t("dash.all_categories_row", lang), **total}]


def month_rows(profile: Mapping, year: int, lang: str | None = None) -> list[dict]:
    """The twelve months of ``year`` with their count from a time profile, for a chart.

    A month without incidents counts 0; a suppressed month stays None (no bar).
    """
    months = [f"{year}-{month:02d}" for month in range(1, 13)]
    return [
        {
            t("dash.col_month", lang): month,
            t("dash.col_count", lang): profile["by_month"].get(month, 0),
        }
        for month in months
    ]


def no_trend(years: Iterable[int], year: int, lang: str | None = None) -> str:
    """Why a place shows no change since the last survey: too few answers, or no survey.

    Examples
    --------
    >>> no_trend([2022, 2024], 2024)
    'Ingen jämförelse med 2022: för få svar något av åren.'
    >>> no_trend([2024], 2024)
    'Inget tidigare år att jämföra med.'
    """
    earlier = max((y for y in years if y < year), default=None)
    if earlier is None:
        return t("dash.no_previous", lang)
    return t("dash.no_trend", lang, year=earlier)


def delivered_details(result: Mapping, place: str | None, lang: str | None = None) -> str:
    """The line under a delivered result: its source, n, and the area it was given for
    when that is not the place's own name."""
    area = result["area"]
    return dotted(
        t("dash.delivered_source", lang, source=result["source"]),
        "" if result["n"] is None else count(result["n"], lang),
        t("dash.delivered_area", lang, area=area)
        if area and fold(area) != fold(place or "")
        else "",
    )


def follow_up_line(follow_up: Mapping, lang: str | None = None) -> str:
    """A follow-up in one line: date, status, its comment, and a demo marker if made up.

    Examples
    --------
    >>> follow_up_line({"date": "2024-09-30", "status": "pågår", "comment": "Ny belysning"})
    'Senaste uppföljning 2024-09-30: pågår – Ny belysning'
    """
    line = t("dash.latest_follow_up", lang, date=follow_up["date"], status=follow_up["status"])
    if follow_up.get("comment"):
        line += f" – {follow_up['comment']}"
    if follow_up.get("demo"):
        line += f" ({t('dash.demo_marker', lang)})"
    return line


def map_file_name(kommun_namn: str) -> str:
    """The downloaded map's file name.

    Examples
    --------
    >>> map_file_name("Laholm")
    'trygghetskartan-laholm.html'
    """
    return f"trygghetskartan-{fold(kommun_namn)}.html"


def few(names: list[str], shown: int = 3, lang: str | None = None) -> str:
    """The first ``shown`` names and how many more, so a message never lists hundreds.

    Examples
    --------
    >>> few(["Ale", "Alingsås"]), few(["A", "B", "C", "D", "E"])
    ('Ale, Alingsås', 'A, B, C och 2 till')
    """
    if len(names) <= shown:
        return ", ".join(names)
    return t("list.more", lang, names=", ".join(names[:shown]), count=len(names) - shown)
