"""The maps' colours and the classes a choropleth is coloured in.

The classes are honest by default (:func:`classes_of`): a survey share is drawn in
fixed steps of :data:`SHARE_STEP` (5 percentage points, 10–15 %, 15–20 %, …), so places
whose shares lie within one step fall in at most two adjacent classes; a count or rate
is drawn in round steps from zero, zero in the lightest class. Quantiles and natural
breaks (Fisher–Jenks, :func:`classify`) are options. Every ramp is a single-hue
ColorBrewer ramp (Purples), readable with any colour vision and never warm; a
suppressed place is hatched grey with a dashed outline, never a colour of the scale.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import numpy as np

OUTLINE = "#16324f"
FILL = "#3d7ab8"
SELECTED = "#e8590c"
#: At most this many classes; ColorBrewer's Purples (light → dark) for each count.
MAX_CLASSES = 5
PALETTES: dict[int, tuple[str, ...]] = {
    1: ("#bcbddc",),
    2: ("#dadaeb", "#756bb1"),
    3: ("#efedf5", "#bcbddc", "#756bb1"),
    4: ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#6a51a3"),
    5: ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"),
}
PALETTE = PALETTES[MAX_CLASSES]
#: The seven-step Purples ramp that equal steps of a share walk one step per class.
SEQUENTIAL = ("#f2f0f7", "#dadaeb", "#bcbddc", "#9e9ac8", "#807dba", "#6a51a3", "#4a1486")
#: The one source of truth for share classes: 5 percentage points. When the shares
#: span more than :data:`MAX_CLASSES` such steps, the next round step is used.
SHARE_STEP = 0.05
SHARE_STEPS = (SHARE_STEP, 0.10, 0.20, 0.25)
#: The ways to class a figure; "equal" (round, fixed steps) is the default.
SCHEMES = ("equal", "quantiles", "natural")
DEFAULT_SCHEME = "equal"
#: What a choropleth holds: a share 0–1, a whole count, or a rate (counts start at 0).
SHARE, COUNT, RATE = "share", "count", "rate"
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
#: Kept for callers: the places' fill no longer fades under a grid layer (the cells are
#: outlines with a light tint), so the legend matches with hot spots on.
FADED_OPACITY = 1.0
#: The mark of a place compared with the rest of the kommun (``vs_rest``), not colour:
#: a thick dark outline when significantly higher, a dotted one when lower.
MARKS: dict[str, dict] = {
    "higher": {"color": "#0b1a2b", "weight": 8},
    "lower": {"color": "#0b1a2b", "weight": 5, "dashArray": "1 9", "lineCap": "round"},
}
#: The legend's swatch of each mark (a box drawn with the same kind of line).
MARK_SWATCHES = {
    "higher": "background:#fff;border:5px solid #0b1a2b",
    "lower": "background:#fff;border:4px dotted #0b1a2b",
}
#: Getis-Ord Gi* bins (ColorBrewer RdBu): red shades hot, blue shades cold. Bin 0 (not
#: significant) has no colour and is never sent to the browser. Cells are drawn as
#: outlines with a light tint, so the places under them keep their colours.
HOTSPOT_COLOURS: dict[int, str] = {
    3: "#b2182b",
    2: "#d6604d",
    1: "#f4a582",
    -1: "#92c5de",
    -2: "#4393c3",
    -3: "#2166ac",
}
HOTSPOT_OPACITY = 0.2
#: The density ramp (ColorBrewer Oranges, light → dark): outlines with a light tint,
#: apart from the places' Purples.
DENSITY_PALETTE = ("#fdd0a2", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603")
DENSITY_OPACITY = 0.2
#: Text colours tried on a swatch or a table cell; the one of highest contrast wins.
TEXT_COLOURS = ("#10253a", "#ffffff", "#000000")


@dataclass(frozen=True)
class Classes:
    """Classes of values: class i holds the values in ``(bins[i-1], bins[i]]``, or in
    ``[bins[i-1], bins[i])`` when ``lower_closed`` (equal steps: 15 % is in 15–20 %).

    ``ranges`` are what the legend says of each class: the round bounds of an equal
    step, else the smallest and largest value actually in it; ``colours`` the fill of
    each class (``palette``, or the ColorBrewer set for as many classes).
    """

    bins: tuple[float, ...]
    ranges: tuple[tuple[float, float], ...]
    palette: tuple[str, ...] | None = None
    lower_closed: bool = False

    @property
    def colours(self) -> tuple[str, ...]:
        return self.palette if self.palette is not None else PALETTES.get(len(self.bins), ())

    def index(self, value: float) -> int:
        """The class of ``value``; values above the last bin go in the last class."""
        value = round(float(value), 9)
        found = bisect.bisect_right if self.lower_closed else bisect.bisect_left
        return min(found(self.bins, value), len(self.bins) - 1)

    def colour(self, value: float) -> str:
        return self.colours[self.index(value)]

    def drawn(self, values: Iterable[float]) -> list[int]:
        """The classes that hold at least one of ``values``, lowest first."""
        return sorted({self.index(v) for v in values})


def classes_of(values: Iterable[float], scheme: str = DEFAULT_SCHEME, kind: str = SHARE) -> Classes:
    """The classes of a choropleth's shown values.

    Parameters
    ----------
    values : iterable of float
        The unsuppressed values.
    scheme : str
        ``"equal"`` (default): round, fixed steps, :data:`SHARE_STEP` for shares;
        ``"quantiles"`` (mapclassify) or ``"natural"`` (Fisher–Jenks).
    kind : str
        :data:`SHARE`, :data:`COUNT` or :data:`RATE`. Counts and rates start at zero,
        so zero is always in the lightest class.

    Returns
    -------
    Classes

    Examples
    --------
    >>> classes_of([0.113, 0.128, 0.157]).bins
    (0.15, 0.2)
    >>> classes_of([0, 3, 140], kind=COUNT).ranges
    ((0, 49), (50, 99), (100, 149))
    """
    if scheme not in SCHEMES:
        raise ValueError(f"unknown classing scheme {scheme!r}; one of {SCHEMES}")
    present = tuple(np.sort(np.asarray(list(values), dtype=float)).tolist())
    if not present:
        return Classes((), ())
    if scheme == "equal":
        return _equal_classes(present, kind)
    found = _classes(present, MAX_CLASSES) if scheme == "natural" else _quantiles(present)
    if kind == SHARE:
        return found
    ranges = ((0.0, found.ranges[0][1]), *found.ranges[1:])
    return Classes(found.bins, ranges)


def _steps(kind: str) -> Iterable[float]:
    """The round steps tried, smallest first: 5/10/20/25 pp, or 1, 2, 5, 10, 20, … ."""
    if kind == SHARE:
        yield from SHARE_STEPS
        return
    for power in range(-1 if kind == RATE else 0, 12):
        for mantissa in (1, 2, 5):
            yield round(mantissa * 10.0**power, 6)


@lru_cache(maxsize=64)
def _equal_classes(present: tuple[float, ...], kind: str) -> Classes:
    low, high = present[0], present[-1]
    for step in _steps(kind):
        first = 0 if kind != SHARE else math.floor(round(low / step, 9))
        last = math.floor(round(high / step, 9))
        if last - first + 1 <= MAX_CLASSES:
            break
    edges = [round((first + i) * step, 10) for i in range(last - first + 2)]
    if kind == COUNT:
        ranges = tuple((int(a), int(b) - 1) for a, b in pairwise(edges))
    else:
        ranges = tuple(pairwise(edges))
    count = len(ranges)
    if kind == SHARE:  # one ramp step per class step, in the middle of the ramp
        start = (len(SEQUENTIAL) - count) // 2
        colours = SEQUENTIAL[start : start + count]
    else:  # from zero: the lightest class holds zero
        colours = PALETTES[count]
    return Classes(tuple(edges[1:]), ranges, colours, lower_closed=True)


@lru_cache(maxsize=64)
def _quantiles(present: tuple[float, ...]) -> Classes:
    """Quantile classes by ``mapclassify.Quantiles`` (imported when asked: it is slow)."""
    import warnings

    import mapclassify

    distinct = np.unique(present)
    k = min(MAX_CLASSES, len(distinct))
    if k == len(distinct):
        return _classes(present, k)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bins = tuple(
            float(b) for b in np.unique(mapclassify.Quantiles(np.array(present), k=k).bins)
        )
    return _ranged(np.asarray(present), bins)


def classify(values: Iterable[float], k: int = MAX_CLASSES) -> Classes:
    """Group ``values`` into at most ``k`` classes by Fisher–Jenks natural breaks.

    The ``"natural"`` scheme of :func:`classes_of`, and the density layer's classes.
    With ``k`` or fewer distinct values, each distinct value is its own class.

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
    return _ranged(present, bins)


