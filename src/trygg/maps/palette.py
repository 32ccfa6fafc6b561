"""The maps' colours and the classes a choropleth is coloured in.

A choropleth has at most five classes found by Fisher–Jenks natural breaks
(:func:`classify`), on ColorBrewer's OrRd ramp. A suppressed place is hatched grey with
a dashed outline: never a colour of the scale.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

OUTLINE = "#16324f"
FILL = "#3d7ab8"
SELECTED = "#e8590c"
#: At most this many classes; ColorBrewer's OrRd ramp (light → dark) for each count.
MAX_CLASSES = 5
PALETTES: dict[int, tuple[str, ...]] = {
    1: ("#fc8d59",),
    2: ("#fdbb84", "#d7301f"),
    3: ("#fee8c8", "#fdbb84", "#e34a33"),
    4: ("#fef0d9", "#fdcc8a", "#fc8d59", "#d7301f"),
    5: ("#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000"),
}
PALETTE = PALETTES[MAX_CLASSES]
#: Suppressed places ("för få svar"): light grey hatching, a dashed grey outline.
#: The plain grey after the pattern is SVG's fallback paint if the pattern is missing.
HATCH_ID = "trygg-hatch"
HATCH_LIGHT = "#ececec"
HATCH_LINE = "#a3a3a3"
NO_DATA = f"url(#{HATCH_ID}) {HATCH_LIGHT}"
NO_DATA_OUTLINE = "#6e6e6e"
NO_DATA_DASH = "10 7"
BACKGROUND = "#f3f1ec"
#: Places whose rate cannot be computed (no population): white, not on the scale.
NEUTRAL_FILL = "#ffffff"
#: The places' fill while a grid layer lies over them, so the cells stand out.
FADED_OPACITY = 0.3
#: Getis-Ord Gi* bins (ColorBrewer RdBu): red shades hot, blue shades cold. Bin 0 (not
#: significant) has no colour and is never sent to the browser.
HOTSPOT_COLOURS: dict[int, str] = {
    3: "#b2182b",
    2: "#d6604d",
    1: "#f4a582",
    -1: "#92c5de",
    -2: "#4393c3",
    -3: "#2166ac",
}
HOTSPOT_OPACITY = 0.8
#: The density ramp (ColorBrewer Purples, light → dark), drawn semi-transparent.
DENSITY_PALETTE = ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f")
DENSITY_OPACITY = 0.55


@dataclass(frozen=True)
class Classes:
    """Classes of values: class i holds the values in ``(bins[i-1], bins[i]]``.

    ``ranges`` are the smallest and largest value actually in each class, for the
    legend; ``colours`` the fill of each class.
    """

    bins: tuple[float, ...]
    ranges: tuple[tuple[float, float], ...]

    @property
    def colours(self) -> tuple[str, ...]:
        return PALETTES.get(len(self.bins), ())

    def index(self, value: float) -> int:
        """The class of ``value``; values above the last bin go in the last class."""
        return min(bisect.bisect_left(self.bins, value), len(self.bins) - 1)

    def colour(self, value: float) -> str:
        return self.colours[self.index(value)]


def classify(values: Iterable[float], k: int = MAX_CLASSES) -> Classes:
    """Group ``values`` into at most ``k`` classes by Fisher–Jenks natural breaks.

    With ``k`` or fewer distinct values, each distinct value is its own class, so one
    or two places still get a sensible (and honest) colouring.

    Parameters
    ----------
    values : iterable of float
        The unsuppressed values; None is not allowed here.
    k : int
        The largest number of classes (at most :data:`MAX_CLASSES`).

    Returns
    -------
    Classes

    Examples
    --------
    >>> classify([10, 11, 12, 50, 52, 90], k=3).bins
    (12.0, 52.0, 90.0)
    >>> classify([0.3, 0.3]).bins
    (0.3,)
    """
    present = np.sort(np.asarray(list(values), dtype=float))
    return _classes(tuple(present.tolist()), k)


@lru_cache(maxsize=64)
def _classes(values: tuple[float, ...], k: int) -> Classes:
    """:func:`classify` of sorted values, kept: a map and its legend ask for the same."""
    present = np.asarray(values, dtype=float)
    distinct = np.unique(present)
    k = min(k, MAX_CLASSES, len(distinct))
    if k == 0:
        return Classes((), ())
    bins = tuple(distinct.tolist()) if k == len(distinct) else natural_breaks(present, k)
    highs = [float(present[np.searchsorted(present, b, side="right") - 1]) for b in bins]
    lows = [float(present[0])] + [
        float(present[np.searchsorted(present, b, side="right")]) for b in bins[:-1]
    ]
    return Classes(bins, tuple(zip(lows, highs, strict=True)))


#: Class ends tried at once by :func:`natural_breaks` (bounds its memory to n × this).
BREAKS_BLOCK = 256


def natural_breaks(present: np.ndarray, k: int) -> tuple[float, ...]:
    """Fisher's optimal breaks (Jenks' natural breaks) of sorted values into ``k`` classes.

    The classes of consecutive values with the least total sum of squared deviations
    from their class means, found by dynamic programming over prefix sums; a tie goes
    to the partition whose last class starts earliest, as in ``mapclassify.FisherJenks``.

    Parameters
    ----------
    present : numpy.ndarray
        The values, sorted, with at least ``k`` distinct ones.
    k : int
        The number of classes.

    Returns
    -------
    tuple of float
        The largest value of each class, lowest class first.

    Examples
    --------
    >>> natural_breaks(np.array([1.0, 2.0, 10.0, 11.0, 30.0]), 3)
    (2.0, 11.0, 30.0)
    """
    n = len(present)
    sums = np.concatenate(([0.0], np.cumsum(present)))
    squares = np.concatenate(([0.0], np.cumsum(present * present)))
    ends = np.arange(n)
    cost = squares[1:] - sums[1:] ** 2 / (ends + 1)  # one class holding 0..end
    starts = []
    for classes in range(2, k + 1):
        cost, start = _add_class(cost, sums, squares, classes)
        starts.append(start)
    end, tops = n - 1, [float(present[-1])]
    for start in reversed(starts):
        end = int(start[end]) - 1
        tops.append(float(present[end]))
    return tuple(reversed(tops))


def _add_class(previous: np.ndarray, sums, squares, classes: int):
    """The least cost of ``classes`` classes over 0..end, and where the last one starts."""
    n = len(previous)
    cost, start = np.full(n, np.inf), np.zeros(n, dtype=int)
    for low in range(classes - 1, n, BREAKS_BLOCK):
        ends = np.arange(low, min(n, low + BREAKS_BLOCK))
        begins = np.arange(classes - 1, ends[-1] + 1)[:, None]
        count = ends - begins + 1
        total = sums[ends + 1] - sums[begins]
        spread = squares[ends + 1] - squares[begins] - total**2 / np.maximum(count, 1)
        candidate = np.where(count > 0, previous[begins - 1] + spread, np.inf)
        best = np.argmin(candidate, axis=0)
        cost[ends] = candidate[best, np.arange(len(ends))]
        start[ends] = begins[best, 0]
    return cost, start


def heat_css(n: int | None, top: int) -> str:
    """The look of one hour × weekday cell: OrRd by its share of the busiest cell.

    A suppressed cell (None) is plain grey, so its colour tells nothing either.

    Examples
    --------
    >>> heat_css(10, 10)
    'background-color: #b30000; color: #ffffff'
    >>> heat_css(0, 10)
    ''
    """
    if n is None:
        return f"background-color: {HATCH_LIGHT}; color: #3b4a59; font-size: 10px"
    if n <= 0 or top <= 0:
        return ""
    index = min(MAX_CLASSES, int(np.ceil(MAX_CLASSES * n / top))) - 1
    text = "#ffffff" if index >= 3 else "#10253a"
    return f"background-color: {PALETTE[index]}; color: {text}"
