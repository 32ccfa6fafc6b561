"""The lägesbild (situation picture) as an editable Word file, from public figures only.

Five sections in the order kommuner write them: Sammanfattning, Trygghet, Brottslighet,
Medborgarlöftet, Källor och metod. Every number comes from the core's public output
(``trygg stats --public``, ``trygg hotspots --public``, ``trygg time-profile --public``)
and is written with :mod:`trygg.formatting`; nothing is computed here. python-docx writes
text literally, so a place or commitment text never becomes markup.
"""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.shared import Cm
from sqlalchemy import Engine

from trygg import formatting
from trygg.commitments import follow_up, listing
from trygg.documents import charts
from trygg.errors import TryggError
from trygg.maps.metrics import vs_rest_text
from trygg.places import load_places
from trygg.stats import report
from trygg.store import require_kommun
from trygg.store.batches import list_batches
from trygg.strings import category_label, t

#: The five Heading 1 sections, in order (catalogue keys).
SECTIONS = (
    "lagesbild.h_summary",
    "lagesbild.h_safety",
    "lagesbild.h_crime",
    "lagesbild.h_promise",
    "lagesbild.h_sources",
)
#: The columns of the Trygghet table (catalogue keys).
SAFETY_COLUMNS = (
    "lagesbild.col_place",
    "lagesbild.col_share",
    "lagesbild.col_interval",
    "lagesbild.col_n",
    "lagesbild.col_trend",
    "lagesbild.col_vs_rest",
)
IMAGE_WIDTH = Cm(16)
#: The hot-spot grid's cell for a map of the whole kommun on an A4 page (metres).
HOTSPOT_CELL_M = 500.0


def build_lagesbild(engine: Engine, kommun: str, year: int, *, today: date | None = None) -> bytes:
    """The lägesbild of ``kommun`` for ``year`` as .docx bytes, in the current language.

    Parameters
    ----------
    engine : Engine
        The store.
    kommun : str
        The kommun code; an unknown one is refused with the known ones.
    year : int
        The survey and incident year; a year without data is refused in one sentence.
    today : date, optional
        The date on the title page and for the commitments' follow-up state.

    Returns
    -------
    bytes
        A Word document (python-docx).
    """
    today = today or date.today()
    with engine.connect() as connection:
        name = require_kommun(connection, kommun)
    figures = report.place_figures(engine, kommun, year, public=True)
    if year not in figures["years"]:
        known = ", ".join(str(y) for y in figures["years"]) or t("fmt.none_listed")
        raise TryggError(t("lagesbild.no_data", kommun=name, year=year, years=known))
    commitments = listing.list_commitments(engine, kommun, today=today)
    document = Document()
    document.add_heading(t("lagesbild.title", kommun=name, year=year), level=0)
    document.add_paragraph(t("lagesbild.made", date=today.isoformat()))
    if figures["synthetic"]:
        document.add_paragraph(t("lagesbild.synthetic"))
    _summary(document, figures, commitments)
    _safety(document, figures)
    _crime(document, engine, kommun, figures)
    _promise(document, commitments)
    _sources(document, engine, kommun, figures)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _heading(document, index: int) -> None:
    document.add_heading(t(SECTIONS[index]), level=1)


def _bullet(document, text: str) -> None:
    document.add_paragraph(text, style="List Bullet")


def _table(document, header: list[str], rows: list[list[str]]):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    return table


def _image(document, png: bytes, caption: str) -> None:
    document.add_picture(io.BytesIO(png), width=IMAGE_WIDTH)
    document.add_paragraph(caption, style="Caption")


# --- Sammanfattning -------------------------------------------------------------------


def _summary(document, figures: dict, commitments: list[dict]) -> None:
    _heading(document, 0)
    placeholder = document.add_paragraph(t("lagesbild.summary_placeholder"))
    placeholder.runs[0].italic = True
    document.add_paragraph(t("lagesbild.key_figures"))
    total = figures["kommun_total"].get("andel_otrygga")
    if total:
        text = formatting.describe(total)
        key = "lagesbild.key_share" if text["interval"] else "lagesbild.key_share_hidden"
        _bullet(document, t(key, **text))
    block = figures.get("kommun_incidents")
    if block:
        texts = formatting.describe_incidents(block, figures["k"])
        _bullet(document, t("lagesbild.key_incidents", **texts))
    shown = [p for p in figures["places"] if _published(p["survey"])]
    _bullet(
        document,
        t("lagesbild.key_places", shown=len(shown), total=len(figures["places"])),
    )
    counts = listing.status_summary(commitments)
    words = ", ".join(f"{follow_up.summary_label(status)}: {n}" for status, n in counts.items())
    _bullet(document, t("lagesbild.key_commitments", n=len(commitments), statuses=words))


def _published(survey: dict | None) -> bool:
    return bool(survey) and not survey["suppressed"] and survey["andel_otrygga"] is not None


# --- Trygghet --------------------------------------------------------------------------


