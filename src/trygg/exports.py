"""Files a person opens in a spreadsheet: CSV and XLSX cells that never run as formulas.

Excel, LibreOffice and Google Sheets read a cell that begins with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return as a formula, so a place named
``=HYPERLINK("http://x","y")`` would become a live link in an exported file. Every CSV
and XLSX the product writes goes through :func:`safe_cell`, which puts a single quote
in front of such text (the OWASP advice for "CSV injection"). Numbers stay numbers: an
``int`` or ``float`` is written as a number, and text that is a plain number such as
``-1.5`` is left alone (a spreadsheet reads it as that number, never as a formula).

:func:`restore_cell` undoes the quote when a file the product wrote is read back, so
the medborgarlöfte CSV round trip gives back exactly the text that was exported.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from numbers import Number
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

#: First characters that make a spreadsheet read a cell as a formula.
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
_NEEDS_QUOTE = re.compile(r"'*[=+\-@\t\r]")
_RESTORABLE = re.compile(r"'+[=+\-@\t\r]")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def safe_cell(value):
    """Return ``value`` as a spreadsheet cannot run it: numbers as they are, text quoted.

    Text beginning with ``=``, ``+``, ``-``, ``@``, tab or CR gets a leading ``'``.
    Text that already begins with quotes before such a character gets one more, so
    :func:`restore_cell` can always give the original back.

    Parameters
    ----------
    value : object
        A cell: None, a number, a date or anything else (written as its ``str``).

    Returns
    -------
    object
        None, the number or date unchanged, or a string that is safe to write.

    Examples
    --------
    >>> safe_cell('=HYPERLINK("http://x","y")')
    '\\'=HYPERLINK("http://x","y")'
    >>> safe_cell("-1+1"), safe_cell("-1.5"), safe_cell(-1.5), safe_cell("Stadsparken")
    ("'-1+1", '-1.5', -1.5, 'Stadsparken')
    >>> safe_cell("'=1")
    "''=1"
    """
    if value is None or (isinstance(value, Number) and not isinstance(value, bool)):
        return value
    if hasattr(value, "isoformat"):
        return value
    text = str(value)
    if _NEEDS_QUOTE.match(text) and not _PLAIN_NUMBER.fullmatch(text):
        return QUOTE + text
    return text


def restore_cell(text: str) -> str:
    """Undo :func:`safe_cell` on a cell read back from a file: drop the added quote.

    Only a quote in front of a formula character (after any further quotes) is removed,
    so other text that begins with ``'`` is kept as it is.

    Examples
    --------
    >>> restore_cell("'=1"), restore_cell("''=1"), restore_cell("'ok"), restore_cell("-1")
    ('=1', "'=1", "'ok", '-1')
    """
    return text[1:] if _RESTORABLE.match(text) else text


def write_csv(
    handle: IO[str],
    header: Sequence[str],
    rows: Iterable[Sequence],
    *,
    delimiter: str = ",",
    lineterminator: str = "\n",
    float_format: str | None = None,
) -> None:
    """Write a header and rows as CSV to a text ``handle``, every cell through
    :func:`safe_cell`.

    Parameters
    ----------
    handle : text file
        Where to write (a file opened with ``newline=""``, or ``io.StringIO``).
    header : sequence of str
        The first row.
    rows : iterable of sequences
        The data rows; None becomes an empty cell.
    delimiter, lineterminator : str
        As for :func:`csv.writer`.
    float_format : str, optional
        A format spec for floats, e.g. ``".6f"``; without it ``repr`` is used.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> write_csv(out, ["plats", "andel"], [["=1+1", 0.25]], float_format=".3f")
    >>> out.getvalue()
    "plats,andel\\n'=1+1,0.250\\n"
    """
    handle.write(_csv_line([safe_cell(name) for name in header], delimiter, lineterminator))
    for row in rows:
        cells = [_csv_cell(value, float_format) for value in row]
        handle.write(_csv_line(cells, delimiter, lineterminator))


def _csv_line(cells: list, delimiter: str, lineterminator: str) -> str:
    """One CSV line. ``csv`` quotes a field only for the characters of its own line end,
    so a lone CR in a ``"\n"`` file would start a new row; writing with ``"\r\n"`` and
    swapping the ending quotes every field that holds a CR or an LF."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerow(cells)
    return buffer.getvalue()[:-2] + lineterminator


def _csv_cell(value, float_format: str | None):
    value = safe_cell(value)
    if float_format is not None and isinstance(value, float):
        return format(value, float_format)
    return value


def write_xlsx(
    handle: IO[bytes], header: Sequence[str], rows: Iterable[Sequence], *, sheet: str = "Blad1"
) -> None:
    """Write a header and rows as a one-sheet XLSX workbook to a binary ``handle``.

    Every cell goes through :func:`safe_cell`; text is stored as text (never as a
    formula) and numbers as numbers, so a numeric column can be summed in Excel.

    Parameters
    ----------
    handle : binary file
        Where to write (a file opened with ``"wb"``, or ``io.BytesIO``).
    header : sequence of str
        The first row.
    rows : iterable of sequences
        The data rows; None becomes an empty cell.
    sheet : str
        The sheet's name.
    """
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    worksheet.append([_xlsx_cell(worksheet, name) for name in header])
    for row in rows:
        worksheet.append([_xlsx_cell(worksheet, value) for value in row])
    workbook.save(handle)


def _xlsx_cell(worksheet, value) -> WriteOnlyCell:
    cell = WriteOnlyCell(worksheet, value=safe_cell(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell
