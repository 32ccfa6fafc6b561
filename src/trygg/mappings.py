"""Column mappings and header synonyms: how a file's headers become the canonical column
names an importer reads, and the mapping files (JSON or YAML) coordinators write for it.

Headers are matched ignoring case, surrounding whitespace and å/ä/ö; spaces and hyphens
count as underscores. YAML from users is read safely (no aliases, bounded nesting).
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from trygg import filecheck, settings
from trygg.errors import TryggError
from trygg.settings import Limits
from trygg.strings import t
from trygg.text import fold_header, suffix

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
