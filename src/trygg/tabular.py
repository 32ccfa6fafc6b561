"""Reading delimited text the way Swedish offices write it.

UTF-8 (with or without BOM) or Windows-1252, comma, semicolon or tab, CRLF or LF.
"""

from __future__ import annotations

import csv
import io

DELIMITERS = (";", ",", "\t")


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
    """All rows of a delimited file, header first, as lists of strings."""
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    return [row for row in reader if any(cell.strip() for cell in row)]
