"""Grid layers over the places: Gi* hot and cold spots, and a smoothed density.

Incidents reach the map only as places or as grid cells: a layer refuses any geometry
that is not an area, so raw incident points never do. The cells take no clicks or
hovers, so the places under them stay clickable.
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
        """The cells with bin ≠ 0, weakest first; only their bin and style are sent."""
        cells = [f for f in _area_features(self.grid) if f["properties"]["gi_bin"] != 0]
        cells.sort(key=lambda f: abs(f["properties"]["gi_bin"]))
        return [
            _cell_feature(f, {"gi_bin": int(f["properties"]["gi_bin"])}, _hotspot_style(f))
            for f in cells
        ]

    def layer(self, lang: str | None = None) -> folium.GeoJson:
        return _grid_layer(self.features(), t("map.hotspot_layer", lang))

    def legend_html(self, lang: str | None = None) -> str:
        category = self.category or t("map.all_categories", lang)
        cell = t("fmt.metres", lang, value=formatting.integer(round(self.cell), lang))
        note = t("map.hotspot_note", lang, cell=cell, category=category)
        rows = [
            swatches_row([HOTSPOT_COLOURS[b] for b in (3, 2, 1)], t("map.hotspot_hot", lang)),
            swatches_row([HOTSPOT_COLOURS[b] for b in (-3, -2, -1)], t("map.hotspot_cold", lang)),
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
            colour = colours[classes.index(density)]
            style = {"stroke": False, "fillColor": colour, "fillOpacity": DENSITY_OPACITY}
            features.append(_cell_feature(f, {"density": density}, style))
        return features

    def layer(self, lang: str | None = None) -> folium.GeoJson:
        return _grid_layer(self.features(), t("map.density_layer", lang))

    def legend_html(self, lang: str | None = None) -> str:
        classes = self.classes()
        cell = self.density.get("cell", 250)
        note = t("map.density_note", lang, cell=t("fmt.metres", lang, value=round(cell)))
        rows = [
            legend_row(
                f"background:{colour};opacity:{DENSITY_OPACITY + 0.2}",
                formatting.number_range(low, high, 0, lang),
            )
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


def _hotspot_style(feature: Mapping) -> dict:
    colour = HOTSPOT_COLOURS[int(feature["properties"]["gi_bin"])]
    return {"color": colour, "weight": 1, "fillColor": colour, "fillOpacity": HOTSPOT_OPACITY}


def _grid_layer(features: list[dict], name: str) -> folium.GeoJson:
    """Cells that take no clicks or hovers, so the places under them stay clickable."""
    return folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=name,
        style_function=lambda f: f["properties"]["style"],
        interactive=False,
        control=False,
    )
