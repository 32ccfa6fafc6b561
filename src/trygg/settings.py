"""Every setting the program takes from its environment, with its default.

This is the only module that reads ``os.environ``. Everything else asks here, so a
reader finds each knob, its variable and its default in one page.

Examples
--------
>>> limits({"TRYGG_MAX_FILE_MB": "5"}).max_file_bytes
5242880
>>> limits({}).max_rows
2000000
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DB_ENV_VAR = "TRYGG_DB"
DEFAULT_DB_PATH = Path("data") / "trygg.sqlite"
TILES_ENV_VAR = "TRYGG_TILES"
TILES_ATTR_ENV_VAR = "TRYGG_TILES_ATTR"
DEMO_DIR_ENV_VAR = "TRYGG_DEMO_DIR"
DEBUG_ENV_VAR = "TRYGG_DEBUG"
#: Who a command-line write is recorded as (the CLI is the local administrator's tool).
CLI_USER_ENV_VAR = "TRYGG_USER"
CLI_USER_DEFAULT = "kommandoraden"


def _environ(environ: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if environ is None else environ


def database_setting(environ: Mapping[str, str] | None = None) -> str:
    """The database named by ``TRYGG_DB``, or the default file ``data/trygg.sqlite``."""
    return _environ(environ).get(DB_ENV_VAR) or str(DEFAULT_DB_PATH)


def database_url(db: str | os.PathLike | None = None) -> str:
    """Return an SQLAlchemy URL for a path or URL, falling back to env and default.

    Examples
    --------
    >>> database_url("postgresql+psycopg://u@h/trygg")
    'postgresql+psycopg://u@h/trygg'
    """
    value = str(db) if db else database_setting()
    if "://" in value:
        return value
    path = Path(value).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def tiles_setting(environ: Mapping[str, str] | None = None) -> tuple[str, str | None]:
    """``TRYGG_TILES`` (default ``auto``) and ``TRYGG_TILES_ATTR`` (or None)."""
    env = _environ(environ)
    return env.get(TILES_ENV_VAR, "").strip() or "auto", env.get(TILES_ATTR_ENV_VAR) or None


def demo_dir_setting(environ: Mapping[str, str] | None = None) -> Path | None:
    """``TRYGG_DEMO_DIR``: a checkout holding ``geodata/`` and ``surveys/``, if set."""
    value = _environ(environ).get(DEMO_DIR_ENV_VAR)
    return Path(value) if value else None


def debug(environ: Mapping[str, str] | None = None) -> bool:
    """``TRYGG_DEBUG``: let an unexpected error show its traceback (developers only)."""
    return bool(_environ(environ).get(DEBUG_ENV_VAR))


#: What a reader process (:mod:`trygg.sandbox`) gets on top of ours: one thread for
#: numerical libraries (their thread pools would otherwise reserve address space per
#: core) and no PROJ grid downloads.
READER_ENV = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "GDAL_NUM_THREADS": "1",
    "PROJ_NETWORK": "OFF",
}


def reader_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment a reader process runs with: ours plus :data:`READER_ENV`."""
    return {**_environ(environ), **READER_ENV}


def cli_user(environ: Mapping[str, str] | None = None) -> str:
    """Who a write from the command line is recorded as: ``TRYGG_USER`` or "kommandoraden"."""
    return (_environ(environ).get(CLI_USER_ENV_VAR) or "").strip() or CLI_USER_DEFAULT


