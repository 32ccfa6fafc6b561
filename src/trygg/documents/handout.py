"""Handouts for a medborgardialog: one A4 page per place, two for the kommun, as PDF.

Everything printed comes from the public figures (:func:`trygg.stats.report.place_figures`
with ``public=True``), in the Plats page's words (:mod:`trygg.pages.place`), and from the
commitments (:func:`trygg.commitments.listing.list_commitments`): nothing is computed
here, hidden figures stay hidden, free-text answers and single incidents never appear.
Every text from the data is escaped before ReportLab's paragraph markup reads it.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Image,
    KeepInFrame,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from trygg import formatting, places, store
from trygg.commitments import follow_up
from trygg.commitments.listing import latest_follow_up, list_commitments
from trygg.documents.static_map import place_map_png, trend_png
from trygg.pages import place as place_page
from trygg.places.lookup import NameIndex
from trygg.stats import report
from trygg.stats.periods import Period
from trygg.store import batches, reads
from trygg.strings import category_label, t

FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
MARGIN = 15 * mm
WIDTH, HEIGHT = A4[0] - 2 * MARGIN, A4[1] - 2 * MARGIN
#: How many incident categories a place's handout lists (the largest this period).
TOP_CATEGORIES = 5


def build_handout(
    engine, kommun: str, place: str | None = None, year: int | None = None, lang=None
) -> bytes:
    """The handout as PDF bytes: one A4 page for ``place``, two for the kommun (None).

    Parameters
    ----------
    place : str, optional
        A place's name or alias; an unknown one is refused in Swedish (TryggError).
    year : int, optional
        The survey and incident year (default: the latest).
    """
    with engine.connect() as connection:
        name = NameIndex.of(connection, kommun).resolve(place, kommun)[1] if place else None
    figures = report.place_figures(engine, kommun, year, public=True)
    context = {
        "kommun": kommun,
        "namn": _kommun_name(engine, kommun),
        "figures": figures,
        "places": places.load_places(engine, kommun),
        "layers": reads.context_features(engine, kommun),
        "commitments": list_commitments(engine, kommun, name),
        "lang": lang,
    }
    _register_fonts()
    if name:
        pages = [_fit(_place_page(engine, context, name))]
    else:
        pages = [
            _fit(_kommun_page(engine, context)),
            PageBreak(),
            _fit(_commitments_page(engine, context)),
        ]
    buffer = io.BytesIO()
    title = t(
        "handout.title_place" if name else "handout.title_kommun",
        lang,
        place=name or "",
        kommun=context["namn"],
    )
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author="Trygghetskartan",
    )
    doc.build(pages)
    return buffer.getvalue()


def write_handout(path: str | Path, pdf: bytes) -> None:
    Path(path).write_bytes(pdf)


# --- The pages ---------------------------------------------------------------------------


def _place_page(engine, context: dict, name: str) -> list:
    lang = context["lang"]
    flow = _title(t("plats.title", lang, place=name, kommun=context["namn"]), lang)
    picture = _image(place_map_png(context["places"], context["layers"], name), 88 * mm)
    right = _survey_block(engine, context, name)
    flow.append(_side_by_side(picture, right))
    flow += _incidents_block(engine, context, name)
    flow += _commitments_block(context["commitments"], lang)
    return flow + _footer(engine, context)


def _kommun_page(engine, context: dict) -> list:
    lang, figures = context["lang"], context["figures"]
    flow = _title(t("handout.title_kommun", lang, kommun=context["namn"]), lang)
    picture = _image(place_map_png(context["places"], context["layers"]), 80 * mm)
    right = [_h(t("handout.survey_heading", lang, year=figures.get("year") or "–"))]
    total = (figures.get("kommun_total") or {}).get(place_page.CORE)
    if total:
        right.append(_p(place_page.headline(total, figures["min_n"], lang), "big"))
        trend = place_page.kommun_trend_points(_by_year(engine, context))
        right.append(_h(t("plats.trend_heading", lang)))
        if trend["points"]:
            right.append(_image(trend_png(trend["points"], lang), 75 * mm))
        note = place_page.trend_note(trend, lang)
        if note:
            right.append(_p(note))
    else:
        right.append(_p(t("plats.headline_no_answers", lang)))
    flow.append(_side_by_side(picture, right))
    flow.append(_h(t("handout.places_heading", lang)))
    flow.append(_places_table(figures, lang))
    return flow


def _commitments_page(engine, context: dict) -> list:
    flow = _title(
        t("handout.title_kommun", context["lang"], kommun=context["namn"]), context["lang"]
    )
    return (
        flow
        + _commitments_block(context["commitments"], context["lang"])
        + _footer(engine, context)
    )


# --- The blocks --------------------------------------------------------------------------


def _survey_block(engine, context: dict, name: str) -> list:
    lang, figures = context["lang"], context["figures"]
    block = [_h(t("handout.survey_heading", lang, year=figures.get("year") or "–"))]
    survey = place_page.place_survey(figures, name) if figures.get("kommun_total") else None
    if not survey:
        return [*block, _p(t("plats.headline_no_answers", lang))]
    figure = place_page.figure_of(survey, place_page.CORE)
    block.append(_p(place_page.headline(figure, figures["min_n"], lang), "big"))
    sentence = place_page.vs_rest_sentence(survey.get("vs_rest"), lang)
    if sentence:
        block.append(_p(sentence))
    by_year = _by_year(engine, context)
    trend = place_page.trend_points(by_year, name)
    block.append(_h(t("plats.trend_heading", lang)))
    if trend["points"]:
        block.append(_image(trend_png(trend["points"], lang), 80 * mm))
    else:
        block.append(_p(t("plats.trend_none", lang)))
    note = place_page.trend_note(trend, lang)
    return block + ([_p(note, "small")] if note else [])


def _by_year(engine, context: dict) -> dict[int, dict]:
    """The public figures of every survey year (the shown year's are in the context)."""
    figures = context["figures"]
    by_year = {figures["year"]: figures}
    for other in figures["years"]:
        if other != figures["year"]:
            by_year[other] = report.place_figures(engine, context["kommun"], other, public=True)
    return by_year


def _incidents_block(engine, context: dict, name: str) -> list:
    lang, figures = context["lang"], context["figures"]
    entry = next((p for p in figures["places"] if p["place"] == name), None)
    if "kommun_incidents" not in figures or entry is None:
        return []
    current = entry["incidents"]
    before = Period.year_of(figures["year"]).previous()
    previous = None
    if before.start.year in reads.incident_years(engine, context["kommun"]):
        earlier = report.place_figures(engine, context["kommun"], before.start.year, public=True)
        found = next((p for p in earlier["places"] if p["place_id"] == entry["place_id"]), None)
        previous = None if found is None else found["incidents"]
    top = sorted(current["by_category"], key=lambda c: -(current["by_category"][c] or 0))
    top = top[:TOP_CATEGORIES]
    shown = {"by_category": {c: current["by_category"][c] for c in top}, "total": current["total"]}
    if previous is not None:
        by = previous["by_category"]
        previous = {"by_category": {c: by.get(c, 0) for c in top}, "total": previous["total"]}
    labels = (str(figures["year"]), before.label)
    rows = place_page.category_change_rows(shown, previous, labels, figures["k"], lang)
    order = [category_label(c, lang) for c in top]
    column = t("dash.col_category", lang)
    rows[:-1] = sorted(rows[:-1], key=lambda row: order.index(row[column]))
    heading = t("handout.incidents_heading", lang, year=figures["year"])
    return [_h(heading), _table(rows), _p(t("dash.fewer_public", lang, k=figures["k"]), "small")]


def _commitments_block(items: list[dict], lang) -> list:
    flow = [_h(t("handout.commitments_heading", lang))]
    if not items:
        return [*flow, _p(t("handout.no_commitments", lang))]
    for item in items:
        where = ", ".join(item["places"]) or t("dash.kommun_wide", lang)
        status = t("dash.status", lang, status=follow_up.status_label(item["status"]))
        party = follow_up.party_label(item["party"])
        flow.append(_p(item["text"], "bold"))
        flow.append(_p(formatting.dotted(party, where, status), "small"))
        latest = latest_follow_up(item)
        if latest is None:
            flow.append(_p(t("dash.no_follow_up", lang), "small"))
        else:
            shown = {**latest, "status": follow_up.status_label(latest["status"])}
            flow.append(_p(formatting.follow_up_line(shown, lang), "small"))
    return flow


def _places_table(figures: dict, lang) -> Table:
    header = [
        t("handout.col_place", lang),
        t("handout.col_share", lang),
        t("dash.col_n", lang),
        t("handout.col_vs_rest", lang),
    ]
    rows = [
        dict(zip(header, _place_row(entry, figures, lang), strict=True))
        for entry in figures["places"]
    ]
    return _table(rows, header)


def _place_row(entry: dict, figures: dict, lang) -> list[str]:
    survey = entry["survey"] if figures.get("kommun_total") else None
    if not survey or not survey["n"]:
        return [entry["place"], t("handout.no_answers", lang), "0", "–"]
    figure = place_page.figure_of(survey, place_page.CORE)
    n = formatting.integer(figure["n"], lang)
    if figure["suppressed"] or figure.get("secondary_suppression") or figure["andel"] is None:
        return [entry["place"], t("handout.too_few", lang), n, "–"]
    share = formatting.percent(figure["andel"], lang=lang)
    interval = formatting.share_range(figure["ki_lag"], figure["ki_hog"], lang)
    words = place_page.vs_rest_words(survey.get("vs_rest"), lang) or "–"
    return [entry["place"], f"{share} ({interval})", n, words]


def _footer(engine, context: dict) -> list:
    lang, figures = context["lang"], context["figures"]
    sources = [s["source"] or s["file_name"] for s in figures.get("sources", [])]
    lines = [
        t("handout.sources", lang, sources=", ".join(sources) or "–"),
        t("handout.method", lang, min_n=figures["min_n"], k=figures.get("k", 3)),
    ]
    if figures.get("synthetic"):
        lines.append(t("dash.synthetic_survey", lang))
    if _incidents_synthetic(engine, context["kommun"]):
        lines.append(t("dash.synthetic_incidents", lang))
    return [Spacer(1, 3 * mm)] + [_p(line, "small") for line in lines]


# --- ReportLab helpers -------------------------------------------------------------------


def _register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(fonts / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(fonts / "DejaVuSans-Bold.ttf")))


