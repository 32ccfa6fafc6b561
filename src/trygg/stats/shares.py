"""Shares with honest intervals: Wilson's score interval, Kish's effective n, the
two-proportion test, and the share figure built from its sufficient sums.

Definitions (domain.md): a share is the weighted share of "hits" among those in the
scale's base; n is the unweighted count in the base; the 95 % interval is Wilson's with
Kish's effective n when there are weights.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np

from trygg.scales import MIN_N, AnswerScale

Z95 = NormalDist().inv_cdf(0.975)

SIGNIFICANCE = 0.05


def kish_effective_n(weights) -> float:
    """Kish's effective sample size, (Σw)² / Σw²; equals n for equal weights."""
    weights = np.asarray(weights, dtype=float)
    return float(weights.sum() ** 2 / (weights**2).sum()) if len(weights) else 0.0


def wilson_interval(p: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson's score interval for a proportion ``p`` observed on ``n`` (may be fractional)."""
    denominator = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def two_proportion_test(p1: float, n1: float, p2: float, n2: float) -> dict:
    """Two-sided z test of p1 = p2 with a pooled standard error."""
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return {"z": 0.0, "p_value": 1.0, "significant": False}
    z = (p2 - p1) / se
    p_value = math.erfc(abs(z) / math.sqrt(2))  # two-sided normal tail, 2·(1 − Φ(|z|))
    return {"z": z, "p_value": p_value, "significant": p_value < SIGNIFICANCE}


def share_figure(
    n: int, weight_sum: float, hit_sum: float, weight_sq_sum: float, min_n: int
) -> dict:
    """A share from its sufficient sums; value and interval are null when ``n < min_n``."""
    if n < min_n or weight_sum <= 0:
        return {
            "n": int(n),
            "andel": None,
            "ki_lag": None,
            "ki_hog": None,
            "suppressed": True,
            "n_eff": None,
        }
    p = hit_sum / weight_sum
    n_eff = weight_sum**2 / weight_sq_sum
    low, high = wilson_interval(p, n_eff)
    return {
        "n": int(n),
        "andel": p,
        "ki_lag": low,
        "ki_hog": high,
        "suppressed": False,
        "n_eff": n_eff,
    }


def share_of(codes, weights, scale: AnswerScale, min_n: int = MIN_N) -> dict:
    """The weighted share of ``scale.hits`` among ``scale.base`` in ``codes``."""
    codes = np.asarray(codes, dtype=float)
    weights = np.asarray(weights, dtype=float)
    base = np.isin(codes, list(scale.base))
    hits = np.isin(codes, list(scale.hits))
    return share_figure(
        int(base.sum()),
        float(weights[base].sum()),
        float(weights[hits].sum()),
        float((weights[base] ** 2).sum()),
        min_n,
    )
