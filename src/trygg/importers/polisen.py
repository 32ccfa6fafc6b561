"""polisen.se events: the events API's JSON, incident times (also polisen.se's, with a
UTC offset), and how exactly an event is located (a point, only its kommun or its län).

polisen.se publishes an event with the centre point of its kommun or län, not where it
happened, so such a point must never land in a place or a hot-spot cell. Only a location
name that carries more than a kommun ("Stockholm, Södermalm") with a point no other event
in the file shares is taken as a point.

Examples
--------
>>> offset_time("2024-06-30 23:30:00 +00:00")
datetime.datetime(2024, 7, 1, 1, 30)
>>> is_lan("Hallands län"), is_lan("Borlänge")
(True, False)
>>> same_kommun("Göteborgs kommun", "Göteborg"), same_kommun("Borås kommun", "Borås")
(True, True)
"""

from __future__ import annotations

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from trygg.errors import RowError, TryggError
from trygg.sandbox import GEOJSON_TYPES
from trygg.scales import LAN_NAMES, SUMMARY_POST_TYPES
from trygg.strings import t
from trygg.tabular import Table
from trygg.text import fold, fold_accents

#: Incidents are stored naive, in Swedish local time.
LOCAL_ZONE = ZoneInfo("Europe/Stockholm")
#: The most nested containers an events JSON may have (list → event → location is 3).
MAX_JSON_DEPTH = 5
#: The columns of an event read from the JSON; ``gps`` ("lat,lon") is split in two.
EVENT_FIELDS = ("id", "datetime", "name", "summary", "url", "type")
EVENT_HEADER = [*EVENT_FIELDS, "location_name", "lat", "lon"]

#: Location precision: a point, only the kommun, only the län.
PRECISIONS = ("punkt", "kommun", "län")
#: What a mapped precision column may say (folded, without accents) → precision.
PRECISION_WORDS = {
    "punkt": "punkt",
    "point": "punkt",
    "kommun": "kommun",
    "municipality": "kommun",
    "lan": "län",
    "county": "län",
}

_OFFSET_TIME = (
    r"(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)"
)
_OFFSET_PATTERN = re.compile(_OFFSET_TIME, re.IGNORECASE)
#: The coordinate columns of each location mode: (east or longitude, north or latitude).
COORDINATE_COLUMNS = {"wgs84": ("lon", "lat"), "xy": ("x", "y")}
_LAN_FOLDED = frozenset(fold(name) for name in LAN_NAMES.values())
_KOMMUN_SUFFIXES = (" kommun", " stad")


# --- The events API's JSON -----------------------------------------------------------


def events_table(data: bytes, file_name: str) -> Table | None:
    """A polisen.se events JSON as a table (event i on row i + 2), or None for GeoJSON
    or a file that is not JSON at all (the layer reader then says what is wrong).

    The events are a top-level list, or the first list held by a top-level object.
    """
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except RecursionError:
        raise TryggError(t("src.json_too_deep", file=file_name, max=MAX_JSON_DEPTH)) from None
    except (UnicodeDecodeError, ValueError):
        return None
    if isinstance(document, dict):
        if document.get("type") in GEOJSON_TYPES:
            return None
        document = next((v for v in document.values() if isinstance(v, list)), None)
        if document is None:
            raise TryggError(t("src.json_no_events", file=file_name))
    if not isinstance(document, list):
        return None
    if _depth(document) > MAX_JSON_DEPTH:
        raise TryggError(t("src.json_too_deep", file=file_name, max=MAX_JSON_DEPTH))
    if not document:
        raise TryggError(t("err.table_no_rows", file=file_name))
    rows = [_event_row(event, index, file_name) for index, event in enumerate(document)]
    return Table(file_name, list(EVENT_HEADER), rows, list(range(2, len(rows) + 2)))


def _depth(document) -> int:
    """How many containers deep ``document`` is nested (a scalar is 0)."""
    deepest, stack = 0, [(document, 1)]
    while stack:
        value, level = stack.pop()
        if not isinstance(value, dict | list):
            continue
        deepest = max(deepest, level)
        if deepest > MAX_JSON_DEPTH:
            return deepest
        children = value.values() if isinstance(value, dict) else value
        stack.extend((child, level + 1) for child in children)
    return deepest


