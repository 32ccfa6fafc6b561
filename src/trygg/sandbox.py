"""Readers that run in a child process, so that no file can take the caller down.

python-calamine aborts the whole process when an allocation fails (a sheet that claims
to reach XFD1048576), and GDAL can loop forever on a crafted GeoPackage view or crash on a
broken file. Both therefore read in a child, ``python -m trygg.sandbox KIND``, that first
caps its own address space (``RLIMIT_AS``) and CPU time (``RLIMIT_CPU``) and is killed by
the caller after ``read_timeout_s``. The limits are set by the child itself rather than in
``preexec_fn``, which is unsafe in a threaded caller such as the dashboard.

The child answers with one JSON document on stdout: ``{"ok": …}`` or
``{"error": code, …}``. A crash, a timeout or running out of memory becomes one Swedish
sentence naming the file and the limit.

This module imports only the standard library at the top, so the child starts quickly;
each reader imports its library when it runs.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import re
import resource
import signal
import subprocess
import sys
from dataclasses import asdict

from trygg import settings
from trygg.errors import TryggError
from trygg.filecheck import size
from trygg.settings import Limits
from trygg.strings import t
from trygg.text import fold

#: How a child that ran out of memory says so: Python, Rust (calamine) and C++ (GDAL).
MEMORY_SIGNS = ("MemoryError", "memory allocation", "bad_alloc")
SAFE_CRS_NAME = re.compile(
    r"(EPSG:\d{1,6}|urn:ogc:def:crs:[A-Za-z0-9]+:[0-9.]*:[A-Za-z0-9._]+)", re.IGNORECASE
)


class ReaderError(Exception):
    """Raised in the child for a file it refuses; becomes ``{"error": code, **details}``."""

    def __init__(self, code: str, **details):
        super().__init__(code)
        self.code = code
        self.details = details


def run_reader(kind: str, file_name: str, limits: Limits, data: bytes, *args: str) -> dict:
    """Run reader ``kind`` in a child on ``data`` (given on stdin); return its answer.

    Returns
    -------
    dict
        ``{"ok": payload}`` or ``{"error": code, …}`` for the caller to word.

    Raises
    ------
    TryggError
        When the child ran out of memory or time, or crashed.
    """
    command = [sys.executable, "-m", "trygg.sandbox", kind, json.dumps(asdict(limits)), *args]
    try:
        done = subprocess.run(
            command,
            input=data,
            capture_output=True,
            timeout=limits.read_timeout_s,
            env=settings.reader_environment(),
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise _timeout(file_name, limits) from None
    if done.returncode == 0 and done.stdout:
        try:
            return json.loads(done.stdout)
        except ValueError:
            pass
    raise _failure(done, file_name, limits)


def _timeout(file_name: str, limits: Limits) -> TryggError:
    return TryggError(
        t(
            "err.reader_timeout",
            file=file_name,
            limit=limits.read_timeout_s,
            variable=settings.LIMIT_ENV["read_timeout_s"][0],
        )
    )


def _failure(done: subprocess.CompletedProcess, file_name: str, limits: Limits) -> TryggError:
    """Why the child stopped: memory (abort or MemoryError), CPU time, or a crash."""
    stderr = done.stderr.decode("utf-8", "replace")
    if done.returncode == -signal.SIGXCPU:
        return _timeout(file_name, limits)
    if done.returncode == -signal.SIGABRT or any(sign in stderr for sign in MEMORY_SIGNS):
        return TryggError(
            t(
                "err.reader_memory",
                file=file_name,
                limit=size(limits.reader_memory_bytes),
                variable=settings.LIMIT_ENV["reader_memory_bytes"][0],
            )
        )
    return TryggError(t("err.reader_crashed", file=file_name))


# --- In the child ---------------------------------------------------------------------


def limit_self(limits: Limits) -> None:
    """Cap this process's address space and CPU seconds (soft limits; SIGXCPU at the end)."""
    memory = limits.reader_memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    seconds = limits.read_timeout_s
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))


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


def read_sheet(data: bytes, limits: Limits) -> list:
    """The first sheet's non-blank rows as ``[row number, cells]`` (header = row 1).

    The sheet's extent (from A1) is checked against the limits before any row becomes a
    Python object.
    """
    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    except Exception:  # calamine raises its own error types for every kind of bad file
        raise ReaderError("unreadable") from None
    if sheet.end is None:  # an empty sheet
        return []
    rows, columns = sheet.end[0] + 1, sheet.end[1] + 1
    for limit, found in (
        ("max_rows", rows),
        ("max_columns", columns),
        ("max_cells", rows * columns),
    ):
        if found > getattr(limits, limit):
            raise ReaderError("extent", limit=limit, found=found)
    records = []
    for number, row in enumerate(sheet.iter_rows(), start=1):
        cells = [cell_text(value) for value in row]
        joined = UNIT_SEPARATOR.join(cells)
        if joined.strip(WHITESPACE_AND_SEPARATOR):
            records.append(
                [number, cells if joined.count(UNIT_SEPARATOR) >= len(cells) else joined]
            )
    return records


