"""Each place against the rest of the kommun (``vs_rest``), checked on tiny hand-made answers.

The expected p-values come from a second method: Pearson's χ² test of the 2×2 table
(place/rest × unsafe/safe) without continuity correction, whose p equals the two-sided
two-proportion z test's.
"""

from __future__ import annotations

import pandas as pd
import pytest
from scipy.stats import chi2_contingency

from trygg.stats.survey_figures import survey_report

MIN_N = 10


def _answers(groups: dict[str, tuple[int, int]]):
    """``{place or "": (unsafe, safe)}`` → answers, links, places (one answer per person)."""
    answers, links, places = [], [], []
    respondent = 0
    for number, (place, (unsafe, safe)) in enumerate(groups.items(), start=1):
        if place:
            places.append(
                {"place_id": number, "place": place, "kind": "omrade", "population": None}
            )
        for code in [4] * unsafe + [1] * safe:
            respondent += 1
            answers.append(
                {
                    "response_id": respondent,
                    "year": 2024,
                    "indicator": "andel_otrygga",
                    "code": code,
                    "weight": 1.0,
                }
            )
            if place:
                links.append({"response_id": respondent, "place_id": number})
    return pd.DataFrame(answers), pd.DataFrame(links), pd.DataFrame(places)


def _report(groups):
    answers, links, places = _answers(groups)
    report = survey_report(answers, links, places, None, MIN_N)
    return {p["place"]: p["survey"] for p in report["places"]}, report


def _chi2_p(a: tuple[int, int], b: tuple[int, int]) -> float:
    return chi2_contingency([list(a), list(b)], correction=False)[1]


def test_a_place_far_above_the_rest_is_higher():
    surveys, report = _report({"Torget": (20, 20), "Parken": (3, 27), "": (3, 27)})
    torget = surveys["Torget"]["vs_rest"]
    assert torget["result"] == "higher"
    assert torget["rest_andel"] == pytest.approx(6 / 60)
    assert torget["diff"] == pytest.approx(0.5 - 0.1)
    assert torget["p_value"] == pytest.approx(_chi2_p((20, 20), (6, 54)), rel=1e-9)
    parken = surveys["Parken"]["vs_rest"]
    assert parken["result"] == "lower"
    assert parken["rest_andel"] == pytest.approx(23 / 70)
    assert parken["p_value"] == pytest.approx(_chi2_p((3, 27), (23, 47)), rel=1e-9)
    assert report["kommun_total"]["andel_otrygga"]["vs_rest"] is None


def test_a_place_like_the_rest_shows_no_difference():
    surveys, _ = _report({"Torget": (5, 15), "Parken": (6, 14), "": (5, 15)})
    assert surveys["Torget"]["vs_rest"]["result"] == "no_difference"
    assert surveys["Torget"]["vs_rest"]["p_value"] == pytest.approx(
        _chi2_p((5, 15), (11, 29)), rel=1e-9
    )


def test_no_comparison_for_a_hidden_place_or_a_small_rest():
    # Hishult has too few answers; Torget holds all but 4 answers, so its rest is small
    # (the rest's share would reveal those 4 people's answers).
    surveys, _ = _report({"Torget": (30, 30), "Hishult": (2, 2)})
    assert surveys["Hishult"]["andel_otrygga"] is None
    assert surveys["Hishult"]["vs_rest"] is None
    assert surveys["Torget"]["vs_rest"] is None


def test_items_carry_their_own_comparison(demo_db):
    from trygg import store
    from trygg.stats.report import compute_stats

    stats = compute_stats(store.make_engine(str(demo_db)), "0683")
    compared = [
        figure["vs_rest"]
        for place in stats["places"]
        for prefix in ("problem", "oro")
        for figure in place["survey"].get(prefix, {}).values()
        if not figure["suppressed"]
    ]
    found = [v for v in compared if v is not None]
    assert found and {v["result"] for v in found} <= {"higher", "lower", "no_difference"}
    assert all(0 <= v["p_value"] <= 1 and -1 < v["diff"] < 1 for v in found)