def _event_row(event, index: int, file_name: str) -> list[str]:
    if not isinstance(event, dict):
        raise TryggError(t("src.json_event_not_object", file=file_name, row=index + 2))
    location = event.get("location")
    location = location if isinstance(location, dict) else {}
    lat, _, lon = _text(location.get("gps")).partition(",")
    return [
        *(_text(event.get(name)) for name in EVENT_FIELDS),
        _text(location.get("name")),
        lat.strip(),
        lon.strip(),
    ]


def _text(value) -> str:
    """A JSON value as a cell: null is empty, a nested value its JSON text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return json.dumps(value)
    return json.dumps(value, ensure_ascii=False)


# --- Times (an offset gives Swedish local time) -------------------------------------


def offset_time(text: str) -> dt.datetime | None:
    """A time with a UTC offset (``2024-01-01 0:40:16 +01:00``, ``…T21:40:00Z``,
    ``+0100``) as naive Swedish local time; None without an offset or when invalid."""
    match = _OFFSET_PATTERN.fullmatch(text.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second, offset = match.groups()
    try:
        zone = dt.timezone(_offset(offset))
        when = dt.datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second or 0), tzinfo=zone
        )
    except ValueError:
        return None
    return when.astimezone(LOCAL_ZONE).replace(tzinfo=None)


def _offset(text: str) -> dt.timedelta:
    if text.upper() == "Z":
        return dt.timedelta(0)
    digits = text[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:] or 0)
    return dt.timedelta(minutes=minutes if text[0] == "+" else -minutes)


def offset_times(texts: pd.Series) -> pd.Series:
    """:func:`offset_time` for a whole column, vectorised: local naive times, NaT where a
    text has no offset form or is not a valid time."""
    parts = texts.str.extract(f"^\\s*{_OFFSET_TIME}\\s*$", flags=re.IGNORECASE)
    if parts[0].notna().sum() == 0:
        return pd.Series(pd.NaT, index=texts.index, dtype="datetime64[ns]")
    zone = parts[6].str.upper().replace("Z", "+00:00")
    zone = zone.str.replace(":", "", regex=False).str.pad(5, side="right", fillchar="0")
    normal = (
        parts[0]
        + "-"
        + parts[1].str.zfill(2)
        + "-"
        + parts[2].str.zfill(2)
        + " "
        + parts[3].str.zfill(2)
        + ":"
        + parts[4]
        + ":"
        + parts[5].fillna("00")
        + zone
    )
    stamps = pd.to_datetime(normal, format="%Y-%m-%d %H:%M:%S%z", utc=True, errors="coerce")
    return stamps.dt.tz_convert(LOCAL_ZONE).dt.tz_localize(None)


DATE_PATTERNS = (
    (
        re.compile(
            r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(?:kl\.?\s*)?(\d{1,2})[:.](\d{2})"
            r"(?:[:.](\d{2})(?:\.\d+)?)?)?"
        ),
        "ymd",
    ),
    (re.compile(r"(\d{4})(\d{2})(\d{2})"), "ymd"),
    (
        re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:\s+(?:kl\.?\s*)?(\d{1,2})[:.](\d{2}))?"),
        "dmy",
    ),
    (re.compile(r"(\d{4})-(\d{1,2})"), "month"),
)


def parse_when(text: str, time_text: str = "") -> tuple[dt.datetime, str] | None:
    """A date, or a date and time, in the usual Swedish forms → (datetime, precision).

    Precision is ``minute``, ``day`` or ``month`` (police.uk gives months only).

    Examples
    --------
    >>> parse_when("2024-03-15 21:40")
    (datetime.datetime(2024, 3, 15, 21, 40), 'minute')
    >>> parse_when("15/3/2024")
    (datetime.datetime(2024, 3, 15, 0, 0), 'day')
    >>> parse_when("2024-01-01 0:40:16 +01:00")  # with a UTC offset: Swedish local time
    (datetime.datetime(2024, 1, 1, 0, 40, 16), 'minute')
    """
    text = " ".join(text.split())
    local = offset_time(text)
    if local is not None:
        return local, "minute"
    for pattern, order in DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        parts = (*match.groups(), None, None, None)
        try:
            if order == "month":
                return dt.datetime(int(parts[0]), int(parts[1]), 1), "month"
            year, month, day = (
                (parts[0], parts[1], parts[2]) if order == "ymd" else (parts[2], parts[1], parts[0])
            )
            when = dt.datetime(int(year), int(month), int(day))
            hour, minute = parts[3], parts[4]
            if hour is None and time_text:
                clock = re.fullmatch(
                    r"(?:kl\.?\s*)?(\d{1,2})[:.](\d{2})(?:[:.]\d{2})?", time_text.strip()
                )
                hour, minute = clock.groups() if clock else (None, None)
                if clock is None:
                    return None
            if hour is None:
                return when, "day"
            return when.replace(hour=int(hour), minute=int(minute)), "minute"
        except ValueError:
            return None
    return None


FAST_FORMATS = (("%Y-%m-%d %H:%M", "minute"), ("%Y-%m-%d", "day"))
#: A text that may end in a UTC offset (the only ones :func:`offset_times` is given).
_MAY_HAVE_OFFSET = r"(?:z|[+-]\d{2}(?::?\d{2})?)\s*$"


def parse_date_column(dates: pd.Series, times: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """:func:`parse_when` for a whole column → (datetime64[us], NaT where unreadable;
    precision, None there). The common ISO forms and offsets are parsed vectorised."""
    dates = pd.Series(dates, dtype="str").reset_index(drop=True)
    size = len(dates)
    stamps = np.full(size, np.datetime64("NaT"), dtype="datetime64[us]")
    precision = np.full(size, None, dtype=object)
    times = pd.Series(times, dtype="str").reset_index(drop=True)
    pending = (times == "").to_numpy(dtype=bool).copy()
    offset = pc.match_substring_regex(pa.array(dates), _MAY_HAVE_OFFSET, ignore_case=True)
    offset = np.asarray(offset.to_numpy(zero_copy_only=False), dtype=bool)
    forms = [(None, "minute"), *FAST_FORMATS]
    for form, label in forms:
        chosen = pending & offset if form is None else pending
        if not chosen.any():
            continue
        if form is None:
            found = offset_times(dates[chosen])
        else:
            found = pd.to_datetime(dates[chosen], format=form, errors="coerce")
        hits = np.flatnonzero(chosen)[found.notna().to_numpy()]
        stamps[hits] = found.dropna().to_numpy().astype("datetime64[us]")
        precision[hits] = label
        pending[hits] = False
    for index in np.flatnonzero(np.isnat(stamps) & (dates != "").to_numpy(bool)).tolist():
        when = parse_when(dates.iat[index], times.iat[index])
        if when is not None:
            stamps[index], precision[index] = np.datetime64(when[0], "us"), when[1]
    return stamps, precision


def parse_dates(dates: list[str], times: list[str]) -> list[tuple[dt.datetime, str] | None]:
    """:func:`parse_date_column` as one (datetime, precision) or None per row."""
    stamps, precision = parse_date_column(pd.Series(dates, dtype="str"), times)
    return [
        None if label is None else (stamp, label)
        for stamp, label in zip(stamps.tolist(), precision.tolist(), strict=True)
    ]


# --- Where an event is ---------------------------------------------------------------


def is_polisen_table(columns: dict[str, int]) -> bool:
    """A table from polisen.se: a source location name, a category and a time."""
    return {"kalla_plats", "kategori", "datum"} <= columns.keys()


def is_summary_post(kind: str) -> bool:
    """A polisen.se summary ("Sammanfattning natt") or update post: not an incident."""
    folded = fold(kind)
    return any(folded.startswith(prefix) for prefix in SUMMARY_POST_TYPES)


def is_lan(name: str) -> bool:
    """A location name that is a län ("Hallands län", "Skåne län")."""
    folded = fold(name)
    return folded in _LAN_FOLDED or folded.endswith(" län")


def same_kommun(location: str, kommun_name: str) -> bool:
    """Whether a location name's kommun (before any comma) is ``kommun_name``; "Göteborg",
    "Göteborgs kommun" and "Göteborgs stad" are all the kommun Göteborg."""
    first, second = _kommun_key(location.split(",")[0]), _kommun_key(kommun_name)
    return first == second or first == second + "s" or second == first + "s"


def kommun_of(location: str, kommun_name: str, locator) -> tuple[bool, list[int]]:
    """Whether an event named for ``location`` counts for the importing kommun, and the
    place it belongs to when it is known only to its kommun: (counts, place ids).

    The importing kommun's own name: it counts, in no place (a kommun-level event is
    never put in a place of its own kommun). Another kommun's name: it counts only if
    one of the kommun's places *is* that kommun (a store whose places are kommuner, e.g.
    a län or all of Sweden), and then for that place. Without a name: it counts.
    """
    if not location or same_kommun(location, kommun_name):
        return True, []
    place_id = locator.match_name(location.split(",")[0].strip())
    return (True, [place_id]) if place_id is not None else (False, [])


def _kommun_key(name: str) -> str:
    key = fold_accents(name)
    for ending in _KOMMUN_SUFFIXES:
        key = key.removesuffix(ending)
    return key


def mapped_precision(text: str) -> str | None:
    """A mapped precision column's value → ``punkt``/``kommun``/``län``, or None."""
    return PRECISION_WORDS.get(fold_accents(text))


