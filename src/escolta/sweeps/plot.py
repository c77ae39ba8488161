"""The plot of a sweep: risk against each axis, one panel per axis.

On a grid of several axes, a panel shows for each value of its axis the median risk over
every setting of the other axes, with the lowest and highest as a band, so one picture says
what each lever buys and how much the others move it.
"""

from __future__ import annotations

import os
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from escolta.reports.plots import _save
from escolta.sweeps.results import VariantResult


def axis_label(value: Any) -> str:
    """A value as a tick label: a list of closed sites joined, ``none`` for none closed."""
    if isinstance(value, list | tuple):
        return ", ".join(value) if value else "none"
    return f"{value:g}" if isinstance(value, float) else str(value)


def plot_sweep(axes: Sequence[tuple[str, Sequence[Any]]], results: Sequence[VariantResult],
               path: str | os.PathLike[str]) -> Path:
    """Median risk (and its range over the other axes) against each axis's values."""
    figure = Figure(figsize=(4.2 * len(axes), 3.8))
    panels = figure.subplots(1, len(axes), squeeze=False)[0]
    for panel, (name, values) in zip(panels, axes, strict=True):
        labels = [axis_label(v) for v in values]
        median, low, high = [], [], []
        for value in values:
            risks = [r.risk for r in results if axis_label(r.setting[name]) == axis_label(value)]
            median.append(statistics.median(risks) if risks else float("nan"))
            low.append(min(risks) if risks else float("nan"))
            high.append(max(risks) if risks else float("nan"))
        positions = list(range(len(values)))
        panel.fill_between(positions, low, high, alpha=0.2, label="range over other axes")
        panel.plot(positions, median, marker="o", label="median risk")
        panel.set_xticks(positions)
        panel.set_xticklabels([label[:24] for label in labels], rotation=30, ha="right",
                              fontsize="small")
        panel.set_xlabel(name)
        panel.set_ylabel("risk")
        panel.set_ylim(bottom=0)
        panel.legend(fontsize="x-small")
    figure.suptitle("Risk against each axis of the sweep")
    return _save(figure, Path(path))
