"""Tables about chains and teams for other commands' reports (not a command of its own).

:func:`print_chains_summary` (what the ``mix`` rule buys, from
:func:`escolta.operations.planning.chains_mix_effect`) is called once from
``escolta.cli.plan.print_plan_summary``; :func:`follower_table` (a follower of each team,
:mod:`escolta.redteam.followers`) once from ``escolta.cli.redteam.print_report``.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from escolta.cli.common import esc
from escolta.errors import InputError
from escolta.protect.chains import held_teams, reached_teams
from escolta.protect.mix_effect import MixEffect
from escolta.protect.plan import Plan
from escolta.protect.scenario import Scenario
from escolta.redteam.report import RedTeamReport


def mix_table(scenario: Scenario, effect: MixEffect) -> Table:
    """One row per hostile chain (teams reached and held, success with and without the
    mixes), and the plan's risk with and without."""
    table = Table(title="Hostile chains: what the mix buys")
    for column in ("adversary", "reaches", "holds", "success with mix", "without mix"):
        table.add_column(column, justify="right" if "mix" in column else "left")
    for adversary in scenario.adversaries:
        chain = adversary.hostile_chain
        if chain is None:
            continue
        table.add_row(esc(adversary.name), esc(", ".join(reached_teams(scenario, chain))),
                      esc(", ".join(held_teams(scenario, chain))) or "-",
                      f"{100 * effect.chains_with[adversary.name]:.2f}%",
                      f"{100 * effect.chains_without[adversary.name]:.2f}%")
    table.add_section()
    table.add_row("plan risk", "", "", f"{effect.risk_with:.6f}", f"{effect.risk_without:.6f}")
    return table


def print_chains_summary(console: Console, scenario: Scenario, plan: Plan) -> None:
    """Print :func:`mix_table` when the scenario has a hostile chain (the service layer
    re-solves it without the mixes, with the plan's own method)."""
    from escolta.operations.planning import chains_mix_effect

    try:
        effect = chains_mix_effect(scenario, plan)
    except InputError as error:  # the scenario without mixes may be too large to re-solve
        console.print(f"Hostile chains: the scenario without its mixes was not re-solved "
                      f"({esc(error)}).")
        return
    if effect is not None:
        console.print(mix_table(scenario, effect))


def follower_table(report: RedTeamReport) -> Table:
    """A follower of each team: how often the team is with the principal, the follower's
    success and interval, the plan's exact figure for it, and its gain over the blind."""
    table = Table(title="Followers: each tells one team apart and follows it")
    for column in ("team", "with principal", "success", "95% CI, %", "exact", "blind",
                   "gain"):
        table.add_column(column, justify="left" if column == "team" else "right")
    for name, f in report.followers.items():
        s = f.success
        table.add_row(esc(name), f"{100 * f.share_with_principal:.1f}%", f"{100 * s.rate:.2f}%",
                      f"{100 * s.low:.2f}-{100 * s.high:.2f}", f"{100 * f.predicted:.2f}%",
                      f"{100 * f.blind:.2f}%", f"{100 * f.gain:+.2f}")
    return table
