"""Grid layers over the places: Gi* hot and cold spots, and a smoothed density.

Incidents reach the map only as places or as grid cells: a layer refuses any geometry
that is not an area, so raw incident points never do. The cells take no clicks or
hovers, so the places under them stay clickable, and they are drawn as outlines with a
light tint (outline mode): the places keep their colours, so the choropleth's legend
still matches with a layer on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import folium

from trygg import formatting
from trygg.maps.inert import inert
from trygg.maps.legend import legend_heading, legend_row, swatches_row
from trygg.maps.palette import (
    DENSITY_OPACITY,
    DENSITY_PALETTE,
    HOTSPOT_COLOURS,
    HOTSPOT_OPACITY,
    MAX_CLASSES,
    Classes,
    classify,
)
from trygg.strings import t


@dataclass(frozen=True)
class HotspotLayer:
    """Gi* hot and cold spots: the significant cells of the grid, coloured by bin.

    Attributes
    ----------
    grid : Mapping
        The ``grid`` FeatureCollection of the hot-spot analysis (square cells with
        ``gi_bin``). Public output already leaves out cells under k.
    cell : float
        The cell size in metres, named in the legend.
    category : str, optional
        The category analysed (its label), or None for all.
    synthetic : bool
        The incidents are synthetic demo data.
    """

    grid: Mapping
    cell: float
    category: str | None = None
    synthetic: bool = False

    def features(self) -> list[dict]:
        """The cells with bin ≠ 0 or an emerging trend, weakest first; only their bin, trend
        and style are sent."""
        cells = [
            f
            for f in _area_features(self.grid)
            if f["properties"]["gi_bin"] != 0 or _trend(f) is not None
        ]
        cells.sort(key=lambda f: abs(f["properties"]["gi_bin"]))
        return [_cell_feature(f, _cell_properties(f), _hotspot_style(f)) for f in cells]

    def trends(self) -> list[str]:
        """The emerging-hot-spot classes drawn, in the order of the legend."""
        found = {_trend(f) for f in _area_features(self.grid)}
        return [name for name in EMERGING_LOOKS if name in found]

    def layer(self, lang: str | None = None) -> folium.GeoJson:
        return _grid_layer(self.features(), t("map.hotspot_layer", lang))

    def legend_html(self, lang: str | None = None) -> str:
        category = self.category or t("map.all_categories", lang)
        cell = t("fmt.metres", lang, value=formatting.integer(round(self.cell), lang))
        note = t("map.hotspot_note", lang, cell=cell, category=category)
        hot, cold = (
            [HOTSPOT_COLOURS[b] for b in (3, 2, 1)],
            [HOTSPOT_COLOURS[b] for b in (-3, -2, -1)],
        )
        rows = [
            swatches_row(hot, t("map.hotspot_hot", lang), outline=True),
            swatches_row(cold, t("map.hotspot_cold", lang), outline=True),
        ]
        rows += [
            legend_row(
                f"border:3px {EMERGING_LOOKS[name][1]} #222;background:#fff",
                t(f"hot.emerging.{name}", lang),
            )
            for name in self.trends()
        ]
        heading = legend_heading(t("map.hotspot_title", lang), [])
        note_html = f"<div class='trygg-legend-note'>{inert(note)}</div>"
        return f"<div class='trygg-legend-section'>{heading}{''.join(rows)}{note_html}</div>"

    synthetic_kind = "incidents"


@dataclass(frozen=True)
class DensityLayer:
    """A smoothed density of incidents: coarse cells on a sequential ramp, see-through.

    Attributes
    ----------
    density : Mapping
        The ``density`` FeatureCollection of the hot-spot analysis (cells with
        ``density`` per km²; sparse cells are already left out).
    synthetic : bool
        The incidents are synthetic demo data.
    """

    density: Mapping
    synthetic: bool = False

    def classes(self) -> Classes:
        return classify(f["properties"]["density"] for f in _area_features(self.density))

    def colours(self) -> tuple[str, ...]:
        return DENSITY_PALETTE[MAX_CLASSES - len(self.classes().bins) :]

    def features(self) -> list[dict]:
        classes, colours = self.classes(), self.colours()
        features = []
        for f in _area_features(self.density):
            density = f["properties"]["density"]
            index = classes.index(density)
            features.append(_cell_feature(f, {"density": density}, _density_style(colours, index)))
        return features

    def layer(self, lang: str | None = None) -> folium.GeoJson:
        return _grid_layer(self.features(), t("map.density_layer", lang))

    def legend_html(self, lang: str | None = None) -> str:
        classes = self.classes()
        cell = self.density.get("cell", 250)
        note = t("map.density_note", lang, cell=t("fmt.metres", lang, value=round(cell)))
        rows = [
            legend_row(_outline_swatch(colour), formatting.number_range(low, high, 0, lang))
            for colour, (low, high) in reversed(
                list(zip(self.colours(), classes.ranges, strict=True))
            )
        ]
        heading = legend_heading(t("map.density_title", lang), [note])
        return f"<div class='trygg-legend-section'>{heading}{''.join(rows)}</div>"

    synthetic_kind = "incidents"


def _area_features(collection: Mapping) -> list[dict]:
    """The features of a grid layer; anything but an area (a raw point) is refused."""
    features = list(collection.get("features", []))
    for feature in features:
        kind = feature["geometry"]["type"]
        if kind not in {"Polygon", "MultiPolygon"}:
            raise ValueError(f"a grid layer holds areas only, not {kind}: no raw points")
    return features


def _cell_feature(feature: Mapping, properties: dict, style: dict) -> dict:
    return {
        "type": "Feature",
        "properties": {**properties, "style": style},
        "geometry": feature["geometry"],
    }


#: Outline width of a cell by its Gi* confidence (90, 95, 99 %) and of a density class.
HOTSPOT_WEIGHTS = {1: 2.0, 2: 3.0, 3: 4.0}
DENSITY_WEIGHTS = (1.5, 2.0, 2.5, 3.0, 3.5)


#: How each emerging-hot-spot class is drawn without relying on colour: the cell's
#: outline dashes on the map (SVG ``dashArray``) and the legend swatch's CSS border style.
EMERGING_LOOKS = {
    "new": ("1 5", "dotted"),
    "intensifying": (None, "double"),
    "persistent": (None, "solid"),
    "diminishing": ("8 5", "dashed"),
    "sporadic": ("2 5 8 5", "dashed"),
}


def _cell_properties(feature: Mapping) -> dict:
    """What a hot-spot cell sends: its bin, and its trend when one was found."""
    properties = {"gi_bin": int(feature["properties"]["gi_bin"])}
    if _trend(feature) is not None:
        properties["emerging"] = _trend(feature)
    return properties


def _trend(feature: Mapping) -> str | None:
    """The cell's emerging-hot-spot class, or None (no trend analysed, or none found)."""
    name = feature["properties"].get("emerging")
    return name if name in EMERGING_LOOKS else None


