"""Incident rows column-wise: every column of a table parsed as an array, the rules of
:func:`trygg.importers.incidents.import_incidents` applied as masks, and row errors
built one by one only for the rows that have them (in row order, word for word the same
whatever the size of the file).

The accepted incidents are :class:`IncidentRecords`: one array per stored column and the
place links as two arrays, which the store writes in chunks.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from trygg.errors import RowError
from trygg.filecheck import number as number_text
from trygg.importers.base import RowOutcome
from trygg.importers.placing import Placements
from trygg.scales import FIRST_YEAR, LAST_YEAR, MAX_INCIDENT_COUNT
from trygg.strings import t
from trygg.tabular import Table, parse_number

#: Why an accepted row is not stored; every key is always in the summary.
EXCLUDED_REASONS = ("sammanfattning", "dubblett", "annan_kommun")


class IncidentRecords:
    """The incidents to store: ``columns`` (name → array, one entry per incident) and
    their place links (``link_rows`` → ``link_places``, rows as positions here)."""

    def __init__(self, columns: dict[str, np.ndarray], link_rows, link_places):
        self.columns = columns
        self.link_rows = np.asarray(link_rows, dtype=np.int64)
        self.link_places = np.asarray(link_places, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.columns["row_number"])

    def __bool__(self) -> bool:
        return len(self) > 0

    def years(self) -> list[int]:
        """[first year, last year] of the incidents (empty without any)."""
        if not len(self):
            return []
        years = self.columns["occurred_at"].astype("datetime64[Y]").astype(np.int64) + 1970
        return [int(years.min()), int(years.max())]


def distinct(values: pd.Series, function: Callable) -> np.ndarray:
    """``function`` of every value, computed once per distinct value (an object array)."""
    codes, uniques = pd.factorize(values)
    results = np.empty(len(uniques), dtype=object)
    results[:] = [function(value) for value in uniques]
    return results[codes]


def count_value(text: str) -> int | None:
    """``antal``: blank means 1; otherwise a whole number 1–:data:`MAX_INCIDENT_COUNT`."""
    if not text:
        return 1
    value = parse_number(text)
    if value is None or not 1 <= value <= MAX_INCIDENT_COUNT or not value.is_integer():
        return None
    return int(value)


def row_errors(
    table: Table,
    outcome: RowOutcome,
    placed: Placements,
    errors: dict[int, list[RowError]],
    summaries: np.ndarray,
    dates: tuple[np.ndarray, np.ndarray],
    counts: np.ndarray,
) -> np.ndarray:
    """Reject every row (not a summary post) with an error, note the kept rows without a
    point, in row order; returns which rows were rejected."""
    stamps, _precision = dates
    years = stamps.astype("datetime64[Y]").astype(np.int64) + 1970
    bad_date = np.isnat(stamps) | (years < FIRST_YEAR) | (years > LAST_YEAR)
    bad_count = np.array([c is None for c in counts.tolist()], dtype=bool)
    flagged = bad_date | bad_count
    flagged[list(errors)] = True
    flagged[list(placed.missing)] = True
    flagged &= ~summaries
    rejected = np.zeros(len(table), dtype=bool)
    date_texts, count_texts = table.series("datum"), table.series("antal")
    for index in np.flatnonzero(flagged).tolist():
        number = table.row_numbers[index]
        found = list(errors.get(index, []))
        if bad_date[index]:
            message = t("row.date") if np.isnat(stamps[index]) else _range_message()
            found.append(
                RowError(number, table.source_header("datum"), date_texts.iat[index], message)
            )
        if bad_count[index]:
            found.append(
                RowError(
                    number,
                    table.source_header("antal"),
                    count_texts.iat[index],
                    t("row.count_range", max=number_text(MAX_INCIDENT_COUNT)),
                )
            )
        if found:
            outcome.reject(index, [*filter(None, [placed.missing.get(index)]), *found])
            rejected[index] = True
        elif index in placed.missing:
            outcome.note([placed.missing[index]])
    return rejected


def _range_message() -> str:
    return t("row.date_range", min=FIRST_YEAR, max=LAST_YEAR)


def duplicates(source_ids: pd.Series, candidates: np.ndarray, stored) -> np.ndarray:
    """Candidate rows whose source id was stored before or seen on an earlier candidate."""
    named = candidates & (source_ids != "").to_numpy(dtype=bool)
    seen = np.zeros(len(source_ids), dtype=bool)
    seen[candidates] = source_ids[candidates].duplicated(keep="first").to_numpy(dtype=bool)
    if stored:
        seen |= source_ids.isin(list(stored)).to_numpy(dtype=bool)
    return named & seen


def unknown_categories(kinds: pd.Series, known: np.ndarray) -> dict[str, int]:
    """Source category → stored rows that became ``övrigt``, most first (ties in the
    order the categories first appear), as ``Counter.most_common`` orders them."""
    chosen = kinds[~known]
    if chosen.empty:
        return {}
    counted = chosen.value_counts(sort=False)
    order = pd.unique(chosen)
    pairs = [(kind, int(counted[kind])) for kind in order]
    return dict(sorted(pairs, key=lambda pair: -pair[1]))


def none_where(values: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """``values`` as an object array with None where ``missing``."""
    result = values.astype(object)
    result[missing] = None
    return result
