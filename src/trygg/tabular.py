"""Reading tables the way Swedish offices write them, and naming their columns.

CSV in UTF-8 (with or without BOM) or Windows-1252, with ``;``, ``,`` or tab, CRLF or LF,
decimal commas; Excel (.xlsx, .xlsm, .xls) and OpenDocument (.ods) through
python-calamine. Headers are matched ignoring case, surrounding whitespace and å/ä/ö;
spaces and hyphens count as underscores. The survey and incident importers and the
upload page all go through :func:`canonical_columns`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from python_calamine import CalamineWorkbook

from trygg.errors import TryggError
from trygg.strings import t

DELIMITERS = (";", ",", "\t")
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}

#: Built-in header synonyms shared by every importer: normalised header → canonical name.
SYNONYMS: dict[str, str] = {
    "omrade": "plats",
    "delomrade": "plats",
    "plats_namn": "plats",
    "platsnamn": "plats",
    "weight": "vikt",
    "year": "ar",
    "latitud": "lat",
    "latitude": "lat",
    "lng": "lon",
    "longitud": "lon",
    "longitude": "lon",
    "easting": "x",
    "e": "x",
    "northing": "y",
    "n": "y",
}


@dataclass
class Table:
    """A read table: the header and the data rows with their spreadsheet row numbers."""

    file_name: str
    header: list[str]
    rows: list[list[str]]
    row_numbers: list[int]
    columns: dict[str, int] = field(default_factory=dict)

    def value(self, row: list[str], name: str) -> str:
        """The cell of canonical column ``name`` in ``row`` ('' when absent)."""
        index = self.columns.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    def column(self, name: str) -> list[str]:
        """Every row's stripped cell of canonical column ``name`` ('' when absent)."""
        index = self.columns.get(name)
        if index is None:
            return [""] * len(self.rows)
        return [row[index].strip() for row in self.rows]

    def source_header(self, name: str) -> str:
        """The header as written in the file, for messages."""
        index = self.columns.get(name)
        return self.header[index] if index is not None else name


def decode(data: bytes) -> str:
    """Decode UTF-8 (BOM dropped) or, failing that, Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def sniff_delimiter(text: str) -> str:
    """The delimiter among ``; , TAB`` that splits the header into the most fields."""
    header = next(iter(text.splitlines()), "")
    counts = {d: len(next(csv.reader([header], delimiter=d), [])) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: (counts[d], -DELIMITERS.index(d)))


def read_rows(data: bytes) -> list[list[str]]:
    """All non-blank rows of a delimited file, header first, as lists of strings."""
    return [row for _number, row in _csv_records(data) if any(cell.strip() for cell in row)]


def _csv_records(data: bytes) -> list[tuple[int, list[str]]]:
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    return [(number, row) for number, row in enumerate(reader, start=1)]


def looks_binary(data: bytes) -> bool:
    """True for bytes that are no text table: NUL bytes or many control characters."""
    sample = data[:4096]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 13))
    return controls > len(sample) * 0.05


def read_table(path: str | Path, data: bytes | None = None) -> Table:
    """Read the first sheet of a CSV, Excel or ODS file.

    Blank rows are skipped but keep their place in the numbering, so a row number is what
    a spreadsheet program shows (header = row 1).

    Raises
    ------
    TryggError
        When the file is empty, unreadable, or has a header but no data rows.
    """
    path = Path(path)
    data = path.read_bytes() if data is None else data
    if not data.strip():
        raise TryggError(t("err.table_empty", file=path.name))
    if path.suffix.casefold() in SPREADSHEET_SUFFIXES:
        records = _spreadsheet_records(data, path.name)
    else:
        if looks_binary(data):
            raise TryggError(t("err.table_unreadable", file=path.name))
        records = _csv_records(data)
    records = [(n, row) for n, row in records if any(cell.strip() for cell in row)]
    if not records:
        raise TryggError(t("err.table_empty", file=path.name))
    (_header_number, header), body = records[0], records[1:]
    if not body:
        raise TryggError(t("err.table_no_rows", file=path.name))
    width = len(header)
    return Table(
        file_name=path.name,
        header=[cell.strip() for cell in header],
        rows=[row + [""] * (width - len(row)) for _n, row in body],
        row_numbers=[n for n, _row in body],
    )


def _spreadsheet_records(data: bytes, file_name: str) -> list[tuple[int, list[str]]]:
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        values = sheet.to_python(skip_empty_area=False)
    except Exception:  # calamine raises its own error types for every kind of bad file
        raise TryggError(t("err.table_unreadable", file=file_name)) from None
    return [(n, [cell_text(v) for v in row]) for n, row in enumerate(values, start=1)]


def cell_text(value) -> str:
    """A spreadsheet cell as the text a CSV export would hold (3.0 → '3')."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def normalise_header(header: str) -> str:
    """``" Trygg kväll "`` → ``trygg_kvall``; ``"Område"`` → ``omrade``.

    Examples
    --------
    >>> normalise_header("Respondent-ID")
    'respondent_id'
    """
    folded = header.strip().casefold()
    folded = folded.replace("å", "a").replace("ä", "a").replace("ö", "o")
    return re.sub(r"[\s\-]+", "_", folded)


