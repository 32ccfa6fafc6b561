"""Area-level survey results as delivered: the Police trygghetsmätning (index 0–6)
and BRÅ's NTU (percentages), long or wide, with suppression markers as missing.

BRÅ's regional tables hold every län and the whole country beside the kommuner: the
kommun's own län and HELA RIKET are stored as reference figures (``reference`` = ``län``
or ``riket``, no place), other län and other kommuner are skipped and counted. The year
comes from ``year=`` (``--year``), else from a title line above the header ("… regionala
resultat 2010"), else from the file's year column.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import Engine

from trygg.auth import Actor, require_write
from trygg.errors import RowError, TryggError
from trygg.filecheck import number as number_text
from trygg.importers.base import (
    RowOutcome,
    open_upload,
    unknown_place_message,
)
from trygg.importers.survey_answers import _INVALID, _year_message, _year_value
from trygg.scales import (
    FIRST_YEAR,
    KOMMUN_LEVEL_AREAS,
    LAN_NAMES,
    LAST_YEAR,
    MAX_AREA_COUNT,
    MAX_RESULT_VALUE,
    RIKET_AREAS,
    SUPPRESSION_MARKERS,
)
from trygg.store import batches, schema
from trygg.strings import t
from trygg.tabular import (
    Table,
    parse_number,
    read_table,
)
from trygg.text import fold, fold_accents

RESULTS_KIND = batches.SURVEY_RESULTS_KIND

RESULT_SYNONYMS = {
    "indikator": "indicator",
    "fraga": "indicator",
    "matt": "indicator",
    "varde": "value",
    "index": "value",
    "andel": "value",
    "procent": "value",
    "antal_svar": "n",
    "n": "n",
    "ki_lag": "ki_lag",
    "ki_nedre": "ki_lag",
    "nedre": "ki_lag",
    "ki_hog": "ki_hog",
    "ki_ovre": "ki_hog",
    "ovre": "ki_hog",
    "enhet": "unit",
    "kalla": "source",
}

RESULT_META = {"plats", "ar", "n", "ki_lag", "ki_hog", "unit", "source", "indicator", "value"}

#: NTU's published indicators (letters only, folded, accents dropped) → the indicator
#: the dashboard knows; any other indicator is kept under its own name.
NTU_INDICATORS = {
    "otrygghetvidutevistelsesenkvall": "andel_otrygga",
    "otryggvidutevistelsesenkvall": "andel_otrygga",
    "andelotryggautesentpakvallen": "andel_otrygga",
    "oroforbostadsinbrott": "oro_inbrott",
    "oroforinbrott": "oro_inbrott",
    "oroforoverfallmisshandel": "oro_overfall",
    "oroforoverfall": "oro_overfall",
    "oroforbilbrott": "oro_bilbrott",
}

#: A year in a title: four digits, 1900–2099, not part of a longer number.
TITLE_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")
#: Reference levels stored in ``survey_result.reference``.
LAN, RIKET = "län", "riket"


def import_survey_results(
    engine: Engine,
    path: str | Path,
    kommun: str,
    *,
    mapping: str | Path | dict | None = None,
    source: str | None = None,
    actor: Actor | None,
    data: bytes | None = None,
    year: int | None = None,
) -> dict:
    """Import area-level survey results in long or wide layout as one batch.

    Long: area, year, indicator, value, n, ki_lag, ki_hog. Wide: area, year and one
    column per indicator. Values may be a 0–6 index or percentages with decimal commas;
    ``XX``, ``..``, ``–`` and ``Uppgift saknas`` mean missing, never zero. ``year``
    (``--year``) wins over a year in a title line, which wins over a year column.

    Returns
    -------
    dict
        The same shape as :func:`import_survey`, plus ``year`` (the year given or read
        from the title, else None), ``references`` (rows stored as län or riket
        reference) and ``excluded`` (``{"andra_kommuner": n, "andra_lan": n}``).
    """
    require_write(actor, kommun)
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        raise TryggError(t("err.year_range", year=year, first=FIRST_YEAR, last=LAST_YEAR))
    reader = TitledReader()
    upload = open_upload(
        engine, path, kommun, mapping=mapping, synonyms=RESULT_SYNONYMS, data=data, reader=reader
    )
    table, path = upload.table, upload.path
    year = year if year is not None else reader.year
    if "plats" not in table.columns:
        raise TryggError(t("err.results_no_area", file=path.name))
    if "ar" not in table.columns and year is None:
        raise TryggError(t("references.err_no_year", file=path.name))
    long_layout = "indicator" in table.columns and "value" in table.columns
    indicators = [] if long_layout else [c for c in table.columns if c not in RESULT_META]
    if not long_layout and not indicators:
        raise TryggError(t("err.results_no_values", file=path.name))
    areas = AreaKinds(table.column("plats"), kommun, upload.kommun_name, upload.locator)
    outcome = RowOutcome(rows=len(table.rows))
    excluded = {"andra_kommuner": 0, "andra_lan": 0}
    for index, row in enumerate(table.rows):
        kind = areas.kind(table.value(row, "plats"))
        if kind in excluded:
            excluded[kind] += 1
            continue
        errors: list[RowError] = []
        records = _result_records(table, row, index, upload.locator, kind, indicators, year, errors)
        if errors:
            outcome.reject(index, errors)
        else:
            outcome.records.extend(records)
    if not outcome.records and not outcome.rejected:
        raise TryggError(
            t("references.err_nothing_for_kommun", file=path.name, kommun=upload.kommun_name)
        )
    stored = {r["row_number"] for r in outcome.records if r["reference"]}
    outcome.extra = {"year": year, "references": len(stored), "excluded": excluded}

    def write(connection, batch_id: int) -> None:
        if outcome.records:
            connection.execute(
                schema.survey_result.insert(),
                [r | {"batch_id": batch_id, "kommun_kod": kommun} for r in outcome.records],
            )

    return upload.store(
        engine, outcome, write, kind=RESULTS_KIND, uploaded_by=actor.name, source=source
    )


class TitledReader:
    """:func:`read_table` after any title lines above the header (``titled=True``),
    keeping the title's year: "Otrygghet och oro för brott, regionala resultat 2010"
    gives 2010."""

    def __init__(self) -> None:
        self.year: int | None = None

    def __call__(self, path: Path, data: bytes) -> Table:
        table = read_table(path, data, titled=True)
        years = [int(y) for title in table.titles for y in TITLE_YEAR.findall(title)]
        self.year = years[-1] if years else None
        return table


def _lan_forms(name: str) -> tuple[str, str]:
    """A län's name folded, in full and short ("hallands län", "halland")."""
    full = fold(name)
    return full, re.sub(r"s? län$", "", full)


