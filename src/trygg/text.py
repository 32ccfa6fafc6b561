"""How names are compared and lists are split: one normaliser for the whole program.

Place names, aliases, areas, answers, categories, parties and file endings are all
compared folded: case ignored and runs of white space made one space. Column headers
go one step further (:func:`fold_header`): å/ä/ö become a/a/o and spaces or hyphens
an underscore, so "Trygg kväll" and "trygg_kvall" are the same column.

Examples
--------
>>> fold("  Laholms   Centrum ")
'laholms centrum'
>>> fold_header("Respondent-ID")
'respondent_id'
>>> split_list("Glänninge; Centrala Laholm ;")
['Glänninge', 'Centrala Laholm']
>>> suffix("Enkät.XLSX")
'.xlsx'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import PurePath

LIST_SEPARATOR = ";"
_HEADER_SPACES = re.compile(r"[\s\-]+")
_HEADER_LETTERS = str.maketrans({"å": "a", "ä": "a", "ö": "o"})


def fold(text) -> str:
    """``text`` (any value) folded for comparison: case ignored, white space collapsed."""
    return " ".join(str(text).split()).casefold()


def fold_accents(text) -> str:
    """``text`` folded like :func:`fold`, and with accents and dots dropped (å → a, é → e),
    for a link typed without them.

    Examples
    --------
    >>> fold_accents("Glänningeområdet"), fold_accents("Café  Ängen")
    ('glanningeomradet', 'cafe angen')
    """
    decomposed = unicodedata.normalize("NFKD", fold(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_header(header: str) -> str:
    """A column header folded to its canonical spelling: ``" Trygg kväll "`` → ``trygg_kvall``."""
    folded = str(header).strip().casefold().translate(_HEADER_LETTERS)
    return _HEADER_SPACES.sub("_", folded)


def suffix(path) -> str:
    """A file's ending, folded (``.xlsx`` for ``Enkät.XLSX``); works for zip member names."""
    return PurePath(str(path)).suffix.casefold()


def split_list(value, separator: str = LIST_SEPARATOR) -> list[str]:
    """A ``;``-separated field, or a list, as its non-empty stripped items.

    None, NaN and other missing values give an empty list.
    """
    if value is None or (isinstance(value, float) and value != value):
        return []
    if isinstance(value, str):
        items: Iterable = value.split(separator)
    else:
        items = value if isinstance(value, Iterable) else [value]
    return [str(item).strip() for item in items if str(item).strip()]