def polisen_precisions(names: list[str], lat: np.ndarray, lon: np.ndarray) -> list[str]:
    """Each polisen.se event's precision: ``län`` for a län's name; ``punkt`` for a name
    with more than a kommun and a point no other event shares; else ``kommun``."""
    shared = _pair_counts(lat, lon)
    return [
        "län" if is_lan(name) else "punkt" if "," in name and count == 1 else "kommun"
        for name, count in zip(names, shared.tolist(), strict=True)
    ]


def _pair_counts(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """How many rows share each row's point (to 7 decimals); 0 for a row without one."""
    valid = ~np.isnan(first) & ~np.isnan(second)
    pairs = pd.DataFrame({"a": np.round(first, 7), "b": np.round(second, 7)})[valid]
    counts = np.zeros(len(first), dtype=np.int64)
    counts[valid] = pairs.groupby(["a", "b"], sort=False)["a"].transform("size").to_numpy()
    return counts


def shared_point_warnings(table: Table, first: str, second: str) -> list[str]:
    """A sentence for every coordinate pair that more than 5 % of the rows (and at least
    three) share: a published centre point rather than where things happened."""
    counts = _pair_counts(table.numbers(first), table.numbers(second))
    rows = len(table)
    common = np.flatnonzero((counts >= 3) & (counts * 20 > rows))
    if len(common) == 0:
        return []
    texts = table.series(first), table.series(second)
    firsts = pd.DataFrame(
        {
            "a": np.round(table.numbers(first)[common], 7),
            "b": np.round(table.numbers(second)[common], 7),
        }
    ).drop_duplicates()
    order = sorted(firsts.index.tolist(), key=lambda i: -counts[common[i]])
    return [
        t(
            "src.shared_point",
            pair=f"{texts[0].iat[index]}, {texts[1].iat[index]}",
            columns=f"{table.source_header(first)}/{table.source_header(second)}",
            count=int(counts[index]),
            share=round(100 * counts[index] / rows),
        )
        for index in (int(common[i]) for i in order)
    ]


def row_precisions(table: Table, mode: str) -> tuple[np.ndarray, dict[int, list[RowError]]]:
    """Each row's location precision before it is placed (an object array), and the rows
    whose mapped precision cannot be read. None: decided by the row itself (a point or
    only the kommun).

    A mapped ``precision`` column wins; a polisen.se table follows :func:`polisen_precisions`.
    """
    found = np.full(len(table), None, dtype=object)
    if is_polisen_table(table.columns) and mode in COORDINATE_COLUMNS:
        first, second = COORDINATE_COLUMNS[mode]
        found[:] = polisen_precisions(
            table.column("kalla_plats"), table.numbers(second), table.numbers(first)
        )
    errors: dict[int, list[RowError]] = {}
    if "precision" not in table.columns:
        return found, errors
    header = table.source_header("precision")
    texts = table.series("precision")
    codes, uniques = pd.factorize(texts)
    mapped = np.array([mapped_precision(text) for text in uniques] + [None], dtype=object)
    written = (texts != "").to_numpy(dtype=bool)
    found[written] = mapped[codes][written]
    for index in np.flatnonzero(written & (mapped[codes] == None)).tolist():  # noqa: E711
        errors[index] = [
            RowError(table.row_numbers[index], header, texts.iat[index], t("row.precision"))
        ]
    return found, errors
