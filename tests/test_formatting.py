"""Numbers as people read them: Swedish decimal comma, spaces, percentages and trends."""

from __future__ import annotations

import csv
import io

import pytest

from trygg import formatting


def plain(text: str) -> str:
    """The text with its no-break spaces and word joiners as a reader sees them."""
    return text.replace(formatting.NBSP, " ").replace("\u2060", "")


@pytest.mark.parametrize(
    ("value", "decimals", "lang", "expected"),
    [
        (58.66, 1, "sv", "58,7"),
        (1234567.891, 2, "sv", "1 234 567,89"),
        (-9.08, 1, "sv", "−9,1"),
        (-0.04, 1, "sv", "0,0"),  # no "minus zero"
        (1234.5, 1, "en", "1,234.5"),
        (12, 0, "sv", "12"),
    ],
)
def test_decimal(value, decimals, lang, expected):
    assert plain(formatting.decimal(value, decimals, lang)) == expected


def test_spaces_do_not_break():
    assert formatting.percent(0.587) == "58,7\u00a0%"
    assert formatting.integer(12345) == "12\u00a0345"


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [(0.451, 0.712, "95 % KI 45,1–71,2 %"), (0.30001, 0.30002, "95 % KI 30,0 %")],
)
def test_interval(low, high, expected):
    assert plain(formatting.interval(low, high)) == expected


def test_describe_a_published_figure():
    figure = {"n": 54, "andel": 0.5866, "ki_lag": 0.451, "ki_hog": 0.712, "suppressed": False}
    texts = {key: plain(value) for key, value in formatting.describe(figure).items()}
    assert texts == {
        "value": "58,7 %",
        "n": "n = 54",
        "interval": "95 % KI 45,1–71,2 %",
        "range": "45,1–71,2 %",
    }


def test_describe_a_suppressed_figure_gives_no_number_but_n():
    figure = {"n": 6, "andel": None, "ki_lag": None, "ki_hog": None, "suppressed": True}
    texts = formatting.describe(figure)
    assert texts == {"value": "för få svar", "n": formatting.count(6), "interval": "", "range": ""}


@pytest.mark.parametrize(
    ("change", "significant", "expected"),
    [
        (
            -0.0908,
            False,
            "↓ 9,1 procentenheter lägre än 2023 (41,2 %) – ingen säkerställd förändring",
        ),
        (
            0.152,
            True,
            "↑ 15,2 procentenheter högre än 2023 (41,2 %) – statistiskt säkerställd förändring",
        ),
        (0.0004, False, "→ oförändrat jämfört med 2023 (41,2 %) – ingen säkerställd förändring"),
    ],
)
def test_trend(change, significant, expected):
    trend = {
        "change": change,
        "previous_year": 2023,
        "previous_andel_otrygga": 0.412,
        "significant": significant,
    }
    assert plain(formatting.trend(trend)) == expected


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        ({"value": 2.4, "unit": "index", "missing": False, "suppressed": False}, "2,4 (index 0–6)"),
        ({"value": 35.0, "unit": "procent", "missing": False, "suppressed": False}, "35,0 %"),
        ({"value": None, "unit": "procent", "missing": True, "suppressed": True}, "uppgift saknas"),
        ({"value": None, "unit": "index", "missing": False, "suppressed": True}, "för få svar"),
    ],
)
def test_delivered(result, expected):
    assert plain(formatting.delivered(result)) == expected


def test_row_errors_csv_opens_in_swedish_excel():
    errors = [{"row": 3, "column": "Trygg", "value": "8", "message": "svaret finns inte; å"}]
    data = formatting.row_errors_csv(errors)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["Rad", "Kolumn", "Värde", "Fel"], ["3", "Trygg", "8", "svaret finns inte; å"]]


# --- incidents -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "0 händelser"),
        (1, "1 händelse"),
        (1234, "1 234 händelser"),
        (None, "färre än 3 händelser"),
    ],
)
def test_incidents_with_their_noun(n, expected):
    assert plain(formatting.incidents(n)) == expected


def test_a_suppressed_count_is_never_a_number():
    assert formatting.incident_count(None) == "färre än 3"
    assert formatting.incident_count(None, k=5) == "färre än 5"
    assert formatting.heat_cell(None) == "<3"
    assert plain(formatting.incident_count(12345)) == "12 345"


@pytest.mark.parametrize(("n", "expected"), [(0, ""), (2, "2"), (1500, "1 500")])
def test_heat_cell(n, expected):
    assert plain(formatting.heat_cell(n)) == expected


@pytest.mark.parametrize(
    ("low", "high", "decimals", "expected"),
    [
        (3, 12, 0, "3–12"),
        (1200, 4500, 0, "1 200–4 500"),
        (8.11, 47.5, 1, "8,1–47,5"),
        (5, 5, 0, "5"),
    ],
)
def test_number_range(low, high, decimals, expected):
    assert plain(formatting.number_range(low, high, decimals)) == expected


def block(**values) -> dict:
    """An ``incidents`` block as ``place_figures`` gives it."""
    found = {
        "total": 160,
        "by_category": {},
        "per_1000_inv": 47.5,
        "per_km2": 1652.372,
        "previous_total": 142,
        "suppressed": False,
    }
    return {**found, **values}


def test_describe_incidents_of_a_place():
    texts = {key: plain(value) for key, value in formatting.describe_incidents(block()).items()}
    assert texts == {
        "total": "160",
        "previous": "142 händelser",
        "per_1000": "47,5 per 1 000 invånare",
        "per_km2": "1 652 per km²",
    }


def test_describe_incidents_without_population_or_area():
    texts = formatting.describe_incidents(block(per_1000_inv=None, per_km2=None))
    assert texts["per_1000"] == "saknar invånartal"
    assert texts["per_km2"] == ""


def test_describe_a_suppressed_block_hides_the_count_and_its_rates():
    suppressed = block(total=None, per_1000_inv=None, per_km2=None, previous_total=None)
    texts = formatting.describe_incidents({**suppressed, "suppressed": True})
    assert texts == {
        "total": "färre än 3",
        "previous": "färre än 3 händelser",
        "per_1000": "färre än 3 händelser",
        "per_km2": "färre än 3 händelser",
    }
