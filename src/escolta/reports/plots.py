"""Plots of a plan and of the record (PNG, matplotlib without a display).

Figures are built with :class:`matplotlib.figure.Figure` directly (the Agg canvas), so no
global pyplot state or backend switch is involved and plotting works on a headless server.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from escolta.labels import short_label
from escolta.privacy import private_directory, save_figure
from escolta.protect.phones import plan_weights
from escolta.protect.plan import Plan
from escolta.protect.scenario import Scenario
from escolta.reports.sweep import SweepPoint

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from escolta.store.record import SpentNight

DPI = 120


def prepare_dir(directory: str | os.PathLike[str], *, option: str,
                create_parents: bool = False) -> Path:
    """The plot directory, created owner-only (0700) if missing; its parent must exist unless
    ``create_parents`` (the default ``out/plots``). A file or a link in the way is refused."""
    return private_directory(directory, option=option, create_parents=create_parents)


def _save(figure: Figure, path: Path) -> Path:
    figure.tight_layout()
    return save_figure(figure, path, dpi=DPI)


def plot_site_odds(plan: Plan, path: str | os.PathLike[str],
                   spent: Mapping[str, int] | None = None) -> Path:
    """Horizontal bars: the probability of each site, its rooms stacked inside; with
    ``spent``, a second bar per site for the share of nights actually spent there.
    """
    path = Path(path)
    sites = list(plan.site_probability)
    rooms: dict[tuple[str, int], float] = {}
    for night in plan.nights:
        rooms[(night.site, night.room)] = rooms.get((night.site, night.room), 0.0) + night.p
    from matplotlib.figure import Figure  # matplotlib loads only to plot

    figure = Figure(figsize=(6.4, 0.45 * len(sites) + 1.8))
    ax = figure.subplots()
    height = 0.4 if spent else 0.7
    offset = height / 2 if spent else 0.0
    positions = range(len(sites))
    lefts = [0.0] * len(sites)
    for room in sorted({room for _, room in rooms}):
        widths = [rooms.get((site, room), 0.0) for site in sites]
        ax.barh([y - offset for y in positions], widths, height, left=lefts,
                label=f"room {room}", edgecolor="white")
        lefts = [left + w for left, w in zip(lefts, widths, strict=True)]
    if spent:
        total = sum(spent.values())
        ax.barh([y + offset for y in positions], [spent.get(s, 0) / total for s in sites],
                height, color="0.35", label=f"nights spent (n={total})")
    ax.set_yticks(list(positions), [short_label(site) for site in sites])
    ax.invert_yaxis()
    ax.set_xlabel("probability")
    ax.set_title("Where the principal sleeps")
    ax.legend(fontsize="small", loc="best")
    return _save(figure, path)


def plot_adversary_risk(scenario: Scenario, plan: Plan, path: str | os.PathLike[str]) -> Path:
    """Each adversary's success against the plan, and its weighted share of the risk."""
    path = Path(path)
    names = list(plan.adversaries)
    weights = plan_weights(scenario)  # with phones, normalized over the tracker too
    success = [plan.adversaries[n] for n in names]
    share = [weights.get(n, 0.0) * plan.adversaries[n] for n in names]
    from matplotlib.figure import Figure  # matplotlib loads only to plot

    figure = Figure(figsize=(6.4, 0.5 * len(names) + 2.0))
    ax = figure.subplots()
    ys = range(len(names))
    ax.barh([y + 0.2 for y in ys], success, 0.4, label="success probability")
    ax.barh([y - 0.2 for y in ys], share, 0.4, label="weight x success (share of risk)")
    ax.set_yticks(list(ys), [short_label(name) for name in names])
    ax.invert_yaxis()
    ax.set_xlabel("probability")
    ax.set_title(f"Risk by adversary (plan risk {plan.risk:.4f})")
    ax.legend(fontsize="small")
    return _save(figure, path)


def plot_team_sweep(points: Sequence[SweepPoint], path: str | os.PathLike[str],
                    current: int | None = None) -> Path:
    """Risk of the optimal plan against the number of teams: what one more team buys."""
    path = Path(path)
    from matplotlib.figure import Figure  # matplotlib loads only to plot

    figure = Figure(figsize=(6.4, 4.0))
    ax = figure.subplots()
    teams = [p.teams for p in points]
    ax.plot(teams, [p.risk for p in points], marker="o", label="risk of the optimal plan")
    for point in points:
        if point.status != "optimal":
            ax.annotate(point.status, (point.teams, point.risk), fontsize="small")
    if current is not None:
        ax.axvline(current, color="black", linewidth=0.8, label=f"scenario: {current} teams")
    ax.set_xticks(teams)
    ax.set_xlabel("number of teams")
    ax.set_ylabel("risk")
    ax.set_ylim(bottom=0)
    ax.set_title("Risk against the number of teams")
    ax.legend(fontsize="small")
    return _save(figure, path)


def plot_override_costs(spent: Sequence[SpentNight], plan_risk: float,
                        path: str | os.PathLike[str]) -> Path:
    """The risk of each night spent that was priced (overrides, rare nights) over time."""
    path = Path(path)
    from matplotlib.figure import Figure  # matplotlib loads only to plot

    figure = Figure(figsize=(6.4, 4.0))
    ax = figure.subplots()
    priced = [s for s in spent if s.cost is not None and s.cost.get("risk") is not None]
    if priced:
        # days since the first, not matplotlib dates: those fail within a margin of year 1
        # or 9999 (a night recorded on 0001-01-02 ended in a traceback)
        first = min(s.date for s in priced)
        ax.scatter([(s.date - first).days for s in priced],
                   [s.cost["risk"] for s in priced],  # type: ignore[index]
                   color=["C3" if s.override else "C1" for s in priced],
                   label="overrides (red), rare nights (orange)")
        ax.set_xlabel(f"days since {first.isoformat()}")
    else:
        ax.text(0.5, 0.5, "no overrides recorded", ha="center", va="center",
                transform=ax.transAxes)
    ax.axhline(plan_risk, color="black", linewidth=0.8, label=f"plan risk {plan_risk:.4f}")
    ax.set_ylabel("risk that night")
    ax.set_ylim(bottom=0)
    ax.set_title("What overrides cost")
    ax.legend(fontsize="small")
    return _save(figure, path)
