"""The report's phone and appearance plots (docs/design.md §4b, §4c).

- ``risk-by-phone-cycle.png``: the nightly risk against the phone cycle length D, each D
  solved anew with the tracker folded in at that D's exposure;
- ``risk-by-notice.png``: the weekly appearance risk against ``announce_hours``, what a
  shorter notice buys.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from escolta.privacy import existing_parent, save_figure
from escolta.protect.appearances import NoticePoint, notice_sweep
from escolta.protect.phones import CyclePoint, cycle_length, cycle_sweep
from escolta.protect.plan import Plan
from escolta.protect.scenario import Scenario


def phone_cycles(scenario: Scenario) -> range:
    """The cycles the report tries: 1 to twice the plan's D, and at least to 8 days."""
    assert scenario.phones is not None
    own = cycle_length(scenario.phones.per_month, scenario.phones.max_days)
    return range(1, max(8, 2 * own) + 1)


def write_habit_plots(scenario: Scenario, directory: Path,
                      solve: Callable[[Scenario], Plan]) -> list[Path]:
    """Write the phone-cycle and notice plots the scenario calls for; return their paths."""
    written: list[Path] = []
    if scenario.phones is not None:
        own = cycle_length(scenario.phones.per_month, scenario.phones.max_days)
        points = cycle_sweep(scenario, phone_cycles(scenario), solve=solve)
        written.append(plot_cycle_sweep(points, directory / "risk-by-phone-cycle.png",
                                        current=own))
    if scenario.appearances is not None:
        sweep = notice_sweep(scenario.appearances)
        written.append(plot_notice_sweep(sweep, directory / "risk-by-notice.png",
                                         current=scenario.appearances.announce_hours))
    return written


def _png_path(path: str | Path) -> Path:
    """Where the plot of ``path`` goes (``.png`` added to a bare name); its directory must
    exist (``--plot``, like ``--db``, never creates parents)."""
    path = Path(path).expanduser()
    if not path.suffix:
        path = path.with_suffix(".png")
    existing_parent(path, "--plot")
    return path


def plot_cycle_sweep(points: Sequence[CyclePoint], path: str | Path,
                     current: int | None = None) -> Path:
    """Save the risk-against-cycle plot (PNG) to ``path`` and return it."""
    path = _png_path(path)
    from matplotlib.figure import Figure  # matplotlib loads only to plot

    fig = Figure(figsize=(6.4, 4.0))
    ax = fig.subplots()
    days = [p.cycle_days for p in points]
    ax.plot(days, [p.risk for p in points], marker="o", label="nightly risk")
    exposure_axis = ax.twinx()
    exposure_axis.plot(days, [p.exposure for p in points], marker=".", linestyle="--",
                       color="tab:orange", label="phone exposure e (right)")
    exposure_axis.set_ylabel("exposure e: tonight's phone is known")
    banned = [p for p in points if not p.allowed]
    if banned:
        ax.axvspan(min(p.cycle_days for p in banned) - 0.5, max(p.cycle_days for p in banned)
                   + 0.5, color="grey", alpha=0.15, label="more handsets than per_month")
    if current is not None:
        ax.axvline(current, color="black", linewidth=0.8, label=f"plan: D = {current}")
    ax.set_xlabel("cycle length D (days a handset is carried)")
    ax.set_ylabel("nightly risk")
    ax.set_title("Risk against phone cycle length")
    lines, labels = ax.get_legend_handles_labels()
    more_lines, more_labels = exposure_axis.get_legend_handles_labels()
    ax.legend(lines + more_lines, labels + more_labels, fontsize="small", loc="lower right")
    fig.tight_layout()
    return save_figure(fig, path, dpi=120)


def plot_notice_sweep(points: Sequence[NoticePoint], path: str | Path,
                      current: float | None = None) -> Path:
    """Save the risk-against-notice step plot (PNG) to ``path`` and return it."""
    path = _png_path(path)
    from matplotlib.figure import Figure  # matplotlib loads only to plot

    fig = Figure(figsize=(6.4, 4.0))
    ax = fig.subplots()
    hours = [p.announce_hours for p in points]
    ax.step(hours, [p.risk for p in points], where="post", marker="o")
    if current is not None:
        ax.axvline(current, color="black", linewidth=0.8, label=f"plan: {current:g} h")
        ax.legend()
    ax.set_xlabel("public notice before an appearance (hours)")
    ax.set_ylabel("weekly risk")
    ax.set_title("Risk against announce_hours")
    fig.tight_layout()
    return save_figure(fig, path, dpi=120)