def _hotspot_style(feature: Mapping) -> dict:
    """An outline in the bin's colour, thicker for higher confidence, a light tint; an
    emerging trend as the outline's dashes (intensifying: a double-thick outline)."""
    gi_bin = int(feature["properties"]["gi_bin"])
    colour = HOTSPOT_COLOURS[gi_bin] if gi_bin else "#222222"
    style = {
        "color": colour,
        "weight": HOTSPOT_WEIGHTS.get(abs(gi_bin), 2.0),
        "opacity": 1.0,
        "fillColor": colour,
        "fillOpacity": HOTSPOT_OPACITY if gi_bin else 0.0,
    }
    trend = _trend(feature)
    if trend is not None:
        dashes = EMERGING_LOOKS[trend][0]
        if dashes:
            style["dashArray"] = dashes
        if trend == "intensifying":
            style["weight"] = style["weight"] * 2
    return style


def _density_style(colours: tuple[str, ...], index: int) -> dict:
    """An outline in the class's colour, thicker for denser, a light tint."""
    colour = colours[index]
    weight = DENSITY_WEIGHTS[MAX_CLASSES - len(colours) + index]
    return {"color": colour, "weight": weight, "fillColor": colour, "fillOpacity": DENSITY_OPACITY}


def _outline_swatch(colour: str) -> str:
    """A legend swatch drawn like a cell: the outline, the light tint inside."""
    return f"border:3px solid {colour};background:{_tint(colour, DENSITY_OPACITY)}"


def _tint(colour: str, opacity: float) -> str:
    """``colour`` at ``opacity`` over white, as an opaque ``#rrggbb``."""
    channels = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(255 - (255 - c) * opacity):02x}" for c in channels)


def _grid_layer(features: list[dict], name: str) -> folium.GeoJson:
    """Cells that take no clicks or hovers, so the places under them stay clickable."""
    return folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=name,
        style_function=lambda f: f["properties"]["style"],
        interactive=False,
        control=False,
    )
