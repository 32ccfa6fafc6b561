"""The legend: what is shown, the year, the classes, what is left off and the source.

Every text is escaped with :func:`~trygg.maps.inert.inert`; the classes are listed from
the highest down, as they read on a map where darker means more. Each grid layer adds
its own section. The legend is drawn by ``templates/legend.js``, which also fits the
map again so that no place lies under the legend.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from branca.element import MacroElement
from folium.template import Template

from trygg.maps import templates
from trygg.maps.choropleth import SUPPRESSED, Choropleth, IncidentChoropleth
from trygg.maps.inert import inert
from trygg.maps.palette import NEUTRAL_FILL, classify
from trygg.strings import t

if TYPE_CHECKING:
    from trygg.maps.layers import DensityLayer, HotspotLayer

#: Room kept free around the places when the map opens (and beside the legend).
MAP_PADDING_PX = 24

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
        One ``<div class='trygg-legend'>``, every text escaped; the source note says
        once which data are synthetic.
    """
    overlays = list(overlays)
    parts = [] if choropleth is None else [_choropleth_legend(choropleth, lang)]
    parts += [overlay.legend_html(lang) for overlay in overlays]
    layers = [layer for layer in [choropleth, *overlays] if layer is not None]
    kinds = frozenset(layer.synthetic_kind for layer in layers if layer.synthetic)
    if kinds:
        note = inert(t(SYNTHETIC_NOTES[kinds], lang))
        parts.append(f"<div class='trygg-legend-synthetic'>{note}</div>")
    return f"<div class='trygg-legend'>{''.join(parts)}</div>"


def _choropleth_legend(choropleth: Choropleth | IncidentChoropleth, lang: str) -> str:
    classes = classify(choropleth.shown_values())
    notes = [choropleth.about]
    if choropleth.year is not None:
        notes.insert(0, t("map.legend_year", lang, year=choropleth.year))
    rows = [legend_heading(choropleth.title, notes)]
    rows += [
        legend_row(f"background:{colour}", choropleth.range_text(low, high, lang))
        for colour, (low, high) in reversed(list(zip(classes.colours, classes.ranges, strict=True)))
    ]
    for status, text in choropleth.missing_rows(lang):
        if status == SUPPRESSED:
            rows.append(legend_row("trygg-hatch-swatch", text, css=True))
        else:
            rows.append(legend_row(f"background:{NEUTRAL_FILL}", text))
    return "".join(rows)


def legend_heading(title: str, notes: Iterable[str]) -> str:
    """A section's title and the notes under it, escaped."""
    head = [f"<div class='trygg-legend-title'>{inert(title)}</div>"]
    head += [f"<div class='trygg-legend-note'>{inert(n)}</div>" for n in notes if n]
    return "".join(head)


def legend_row(swatch: str, text: str, css: bool = False) -> str:
    """One row: a swatch (an inline style, or a class when ``css``) and its text."""
    look = f"class='trygg-swatch {swatch}'" if css else f"class='trygg-swatch' style='{swatch}'"
    return f"<div class='trygg-legend-row'><span {look}></span>{inert(text)}</div>"


def swatches_row(colours: list[str], text: str) -> str:
    """One row of small swatches side by side (hot or cold spots) and its text."""
    swatches = "".join(
        f"<span class='trygg-swatch trygg-swatch-small' style='background:{c}'></span>"
        for c in colours
    )
    return f"<div class='trygg-legend-row'>{swatches}{inert(text)}</div>"


class _Legend(MacroElement):
    """The legend control, drawn by ``tryggLegend`` in ``templates/legend.js``."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.code }}
        tryggLegend({{ this.content|tojson }}, {{ this.bounds|tojson }},
                    {{ this.padding|tojson }}, {{ this._parent.get_name() }});
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
