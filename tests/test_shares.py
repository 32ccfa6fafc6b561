"""The most visible numbers, checked against values worked out independently.

Wilson's interval against published values and against the roots of its defining
quadratic; Kish's effective n, the two-proportion test and the rates by hand; the
previous period by hand and against counts taken straight from the file.
"""

from __future__ import annotations

import datetime as dt
import math
from statistics import NormalDist

import numpy as np
import pytest

from tests.survey_fixtures import ADMIN, add_places
from trygg.importers.incidents import import_incidents
from trygg.stats import report
from trygg.stats.incident_figures import incident_block
from trygg.stats.periods import Period
from trygg.stats.shares import (
    Z95,
    kish_effective_n,
    share_figure,
    two_proportion_test,
    wilson_interval,
)


@pytest.mark.parametrize(
    ("hits", "n", "low", "high"),
    [
        # Wilson (1927) score intervals as tabulated by Newcombe (1998) and textbooks.
        (5, 10, 0.2366, 0.7634),
        (1, 10, 0.0179, 0.4042),
        (0, 10, 0.0, 0.2775),
        (81, 263, 0.2553, 0.3662),
    ],
)
def test_wilson_interval_matches_published_values(hits, n, low, high):
    found = wilson_interval(hits / n, n)
    assert found == pytest.approx((low, high), abs=5e-5)


@pytest.mark.parametrize(("p", "n"), [(0.3, 50), (0.05, 40), (0.9, 12.5), (0.5, 1000)])
def test_wilson_interval_is_the_root_pair_of_its_quadratic(p, n):
    # The interval holds the π with (p − π)² = z² π (1 − π) / n:
    # (1 + z²/n) π² − (2p + z²/n) π + p² = 0.
    z2 = Z95**2
    roots = sorted(np.roots([1 + z2 / n, -(2 * p + z2 / n), p**2]).real)
    assert wilson_interval(p, n) == pytest.approx(tuple(roots), abs=1e-12)


def test_kish_effective_n_by_hand():
    assert kish_effective_n([1, 2, 3]) == pytest.approx(36 / 14)
    assert kish_effective_n([2.5] * 7) == pytest.approx(7)
    assert kish_effective_n([]) == 0


def test_a_weighted_share_uses_kish_n_for_its_interval():
    # Weights 1, 2, 3 with the last two answering "unsafe": share 5/6, n_eff 36/14.
    figure = share_figure(3, 6.0, 5.0, 14.0, min_n=1)
    assert figure.andel == pytest.approx(5 / 6)
    assert figure.n_eff == pytest.approx(36 / 14)
    assert (figure.ki_lag, figure.ki_hog) == pytest.approx(wilson_interval(5 / 6, 36 / 14))


def test_two_proportion_test_by_hand():
    # 30 % of 100 against 40 % of 100: pooled 0.35, se = √(0.35·0.65·0.02) = 0.067454.
    test = two_proportion_test(0.30, 100, 0.40, 100)
    assert test["z"] == pytest.approx(0.10 / math.sqrt(0.35 * 0.65 * 0.02), rel=1e-12)
    assert test["z"] == pytest.approx(1.48250, abs=1e-5)
    # Two-sided p = 2 (1 − Φ(z)), Φ from the standard library (the code uses erfc).
    assert test["p_value"] == pytest.approx(2 * (1 - NormalDist().cdf(test["z"])), abs=1e-12)
    assert test["p_value"] == pytest.approx(0.13821, abs=1e-5)
    assert test["significant"] is False
    assert two_proportion_test(0.10, 400, 0.20, 400)["significant"] is True


def test_rates_per_1000_inhabitants_and_per_km2_by_hand():
    block = incident_block(12, {}, None, area_m2=2_000_000, population=4_000)
    assert block["per_1000_inv"] == 3.0  # 12 / 4 000 × 1 000
    assert block["per_km2"] == 6.0  # 12 / 2 km²
    assert incident_block(None, {}, None, 2e6, 4000)["per_1000_inv"] is None


@pytest.mark.parametrize(
    ("period", "before"),
    [
        (Period.year_of(2024), (dt.datetime(2023, 1, 1), dt.datetime(2024, 1, 1))),
        (Period.month_of(2024, 1), (dt.datetime(2023, 12, 1), dt.datetime(2024, 1, 1))),
        (Period.month_of(2024, 3), (dt.datetime(2024, 2, 1), dt.datetime(2024, 3, 1))),
        (
            Period.of(None, dt.date(2024, 3, 5), dt.date(2024, 3, 14)),
            (dt.datetime(2024, 2, 24), dt.datetime(2024, 3, 5)),
        ),
    ],
)
def test_the_previous_period_by_hand(period, before):
    previous = period.previous()
    assert (previous.start, previous.end) == before


def test_the_previous_year_counts_the_previous_year(engine, tmp_path):
    add_places(engine, tmp_path)
    rows = ["2022-06-01;Klotter;370500;6265500"] * 2
    rows += ["2023-04-10;Klotter;370500;6265500"] * 3
    rows += ["2024-02-15;Klotter;370500;6265500"] * 5
    path = tmp_path / "handelser.csv"
    path.write_text("datum;kategori;x;y\n" + "\n".join(rows) + "\n", encoding="utf-8")
    import_incidents(engine, path, "1381", actor=ADMIN)
    figures = report.place_figures(engine, "1381", 2024)
    park = next(p for p in figures["places"] if p["place"] == "Parken")["incidents"]
    assert (park["total"], park["previous_total"]) == (5, 3)
    assert figures["kommun_incidents"]["previous_total"] == 3
