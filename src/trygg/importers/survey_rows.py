"""Respondent rows read column by column into the responses to store.

Every column is parsed once per distinct text (a survey has few codes, years and
weights), as whole arrays. Row errors are built only for the rows that have them, with
the same words and in the same order as one row at a time would: by row, and within a
row placement first, then year, weight, the core question and the items in file order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from trygg.errors import RowError, TryggError
from trygg.filecheck import number as number_text
from trygg.importers.base import RowOutcome, place_rows
from trygg.places.lookup import Locator
from trygg.scales import (
    FIRST_YEAR,
    ITEM_SCALES,
    LAST_YEAR,
    MAX_SURVEY_WEIGHT,
    TRYGG_KVALL,
    AnswerScale,
)
from trygg.strings import t
from trygg.tabular import Table, parse_number

#: The stored columns of a response, in the order of :class:`Responses` ``frame``.
RESPONSE_COLUMNS = (
    "row_number",
    "respondent_id",
    "year",
    "weight",
    "trygg_kvall",
    "alder",
    "kon",
    "kommentar",
    "place_text",
    "x",
    "y",
)

#: Free-text columns kept as given ('' becomes None).
TEXT_COLUMNS = ("respondent_id", "alder", "kon", "kommentar")


@dataclass
class Responses:
    """The accepted rows of a survey file, one per respondent, in file order.

    ``frame`` holds :data:`RESPONSE_COLUMNS` (``trygg_kvall``, ``x`` and ``y`` as floats,
    NaN when missing; texts as objects, None when blank); ``answers`` one column per
    item in file order (codes as floats, NaN when not answered); ``links`` each
    response's places (``position`` in ``frame``, ``place_id``), each pair once.
    """

    frame: pd.DataFrame
    answers: pd.DataFrame
    links: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame({"position": [], "place_id": []}, dtype=np.int64)
    )

    def __len__(self) -> int:
        return len(self.frame)

    def years(self) -> list[int]:
        return sorted(int(year) for year in pd.unique(self.frame["year"]))


_INVALID = object()


def parse_survey_rows(
    table: Table,
    locator: Locator,
    mode: str | None,
    crs: str | None,
    year: int | None,
    kommun_wide: bool,
    force: bool = False,
) -> RowOutcome:
    """Read every row into :class:`Responses` (``outcome.records``) or into row errors."""
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        raise TryggError(t("err.year_range", year=year, first=FIRST_YEAR, last=LAST_YEAR))
    size = len(table.row_numbers)
    outcome = RowOutcome(rows=size)
    errors: dict[int, list[RowError]] = {}
    if mode is not None and not kommun_wide:
        placed = place_rows(table, locator, mode, crs, force=force)
        outcome.warnings.extend(placed.warnings)
        errors = {index: list(found) for index, found in placed.errors.items()}
        outcome.unresolved = placed.unresolved
        arrays = placed.arrays  # the placements as arrays, without an object per row
        place_text = arrays.get("texts")
        if place_text is None:
            place_text = _objects([None] * size)
        xs, ys = arrays["x"], arrays["y"]
        link_rows, link_places = arrays["link_rows"], arrays["link_places"]
    else:
        place_text = _objects([text or None for text in table.column("plats")])
        xs = ys = np.full(size, np.nan)
        link_rows = link_places = np.zeros(0, dtype=np.int64)
    years = _parsed_column(table, "ar", _year_value, _year_message(), errors, year)
    weights = _parsed_column(table, "vikt", _weight_value, _weight_message(), errors, 1.0)
    kvall = _coded_column(table, "trygg_kvall", TRYGG_KVALL, errors)
    items = {
        name: _coded_column(table, name, ITEM_SCALES[name.split("_", 1)[0]], errors)
        for name in table.columns
        if "_" in name and name.split("_", 1)[0] in ITEM_SCALES
    }
    for index in sorted(errors):
        outcome.reject(index, errors[index])
    keep = np.ones(size, dtype=bool)
    keep[list(errors)] = False
    chosen = np.flatnonzero(keep)
    texts = {name: _objects(table.column(name)) for name in TEXT_COLUMNS}
    for values in texts.values():
        values[values == ""] = None
    columns = {
        "row_number": np.asarray(table.row_numbers, dtype=np.int64),
        "year": np.asarray(years, dtype=np.int64),
        "weight": np.asarray(weights, dtype=float),
        "trygg_kvall": kvall,
        **texts,
        "place_text": np.asarray(place_text, dtype=object),
        "x": np.asarray(xs, dtype=float),
        "y": np.asarray(ys, dtype=float),
    }
    frame = pd.DataFrame({name: columns[name][chosen] for name in RESPONSE_COLUMNS})
    answers = pd.DataFrame({name: codes[chosen] for name, codes in items.items()}, frame.index)
    outcome.records = Responses(frame, answers, _links(link_rows, link_places, keep))
    return outcome


def _links(rows: np.ndarray, places: np.ndarray, keep: np.ndarray) -> pd.DataFrame:
    """The (position, place id) pairs of the kept rows (each pair once): ``rows`` index the
    table, positions the kept rows."""
    rows = np.asarray(rows, dtype=np.int64)
    kept = keep[rows]
    position = np.cumsum(keep) - 1
    return pd.DataFrame(
        {"position": position[rows[kept]], "place_id": np.asarray(places, dtype=np.int64)[kept]}
    ).drop_duplicates()


def _objects(values: list) -> np.ndarray:
    found = np.empty(len(values), dtype=object)
    found[:] = values
    return found


def _distinct(texts: list[str], parse) -> tuple[np.ndarray, list, list]:
    """``parse`` of every distinct text: (position of each row's text, texts, values)."""
    positions, uniques = pd.factorize(_objects(texts))
    uniques = list(uniques)
    return positions, uniques, [parse(text) for text in uniques]


def _add_errors(table, name, texts, bad: np.ndarray, message: str, errors: dict) -> None:
    header = table.source_header(name)
    for index in np.flatnonzero(bad).tolist():
        errors.setdefault(index, []).append(
            RowError(table.row_numbers[index], header, texts[index], message)
        )


def _parsed_column(table: Table, name: str, parse, message: str, errors: dict, default) -> list:
    """Parse a column with ``parse`` (text → value or ``_INVALID``); blanks get ``default``.

    A blank with no default is an error too. Returns one value per row (0 where invalid).
    """
    texts = table.column(name)
    if not texts:
        return []
    invalid = _INVALID if default is None else default
    positions, _uniques, values = _distinct(texts, lambda text: parse(text) if text else invalid)
    bad = np.array([value is _INVALID for value in values], dtype=bool)
    _add_errors(table, name, texts, bad[positions], message, errors)
    cleaned = np.array([0 if value is _INVALID else value for value in values], dtype=object)
    return cleaned[positions].tolist()


def _coded_column(table: Table, name: str, scale: AnswerScale, errors: dict) -> np.ndarray:
    """Codes as floats (NaN when blank or not on the scale; the latter is a row error)."""
    size = len(table.row_numbers)
    if name not in table.columns or size == 0:
        return np.full(size, np.nan)
    texts = table.column(name)
    positions, uniques, codes = _distinct(
        texts, lambda text: scale.code_for(text) if text else None
    )
    bad = np.array([bool(text) and c is None for text, c in zip(uniques, codes, strict=True)])
    message = t("row.answer", expected=_expected(scale))
    _add_errors(table, name, texts, bad[positions], message, errors)
    values = np.array([np.nan if c is None else c for c in codes], dtype=float)
    return values[positions]


def _expected(scale: AnswerScale) -> str:
    return t(
        "row.answer_expected",
        first=min(scale.labels),
        last=max(scale.labels),
        labels=", ".join(scale.labels.values()),
    )


def _year_message() -> str:
    return t("row.year_range", min=FIRST_YEAR, max=LAST_YEAR)


def _weight_message() -> str:
    return t("row.weight_range", max=number_text(MAX_SURVEY_WEIGHT))


def _year_value(text: str):
    value = parse_number(text)
    if value is None or not value.is_integer() or not FIRST_YEAR <= value <= LAST_YEAR:
        return _INVALID
    return int(value)


def _weight_value(text: str):
    value = parse_number(text)
    return _INVALID if value is None or not 0 < value <= MAX_SURVEY_WEIGHT else value
