"""Reading tables the way Swedish offices write them, and naming their columns.

CSV in UTF-8 (with or without BOM) or Windows-1252, with ``;``, ``,`` or tab, CRLF or LF,
decimal commas; Excel (.xlsx, .xlsm, .xls) and OpenDocument (.ods) through
python-calamine, in a child process with capped memory and time (:mod:`trygg.sandbox`).
Every read is bounded by :func:`trygg.settings.limits`: bytes, rows, columns, cells and
characters per cell. Headers are matched ignoring case, surrounding whitespace and
å/ä/ö; spaces and hyphens count as underscores. The survey and incident importers and
the upload page all go through :func:`canonical_columns`.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from trygg import filecheck, sandbox, settings
from trygg.errors import TryggError
from trygg.sandbox import cell_text as cell_text
from trygg.settings import Limits
from trygg.strings import t
from trygg.text import fold_header, suffix

DELIMITERS = (";", ",", "\t")
SNIFF_CHARS = 65_536
#: Excel's "Unicode text" is UTF-16 with a byte-order mark.
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
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
    #: Title lines above the header (``read_table(titled=True)``), e.g. a table's name.
    titles: list[str] = field(default_factory=list)

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


class ColumnNames(dict):
    """An importer's header synonyms (folded header → canonical name) and the mapping keys
    it accepts, written as the README names them (``område``, ``brottstyp``, ``antal`` …)."""

    def __init__(self, synonyms: dict[str, str], accepted: tuple[str, ...]):
        super().__init__(synonyms)
        self.accepted = accepted


def canonical_columns(
    header: list[str], mapping: dict[str, str] | None = None, synonyms: dict | None = None
) -> dict[str, int]:
    """Map canonical column names to their index in ``header``.

    ``mapping`` (column name → header as written) wins over the built-in synonyms;
    ``synonyms`` adds importer-specific ones on top of :data:`SYNONYMS`. A mapping key is
    folded and read through the same synonyms, so ``område``, ``Per 100 000`` and the
    internal ``plats``, ``per_100k`` all work. With importer ``synonyms`` a key that names
    no column of that importer is refused, listing the accepted keys.
    """
    table = {**SYNONYMS, **(synonyms or {})}
    by_normalised = {fold_header(h): i for i, h in reversed(list(enumerate(header)))}
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        key = fold_header(name)
        canonical = table.get(key, key)
        if key and canonical not in columns:
            columns[canonical] = index
    for key, written in column_mapping(mapping or {}).items():
        canonical = mapping_key(key, table, synonyms)
        index = by_normalised.get(fold_header(str(written)))
        if index is None:
            raise TryggError(
                t(
                    "err.mapping_header_missing",
                    header=written,
                    canonical=key,
                    headers=", ".join(header),
                )
            )
        columns = {k: v for k, v in columns.items() if v != index}
        columns[canonical] = index
    return columns


def mapping_key(key: str, table: dict[str, str], synonyms: dict | None) -> str:
    """The canonical column a mapping key names; refused when the importer has none such."""
    folded = fold_header(key)
    canonical = table.get(folded, folded)
    if synonyms is None:
        return canonical
    if isinstance(synonyms, ColumnNames):
        listed = list(synonyms.accepted)
        known = {table.get(fold_header(name), fold_header(name)) for name in listed}
    else:
        known = set(table.values())
        listed = sorted(known)
    if canonical not in known:
        raise TryggError(t("err.mapping_key_unknown", name=key, accepted=", ".join(listed)))
    return canonical


def read_mapping(path: str | Path | None) -> dict:
    """A mapping file (JSON or YAML): canonical column name → header in the data file.

    An incident mapping may also hold ``kategorier``: source category → canonical one.
    """
    if path is None:
        return {}
    path = Path(path)
    data = filecheck.read_bounded(path, limit="max_document_bytes")
    try:
        text = data.decode("utf-8-sig")
        mapping = json.loads(text) if suffix(path) == ".json" else load_yaml(text, path.name)
    except (ValueError, RecursionError) as err:
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


def load_yaml(text: str, file_name: str, limits: Limits | None = None):
    """``yaml.safe_load`` for files from users: no aliases, at most ``max_nesting`` levels.

    The events are scanned first, without building anything, so a billion-laughs file
    (aliases of aliases) or a thousand nested lists is refused before it can grow.

    Raises
    ------
    TryggError
        Naming the line of the alias, the nesting or the syntax error.
    """
    limits = limits or settings.limits()
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            line = event.start_mark.line + 1 if event.start_mark else 0
            if isinstance(event, yaml.AliasEvent):
                raise TryggError(t("err.yaml_alias", file=file_name, line=line))
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > limits.max_nesting:
                    raise filecheck.limit_refusal(
                        "err.nesting", "max_nesting", "", limits, file=file_name, line=line
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        return yaml.load(text, Loader=UserYamlLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        reason = getattr(err, "problem", None) or type(err).__name__
        raise TryggError(
            t("err.yaml_unreadable", file=file_name, line=line, reason=reason)
        ) from None


class UserYamlLoader(yaml.CSafeLoader):
    """The safe loader; a bad date or number is a YAML error at its line, not a ValueError."""


def _marked(construct):
    def constructor(loader, node):
        try:
            return construct(loader, node)
        except (ValueError, OverflowError):
            raise yaml.constructor.ConstructorError(
                None, None, t("err.yaml_value", value=node.value[:40]), node.start_mark
            ) from None

    return constructor


for _tag, _construct in (
    ("tag:yaml.org,2002:timestamp", yaml.constructor.SafeConstructor.construct_yaml_timestamp),
    ("tag:yaml.org,2002:int", yaml.constructor.SafeConstructor.construct_yaml_int),
    ("tag:yaml.org,2002:float", yaml.constructor.SafeConstructor.construct_yaml_float),
):
    UserYamlLoader.add_constructor(_tag, _marked(_construct))


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
