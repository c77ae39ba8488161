"""The report's phone and appearance plots (design.md sections 4b, 4c).

- ``risk-by-phone-cycle.png``: the nightly risk against the phone cycle length D, each D
  solved anew with the tracker folded in at that D's exposure;
- ``risk-by-notice.png``: the weekly appearance risk against ``announce_hours``, what a
  shorter notice buys.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from escolta.protect.appearances import notice_sweep, plot_notice_sweep
from escolta.protect.phones import cycle_length, cycle_sweep, plot_cycle_sweep
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
