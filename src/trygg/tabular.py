"""Reading tables the way Swedish offices write them, and naming their columns.

CSV in UTF-8 (with or without BOM) or Windows-1252, with ``;``, ``,`` or tab, CRLF or LF,
decimal commas; Excel (.xlsx, .xlsm, .xls) and OpenDocument (.ods) through
python-calamine, in a child process with capped memory and time (:mod:`trygg.sandbox`).
Every read is bounded by :func:`trygg.settings.limits`: bytes, rows, columns, cells and
characters per cell. A CSV is read column-wise by pandas and kept as columns
(:class:`Table`); one pandas cannot read as the ``csv`` module would goes row by row
through the ``csv`` module, with the same cells and row numbers. Headers become
canonical names in :mod:`trygg.mappings` (re-exported here); the survey and incident
importers and the upload page all go through :func:`canonical_columns`.
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from trygg import filecheck, sandbox, settings
from trygg.errors import TryggError
from trygg.mappings import (  # noqa: F401  (read with the tables they map)
    NESTED_MAPPINGS,
    SYNONYMS,
    ColumnNames,
    canonical_columns,
    column_mapping,
    load_yaml,
    mapping_key,
    read_mapping,
)
from trygg.sandbox import cell_text as cell_text
from trygg.settings import Limits
from trygg.strings import t
from trygg.text import suffix

DELIMITERS = (";", ",", "\t")
SNIFF_CHARS = 65_536
#: Excel's "Unicode text" is UTF-16 with a byte-order mark.
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}


class Table:
    """A read table: the header and the data rows with their spreadsheet row numbers.

    A large CSV is held column by column (:meth:`from_frame`); ``rows`` then builds the
    row lists on first use. :meth:`series` and :meth:`numbers` give a whole column
    stripped or as numbers, computed once.
    """

    def __init__(
        self,
        file_name: str,
        header: list[str],
        rows: list[list[str]] | None,
        row_numbers: list[int],
        columns: dict[str, int] | None = None,
        titles: list[str] | None = None,
    ):
        self.file_name = file_name
        self.header = header
        self._rows = rows
        self._frame: pd.DataFrame | None = None
        self.row_numbers = row_numbers
        self.columns: dict[str, int] = columns or {}
        #: Title lines above the header (``read_table(titled=True)``), e.g. a table's name.
        self.titles: list[str] = titles or []
        self._series: dict[int, pd.Series] = {}
        self._numbers: dict[int, np.ndarray] = {}

    @classmethod
    def from_frame(
        cls, file_name: str, header: list[str], frame: pd.DataFrame, row_numbers: list[int]
    ) -> Table:
        """A table over ``frame``'s string columns, one per header cell, in order."""
        table = cls(file_name, header, None, row_numbers)
        table._frame = frame
        return table

    def __len__(self) -> int:
        return len(self.row_numbers)

    @property
    def rows(self) -> list[list[str]]:
        if self._rows is None:
            self._rows = self._frame.to_numpy(dtype=object).tolist()
        return self._rows

    def value(self, row: list[str], name: str) -> str:
        """The cell of canonical column ``name`` in ``row`` ('' when absent)."""
        index = self.columns.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    def series(self, name: str) -> pd.Series:
        """Every row's stripped cell of canonical column ``name`` ('' when absent)."""
        index = self.columns.get(name, -1)
        if index not in self._series:
            if index < 0:
                found = pd.Series([""] * len(self), dtype="str")
            elif self._frame is not None:
                found = self._frame.iloc[:, index].str.strip()
            else:
                cells = [row[index].strip() if index < len(row) else "" for row in self.rows]
                found = pd.Series(cells, dtype="str")
            self._series[index] = found.reset_index(drop=True)
        return self._series[index]

    def column(self, name: str) -> list[str]:
        """Every row's stripped cell of canonical column ``name`` ('' when absent)."""
        return self.series(name).tolist()

    def numbers(self, name: str) -> np.ndarray:
        """:func:`parse_numbers` of column ``name``, computed once."""
        index = self.columns.get(name, -1)
        if index not in self._numbers:
            self._numbers[index] = parse_numbers(self.series(name))
        return self._numbers[index]

    def source_header(self, name: str) -> str:
        """The header as written in the file, for messages."""
        index = self.columns.get(name)
        return self.header[index] if index is not None else name


def decode(data: bytes) -> str:
    """Decode UTF-16 with its BOM, UTF-8 (BOM dropped) or, failing that, Windows-1252."""
    if data.startswith(UTF16_BOMS):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def sniff_delimiter(text: str) -> str:
    """The delimiter among ``; , TAB`` that splits the header into the most fields.

    Only the header's first :data:`SNIFF_CHARS` characters are looked at.
    """
    header = re.match(r"[^\r\n]*", text[:SNIFF_CHARS]).group()
    try:
        counts = {d: len(next(csv.reader([header], delimiter=d), [])) for d in DELIMITERS}
    except csv.Error:  # a field longer than the csv module's limit: count plainly
        counts = {d: header.count(d) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: (counts[d], -DELIMITERS.index(d)))