class AreaKinds:
    """What each area of a file is for the kommun: its own row (``kommun``), a reference
    (``län``, ``riket``), a place (``plats``), or, in a regional table, another län or
    another kommun (``andra_lan``, ``andra_kommuner``), which are skipped.

    A file is regional when it has a riket or a län row; there an area that is none of
    the kommun's places is another kommun. Bare län names ("Halland") are län only in a
    file without any "… län" row, where they cannot be kommuner.
    """

    def __init__(self, areas: list[str], kommun: str, kommun_name: str, locator):
        self.locator = locator
        folded = {fold(area) for area in areas}
        forms = [_lan_forms(name) for name in LAN_NAMES.values()]
        fulls = {full for full, _short in forms}
        short_allowed = not folded & fulls
        self.lan = fulls | ({short for _full, short in forms} if short_allowed else set())
        own = LAN_NAMES.get(kommun[:2])
        self.own_lan = set(_lan_forms(own)[: 2 if short_allowed else 1]) if own else set()
        self.kommun = KOMMUN_LEVEL_AREAS | _kommun_forms(kommun_name)
        if short_allowed:
            self.kommun -= self.lan
        self.regional = bool(folded & (RIKET_AREAS | self.lan))

    def kind(self, area: str) -> str:
        folded = fold(area)
        if folded in self.kommun:
            return "kommun"
        if folded in RIKET_AREAS:
            return RIKET
        if folded in self.own_lan:
            return LAN
        if folded in self.lan:
            return "andra_lan"
        if self.regional and self.locator.match_name(area) is None:
            return "andra_kommuner"
        return "plats"