def canonical_columns(
    header: list[str], mapping: dict[str, str] | None = None, synonyms: dict | None = None
) -> dict[str, int]:
    """Map canonical column names to their index in ``header``.

    ``mapping`` (canonical name → header as written) wins over the built-in synonyms;
    ``synonyms`` adds importer-specific ones on top of :data:`SYNONYMS`.
    """
    table = {**SYNONYMS, **(synonyms or {})}
    by_normalised = {normalise_header(h): i for i, h in reversed(list(enumerate(header)))}
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        key = normalise_header(name)
        canonical = table.get(key, key)
        if key and canonical not in columns:
            columns[canonical] = index
    for canonical, written in column_mapping(mapping or {}).items():
        index = by_normalised.get(normalise_header(str(written)))
        if index is None:
            raise TryggError(
                t(
                    "err.mapping_header_missing",
                    header=written,
                    canonical=canonical,
                    headers=", ".join(header),
                )
            )
        columns = {k: v for k, v in columns.items() if v != index}
        columns[normalise_header(canonical)] = index
    return columns


def read_mapping(path: str | Path | None) -> dict:
    """A mapping file (JSON or YAML): canonical column name → header in the data file.

    An incident mapping may also hold ``kategorier``: source category → canonical one.
    """
    if path is None:
        return {}
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
        mapping = json.loads(text) if path.suffix.casefold() == ".json" else yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError) as err:
        raise TryggError(t("err.mapping_unreadable", file=path.name, reason=err)) from None
    if not isinstance(mapping, dict) or not all(
        isinstance(k, str) and (isinstance(v, str) or (k in NESTED_MAPPINGS and _str_dict(v)))
        for k, v in mapping.items()
    ):
        raise TryggError(
            t("err.mapping_unreadable", file=path.name, reason="ska vara namn: rubrik-par")
        )
    return mapping


NESTED_MAPPINGS = {"kategorier", "categories"}


def _str_dict(value) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    )


def column_mapping(mapping: dict) -> dict[str, str]:
    """Only the column part of a mapping (canonical name → header)."""
    return {k: v for k, v in mapping.items() if isinstance(v, str)}


def parse_number(text: str) -> float | None:
    """A number with decimal comma or point and optional space thousands separators.

    Returns None when ``text`` is not a finite number.

    Examples
    --------
    >>> parse_number("1 234,5")
    1234.5
    """
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    if "_" in cleaned or not math.isfinite(value):
        return None
    return value


def parse_numbers(texts: list[str]) -> np.ndarray:
    """Vectorised :func:`parse_number`: NaN where a text is not a finite number."""
    series = pd.Series(texts, dtype="string")
    cleaned = series.str.replace(r"[\s\u00a0]", "", regex=True).str.replace(",", ".")
    valid = cleaned.str.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?").fillna(False)
    numbers = pd.to_numeric(cleaned.where(valid), errors="coerce").to_numpy(dtype=float)
    return np.where(np.isfinite(numbers), numbers, np.nan)