def _ranged(present: np.ndarray, bins: tuple[float, ...]) -> Classes:
    """Classes ending at ``bins`` with the observed smallest and largest value of each."""
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


def contrast(one: str, other: str) -> float:
    """The WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21).

    Examples
    --------
    >>> round(contrast("#000000", "#ffffff"), 1)
    21.0
    """

    def luminance(colour: str) -> float:
        channels = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_on(background: str) -> str:
    """The text colour of :data:`TEXT_COLOURS` that reads best on ``background``."""
    return max(TEXT_COLOURS, key=lambda text: contrast(text, background))


def heat_css(n: int | None, top: int) -> str:
    """The look of one hour × weekday cell: Purples by its share of the busiest cell.

    A suppressed cell (None) is plain grey, so its colour tells nothing either; the
    text colour is the one of highest contrast on the cell (at least 4.5:1).

    Examples
    --------
    >>> heat_css(10, 10)
    'background-color: #54278f; color: #ffffff'
    >>> heat_css(0, 10)
    ''
    """
    if n is None:
        return f"background-color: {HATCH_LIGHT}; color: #3b4a59; font-size: 10px"
    if n <= 0 or top <= 0:
        return ""
    colour = PALETTE[min(MAX_CLASSES, int(np.ceil(MAX_CLASSES * n / top))) - 1]
    return f"background-color: {colour}; color: {text_on(colour)}"
