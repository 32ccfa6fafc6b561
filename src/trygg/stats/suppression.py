"""Every rule for hiding small numbers, in one place.

Published figures are counts over sets: respondents in a place, incidents in a place,
a category, a month, an hour of the week, a grid cell. A reader can subtract one
published figure from another, or a total from the sum of its parts. So a figure is
hidden when

- **primary**: its own count is small (a survey n below ``min_n``; an incident count
  between 1 and ``k`` − 1), and
- **complementary**: subtracting published figures that lie inside a published one
  would leave between 1 and the threshold − 1 respondents or incidents. Then the
  smallest figure taking part is hidden as well (never the kommun headline when a
  smaller figure will do), and the check runs again until nothing small is left.

"Inside" is decided by the data, not the map: B lies inside A when every respondent
or incident counted in B is counted in A too; figures over identical sets share one
fate. Subtracting any collection of disjoint published figures inside a published A
leaves ``A`` minus their union; only collections that cannot be extended matter (any
other leaves at least one more published figure, so at least the threshold), and for
nested ("laminar") layouts a small dynamic programme over clipped residuals checks
them all. Layouts where places overlap without nesting are checked by listing the
maximal collections (capped at :data:`MAX_COLLECTIONS` per figure).

The engine knows nothing of surveys or incidents: :mod:`trygg.stats` and
:mod:`trygg.incident_stats` build the sets and read back what to hide.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from trygg.stats.nesting import Line, Nesting, Structure, complementary, nesting, tree


def hide_small(values: np.ndarray, threshold: int, zero_is_small: bool = False) -> np.ndarray:
    """Primary suppression: True where a value is below ``threshold``.

    Zero is shown (nothing happened) unless ``zero_is_small`` (a survey with no answers).

    Examples
    --------
    >>> hide_small(np.array([0, 1, 2, 3]), 3).tolist()
    [False, True, True, False]
    """
    values = np.asarray(values)
    small = values < threshold
    return small if zero_is_small else small & (values > 0)


def suppress_count(value: int | None, k: int) -> int | None:
    """One count for the public: None when it is between 1 and k − 1."""
    return None if value is not None and 0 < value < k else value


def _spread(nest: Nesting, hidden_reps: np.ndarray, counts: np.ndarray, primary) -> np.ndarray:
    """Hidden flags for every position: twins follow their representative; a place with
    no elements at all follows the primary rule only."""
    index = {int(rep): number for number, rep in enumerate(nest.reps)}
    hidden = primary(counts)
    for position, rep in enumerate(nest.rep.tolist()):
        if rep in index:
            hidden[position] = hidden_reps[index[rep]]
    return hidden


def hide_survey_figures(nest: Nesting, counts: np.ndarray, min_n: int) -> np.ndarray:
    """Which survey figures to hide: ``counts[position, indicator]`` is n.

    Position 0 is the kommun (kept if a smaller figure can be hidden instead). Returns a
    boolean array of the same shape; hidden with n ≥ ``min_n`` means complementary.

    Examples
    --------
    >>> nest = nesting([None, "centrum", "parken"], [np.arange(41), np.arange(40)], 60)
    >>> hide_survey_figures(nest, np.array([[60], [41], [40]]), 10)[:, 0].tolist()
    [False, False, True]
    """
    counts = np.asarray(counts, dtype=np.int64)
    reps, indicators = len(nest.reps), counts.shape[1]
    flat = counts[nest.reps].T.ravel()
    hidden = hide_small(flat, min_n, zero_is_small=True)
    lines = [Line(np.arange(i * reps, (i + 1) * reps), nest.structure) for i in range(indicators)]
    protected = np.zeros(len(flat), bool)
    protected[np.arange(indicators) * reps] = True
    complementary(lines, flat, hidden, min_n, lines_of=lambda c: [c // reps], protected=protected)

    def primary(values):
        return hide_small(values, min_n, zero_is_small=True)

    return _spread(nest, hidden.reshape(indicators, reps).T, counts, primary)


#: The time cells of an incident year: the whole period, its twelve months, the incidents
#: with a clock time, and the 7 × 24 hours of the week (Monday 00 first).
PERIOD, MONTHS, TIMED, HOURS = 0, range(1, 13), 13, range(14, 14 + 7 * 24)

TIME_CELLS = 14 + 7 * 24


class _CubeLines:
    """The lines of a place × category × time cube, built when asked for.

    Space lines (one category and time cell, every place), category lines (one place
    and time cell: the total and each category), month lines and hour lines (one place
    and category: the period and its months; the period, the timed part and its hours).
    """

    def __init__(self, nest: Nesting, categories: int):
        self.places, self.categories, self.times = len(nest.reps), categories, TIME_CELLS
        self.space = nest.structure
        self.by_category = tree([-1] + [0] * (categories - 1))
        self.by_month = tree([-1] + [0] * len(MONTHS))
        self.by_hour = tree([-1, 0] + [1] * len(HOURS))
        self.starts = (
            categories * self.times,
            categories * self.times + self.places * self.times,
            categories * self.times + self.places * (self.times + categories),
        )

    def __len__(self) -> int:
        return self.starts[2] + self.places * self.categories

    def cell(self, place: int, category, time) -> np.ndarray:
        return (place * self.categories + np.asarray(category)) * self.times + np.asarray(time)

    def __getitem__(self, number: int) -> Line:
        places, categories = np.arange(self.places), self.categories
        if number < self.starts[0]:
            category, time = divmod(number, self.times)
            return Line((places * categories + category) * self.times + time, self.space)
        if number < self.starts[1]:
            place, time = divmod(number - self.starts[0], self.times)
            return Line(self.cell(place, np.arange(categories), time), self.by_category)
        if number < self.starts[2]:
            place, category = divmod(number - self.starts[1], categories)
            return Line(self.cell(place, category, [PERIOD, *MONTHS]), self.by_month)
        place, category = divmod(number - self.starts[2], categories)
        return Line(self.cell(place, category, [PERIOD, TIMED, *HOURS]), self.by_hour)

    def of(self, cell: int) -> list[int]:
        rest, time = divmod(cell, self.times)
        place, category = divmod(rest, self.categories)
        numbers = [category * self.times + time, self.starts[0] + place * self.times + time]
        if time <= MONTHS[-1]:
            numbers.append(self.starts[1] + place * self.categories + category)
        if time == PERIOD or time >= TIMED:
            numbers.append(self.starts[2] + place * self.categories + category)
        return numbers

    def first(self, counts: np.ndarray, hidden: np.ndarray, k: int) -> list[int]:
        """The lines that can leak before anything more is hidden (all others are exact
        sums of shown figures, or leave nothing small)."""
        space = hidden.any(axis=0)
        if self.space.laminar:
            parent = self.space.parent
            children = np.flatnonzero(parent >= 0)
            below = np.zeros_like(counts)
            np.add.at(below, parent[children], counts[children])
            own = counts - below
            space |= ((own > 0) & (own < k)).any(axis=0)
        else:
            space[:] = True
        by_category = hidden.any(axis=1)
        by_month = hidden[:, :, : MONTHS[-1] + 1].any(axis=2)
        untimed = counts[:, :, PERIOD] - counts[:, :, TIMED]
        by_hour = hidden[:, :, [PERIOD, *range(TIMED, TIME_CELLS)]].any(axis=2)
        by_hour |= (untimed > 0) & (untimed < k)
        return [
            *np.flatnonzero(space.ravel()).tolist(),
            *(self.starts[0] + np.flatnonzero(by_category.ravel())).tolist(),
            *(self.starts[1] + np.flatnonzero(by_month.ravel())).tolist(),
            *(self.starts[2] + np.flatnonzero(by_hour.ravel())).tolist(),
        ]


def hide_incident_cube(nest: Nesting, counts: np.ndarray, k: int) -> np.ndarray:
    """Which incident counts to hide: ``counts[position, category, time]``.

    Category 0 is every category; time cells as :data:`TIME_CELLS`. Position 0 is the
    kommun (kept if a smaller count can be hidden instead).
    """
    counts = np.asarray(counts, dtype=np.int64)
    lines = _CubeLines(nest, counts.shape[1])
    reps = counts[nest.reps]
    hidden = hide_small(reps, k)
    start = lines.first(reps, hidden, k)
    flat, flat_hidden = reps.ravel(), hidden.ravel()
    protected = np.zeros(len(flat), bool)
    protected[: counts.shape[1] * TIME_CELLS] = True
    complementary(lines, flat, flat_hidden, k, lines_of=lines.of, protected=protected, start=start)
    while more := _bypasses(nest.structure, reps, flat_hidden.reshape(reps.shape), k):
        flat_hidden[more] = True
        again = sorted({n for cell in more for n in lines.of(cell)})
        complementary(
            lines, flat, flat_hidden, k, lines_of=lines.of, protected=protected, start=again
        )
    return _spread(nest, flat_hidden.reshape(reps.shape), counts, lambda v: hide_small(v, k))


def _bypasses(space: Structure, counts: np.ndarray, hidden: np.ndarray, k: int) -> list[int]:
    """Shown pairs A ⊃ B whose difference is small, through a figure hidden between them.

    The lines check figures that differ in one way (place, category or time). A pair
    differing in two ways, such as a place's year and one category's month, is a sum
    of line steps, each 0 or at least k, unless a step passes through a figure hidden
    by the complementary rule. Those pairs are checked here; the smaller is hidden.
    """
    shown = ~hidden & (counts > 0)
    found: set[int] = set()
    for place, category, time in zip(*np.nonzero(hidden & (counts >= k)), strict=True):
        above = np.ix_(_places_above(space, place), _categories_above(category), _times_above(time))
        axes = (
            _places_below(space, place),
            _categories_below(category, counts.shape[1]),
            _times_below(time),
        )
        below = np.ix_(*axes)
        lower = np.where(shown[below], counts[below], 0)
        cells = np.ravel_multi_index(np.meshgrid(*axes, indexing="ij"), counts.shape)
        for value in counts[above][shown[above]].tolist():
            small = (lower > value - k) & (lower < value) & (lower > 0)
            found.update(cells[small].tolist())
    return sorted(found)


def _places_above(space: Structure, place: int) -> list[int]:
    return [p for p in range(space.size) if p == place or place in space.inside[p]]


def _places_below(space: Structure, place: int) -> list[int]:
    return [int(place), *space.inside[place].tolist()]


def _categories_above(category: int) -> list[int]:
    return sorted({0, int(category)})


def _categories_below(category: int, categories: int) -> list[int]:
    return list(range(categories)) if category == 0 else [int(category)]


def _times_above(time: int) -> list[int]:
    if time == PERIOD:
        return [PERIOD]
    return [PERIOD, TIMED, int(time)] if time in HOURS else [PERIOD, int(time)]


def _times_below(time: int) -> list[int]:
    if time == PERIOD:
        return list(range(TIME_CELLS))
    return [TIMED, *HOURS] if time == TIMED else [int(time)]


def hide_grid_cells(
    cell_of: np.ndarray,
    weight: np.ndarray,
    places: Sequence[np.ndarray],
    fixed_counts: np.ndarray,
    fixed_hidden: np.ndarray,
    k: int,
) -> np.ndarray:
    """Which grid cells to hide in a public hot-spot layer.

    Parameters
    ----------
    cell_of : array of int
        Each incident's grid cell (-1 for an incident without coordinates).
    weight : array of int
        Each incident's ``antal``.
    places : sequence of arrays
        The incidents of each place (indices into ``cell_of``).
    fixed_counts, fixed_hidden : arrays
        The kommun's and each place's published count and whether it is hidden (their
        fate is decided with the other figures; here it is fixed). Kommun first.

    Returns
    -------
    array of bool
        One flag per cell (``cell_of.max() + 1`` cells).

    A cell is hidden when it holds 1 … k − 1 incidents, or when subtracting shown cells
    from the kommun or from a place holding them, or places from a cell holding them,
    would leave 1 … k − 1.
    """
    cell_of, weight = np.asarray(cell_of, np.int64), np.asarray(weight, np.int64)
    located = cell_of >= 0
    cells = int(cell_of.max()) + 1 if located.any() else 0
    counts = np.bincount(cell_of[located], weights=weight[located], minlength=cells)
    counts = counts.astype(np.int64)
    sizes = np.bincount(cell_of[located], minlength=cells)
    first = len(fixed_counts)
    flat = np.concatenate([np.asarray(fixed_counts, np.int64), counts])
    hidden = np.concatenate([np.asarray(fixed_hidden, bool), hide_small(counts, k)])
    fixed = np.arange(len(flat)) < first
    lines = [
        Line(np.r_[0, first + np.flatnonzero(counts)], tree([-1] + [0] * int((counts > 0).sum())))
    ]
    for number, members in enumerate(places, start=1):
        members = np.asarray(members, np.int64)
        inside = _cells_inside(cell_of[members], sizes)
        if len(inside):
            lines.append(Line(np.r_[number, first + inside], tree([-1] + [0] * len(inside))))
    lines += _places_in_cells(cell_of, places, first, hidden)
    holding: dict[int, list[int]] = {}
    for number, line in enumerate(lines):
        for cell in line.cells.tolist():
            holding.setdefault(cell, []).append(number)
    complementary(lines, flat, hidden, k, lines_of=lambda c: holding.get(c, []), fixed=fixed)
    return hidden[first:]


def _cells_inside(cells_of_members: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The cells all of whose incidents belong to the place."""
    located = cells_of_members[cells_of_members >= 0]
    found = np.bincount(located, minlength=len(sizes))
    return np.flatnonzero((found == sizes) & (sizes > 0))


def _places_in_cells(cell_of, places, first: int, hidden: np.ndarray) -> list[Line]:
    """Lines of a cell and the places lying wholly inside it (a park in one cell)."""
    by_cell: dict[int, list[tuple[int, np.ndarray]]] = {}
    for number, members in enumerate(places, start=1):
        members = np.asarray(members, np.int64)
        where = np.unique(cell_of[members]) if len(members) else np.zeros(0, np.int64)
        if len(where) == 1 and where[0] >= 0:
            by_cell.setdefault(int(where[0]), []).append((number, members))
    lines = []
    for cell, inside in by_cell.items():
        elements = np.flatnonzero(cell_of == cell)
        keys = [first + cell, *(number for number, _members in inside)]
        nest = nesting(
            keys, [np.searchsorted(elements, members) for _n, members in inside], len(elements)
        )
        twins = [keys[p] for p in range(1, len(keys)) if nest.rep[p] == 0]
        if any(hidden[t] for t in twins):
            hidden[first + cell] = True
        cells = np.array([keys[p] for p in nest.reps], dtype=np.int64)
        lines.append(Line(cells, nest.structure))
    return lines
