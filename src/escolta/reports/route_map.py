"""The convoy's map (docs/design.md §12): every drivable road in grey, each segment's
route frequency as line width, the sites marked. Written owner-only
(:func:`escolta.privacy.save_figure`)."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

from escolta.privacy import save_figure
from escolta.protect.plan import Plan

DPI = 120
#: Line width of a segment every day's convoy passes.
FULL_WIDTH = 8.0


def plot_route_map(plan: Plan, graph: Any, sites: dict[str, tuple[float, float]],
                   path: str | os.PathLike[str]) -> Path:
    """``graph``: the road network (nodes with ``lat``, ``lon``); ``sites``: name -> (lat,
    lon) of each site's road node."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from escolta.protect.roads_joint import segment_exposure

    figure = Figure(figsize=(8, 8))
    axes = figure.add_subplot()
    drawn: set[tuple[int, int]] = set()
    for u, v in graph.edges:
        key = (min(u, v), max(u, v))
        if key in drawn:
            continue
        drawn.add(key)
        a, b = graph.nodes[u], graph.nodes[v]
        axes.plot([a["lon"], b["lon"]], [a["lat"], b["lat"]], color="0.8", linewidth=0.8,
                  zorder=1)
    for u, v, p in segment_exposure(plan):
        a, b = graph.nodes[u], graph.nodes[v]
        axes.plot([a["lon"], b["lon"]], [a["lat"], b["lat"]], color="tab:red",
                  linewidth=max(0.5, FULL_WIDTH * p), solid_capstyle="round", zorder=2)
    for name, (lat, lon) in sites.items():
        axes.plot(lon, lat, marker="o", color="black", markersize=7, zorder=3)
        axes.annotate(name, (lon, lat), textcoords="offset points", xytext=(5, 5),
                      fontsize=8, zorder=4)
    axes.locator_params(axis="x", nbins=5)
    axes.set_xlabel("longitude")
    axes.set_ylabel("latitude")
    mean_lat = sum(s[0] for s in sites.values()) / max(1, len(sites))
    axes.set_aspect(1.0 / max(0.2, math.cos(math.radians(mean_lat))))  # metres alike
    axes.set_title("Convoy routes: line width = P(the convoy passes on a day)")
    figure.tight_layout()
    return save_figure(figure, path, dpi=DPI)