def read_rows(data: bytes, file_name: str = "", limits: Limits | None = None) -> list[list[str]]:
    """All non-blank rows of a delimited file, header first, as lists of strings."""
    records = _csv_records(data, file_name, limits or settings.limits())
    return [row for _number, row in records if any(cell.strip() for cell in row)]


def _csv_records(
    data: bytes, file_name: str, limits: Limits, titled: bool = False
) -> list[tuple[int, list[str]]]:
    """Every record with its number, refused as soon as it passes a limit. With ``titled``
    the delimiter is the one most of the first ten lines choose, not a title line's."""
    text = decode(data)
    delimiter = sniff_delimiter(text)
    if titled:
        lines = [line for line in text[:SNIFF_CHARS].splitlines() if line.strip()][:10]
        votes = [sniff_delimiter(line) for line in lines]
        delimiter = max(DELIMITERS, key=lambda d: (votes.count(d), -DELIMITERS.index(d)))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    csv.field_size_limit(limits.max_cell_chars)
    records: list[tuple[int, list[str]]] = []
    cells = 0
    try:
        for number, row in enumerate(reader, start=1):
            cells += len(row)
            if len(row) > limits.max_columns or number > limits.max_rows:
                raise _size_refusal(file_name, limits, number, len(row))
            if cells > limits.max_cells:
                raise filecheck.limit_refusal(
                    "err.table_cells", "max_cells", "", limits, file=file_name
                )
            records.append((number, row))
    except csv.Error as err:
        row = len(records) + 1
        if "field larger" in str(err):
            raise filecheck.limit_refusal(
                "err.cell_too_long", "max_cell_chars", "", limits, file=file_name, row=row
            ) from None
        raise TryggError(t("err.csv_broken", file=file_name, row=row, reason=err)) from None
    return records


def _size_refusal(file_name: str, limits: Limits, number: int, width: int) -> TryggError:
    if width > limits.max_columns:
        return filecheck.limit_refusal(
            "err.table_columns",
            "max_columns",
            filecheck.number(width),
            limits,
            file=file_name,
            row=number,
        )
    return filecheck.limit_refusal("err.table_rows", "max_rows", "", limits, file=file_name)


def looks_binary(data: bytes) -> bool:
    """True for bytes that are no text table: NUL bytes or many control characters."""
    sample = data[:4096]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 13))
    return controls > len(sample) * 0.05


def read_table(
    path: str | Path, data: bytes | None = None, limits: Limits | None = None, titled=False
) -> Table:
    """Read the first sheet of a CSV, Excel or ODS file, within ``limits``.

    Blank rows are skipped but keep their place in the numbering, so a row number is what
    a spreadsheet program shows (header = row 1). With ``titled``, rows of one cell above
    the header are titles (``Table.titles``), as in BRÅ's and NTU's tables ("Tabell P3, 13
    Hallands län … december 2010"): the header is the first row of two cells or more.

    Raises
    ------
    TryggError
        When the file is empty, unreadable, too large for a limit (named in the message),
        or has a header but no data rows.
    """
    path = Path(path)
    limits = limits or settings.limits()
    data = filecheck.read_bounded(path, limits) if data is None else data
    filecheck.check_bytes(len(data), path.name, limits)
    if not data.strip():
        raise TryggError(t("err.table_empty", file=path.name))
    if suffix(path) in SPREADSHEET_SUFFIXES:
        records = _spreadsheet_records(data, path.name, limits)
    else:
        if looks_binary(data) and not data.startswith(UTF16_BOMS):
            raise _binary_refusal(data, path)
        fast = None if titled else _csv_frame(data, limits)
        if fast is not None:
            return _frame_table(path.name, *fast)
        records = _csv_records(data, path.name, limits, titled)
    records = [(n, row) for n, row in records if any(cell.strip() for cell in row)]
    if not records:
        raise TryggError(t("err.table_empty", file=path.name))
    cells = [[cell.strip() for cell in row if cell.strip()] for _n, row in records]
    first = next((i for i, filled in enumerate(cells) if len(filled) > 1), 0) if titled else 0
    titles = [" ".join(filled) for filled in cells[:first]]
    (_header_number, header), body = records[first], records[first + 1 :]
    if not body:
        raise TryggError(t("err.table_no_rows", file=path.name))
    width = len(header)
    return Table(
        file_name=path.name,
        header=[cell.strip() for cell in header],
        rows=[row + [""] * (width - len(row)) for _n, row in body],
        row_numbers=[n for n, _row in body],
        titles=titles,
    )


#: Characters that send a CSV to the ``csv`` module: NUL, and the separators Python's
#: ``str.strip`` treats as white space but Arrow's does not.
NOT_PLAIN = ("\x00", "\x1c", "\x1d", "\x1e", "\x1f")


