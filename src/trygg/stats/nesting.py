"""The engine behind hiding small numbers: which published figures lie inside which,
and whether a subtraction of disjoint figures inside one leaves a small group.

Figures are counts over sets (respondents, incidents). B lies inside A when every
element of B is an element of A; figures over identical sets are twins. Subtracting
any collection of disjoint published figures inside a published A leaves A minus their
union; only collections that cannot be extended matter (any other leaves at least one
more published figure, so at least the threshold). For nested ("laminar") layouts a
dynamic programme over clipped residuals checks them all; layouts where sets overlap
without nesting are checked by listing the maximal collections (capped).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

#: Enough maximal collections to cover any real overlap pattern; beyond it, the rest go
#: unchecked (a layer with that many partial overlaps is no neighbourhood map).
MAX_COLLECTIONS = 2000


@dataclass(frozen=True)
class Structure:
    """How the members of one line (a family of figures) lie inside each other.

    ``parent`` (laminar families): each member's smallest container, -1 for a root.
    ``inside`` and ``disjoint`` (any family): what lies strictly inside each member,
    and which pairs share nothing.
    """

    size: int
    parent: np.ndarray | None
    inside: tuple[np.ndarray, ...]
    disjoint: np.ndarray | None = None
    order: tuple[int, ...] = field(default=())

    @property
    def laminar(self) -> bool:
        return self.parent is not None


def tree(parent: Sequence[int]) -> Structure:
    """A laminar structure from parent positions (-1 for a root), children disjoint.

    Examples
    --------
    >>> tree([-1, 0, 0]).inside[0].tolist()
    [1, 2]
    """
    parent = np.asarray(parent, dtype=np.int64)
    size = len(parent)
    children: list[list[int]] = [[] for _ in range(size)]
    for node, up in enumerate(parent.tolist()):
        if up >= 0:
            children[up].append(node)
    inside: list[np.ndarray] = [np.zeros(0, dtype=np.int64)] * size
    order = _bottom_up(children, parent)
    for node in order:
        below = [np.array(children[node], dtype=np.int64)]
        below += [inside[child] for child in children[node]]
        inside[node] = np.concatenate(below) if below else np.zeros(0, dtype=np.int64)
    return Structure(size, parent, tuple(inside), None, tuple(order))


def _bottom_up(children: list[list[int]], parent: np.ndarray) -> list[int]:
    order, stack = [], [int(n) for n in np.flatnonzero(parent < 0)]
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(children[node])
    return order[::-1]


@dataclass(frozen=True)
class Nesting:
    """The kommun and its places as sets of respondents or incidents.

    Position 0 is the kommun (every element); twins (places over identical sets) share
    the representative in ``rep``; ``structure`` relates the representatives.
    """

    keys: tuple
    rep: np.ndarray
    reps: np.ndarray
    structure: Structure


def nesting(keys: Sequence, members: Sequence[np.ndarray], n_elements: int) -> Nesting:
    """Relate ``keys[0]`` (the kommun, holding every element) and the places.

    Parameters
    ----------
    keys : sequence
        The kommun's key first, then one key per place.
    members : sequence of arrays
        For each place (``keys[1:]``), the indices of the elements it holds.
    n_elements : int
        How many elements there are (indices run from 0).
    """
    rows = [np.arange(n_elements, dtype=np.int64), *[np.asarray(m, np.int64) for m in members]]
    matrix = sparse.csr_matrix(
        (
            np.ones(sum(len(r) for r in rows), dtype=np.int64),
            (np.repeat(np.arange(len(rows)), [len(r) for r in rows]), np.concatenate(rows)),
        ),
        shape=(len(rows), max(n_elements, 1)),
    )
    matrix.data[:] = 1
    matrix.sum_duplicates()
    matrix.data[:] = 1
    shared = (matrix @ matrix.T).toarray()
    sizes = np.diag(shared)
    holds = shared == sizes[None, :]  # holds[a, b]: b lies inside a
    rep = np.arange(len(rows))
    for b in range(1, len(rows)):
        twins = np.flatnonzero(holds[:, b] & holds[b, :])
        rep[b] = twins.min()
    reps = np.flatnonzero(
        (rep == np.arange(len(rows))) & ((sizes > 0) | (np.arange(len(rows)) == 0))
    )
    return Nesting(tuple(keys), rep, reps, _structure(holds[np.ix_(reps, reps)], shared, reps))


def _structure(holds: np.ndarray, shared: np.ndarray, reps: np.ndarray) -> Structure:
    count = len(reps)
    strictly = holds & ~np.eye(count, dtype=bool)
    disjoint = shared[np.ix_(reps, reps)] == 0
    nested_or_apart = strictly | strictly.T | disjoint | np.eye(count, dtype=bool)
    if nested_or_apart.all():
        sizes = np.diag(shared)[reps]
        parent = np.full(count, -1, dtype=np.int64)
        for b in range(count):
            above = np.flatnonzero(strictly[:, b])
            if len(above):
                parent[b] = above[np.argmin(sizes[above])]
        return tree(parent)
    inside = tuple(np.flatnonzero(strictly[a]) for a in range(count))
    return Structure(count, None, inside, disjoint)


def find_leak(
    structure: Structure, w: np.ndarray, shown: np.ndarray, threshold: int
) -> tuple[int, list[int]] | None:
    """A shown figure and shown disjoint figures inside it that leave 1 … threshold − 1.

    Parameters
    ----------
    structure : Structure
        How the line's figures nest.
    w : array of int
        Each figure's count (n or incidents).
    shown : array of bool
        Which figures are published; a shown count is never between 1 and threshold − 1
        (the primary rule has run).
    threshold : int
        ``min_n`` or ``k``.

    Returns
    -------
    (int, list of int) or None
        The container and the figures subtracted from it, or None when nothing leaks.

    Examples
    --------
    >>> s = tree([-1, 0, 0])
    >>> find_leak(s, np.array([12, 10, 0]), np.array([True, True, True]), 3)
    (0, [1])
    >>> find_leak(s, np.array([12, 9, 0]), np.array([True, True, True]), 3) is None
    True
    """
    w = np.asarray(w, dtype=np.int64)
    if structure.laminar:
        return _laminar_leak(structure, w, shown, threshold)
    return _general_leak(structure, w, shown, threshold)


_TAKE = "take"


def _laminar_leak(structure: Structure, w, shown, threshold: int):
    """Bottom-up over the tree: every residual a maximal collection can leave, clipped."""
    children: list[list[int]] = [[] for _ in range(structure.size)]
    for node, up in enumerate(structure.parent.tolist()):
        if up >= 0 and w[node] > 0:
            children[up].append(node)
    options: dict[int, dict[int, object]] = {}
    below: dict[int, list[tuple[int, dict]]] = {}
    has_shown: dict[int, bool] = {}
    for node in structure.order:
        if w[node] <= 0:
            continue
        kids = children[node]
        choosing = [c for c in kids if has_shown[c] or shown[c]]
        has_shown[node] = bool(choosing)
        fixed = int(w[node]) - sum(int(w[c]) for c in choosing)
        steps, values = [], {min(fixed, threshold): None}
        for child in choosing:
            step = {}
            for value in values:
                for option in options[child]:
                    step.setdefault(min(value + option, threshold), (value, option))
            steps.append((child, step))
            values = step
        below[node] = steps
        if shown[node]:
            if choosing:
                leak = next((v for v in sorted(values) if 0 < v < threshold), None)
                if leak is not None:
                    return node, _taken(node, leak, below, options)
                mine = {0: _TAKE, **{v: None for v in values if v != 0}}
            else:
                mine = {0: _TAKE}
        else:
            mine = dict.fromkeys(values)
        options[node] = mine
    return None


def _taken(node: int, value: int, below: dict, options: dict) -> list[int]:
    """The figures a residual ``value`` below ``node`` subtracts (walking back the steps)."""
    taken = []
    for child, step in reversed(below[node]):
        value, option = step[value]
        if options[child][option] == _TAKE and (option == 0):
            taken.append(child)
        else:
            taken += _taken(child, option, below, options)
    return taken


def _general_leak(structure: Structure, w, shown, threshold: int):
    apart = None  # each member's disjoint members, as sets (built when first needed)
    counts = [int(value) for value in w]
    present = np.asarray(shown, dtype=bool) & (w > 0)
    for node in range(structure.size):
        if not present[node]:
            continue
        inside = structure.inside[node]
        members = inside[present[inside]].tolist()
        if not members:
            continue
        if apart is None:
            apart = [set(np.flatnonzero(row).tolist()) for row in structure.disjoint]
        for collection in _maximal_collections(members, apart):
            left = counts[node] - sum(counts[m] for m in collection)
            if 0 < left < threshold:
                return node, collection
    return None


def _maximal_collections(members: list[int], apart: list[set[int]]):
    """Maximal sets of pairwise disjoint members (Bron–Kerbosch with a pivot), capped.

    ``apart[u]`` is the set of figures disjoint from ``u``.
    """
    found = 0
    stack = [([], set(members), set())]
    while stack and found < MAX_COLLECTIONS:
        chosen, candidates, excluded = stack.pop()
        if not candidates and not excluded:
            found += 1
            yield chosen
            continue
        pivot = max(candidates | excluded, key=lambda u: len(apart[u] & candidates))
        away = apart[pivot]
        for v in [v for v in candidates if v not in away or v == pivot]:
            mine = apart[v]
            disjoint = {u for u in candidates if u in mine}
            stack.append(([*chosen, v], disjoint, {u for u in excluded if u in mine}))
            candidates = candidates - {v}
            excluded = excluded | {v}


@dataclass
class Line:
    """One family of figures that can be subtracted from each other.

    ``cells`` are positions in the flat array of all figures; ``structure`` relates them.
    """

    cells: np.ndarray
    structure: Structure


def complementary(
    lines: Sequence[Line],
    counts: np.ndarray,
    hidden: np.ndarray,
    threshold: int,
    *,
    lines_of: Callable[[int], Sequence[int]],
    protected: np.ndarray | None = None,
    fixed: np.ndarray | None = None,
    start: Sequence[int] | None = None,
) -> np.ndarray:
    """Hide more figures until no line leaks (see :func:`find_leak`); return ``hidden``.

    Parameters
    ----------
    lines : sequence of Line
        Every family in which figures can be subtracted.
    counts : array
        Every figure's count, flat.
    hidden : array of bool
        Figures already hidden (by the primary rule); updated in place.
    lines_of : callable
        The lines holding a figure, to look at again when it is hidden.
    protected : array of bool, optional
        Figures to keep if another can be hidden instead (the kommun headline).
    fixed : array of bool, optional
        Figures whose fate another publication decides: never hidden here.
    start : sequence of int, optional
        The lines to look at first (default all).
    """
    protected = np.zeros(len(counts), bool) if protected is None else protected
    fixed = np.zeros(len(counts), bool) if fixed is None else fixed
    queue = deque(range(len(lines)) if start is None else start)
    queued = set(queue)
    while queue:
        number = queue.popleft()
        queued.discard(number)
        line = lines[number]
        leak = find_leak(line.structure, counts[line.cells], ~hidden[line.cells], threshold)
        if leak is None:
            continue
        cell = _cell_to_hide(line, leak, counts, protected, fixed)
        hidden[cell] = True
        for again in (*lines_of(cell), number):
            if again not in queued:
                queue.append(again)
                queued.add(again)
    return hidden


def _cell_to_hide(line: Line, leak, counts, protected, fixed) -> int:
    """The smallest figure taking part: a subtracted one before the container."""
    container, taken = leak
    cells = [int(line.cells[p]) for p in taken] + [int(line.cells[container])]
    for allowed in (
        lambda c: not fixed[c] and not protected[c],
        lambda c: not fixed[c],
        lambda c: True,
    ):
        choice = [c for c in cells if allowed(c) and counts[c] > 0]
        if choice:
            return min(choice, key=lambda c: (counts[c], c == cells[-1], c))
    return cells[-1]
