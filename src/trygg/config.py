"""Where the database lives: ``--db`` beats ``TRYGG_DB`` beats ``data/trygg.sqlite``."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DB_PATH = Path("data") / "trygg.sqlite"
DB_ENV_VAR = "TRYGG_DB"


def database_url(db: str | os.PathLike | None = None) -> str:
    """Return an SQLAlchemy URL for a path or URL, falling back to env and default.

    Examples
    --------
    >>> database_url("postgresql+psycopg://u@h/trygg")
    'postgresql+psycopg://u@h/trygg'
    """
    value = str(db) if db else os.environ.get(DB_ENV_VAR) or str(DEFAULT_DB_PATH)
    if "://" in value:
        return value
    path = Path(value).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"
