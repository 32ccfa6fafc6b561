"""Figures for the lägesbild drawn without a browser: PNG bytes at print resolution.

Only public figures come in: the public hot-spot grid (:func:`trygg.stats.report.hotspots`
with ``public=True``) and the public hour × weekday profile; no incident point is drawn.
"""

from __future__ import annotations

import io

import geopandas as gpd
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

#: Print resolution of every image in the document.
DPI = 220
#: Gi* bins (−3 … 3) as the map's colours: cold blue, neutral, hot red.
BIN_COLOURS = {
    3: "#b2182b",
    2: "#ef8a62",
    1: "#fddbc7",
    -1: "#d1e5f0",
    -2: "#67a9cf",
    -3: "#2166ac",
}


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    return buffer.getvalue()


def hotspot_map(places: gpd.GeoDataFrame, grid: dict, labels: dict[int, str]) -> bytes:
    """The public Gi* grid over the place polygons, each place labelled.

    Parameters
    ----------
    places : GeoDataFrame
        The kommun's places (:func:`trygg.places.load_places`, EPSG:3006).
    grid : dict
        The ``grid`` FeatureCollection of the public hot-spot result (WGS84).
    labels : dict
        ``{gi_bin: legend text}`` for the bins to draw.
    """
    figure = Figure(figsize=(7, 6))
    axes = figure.add_subplot()
    places.boundary.plot(ax=axes, color="#555555", linewidth=0.6)
    cells = gpd.GeoDataFrame.from_features(grid.get("features", []), crs="EPSG:4326")
    handles = []
    if len(cells):
        cells = cells.to_crs(places.crs)
        for value, colour in BIN_COLOURS.items():
            chosen = cells[cells["gi_bin"] == value]
            if len(chosen) and value in labels:
                chosen.plot(ax=axes, color=colour, linewidth=0)
                handles.append(Patch(color=colour, label=labels[value]))
    for _, row in places.iterrows():
        point = row.geometry.representative_point()
        axes.annotate(row["name"], (point.x, point.y), fontsize=6, ha="center", color="#222222")
    if handles:
        axes.legend(handles=handles, loc="lower left", fontsize=6)
    axes.set_aspect("equal")
    axes.set_axis_off()
    return _png(figure)


def time_profile_chart(hour_weekday: list[list], weekdays: list[str], hidden: str) -> bytes:
    """The hour × weekday counts as a heat table; hidden cells grey and marked ``hidden``."""
    figure = Figure(figsize=(8, 3))
    axes = figure.add_subplot()
    values = [[0 if n is None else n for n in row] for row in hour_weekday]
    axes.imshow(values, cmap="Oranges", aspect="auto")
    for day, row in enumerate(hour_weekday):
        for hour, n in enumerate(row):
            if n is None:
                axes.add_patch(_grey_cell(hour, day))
                axes.text(hour, day, hidden, ha="center", va="center", fontsize=4.5)
            elif n:
                axes.text(hour, day, str(n), ha="center", va="center", fontsize=5)
    axes.set_yticks(range(len(weekdays)), weekdays, fontsize=6)
    axes.set_xticks(range(24), [f"{hour:02d}" for hour in range(24)], fontsize=6)
    return _png(figure)


def _grey_cell(hour: int, day: int) -> Rectangle:
    return Rectangle((hour - 0.5, day - 0.5), 1, 1, color="#dddddd")