def _csv_frame(data: bytes, limits: Limits) -> tuple[pd.DataFrame, np.ndarray] | None:
    """A CSV read column-wise by pandas' C parser (which quotes as the ``csv`` module
    does): every record as strings, with its number. None when the file needs the
    ``csv`` module's reading: NULs or lone carriage returns, a quote pandas cannot
    parse, ragged rows, or near a limit (the ``csv`` path's refusal names the row).
    """
    text = decode(data)
    if any(mark in text for mark in NOT_PLAIN) or text.count("\r") != text.count("\r\n"):
        return None
    delimiter = sniff_delimiter(text)
    lines = text.count("\n") + 1  # at least the records: checked before pandas holds them
    width = text[:SNIFF_CHARS].split("\n", 1)[0].count(delimiter) + 1
    if lines > limits.max_rows or width > limits.max_columns or lines * width > limits.max_cells:
        return None
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            dtype="str",
            keep_default_na=False,
            skip_blank_lines=False,
            engine="c",
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError):
        return None
    height, width = frame.shape
    longest = max((int(frame[c].str.len().max() or 0) for c in frame.columns), default=0)
    if (
        height > limits.max_rows
        or width > limits.max_columns
        or height * width > limits.max_cells
        or longest > limits.max_cell_chars
    ):
        return None
    numbers = np.arange(1, height + 1)
    filled = np.zeros(height, dtype=bool)
    for column in frame.columns:
        filled |= (frame[column].str.strip() != "").to_numpy(dtype=bool)
    if filled.all():
        return frame, numbers
    return frame.iloc[filled].reset_index(drop=True), numbers[filled]


def _frame_table(file_name: str, frame: pd.DataFrame, numbers: np.ndarray) -> Table:
    """The table of a column-wise read: the first filled record is the header."""
    if len(frame) == 0:
        raise TryggError(t("err.table_empty", file=file_name))
    if len(frame) == 1:
        raise TryggError(t("err.table_no_rows", file=file_name))
    header = [cell.strip() for cell in frame.iloc[0].tolist()]
    body = frame.iloc[1:].reset_index(drop=True)
    return Table.from_frame(file_name, header, body, numbers[1:].tolist())


#: What a file that is no text table looks like, by its first bytes.
MAGIC_KINDS = (
    (b"PK\x03\x04", "kind.zip"),
    (b"\xd0\xcf\x11\xe0", "kind.xls"),
    (b"SQLite format 3\x00", "kind.sqlite"),
    (b"%PDF", "kind.pdf"),
)


def _binary_refusal(data: bytes, path: Path) -> TryggError:
    """A binary file named like a CSV: say what it looks like, if that is known."""
    for magic, kind in MAGIC_KINDS:
        if data.startswith(magic):
            return TryggError(
                t("err.table_wrong_kind", file=path.name, kind=t(kind), suffix=path.suffix)
            )
    return TryggError(t("err.table_unreadable", file=path.name))


def _spreadsheet_records(
    data: bytes, file_name: str, limits: Limits
) -> list[tuple[int, list[str]]]:
    """The first sheet's rows, read by calamine in a child process (see :mod:`trygg.sandbox`)."""
    filecheck.check_spreadsheet(data, file_name, limits)
    answer = sandbox.run_reader("sheet", file_name, limits, data)
    if "ok" in answer:
        return [(number, sandbox.sheet_row(row)) for number, row in answer["ok"]]
    if answer.get("error") == "extent":
        limit = answer["limit"]
        what = {"max_rows": "word.rows", "max_columns": "word.columns"}.get(limit, "word.cells")
        raise filecheck.limit_refusal(
            "err.sheet_extent_read",
            limit,
            filecheck.number(answer["found"]),
            limits,
            file=file_name,
            what=t(what),
        )
    raise TryggError(t("err.table_unreadable", file=file_name))


def parse_number(text: str) -> float | None:
    """A number with decimal comma or point and optional space thousands separators.

    Returns None when ``text`` is not a finite number.

    Examples
    --------
    >>> parse_number("1 234,5")
    1234.5
    """
    cleaned = "".join(text.split()).replace(",", ".")  # every space, as parse_numbers
    try:
        value = float(cleaned)
    except ValueError:
        return None
    if "_" in cleaned or not math.isfinite(value):
        return None
    return value


#: White space as Python's ``str.isspace`` knows it, in Arrow's (RE2) syntax.
_SPACE = r"[\t\n\v\f\r\x{1c}-\x{1f}\x{85}\pZ]"
_NUMBER = r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$"


def parse_numbers(texts: list[str] | pd.Series) -> np.ndarray:
    """Vectorised :func:`parse_number` (through Arrow): NaN where a text is not a finite
    number."""
    cells = pa.array(pd.Series(texts, dtype="str"))
    if len(cells) == 0:
        return np.array([], dtype=float)
    if pc.any(pc.match_substring_regex(cells, _SPACE)).as_py():
        cells = pc.replace_substring_regex(cells, _SPACE, "")
    if pc.any(pc.match_substring(cells, ",")).as_py():
        cells = pc.replace_substring(cells, ",", ".")
    valid = pc.fill_null(pc.match_substring_regex(cells, _NUMBER), False)
    numbers = pc.cast(pc.if_else(valid, cells, None), pa.float64())
    values = np.asarray(numbers.to_numpy(zero_copy_only=False), dtype=float)
    return np.where(np.isfinite(values), values, np.nan)
