"""The suppression rules by hand on tiny cases, and against a brute-force attacker.

The attacker here knows nothing of :mod:`trygg.suppression`: it takes the true sets
behind the published figures and tries every subtraction of disjoint published figures
inside a published one.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trygg.stats import nesting, suppression


def family(sets: list[set[int]], elements: int):
    """The kommun (every element) and the places ``sets``, as the engine sees them."""
    keys = [None, *range(len(sets))]
    return nesting.nesting(keys, [np.array(sorted(s), dtype=np.int64) for s in sets], elements)


def leaks(all_sets: list[set[int]], counts, hidden, threshold: int) -> list:
    """Every (container, collection, left) where a subtraction leaves 1 … threshold − 1."""
    found = []
    shown = [i for i in range(len(all_sets)) if not hidden[i] and counts[i] > 0]
    for a in shown:
        inside = [b for b in shown if all_sets[b] < all_sets[a]]
        for size in range(1, len(inside) + 1):
            for chosen in itertools.combinations(inside, size):
                if all(not all_sets[x] & all_sets[y] for x, y in itertools.combinations(chosen, 2)):
                    left = counts[a] - sum(counts[b] for b in chosen)
                    if 0 < left < threshold:
                        found.append((a, chosen, left))
    return found


# --- By hand -------------------------------------------------------------------------


def test_a_nested_place_one_answer_smaller_is_hidden_not_the_outer_one():
    # Centrum holds 41 answers, Parken (inside it) 40: Centrum − Parken is one person.
    nest = family([set(range(41)), set(range(40))], 60)
    hidden = suppression.hide_survey_figures(nest, np.array([[60], [41], [40]]), 10)
    assert hidden[:, 0].tolist() == [False, False, True]


def test_the_kommun_headline_stays_and_the_smaller_place_goes():
    # 24 answers: Byn 20, Parken 4 (too few). Kommun − Byn would give Parken's 4.
    nest = family([set(range(20)), set(range(20, 24))], 24)
    hidden = suppression.hide_survey_figures(nest, np.array([[24], [20], [4]]), 10)
    assert hidden[:, 0].tolist() == [False, True, True]


def test_disjoint_places_covering_the_kommun_need_nothing_more():
    nest = family([set(range(12)), set(range(12, 30))], 30)
    hidden = suppression.hide_survey_figures(nest, np.array([[30], [12], [18]]), 10)
    assert hidden[:, 0].tolist() == [False, False, False]


def test_twins_share_their_fate():
    # Two places over the same answers: hiding one and showing the other would reveal it.
    sets = [set(range(15)), set(range(15)), set(range(15, 19))]
    nest = family(sets, 25)
    hidden = suppression.hide_survey_figures(nest, np.array([[25], [15], [15], [4]]), 10)
    assert hidden[1, 0] == hidden[2, 0]
    assert leaks([set(range(25)), *sets], [25, 15, 15, 4], hidden[:, 0], 10) == []


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        # The category line of the old secondary rule, now one case of the engine.
        ([10, 2, 5, 0], [False, True, True, False]),
        ([10, 1, 2], [False, True, True]),
        ([10, 5], [False, False]),
        ([2, 7], [True, True]),
    ],
)
def test_parts_of_a_total_by_hand(parts, expected):
    counts = np.array([sum(parts), *parts])
    hidden = suppression.hide_small(counts, 3)
    line = nesting.Line(np.arange(len(counts)), nesting.tree([-1] + [0] * len(parts)))
    nesting.complementary([line], counts, hidden, 3, lines_of=lambda _c: [0])
    assert hidden[1:].tolist() == expected
    assert hidden[0] == (0 < counts[0] < 3)


def test_overlapping_places_that_do_not_nest_are_checked_too():
    # A and B overlap in {0, 1}; A holds C = {2, 3, 4}; 7 elements in all.
    sets = [{0, 1, 2, 3, 4}, {0, 1, 5}, {2, 3, 4}]
    nest = family(sets, 7)
    assert not nest.structure.laminar
    counts = np.array([7, 5, 3, 3])
    shown = np.array([True, True, True, True])
    found = nesting.find_leak(nest.structure, counts[nest.reps], shown[nest.reps], 3)
    container, taken = found
    assert counts[nest.reps[container]] - sum(counts[nest.reps[t]] for t in taken) in (1, 2)


def test_grid_cells_protect_the_kommun_and_the_places():
    # Cells 0, 1, 2 hold 5, 3 and 2 incidents; the kommun 10 (all of them).
    cell_of = np.array([0] * 5 + [1] * 3 + [2] * 2)
    hidden = suppression.hide_grid_cells(cell_of, np.ones(10, int), [], [10], [False], 3)
    # 2 is too small; then kommun − 5 − 3 = 2 would reveal it: the 3 goes too.
    assert hidden.tolist() == [False, True, True]
    # A place of 9: cells 0 and 1 (4 each) lie inside it, one incident has no point.
    cell_of = np.array([0] * 4 + [1] * 4 + [-1])
    place = [np.arange(9)]
    hidden = suppression.hide_grid_cells(cell_of, np.ones(9, int), place, [9, 9], [False, False], 3)
    assert hidden.sum() == 1
    # A park of 5 inside one cell of 7: the cell minus the park would show 2.
    cell_of = np.zeros(7, int)
    hidden = suppression.hide_grid_cells(
        cell_of, np.ones(7, int), [np.arange(5)], [7, 5], [False, False], 3
    )
    assert hidden.tolist() == [True]


# --- Against the brute-force attacker -------------------------------------------------


@st.composite
def families(draw):
    elements = draw(st.integers(1, 24))
    sets: list[set[int]] = []
    for _ in range(draw(st.integers(1, 5))):
        if sets and draw(st.booleans()):
            base = sorted(draw(st.sampled_from(sets)))
            sets.append({e for e in base if draw(st.booleans())})
        else:
            sets.append({e for e in range(elements) if draw(st.integers(0, 2)) == 0})
    return elements, sets


@settings(max_examples=300, deadline=None)
@given(families(), st.sampled_from([3, 10]))
def test_no_subtraction_leaks_after_hiding(found, threshold):
    elements, sets = found
    all_sets = [set(range(elements)), *sets]
    counts = np.array([[len(s)] for s in all_sets])
    hidden = suppression.hide_survey_figures(family(sets, elements), counts, threshold)[:, 0]
    assert leaks(all_sets, counts[:, 0], hidden, threshold) == []
    assert all(hidden[i] for i, n in enumerate(counts[:, 0]) if n < threshold)


@settings(max_examples=300, deadline=None)
@given(families(), st.sampled_from([3, 10]), st.data())
def test_find_leak_agrees_with_the_attacker(found, threshold, data):
    elements, sets = found
    nest = family(sets, elements)
    all_sets = [set(range(elements)), *sets]
    reps = [all_sets[r] for r in nest.reps]
    counts = np.array([len(s) for s in reps])
    shown = np.array([data.draw(st.booleans()) for _ in reps]) & ~(
        (counts > 0) & (counts < threshold)
    )
    found_leak = nesting.find_leak(nest.structure, counts, shown, threshold)
    expected = leaks(reps, counts, ~shown, threshold)
    assert (found_leak is None) == (expected == [])
    if found_leak is not None:
        container, taken = found_leak
        assert 0 < counts[container] - counts[taken].sum() < threshold


def test_incident_cube_leaves_no_small_difference_along_any_structure():
    """Random tiny kommuner: place ⊃ place, all ⊃ category, year ⊃ month, year ⊃ timed ⊃
    hour, and any pair across those, all leave 0 or at least k."""
    rng = np.random.default_rng(4)
    k = 3
    for _ in range(150):
        elements = int(rng.integers(3, 40))
        category = rng.integers(1, 4, elements)
        month = rng.integers(1, 4, elements)
        hour = np.where(rng.random(elements) < 0.7, rng.integers(0, 3, elements), -1)
        outer = {e for e in range(elements) if rng.random() < 0.7}
        inner = {e for e in outer if rng.random() < 0.6}
        apart = {e for e in range(elements) if e not in outer and rng.random() < 0.5}
        sets = [set(range(elements)), outer, inner, apart]
        counts, truth = _cube(sets, category, month, hour)
        hidden = suppression.hide_incident_cube(family(sets[1:], elements), counts, k)
        shown = {key: members for key, members in truth.items() if not hidden[key]}
        for (a, members_a), (b, members_b) in itertools.permutations(shown.items(), 2):
            if _structurally_inside(b, a, sets):
                assert not 0 < len(members_a) - len(members_b) < k, (a, b)


def _cube(sets, category, month, hour):
    counts = np.zeros((len(sets), 4, suppression.TIME_CELLS), dtype=np.int64)
    truth: dict = {}
    for element in range(len(category)):
        times = [suppression.PERIOD, int(month[element])]
        if hour[element] >= 0:
            times += [suppression.TIMED, suppression.HOURS[0] + int(hour[element])]
        for place, members in enumerate(sets):
            if element in members:
                for cat in (0, int(category[element])):
                    for time in times:
                        counts[place, cat, time] += 1
                        truth.setdefault((place, cat, time), set()).add(element)
    return counts, truth


def _structurally_inside(small, large, sets) -> bool:
    if small == large or not sets[small[0]] <= sets[large[0]]:
        return False
    if large[1] != 0 and large[1] != small[1]:
        return False
    time_small, time_large = small[2], large[2]
    if time_large == suppression.PERIOD:
        return True
    if time_large == suppression.TIMED:
        return time_small == suppression.TIMED or time_small in suppression.HOURS
    return time_small == time_large
