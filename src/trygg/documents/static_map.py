"""Pictures for printed documents, drawn without a browser (matplotlib's Agg backend).

:func:`place_map_png` draws the kommun's places over its context layers, one place
highlighted and labelled, with a scale bar; :func:`trend_png` draws a share over the
survey years with its interval. Both return PNG bytes; neither reads the store.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure

from trygg import formatting
from trygg.scales import WEB_CRS

#: The places' CRS (SWEREF 99 TM, metres), so the scale bar is in metres.
METRIC_CRS = "EPSG:3006"
#: How context kinds are drawn: face colour, edge colour, line width.
CONTEXT_STYLE = {
    "bebyggelse": ("#e3e0da", "#e3e0da", 0.2),
    "vatten": ("#b9d7ee", "#8fbbe0", 0.4),
    "vag": ("none", "#9a9a9a", 0.8),
    "grans": ("none", "#333333", 1.0),
}
HIGHLIGHT = "#08306b"
DPI = 200


def place_map_png(
    places: gpd.GeoDataFrame,
    context: Iterable[tuple] = (),
    place: str | None = None,
    size: tuple[float, float] = (4.0, 3.4),
) -> bytes:
    """The places over their context, ``place`` highlighted and labelled, as a PNG.

    Parameters
    ----------
    places : geopandas.GeoDataFrame
        The kommun's places (``name``, ``geometry``), as :func:`trygg.places.load_places`.
    context : iterable of tuple
        ``(kind, name, web_wkb, …)`` rows of :func:`trygg.store.reads.context_features`.
    place : str, optional
        The place to highlight and zoom to (with its neighbours around); None: all places.
    """
    shapes = places.to_crs(METRIC_CRS)
    chosen = shapes[shapes["name"] == place] if place else shapes
    figure = Figure(figsize=size, dpi=DPI)
    axes = figure.add_axes((0, 0, 1, 1))
    _draw_context(axes, list(context))
    shapes.plot(ax=axes, facecolor="#c6dbef", edgecolor="#4575b4", linewidth=0.6, alpha=0.8)
    if place:
        chosen.plot(ax=axes, facecolor=HIGHLIGHT, edgecolor=HIGHLIGHT, alpha=0.55, linewidth=1.5)
    _frame(axes, chosen.total_bounds, size)
    if place:
        _labels(axes, shapes[shapes["name"] != place], bold=False)
    _labels(axes, chosen, bold=bool(place))
    _scale_bar(axes)
    axes.set_axis_off()
    return _png(figure)


def trend_png(points: list[Mapping], lang: str | None = None, size=(3.4, 1.6)) -> bytes:
    """The share per year (``points`` of :func:`trygg.pages.place.trend_points`) with its
    95 % interval as a band, as a PNG."""
    figure = Figure(figsize=size, dpi=DPI)
    axes = figure.add_axes((0.2, 0.18, 0.76, 0.76))
    years = [str(p["year"]) for p in points]
    axes.fill_between(
        years, [p["ki_lag"] for p in points], [p["ki_hog"] for p in points], alpha=0.3
    )
    axes.plot(years, [p["andel"] for p in points], marker="o", color=HIGHLIGHT)
    axes.set_ylim(0, max(p["ki_hog"] for p in points) * 1.15)
    axes.yaxis.set_major_formatter(lambda value, _pos: formatting.percent(value, 0, lang))
    axes.tick_params(labelsize=7)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return _png(figure)


def _draw_context(axes, rows: list[tuple]) -> None:
    rows = [row for row in rows if row[0] in CONTEXT_STYLE and row[2] is not None]
    if not rows:
        return
    shapes = gpd.GeoSeries.from_wkb([bytes(row[2]) for row in rows], crs=WEB_CRS)
    shapes = shapes.to_crs(METRIC_CRS)
    for kind, (face, edge, width) in CONTEXT_STYLE.items():
        chosen = shapes[[row[0] == kind for row in rows]]
        if not chosen.empty:
            chosen.plot(ax=axes, facecolor=face, edgecolor=edge, linewidth=width)


def _frame(axes, bounds, size) -> None:
    """Zoom to ``bounds`` with its neighbours around, in the picture's aspect, metres square."""
    west, south, east, north = bounds
    width, height = max(east - west, 200.0), max(north - south, 200.0)
    cx, cy = (west + east) / 2, (south + north) / 2
    aspect = size[0] / size[1]
    width, height = max(width, height * aspect) * 3, max(height, width / aspect) * 3
    axes.set_xlim(cx - width / 2, cx + width / 2)
    axes.set_ylim(cy - height / 2, cy + height / 2)
    axes.set_aspect("equal", adjustable="datalim")


def _labels(axes, shapes: gpd.GeoDataFrame, bold: bool) -> None:
    for name, point in zip(shapes["name"], shapes.representative_point(), strict=True):
        axes.annotate(
            str(name),
            (point.x, point.y),
            ha="center",
            fontsize=8 if bold else 5,
            fontweight="bold" if bold else "normal",
            color="#10253a",
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8},
            annotation_clip=True,
        )


def _scale_bar(axes) -> None:
    """A bar of a round length (1, 2 or 5 × 10ⁿ m), about a fifth of the map wide."""
    west, east = axes.get_xlim()
    south, north = axes.get_ylim()
    target = (east - west) / 5
    length = max(
        (m * 10**e for e in range(0, 6) for m in (1, 2, 5) if m * 10**e <= target), default=1
    )
    x, y = west + (east - west) * 0.05, south + (north - south) * 0.06
    axes.plot([x, x + length], [y, y], color="black", linewidth=2.5, solid_capstyle="butt")
    text = f"{length // 1000} km" if length >= 1000 else f"{length} m"
    axes.text(x + length / 2, y + (north - south) * 0.02, text, ha="center", fontsize=7)


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
