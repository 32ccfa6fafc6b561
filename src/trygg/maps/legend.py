"""The legend: what is shown, the year, the classes, what is left off and the source.

Every text is escaped with :func:`~trygg.maps.inert.inert`; the classes are listed from
the highest down, as they read on a map where darker means more. The legend lists only
what is drawn: a class no place falls in, a "för få svar" row with nothing hidden, or a
mark no place carries gets no row. Each grid layer adds its own section. The legend is
one ``<details>``, open, that a click or the keyboard folds away, and never taller than
40 % of the map (it scrolls). It is drawn by ``templates/legend.js``, which also fits
the map again so that no place lies under the legend.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from branca.element import MacroElement
from folium.template import Template

from trygg.maps import templates
from trygg.maps.choropleth import SUPPRESSED, Choropleth, IncidentChoropleth
from trygg.maps.inert import inert
from trygg.maps.palette import MARK_SWATCHES, NEUTRAL_FILL
from trygg.strings import t

if TYPE_CHECKING:
    from trygg.maps.layers import DensityLayer, HotspotLayer

#: Room kept free around the places when the map opens (and beside the legend).
MAP_PADDING_PX = 24
#: The legend is never taller than this share of the map; it scrolls instead.
LEGEND_MAX_HEIGHT = 0.4
#: The legend's own rules (with ``projector.css``): fold-away, scrolling, the marks.
LEGEND_CSS = f"""
.trygg-legend {{ max-height: {LEGEND_MAX_HEIGHT * 100:.0f}vh; overflow: auto;
  box-sizing: border-box; }}
.trygg-legend summary {{ cursor: pointer; font-weight: 700; }}
.trygg-legend summary:focus-visible {{ outline: 3px solid #16324f; outline-offset: 2px; }}
.trygg-legend details[open] > summary {{ margin-bottom: 4px; }}
"""

#: The legend's source note for the kinds of synthetic data on the map.
SYNTHETIC_NOTES = {
    frozenset({"answers"}): "map.legend_synthetic",
    frozenset({"incidents"}): "map.legend_synthetic_incidents",
    frozenset({"answers", "incidents"}): "map.legend_synthetic_both",
}


def legend_html(
    choropleth: Choropleth | IncidentChoropleth | None,
    lang: str | None = None,
    overlays: Iterable[HotspotLayer | DensityLayer] = (),
) -> str:
    """The legend's HTML for a choropleth and the grid layers over it.

    Parameters
    ----------
    choropleth : Choropleth or IncidentChoropleth, optional
        The figure the places are coloured by.
    lang : str
        Language of the texts.
    overlays : iterable of HotspotLayer or DensityLayer
        Grid layers; each adds its own section.

    Returns
    -------
    str
        One ``<div class='trygg-legend'>`` holding an open ``<details>``, every text
        escaped; the source note says once which data are synthetic.
    """
    overlays = list(overlays)
    parts = [] if choropleth is None else [_choropleth_legend(choropleth, lang)]
    parts += [overlay.legend_html(lang) for overlay in overlays]
    layers = [layer for layer in [choropleth, *overlays] if layer is not None]
    kinds = frozenset(layer.synthetic_kind for layer in layers if layer.synthetic)
    if kinds:
        note = inert(t(SYNTHETIC_NOTES[kinds], lang))
        parts.append(f"<div class='trygg-legend-synthetic'>{note}</div>")
    if choropleth is None:  # the choropleth's title is the summary; else a plain one
        parts.insert(0, f"<summary>{inert(t('map.legend_summary', lang))}</summary>")
    return f"<div class='trygg-legend'><details open>{''.join(parts)}</details></div>"


def _choropleth_legend(choropleth: Choropleth | IncidentChoropleth, lang: str) -> str:
    classes = choropleth.classes()
    notes = [choropleth.about]
    if choropleth.year is not None:
        notes.insert(0, t("map.legend_year", lang, year=choropleth.year))
    rows = [legend_heading(choropleth.title, notes, summary=True)]
    for index in reversed(classes.drawn(choropleth.shown_values())):
        low, high = classes.ranges[index]
        colour = classes.colours[index]
        rows.append(legend_row(f"background:{colour}", choropleth.range_text(low, high, lang)))
    for status, text in choropleth.missing_rows(lang):
        if status == SUPPRESSED:
            rows.append(legend_row("trygg-hatch-swatch", text, css=True))
        else:
            rows.append(legend_row(f"background:{NEUTRAL_FILL}", text))
    marks = {choropleth.mark(place_id) for place_id in _place_ids(choropleth)}
    for mark in ("higher", "lower"):
        if mark in marks:
            text = t(f"map.legend_mark_{mark}", lang)
            rows.append(legend_row(MARK_SWATCHES[mark], text))
    return "".join(rows)


def _place_ids(choropleth: Choropleth | IncidentChoropleth) -> list[int]:
    found = choropleth.figures if isinstance(choropleth, Choropleth) else choropleth.blocks
    return list(found)


def legend_heading(title: str, notes: Iterable[str], summary: bool = False) -> str:
    """A section's title and the notes under it, escaped; with ``summary`` the title is
    the ``<summary>`` that folds the legend away."""
    if summary:
        head = [f"<summary><span class='trygg-legend-title'>{inert(title)}</span></summary>"]
    else:
        head = [f"<div class='trygg-legend-title'>{inert(title)}</div>"]
    head += [f"<div class='trygg-legend-note'>{inert(n)}</div>" for n in notes if n]
    return "".join(head)


def legend_row(swatch: str, text: str, css: bool = False) -> str:
    """One row: a swatch (an inline style, or a class when ``css``) and its text."""
    look = f"class='trygg-swatch {swatch}'" if css else f"class='trygg-swatch' style='{swatch}'"
    return f"<div class='trygg-legend-row'><span {look}></span>{inert(text)}</div>"


def swatches_row(colours: list[str], text: str, outline: bool = False) -> str:
    """One row of small swatches side by side (hot or cold spots) and its text; with
    ``outline`` each is drawn like a grid cell, a coloured outline round a light inside."""
    looks = [
        f"border:3px solid {c};background:#fff" if outline else f"background:{c}" for c in colours
    ]
    swatches = "".join(
        f"<span class='trygg-swatch trygg-swatch-small' style='{look}'></span>" for look in looks
    )
    return f"<div class='trygg-legend-row'>{swatches}{inert(text)}</div>"


class _Legend(MacroElement):
    """The legend control, drawn by ``tryggLegend`` in ``templates/legend.js``."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        {{ this.code }}
        tryggLegend({{ this.content|tojson }}, {{ this.bounds|tojson }},
                    {{ this.padding|tojson }}, {{ this._parent.get_name() }},
                    {{ this.max_height|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, content: str, bounds: list | None):
        super().__init__()
        self._name = "Legend"
        self.code = templates.source("legend.js")
        self.content = content
        self.bounds = bounds
        self.padding = MAP_PADDING_PX
        self.max_height = LEGEND_MAX_HEIGHT
        self.css = LEGEND_CSS