@dataclass(frozen=True)
class Limits:
    """How big a file may be before it is refused, and how long reading it may take.

    Every import checks these before (and while) reading, and a refusal names the
    limit. Each can be changed with the environment variable in its comment.
    """

    max_file_bytes: int = 200 * 1024 * 1024  # TRYGG_MAX_FILE_MB
    max_rows: int = 2_000_000  # TRYGG_MAX_ROWS
    max_columns: int = 1_000  # TRYGG_MAX_COLUMNS
    #: A table's rows × columns (a spreadsheet's declared extent counts from A1).
    max_cells: int = 10_000_000  # TRYGG_MAX_CELLS
    #: Characters in one cell.
    max_cell_chars: int = 131_072  # TRYGG_MAX_CELL_CHARS
    #: The unpacked size of a zip (also .xlsx and .ods, which are zips).
    max_unzipped_bytes: int = 1024 * 1024 * 1024  # TRYGG_MAX_UNZIPPED_MB
    #: How many times larger than packed a zip member over 1 MiB may unpack (zip bomb).
    max_zip_ratio: int = 100  # TRYGG_MAX_ZIP_RATIO
    #: Levels of nesting in a YAML or JSON file.
    max_nesting: int = 50  # TRYGG_MAX_NESTING
    #: A commitments file (YAML or CSV) or a mapping file.
    max_document_bytes: int = 5 * 1024 * 1024  # TRYGG_MAX_DOCUMENT_MB
    #: Coordinates in one place layer.
    max_vertices: int = 2_000_000  # TRYGG_MAX_VERTICES
    #: Seconds a spreadsheet or layer reader may run.
    read_timeout_s: int = 40  # TRYGG_READ_TIMEOUT_S
    #: Memory a spreadsheet or layer reader may use (it runs in its own process).
    reader_memory_bytes: int = 1024 * 1024 * 1024  # TRYGG_READER_MEMORY_MB
    #: Seconds an import waits for another import's write lock before giving up.
    lock_timeout_s: int = 120  # TRYGG_LOCK_TIMEOUT_S


LIMIT_ENV = {
    "max_file_bytes": ("TRYGG_MAX_FILE_MB", 1024 * 1024),
    "max_rows": ("TRYGG_MAX_ROWS", 1),
    "max_columns": ("TRYGG_MAX_COLUMNS", 1),
    "max_cells": ("TRYGG_MAX_CELLS", 1),
    "max_cell_chars": ("TRYGG_MAX_CELL_CHARS", 1),
    "max_unzipped_bytes": ("TRYGG_MAX_UNZIPPED_MB", 1024 * 1024),
    "max_zip_ratio": ("TRYGG_MAX_ZIP_RATIO", 1),
    "max_nesting": ("TRYGG_MAX_NESTING", 1),
    "max_document_bytes": ("TRYGG_MAX_DOCUMENT_MB", 1024 * 1024),
    "max_vertices": ("TRYGG_MAX_VERTICES", 1),
    "read_timeout_s": ("TRYGG_READ_TIMEOUT_S", 1),
    "reader_memory_bytes": ("TRYGG_READER_MEMORY_MB", 1024 * 1024),
    "lock_timeout_s": ("TRYGG_LOCK_TIMEOUT_S", 1),
}


#: Zip members smaller than this unpacked are not checked for their compression ratio.
ZIP_RATIO_FROM_BYTES = 1024 * 1024


def limits(environ: Mapping[str, str] | None = None) -> Limits:
    """The file limits, each overridable by its environment variable (whole numbers)."""
    env = _environ(environ)
    values = {}
    for name, (variable, unit) in LIMIT_ENV.items():
        text = (env.get(variable) or "").strip()
        if text.isascii() and text.isdigit() and int(text) > 0:
            values[name] = int(text) * unit
    return Limits(**values)


@dataclass(frozen=True)
class LoginPolicy:
    """How coordinator logins are guarded."""

    #: Failed attempts allowed per user name, and per client, within ``window_s``;
    #: the attempt after them is refused even with the right password.
    max_failures: int = 9  # TRYGG_LOGIN_MAX_FAILURES
    window_s: int = 60  # TRYGG_LOGIN_WINDOW_S
    #: A session ends after this long without a page view, or this long in all.
    idle_minutes: int = 60  # TRYGG_SESSION_IDLE_MINUTES
    max_hours: int = 12  # TRYGG_SESSION_MAX_HOURS
    #: The shortest password ``trygg add-user`` and ``trygg passwd`` accept.
    min_password_length: int = 10  # TRYGG_MIN_PASSWORD_LENGTH


LOGIN_ENV = {
    "max_failures": "TRYGG_LOGIN_MAX_FAILURES",
    "window_s": "TRYGG_LOGIN_WINDOW_S",
    "idle_minutes": "TRYGG_SESSION_IDLE_MINUTES",
    "max_hours": "TRYGG_SESSION_MAX_HOURS",
    "min_password_length": "TRYGG_MIN_PASSWORD_LENGTH",
}


def login_policy(environ: Mapping[str, str] | None = None) -> LoginPolicy:
    """The login policy, each value overridable by its environment variable."""
    env = _environ(environ)
    values = {}
    for name, variable in LOGIN_ENV.items():
        text = (env.get(variable) or "").strip()
        if text.isascii() and text.isdigit() and int(text) > 0:
            values[name] = int(text)
    return LoginPolicy(**values)