def safety_rows(figures: dict) -> list[list[str]]:
    """The Trygghet table's rows: place, share, interval, n, trend, comparison."""
    rows = []
    for place in figures["places"]:
        survey = place["survey"]
        if not survey:
            rows.append([place["place"], t("lagesbild.no_answers"), "", "", "", ""])
            continue
        figure = {**survey, "andel": survey["andel_otrygga"]}
        text = formatting.describe(figure)
        trend = survey.get("trend") if _published(survey) else None
        rows.append(
            [
                place["place"],
                text["value"],
                text["range"],
                formatting.integer(survey["n"]),
                formatting.trend(trend) if trend else "",
                vs_rest_text(survey.get("vs_rest")),
            ]
        )
    return rows


def _safety(document, figures: dict) -> None:
    _heading(document, 1)
    document.add_paragraph(
        t("lagesbild.safety_intro", year=figures["year"], min_n=figures["min_n"])
    )
    _table(document, [t(key) for key in SAFETY_COLUMNS], safety_rows(figures))


# --- Brottslighet ----------------------------------------------------------------------


def crime_rows(figures: dict) -> list[list[str]]:
    """Incidents per place: total, previous period, and each category's public count."""
    k = figures["k"]
    rows = []
    for place in figures["places"]:
        block = place.get("incidents")
        if not block:
            continue
        texts = formatting.describe_incidents(block, k)
        categories = "; ".join(
            f"{category_label(slug)} {formatting.incident_count(n, k)}"
            for slug, n in (block.get("by_category") or {}).items()
            if n != 0
        )
        rows.append([place["place"], texts["total"], texts["previous"], categories])
    return rows


def _crime(document, engine: Engine, kommun: str, figures: dict) -> None:
    _heading(document, 2)
    year = figures["year"]
    header = [t(f"lagesbild.col_{key}") for key in ("place", "incidents", "previous", "cats")]
    _table(document, header, crime_rows(figures))
    total = (figures.get("kommun_incidents") or {}).get("total")
    if not total:
        document.add_paragraph(t("lagesbild.no_incidents", year=year))
        return
    hot = report.hotspots(engine, kommun, year=year, cell=HOTSPOT_CELL_M, public=True)
    places = load_places(engine, kommun)
    labels = {
        value: t(f"lagesbild.gi_bin_{value}".replace("-", "m")) for value in charts.BIN_COLOURS
    }
    png = charts.hotspot_map(places, hot["grid"], labels)
    _image(
        document,
        png,
        t("lagesbild.hotspot_caption", year=year, cell=formatting.integer(hot["cell"])),
    )
    profile = report.time_profile(engine, kommun, year=year, public=True)
    document.add_paragraph(
        t(
            "lagesbild.time_intro",
            timed=formatting.integer(profile["timed"]),
            total=formatting.integer(profile["total"]),
        )
    )
    hidden = formatting.heat_cell(None, figures["k"])
    png = charts.time_profile_chart(profile["hour_weekday"], profile["weekdays"], hidden)
    _image(document, png, t("lagesbild.time_caption", year=year, hidden=hidden))


# --- Medborgarlöftet -------------------------------------------------------------------


def _promise(document, commitments: list[dict]) -> None:
    _heading(document, 3)
    if not commitments:
        document.add_paragraph(t("lagesbild.no_commitments"))
        return
    header = [t(f"lagesbild.col_{key}") for key in ("party", "commitment", "places", "status")]
    for group in listing.by_promise(commitments):
        document.add_heading(group["title"], level=2)
        period = group["period"]
        document.add_paragraph(
            t("lagesbild.period", start=period["from"] or "–", end=period["to"] or "–")
        )
        rows = [
            [
                follow_up.party_label(item["party"]),
                item["text"],
                ", ".join(item["places"]) or t("lagesbild.kommun_wide"),
                follow_up.status_label(item["status"]),
            ]
            for item in group["commitments"]
        ]
        _table(document, header, rows)
        _follow_ups(document, group["commitments"])


def _follow_ups(document, commitments: list[dict]) -> None:
    followed = [item for item in commitments if item["follow_ups"]]
    if not followed:
        return
    document.add_paragraph(t("lagesbild.follow_ups"))
    for item in followed:
        for entry in follow_up.newest_first(item["follow_ups"]):
            line = f"{entry['date']}: {follow_up.timeline_text(entry)}"
            _bullet(document, t("lagesbild.follow_up_line", text=item["text"], line=line))


# --- Källor och metod ------------------------------------------------------------------


def _sources(document, engine: Engine, kommun: str, figures: dict) -> None:
    _heading(document, 4)
    document.add_paragraph(t("lagesbild.sources_intro"))
    for batch in list_batches(engine, kommun):
        if batch["status"] != "active":
            continue
        _bullet(
            document,
            t(
                "lagesbild.source_line",
                file=batch["file_name"],
                kind=batch["kind"],
                rows=formatting.integer(batch["rows_accepted"] or 0),
                source=batch["source"] or "–",
            ),
        )
    total = figures["kommun_total"].get("andel_otrygga") or {"n": 0}
    document.add_paragraph(
        t(
            "lagesbild.method",
            n=formatting.integer(total["n"]),
            min_n=figures["min_n"],
            k=figures["k"],
        )
    )
    if figures["synthetic"]:
        document.add_paragraph(t("lagesbild.synthetic"))