def _kommun_forms(name: str) -> set[str]:
    """The ways a table names the kommun: "Halmstad", "Halmstads kommun", "Halmstad kommun"."""
    folded = fold(name)
    genitive = folded if folded.endswith(("s", "x", "z")) else f"{folded}s"
    return {folded, f"{folded} kommun", f"{genitive} kommun"}


def _result_records(table, row, index, locator, kind, indicators, year, errors) -> list[dict]:
    number = table.row_numbers[index]
    area = table.value(row, "plats")
    place_id = None
    if kind == "plats":
        place_id = locator.match_name(area)
        if place_id is None:
            errors.append(
                RowError(
                    number, table.source_header("plats"), area, unknown_place_message(locator, area)
                )
            )
    if year is None:
        year = _year_value(table.value(row, "ar"))
        if year is _INVALID:
            errors.append(
                RowError(number, table.source_header("ar"), table.value(row, "ar"), _year_message())
            )
            year = None
    cells = (
        [(table.value(row, "indicator"), "value")]
        if not indicators
        else [(table.source_header(name), name) for name in indicators]
    )
    records = []
    for written, column in cells:
        value, marker = _result_value(table, row, column, number, errors)
        indicator = canonical_indicator(written)
        records.append(
            {
                "row_number": number,
                "area": area,
                "place_id": place_id,
                "reference": kind if kind in (LAN, RIKET) else None,
                "year": year,
                "indicator": indicator,
                "value": value,
                "missing_marker": marker,
                "unit": "procent"
                if indicator != written
                else _unit(table.value(row, "unit"), written, value),
                "n": _optional_int(table, row, "n", number, errors),
                "ki_lag": _optional_number(table, row, "ki_lag", number, errors),
                "ki_hog": _optional_number(table, row, "ki_hog", number, errors),
            }
        )
    return records


def canonical_indicator(written: str) -> str:
    """NTU's indicator as the dashboard knows it ("Otrygghet vid utevistelse sen kväll" →
    ``andel_otrygga``); any other indicator as written."""
    letters = "".join(c for c in fold_accents(written) if c.isalnum())
    return NTU_INDICATORS.get(letters, written)


def is_missing_marker(text: str) -> bool:
    return fold(text) in SUPPRESSION_MARKERS


def _result_value(table, row, column, number, errors) -> tuple[float | None, str | None]:
    text = table.value(row, column)
    if is_missing_marker(text):
        return None, text or None
    value = _result_number(text)
    if value is None:
        errors.append(RowError(number, table.source_header(column), text, _result_message()))
    return value, None


def _optional_number(table, row, column, number, errors) -> float | None:
    text = table.value(row, column)
    if is_missing_marker(text):
        return None
    value = _result_number(text)
    if value is None:
        errors.append(RowError(number, table.source_header(column), text, _result_message()))
    return value


def _result_number(text: str) -> float | None:
    """An index 0–6 or a percentage (``%`` allowed); None outside 0–MAX_RESULT_VALUE."""
    value = parse_number(text.rstrip("%").strip())
    return value if value is not None and 0 <= value <= MAX_RESULT_VALUE else None


def _result_message() -> str:
    return t("row.result_range", max=MAX_RESULT_VALUE)


def _optional_int(table, row, column, number, errors) -> int | None:
    text = table.value(row, column)
    if is_missing_marker(text):
        return None
    value = parse_number(text)
    if value is None or not 0 <= value <= MAX_AREA_COUNT or not value.is_integer():
        message = t("row.result_n_range", max=number_text(MAX_AREA_COUNT))
        errors.append(RowError(number, table.source_header(column), text, message))
        return None
    return int(value)


def _unit(given: str, indicator: str, value: float | None) -> str:
    """``index`` (0–6, Police) or ``procent`` (NTU), from the unit column or the name."""
    text = fold(f"{given} {indicator}")
    if "index" in text:
        return "index"
    if "%" in text or "procent" in text or "andel" in text:
        return "procent"
    return "index" if value is not None and value <= 6 else "procent"
