"""Charts for the flow analytics as PNG data URIs (matplotlib, Agg; no outside host).

Not inline SVG: its style attributes are inline styles, which the Content-Security-Policy
blocks (see training/readiness.py). Each function takes plain numbers and translated labels and
returns `data:image/png;base64,...`; the page puts the same numbers in a table beside the
chart and describes it in the alt text.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib.collections import PolyCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

PALETTE = [
    "#0f4c5c",
    "#e36414",
    "#5f0f40",
    "#9a031e",
    "#2a9d8f",
    "#fb8b24",
    "#6a4c93",
    "#8d99ae",
    "#264653",
]
ACCENT = "#c8553d"


def _png(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _figure(height: float = 3.4, width: float = 8.0) -> Figure:
    return Figure(figsize=(width, height), dpi=100)


def _ticks(axes, labels: Sequence[str]) -> None:
    positions = list(range(len(labels)))
    step = max(1, len(labels) // 12)
    axes.set_xticks(positions[::step])
    axes.set_xticklabels(labels[::step], rotation=45, ha="right", fontsize=8)


def stacked_bars(
    *,
    labels: Sequence[str],
    series: dict[str, Sequence[float]],
    title: str,
    ylabel: str,
    empty: str,
) -> str:
    """Bars per period, one stacked colour per series (series with only zeros are left out)."""
    figure = _figure()
    axes = figure.subplots()
    bottoms = [0.0] * len(labels)
    drawn = 0
    for colour, (name, values) in zip(PALETTE * 3, series.items(), strict=False):
        if not any(values):
            continue
        axes.bar(range(len(labels)), values, bottom=bottoms, color=colour, label=name, width=0.8)
        bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
        drawn += 1
    if drawn:
        axes.legend(fontsize=8, loc="upper left", ncols=min(drawn, 4), frameon=False)
        axes.set_ylim(top=max(bottoms) * 1.25 or 1)
    else:
        axes.text(0.5, 0.5, empty, ha="center", va="center", transform=axes.transAxes)
    axes.set_title(title, fontsize=11)
    axes.set_ylabel(ylabel, fontsize=9)
    _ticks(axes, labels)
    axes.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    return _png(figure)


def small_multiples(
    *, labels: Sequence[str], panels: Sequence[tuple[str, Sequence[float]]], title: str
) -> str:
    """One small bar chart per measure with its own scale (persons, firearms, USD...)."""
    figure = _figure(height=2.2 * len(panels))
    axes_list = figure.subplots(len(panels), 1, sharex=True, squeeze=False)[:, 0]
    for colour, axes, (name, values) in zip(PALETTE, axes_list, panels, strict=False):
        axes.bar(range(len(labels)), values, color=colour, width=0.8)
        axes.set_ylabel(name, fontsize=8)
        axes.grid(axis="y", alpha=0.3)
        axes.set_ylim(bottom=0, top=(max(values) if any(values) else 1) * 1.15)
    axes_list[0].set_title(title, fontsize=11)
    _ticks(axes_list[-1], labels)
    figure.tight_layout()
    return _png(figure)


def rate_lines(
    *,
    labels: Sequence[str],
    series: dict[str, Sequence[float | None]],
    title: str,
    ylabel: str,
    empty: str,
) -> str:
    """Rates (0–1) per period, one line per series; a period without a rate is a gap."""
    figure = _figure()
    axes = figure.subplots()
    drawn = 0
    for colour, (name, values) in zip(PALETTE * 3, series.items(), strict=False):
        if all(v is None for v in values):
            continue
        ys = [float("nan") if v is None else v * 100 for v in values]
        axes.plot(range(len(labels)), ys, marker="o", markersize=3, color=colour, label=name)
        drawn += 1
    if drawn:
        axes.legend(fontsize=8, loc="lower left", frameon=False)
    else:
        axes.text(0.5, 0.5, empty, ha="center", va="center", transform=axes.transAxes)
    axes.set_ylim(0, 105)
    axes.set_xlim(-0.5, max(len(labels) - 0.5, 0.5))
    axes.set_title(title, fontsize=11)
    axes.set_ylabel(ylabel, fontsize=9)
    _ticks(axes, labels)
    axes.grid(alpha=0.3)
    figure.tight_layout()
    return _png(figure)


def horizontal_bars(
    *, labels: Sequence[str], values: Sequence[float], title: str, xlabel: str, empty: str
) -> str:
    figure = _figure(height=max(2.0, 0.35 * len(labels) + 1.0))
    axes = figure.subplots()
    if labels:
        positions = list(range(len(labels)))[::-1]
        axes.barh(positions, values, color=PALETTE[0])
        axes.set_yticks(positions)
        axes.set_yticklabels(labels, fontsize=8)
    else:
        axes.text(0.5, 0.5, empty, ha="center", va="center", transform=axes.transAxes)
        axes.set_yticks([])
    axes.set_title(title, fontsize=11)
    axes.set_xlabel(xlabel, fontsize=9)
    axes.grid(axis="x", alpha=0.3)
    figure.tight_layout()
    return _png(figure)


def cells_map(
    *,
    polygons: Sequence[Sequence[tuple[float, float]]],
    values: Sequence[float],
    line: Sequence[tuple[float, float]],
    title: str,
    colour_label: str,
    empty: str,
) -> str:
    """Hexagon cells (lon/lat rings) shaded by value, over the boundary line."""
    figure = _figure(height=4.2)
    axes = figure.subplots()
    if polygons:
        collection = PolyCollection(
            polygons, array=list(values), cmap="YlOrRd", edgecolors="#555555", linewidths=0.4
        )
        axes.add_collection(collection)
        figure.colorbar(collection, ax=axes, label=colour_label, shrink=0.8)
        lons = [x for ring in polygons for x, _ in ring]
        lats = [y for ring in polygons for _, y in ring]
        pad = 0.05
        axes.set_xlim(min(lons) - pad, max(lons) + pad)
        axes.set_ylim(min(lats) - pad, max(lats) + pad)
    else:
        axes.text(0.5, 0.5, empty, ha="center", va="center", transform=axes.transAxes)
    if line:
        xlim, ylim = axes.get_xlim(), axes.get_ylim()
        axes.plot([x for x, _ in line], [y for _, y in line], color="#1d3557", linewidth=1.5)
        axes.set_xlim(*xlim)
        axes.set_ylim(*ylim)
    axes.set_aspect(1 / 0.85)  # about 1/cos(31.5°): degrees of longitude are shorter here
    axes.set_title(title, fontsize=11)
    axes.tick_params(labelsize=7)
    figure.tight_layout()
    return _png(figure)


def displacement_panels(
    *,
    labels: Sequence[str],
    panels: Sequence[dict],
    pressure_label: str,
    share_label: str,
    raised_label: str,
    empty: str,
) -> str:
    """One panel per corridor: pressure per week as bars (left axis), the neighbours' share of
    flows as a line (right axis, %), weeks of raised pressure shaded."""
    figure = _figure(height=max(2.6, 2.4 * len(panels)), width=8.5)
    if not panels:
        axes = figure.subplots()
        axes.text(0.5, 0.5, empty, ha="center", va="center", transform=axes.transAxes)
        axes.set_axis_off()
        return _png(figure)
    axes_list = figure.subplots(len(panels), 1, sharex=True, squeeze=False)[:, 0]
    positions = list(range(len(labels)))
    for axes, panel in zip(axes_list, panels, strict=True):
        for i in panel["raised"]:
            axes.axvspan(i - 0.5, i + 0.5, color=ACCENT, alpha=0.18, linewidth=0)
        axes.bar(positions, panel["pressure"], color=PALETTE[0], width=0.8, label=pressure_label)
        axes.set_ylabel(panel["pressure_unit"], fontsize=8)
        axes.set_title(panel["title"], fontsize=9, loc="left")
        twin = axes.twinx()
        shares = [float("nan") if v is None else v * 100 for v in panel["share"]]
        twin.plot(positions, shares, color=PALETTE[1], marker=".", label=share_label)
        twin.set_ylim(0, 105)
        twin.set_ylabel("%", fontsize=8)
    handles = [
        Patch(color=PALETTE[0], label=pressure_label),
        Line2D([], [], color=PALETTE[1], label=share_label),
        Patch(color=ACCENT, alpha=0.3, label=raised_label),
    ]
    figure.legend(handles=handles, fontsize=8, loc="upper center", ncols=3, frameon=False)
    _ticks(axes_list[-1], labels)
    figure.tight_layout(rect=(0, 0, 1, 1 - 0.3 / figure.get_figheight()))
    return _png(figure)
