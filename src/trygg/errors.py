"""Errors meant for people: a Swedish sentence, never a traceback."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from trygg.strings import t


class TryggError(Exception):
    """A refusal that the user can act on. ``str(err)`` is the whole message."""


@dataclass(frozen=True)
class RowError:
    """One rejected row of an input file.

    ``row`` is the spreadsheet row number: the header is row 1, the first data row is 2.
    """

    row: int
    column: str
    value: str
    message: str

    def as_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        return t(
            "row.line", row=self.row, column=self.column, value=self.value, message=self.message
        )
