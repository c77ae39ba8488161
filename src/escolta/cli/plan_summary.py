"""The readable summary of a plan (``escolta plan`` without ``--json``): risk, each
adversary, where the principal sleeps, where each team stands, the chain's transitions, and
the phone and appearance sections."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from escolta.cli.common import esc, sees_label
from escolta.protect.plan import Plan
from escolta.protect.scenario import Scenario


def print_plan_summary(console: Console, scenario: Scenario, plan: Plan) -> None:
    """Risk, each adversary's success, site and room odds, and where each team stands."""
    from escolta.cli.appearances import print_appearances_summary  # docs/design.md §4c
    from escolta.cli.chains import print_chains_summary  # docs/design.md §9
    from escolta.cli.phones import print_phones_summary  # docs/design.md §4b
    from escolta.cli.roads_summary import print_roads_summary  # docs/design.md §12

    solver = plan.solver
    console.print(f"[bold]Plan for {esc(scenario.principal)}[/bold]: risk [bold]"
                  f"{plan.risk:.6f}[/bold] (lower bound {solver.lower_bound:.6f}, "
                  f"{solver.status}, {solver.method or 'solver'}, {solver.seconds:.2f} s)")
    console.print(adversary_table(scenario, plan))
    console.print(site_table(scenario, plan))
    if scenario.teams:
        console.print(team_table(scenario, plan))
    if plan.pairs is not None:
        console.print(transition_table(scenario, plan))
    console.print(f"{len(plan.nights)} nights in the plan's support"
                  + (f", {len(plan.pairs)} transitions" if plan.pairs is not None else ""))
    print_phones_summary(console, scenario, plan)
    print_appearances_summary(console, scenario, plan)
    print_chains_summary(console, scenario, plan)
    print_roads_summary(console, plan)  # docs/design.md §12


def _percent(p: float) -> str:
    return f"{100 * p:.2f}%"


def adversary_table(scenario: Scenario, plan: Plan) -> Table:
    """Each adversary: what it sees, its weight, its success, its share of the risk."""
    table = Table(title="Adversaries")
    for column in ("adversary", "sees", "lead", "weight", "success", "risk share"):
        table.add_column(column, justify="left" if column in ("adversary", "sees") else "right")
    # with phones the weights are normalized over the tracker too (docs/design.md §4b)
    weights = phone_weights(scenario)
    for adversary in scenario.adversaries:
        sees = sees_label(adversary)
        success = plan.adversaries.get(adversary.name, 0.0)
        table.add_row(esc(adversary.name), esc(sees), str(adversary.lead),
                      f"{weights[adversary.name]:.3f}", _percent(success),
                      f"{weights[adversary.name] * success:.6f}")
    for name, success in plan.adversaries.items():  # e.g. the phone tracker
        if name not in {a.name for a in scenario.adversaries}:
            weight = weights.get(name)
            table.add_row(esc(name), "site if phone known" if name == "phone-tracker" else "", "0",
                          "" if weight is None else f"{weight:.3f}", _percent(success),
                          "" if weight is None else f"{weight * success:.6f}")
    return table


def phone_weights(scenario: Scenario) -> dict[str, float]:
    """Normalized weights, the phone tracker (docs/design.md §4b) counted as ``phone-tracker``."""
    from escolta.protect.phones import plan_weights

    return plan_weights(scenario)


def site_table(scenario: Scenario, plan: Plan) -> Table:
    """The odds of each site, and of each room within it."""
    table = Table(title="Where the principal sleeps")
    table.add_column("site")
    table.add_column("probability", justify="right")
    table.add_column("rooms (probability given the site)")
    rooms: dict[tuple[str, int], float] = {}
    for night in plan.nights:
        rooms[(night.site, night.room)] = rooms.get((night.site, night.room), 0.0) + night.p
    for site in scenario.sites:
        p = plan.site_probability.get(site.name, 0.0)
        odds = ", ".join(f"{b}: {_percent(rooms.get((site.name, b), 0.0) / p)}"
                         for b in range(1, site.rooms + 1)) if p > 0 else "-"
        table.add_row(esc(site.name), _percent(p), odds if site.rooms > 1 or p == 0 else "1 room")
    return table


def team_table(scenario: Scenario, plan: Plan) -> Table:
    """For each team (a column), the probability of standing at each site (a row) and beside
    the principal. Sites no team ever stands at are left out, so the table fits a terminal."""
    table = Table(title="Where each team stands")
    table.add_column("site", no_wrap=True)
    for team in scenario.teams:
        table.add_column(esc(team.name), justify="right", overflow="fold")
    at = {(team.name, site.name): 0.0 for team in scenario.teams for site in scenario.sites}
    beside = {team.name: 0.0 for team in scenario.teams}
    for night in plan.nights:
        for team in scenario.teams:
            post = night.posts.get(team.name)
            if (team.name, post) in at:
                at[(team.name, post)] += night.p
            if post == night.site:
                beside[team.name] += night.p
    for site in scenario.sites:
        if any(at[(team.name, site.name)] > 0.0 for team in scenario.teams):
            table.add_row(esc(site.name), *(f"{100 * at[(t.name, site.name)]:.1f}%"
                                       for t in scenario.teams))
    table.add_section()
    table.add_row("with principal", *(f"{100 * beside[t.name]:.1f}%" for t in scenario.teams))
    return table


def transition_table(scenario: Scenario, plan: Plan) -> Table:
    """P(tonight's site | last night's site) in the plan's chain (when history matters), one
    row per last night's site listing only the sites that can follow it."""
    title = "Tonight's site given last night's"
    table = Table(title=title, min_width=len(title) + 4)
    table.add_column("last night", no_wrap=True)
    table.add_column("tonight")
    joint = plan.site_pairs([site.name for site in scenario.sites])
    for yesterday in scenario.sites:
        total = sum(joint.get((yesterday.name, s.name), 0.0) for s in scenario.sites)
        if total <= 0.0:
            continue
        following = sorted(
            ((joint.get((yesterday.name, s.name), 0.0) / total, s.name) for s in scenario.sites),
            reverse=True,
        )
        table.add_row(esc(yesterday.name), esc(", ".join(
            f"{name} {_percent(p)}" for p, name in following if p > 0.0)))
    return table
