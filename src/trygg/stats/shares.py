"""Shares with honest intervals: Wilson's score interval, Kish's effective n, the
two-proportion test, and the share figure built from its sufficient sums.

Definitions (domain.md): a share is the weighted share of "hits" among those in the
scale's base; n is the unweighted count in the base; the 95 % interval is Wilson's with
Kish's effective n when there are weights.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
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


@dataclass(frozen=True)
class ShareFigure:
    """One share as it is published: n, the share with its interval, and whether hidden.

    Attributes
    ----------
    n : int
        The unweighted number of answers in the base; always shown.
    andel : float or None
        The weighted share, 0–1; None when hidden.
    ki_lag, ki_hog : float or None
        Wilson's 95 % interval (Kish's effective n); None when hidden.
    n_eff : float or None
        Kish's effective n.
    secondary_suppression : bool
        Hidden although n is large enough, because a subtraction would reveal a small
        group (:mod:`trygg.stats.suppression`).
    vs_rest : dict or None
        A place against the rest of the kommun: ``rest_andel``, ``diff`` (place − rest),
        ``p_value`` and ``result`` (``"higher"``, ``"lower"``, ``"no_difference"``; a
        two-proportion test at 5 %); None for the kommun, a hidden place or a small rest.
    """

    n: int
    andel: float | None = None
    ki_lag: float | None = None
    ki_hog: float | None = None
    n_eff: float | None = None
    secondary_suppression: bool = False
    vs_rest: dict | None = None

    @property
    def is_hidden(self) -> bool:
        return self.andel is None

    def hidden(self, secondary: bool = True) -> ShareFigure:
        """The same figure with its share and interval hidden."""
        return ShareFigure(self.n, secondary_suppression=secondary)

    def as_dict(self) -> dict:
        """The published form: ``n``, ``andel``, ``ki_lag``, ``ki_hog``, ``suppressed``,
        ``secondary_suppression``, ``vs_rest``."""
        return {
            "n": self.n,
            "andel": self.andel,
            "ki_lag": self.ki_lag,
            "ki_hog": self.ki_hog,
            "suppressed": self.is_hidden,
            "secondary_suppression": self.secondary_suppression,
            "vs_rest": self.vs_rest,
        }


def share_figure(
    n: int, weight_sum: float, hit_sum: float, weight_sq_sum: float, min_n: int
) -> ShareFigure:
    """A share from its sufficient sums; hidden when ``n < min_n``.

    Examples
    --------
    >>> figure = share_figure(3, 6.0, 5.0, 14.0, min_n=1)
    >>> round(figure.andel, 4), round(figure.n_eff, 4)
    (0.8333, 2.5714)
    >>> share_figure(7, 7.0, 2.0, 7.0, min_n=10).is_hidden
    True
    """
    if n < min_n or weight_sum <= 0:
        return ShareFigure(int(n))
    p = hit_sum / weight_sum
    n_eff = weight_sum**2 / weight_sq_sum
    low, high = wilson_interval(p, n_eff)
    return ShareFigure(int(n), p, low, high, n_eff)


def share_of(codes, weights, scale: AnswerScale, min_n: int = MIN_N) -> ShareFigure:
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