#: Cells of a row travel joined by this character (one JSON string per row is much faster
#: to send than a list of strings); a row whose cells hold it travels as a list.
UNIT_SEPARATOR = "\x1f"
WHITESPACE_AND_SEPARATOR = " \t\r\n\x0b\x0c\x1f\xa0"


def sheet_row(cells: str | list[str]) -> list[str]:
    """A row as :func:`read_sheet` sent it, back as a list of cell texts."""
    return cells.split(UNIT_SEPARATOR) if isinstance(cells, str) else cells


def read_layer(path: str, layer: str | None, prefer: str, is_geojson: bool) -> dict:
    """One layer of a checked vector file: CRS, field names and values, geometry as WKB.

    ``prefer`` ("polygon" or "point") picks the layer when the file holds several and
    none is named. A GeoJSON file is first checked for its type and its ``crs`` members.
    """
    if is_geojson:
        check_geojson(path)
    import pyogrio

    try:
        if layer is not None or not is_geojson:  # GeoJSON holds one layer: no second parse
            layers = [(str(name), str(kind)) for name, kind in pyogrio.list_layers(path)]
            layer = _choose_layer(layers, layer, prefer)
        meta, _fids, geometry, fields = pyogrio.raw.read(path, layer=layer, datetime_as_string=True)
    except ReaderError:
        raise
    except Exception as err:  # GDAL raises many kinds; all mean "not a readable layer"
        raise ReaderError("unreadable", reason=str(err)[:300]) from None
    return {
        "crs": meta.get("crs"),
        "fields": [str(name) for name in meta["fields"]],
        "values": [column.tolist() for column in fields],
        "wkb": [None if g is None else base64.b64encode(g).decode() for g in geometry],
    }


def _choose_layer(layers: list[tuple[str, str]], layer: str | None, prefer: str) -> str | None:
    names = [name for name, _kind in layers]
    if layer is not None:
        if names and layer not in names:
            raise ReaderError("layer_missing", layers=names)
        return layer
    if len(layers) <= 1:
        return None
    matching = [name for name, kind in layers if prefer in fold(kind)]
    if len(matching) == 1:
        return matching[0]
    raise ReaderError("layers_many", layers=names)


GEOJSON_TYPES = {
    "FeatureCollection",
    "Feature",
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
}
#: The only keys kept while checking a GeoJSON file; the rest are dropped as they are
#: read, so the check needs little memory even for a large file.
_KEPT_KEYS = {"type", "crs", "properties", "name", "code"}


def check_geojson(path: str) -> None:
    """Refuse JSON that is no GeoJSON object, or that names its CRS other than by an
    EPSG code or OGC name (a ``link`` CRS makes GDAL fetch a URL)."""

    def keep(pairs: list) -> dict:
        kept = {key: value for key, value in pairs if key in _KEPT_KEYS}
        if "crs" in kept and isinstance(kept["crs"], dict):
            _check_crs(kept["crs"])
        return kept

    try:
        with open(path, "rb") as stream:
            document = json.load(stream, object_pairs_hook=keep, parse_float=lambda _s: 0)
    except RecursionError:
        raise ReaderError("json_depth") from None
    except ValueError as err:
        raise ReaderError("json_invalid", reason=str(err)[:200]) from None
    if not isinstance(document, dict) or document.get("type") not in GEOJSON_TYPES:
        raise ReaderError("geojson_type")


def _check_crs(crs: dict) -> None:
    kind = crs.get("type")
    properties = crs.get("properties") if isinstance(crs.get("properties"), dict) else {}
    name = properties.get("name")
    if kind == "name" and isinstance(name, str) and SAFE_CRS_NAME.fullmatch(name):
        return
    if kind == "EPSG" and isinstance(properties.get("code"), int):
        return
    raise ReaderError("geojson_crs", value=json.dumps(crs, ensure_ascii=False)[:120])


def main(argv: list[str]) -> int:
    """The child: ``KIND LIMITS_JSON [ARGS…]``; the file is on stdin or named in ARGS."""
    kind, limits = argv[0], Limits(**json.loads(argv[1]))
    limit_self(limits)
    try:
        if kind == "sheet":
            answer = {"ok": read_sheet(sys.stdin.buffer.read(), limits)}
        elif kind == "layer":
            path, layer, prefer, is_geojson = argv[2], argv[3] or None, argv[4], argv[5] == "1"
            answer = {"ok": read_layer(path, layer, prefer, is_geojson)}
        else:
            raise ReaderError("unknown_kind")
    except ReaderError as err:
        answer = {"error": err.code, **err.details}
    sys.stdout.write(json.dumps(answer, default=str, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