STYLES = {
    "body": ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5),
    "small": ParagraphStyle(
        "small", fontName=FONT, fontSize=8, leading=10, textColor=colors.HexColor("#3b4a59")
    ),
    "bold": ParagraphStyle("bold", fontName=BOLD, fontSize=9.5, leading=12, spaceBefore=3),
    "big": ParagraphStyle("big", fontName=BOLD, fontSize=13, leading=17, spaceAfter=4),
    "h": ParagraphStyle("h", fontName=BOLD, fontSize=11.5, leading=15, spaceBefore=6, spaceAfter=2),
    "title": ParagraphStyle("title", fontName=BOLD, fontSize=18, leading=22),
}


def _p(text: str, style: str = "body") -> Paragraph:
    """A paragraph of plain text: ``text`` is escaped, so no markup in it is read."""
    return Paragraph(escape(str(text)), STYLES[style])


def _h(text: str) -> Paragraph:
    return _p(text, "h")


def _title(text: str, lang) -> list:
    made = t("handout.made", lang, date=date.today().isoformat())
    return [_p(text, "title"), _p(made, "small"), Spacer(1, 3 * mm)]


def _image(png: bytes, width: float) -> Image:
    picture = Image(io.BytesIO(png))
    picture.drawHeight = width * picture.imageHeight / picture.imageWidth
    picture.drawWidth = width
    return picture


def _side_by_side(left, right: list) -> Table:
    table = Table([[left, right]], colWidths=[left.drawWidth + 4 * mm, None])
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    return table


def _table(rows: list[dict], header: list[str] | None = None) -> Table:
    header = header or (list(rows[0]) if rows else [])
    cells = [[_p(h, "bold") for h in header]]
    cells += [[_p(row.get(h, ""), "small") for h in header] for row in rows]
    table = Table(cells, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#c8ccd0")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _fit(flow: list) -> KeepInFrame:
    """The flow shrunk to one A4 page if it would run over."""
    return KeepInFrame(WIDTH, HEIGHT - 2 * mm, flow, mode="shrink")


def _kommun_name(engine, kommun: str) -> str:
    known = {k["kod"]: k["namn"] for k in store.list_kommuner(engine)}
    return known.get(kommun) or kommun


def _incidents_synthetic(engine, kommun: str) -> bool:
    return any(
        batches.is_synthetic(batch)
        for batch in batches.list_batches(engine, kommun)
        if batch["kind"] == batches.INCIDENTS_KIND and batch["status"] == batches.ACTIVE
    )
