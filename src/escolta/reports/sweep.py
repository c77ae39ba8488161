"""What one more team buys: re-solve a scenario with 0, 1, ..., N teams.

A sweep keeps the scenario's teams in their order and drops them from the end; past the
scenario's own teams it adds teams ``extra-1``, ``extra-2``, ... each in a chain of command
of its own (no adversary sits inside them). The rule ``min_teams_with_principal`` is capped
at the number of teams (with 0 teams no night could otherwise be legal). An insider
(``sees: {team: T}``) whose team has been dropped has no team left to sit in: in that point
of the sweep it is modelled as an outsider who ``sees: nothing``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from escolta.errors import InputError
from escolta.protect.limits import MAX_TEAMS
from escolta.protect.plan import Plan
from escolta.protect.scenario import Scenario, parse_scenario

#: A solver: ``solve(scenario) -> Plan`` (e.g. :func:`escolta.protect.solve.solve_plan`).
Solver = Callable[[Scenario], Plan]


@dataclass(frozen=True)
class SweepPoint:
    """The optimal plan's figures with ``teams`` teams."""

    teams: int
    risk: float
    lower_bound: float
    status: str
    adversaries: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {"teams": self.teams, "risk": self.risk, "lower_bound": self.lower_bound,
                "status": self.status, "adversaries": dict(self.adversaries)}


def with_teams(scenario: Scenario, count: int) -> Scenario:
    """The scenario with its first ``count`` teams (plus extra teams past its own).

    Examples
    --------
    >>> s = parse_scenario({"principal": "P", "sites": [{"name": "a", "success": [0.5, 0.1]}],
    ...     "teams": [{"name": "t", "chain": "c"}],
    ...     "adversaries": [{"name": "m", "weight": 1, "sees": {"team": "t"}}]})
    >>> [t.name for t in with_teams(s, 3).teams], with_teams(s, 0).adversaries[0].sees
    (['t', 'extra-1', 'extra-2'], 'nothing')
    """
    if count < 0:
        raise InputError("--sweep-teams", count, "must be 0 or more")
    data = scenario.model_dump(mode="json", exclude_none=True)
    own = data.get("teams", [])
    teams = own[:count] + [{"name": f"extra-{k}", "chain": f"extra-{k}"}
                           for k in range(1, count - len(own) + 1)]
    kept = {team["name"] for team in teams}
    data["teams"] = teams
    rules = dict(data.get("rules", {}))
    rules["min_teams_with_principal"] = min(scenario.min_teams, count)
    data["rules"] = rules
    adversaries = []
    for adversary in data["adversaries"]:
        sees = adversary.get("sees")
        if isinstance(sees, dict) and "chain" in sees:  # a hostile chain needs a team it commands
            gone = all(team["chain"] != sees["chain"] for team in teams)
        else:
            gone = isinstance(sees, dict) and sees.get("team") not in kept
        if gone:
            adversary = {**adversary, "sees": "nothing", "sabotage": False}
        adversaries.append(adversary)
    data["adversaries"] = adversaries
    roads = data.get("roads")
    if roads and roads.get("convoy") not in kept:  # its driver's orders are not planned here
        data["roads"] = {key: value for key, value in roads.items() if key != "convoy"}
    return parse_scenario(data)


def check_sweep(scenario: Scenario, max_teams: int) -> None:
    """Refuse a sweep past the teams limit (before any solving; what each point's size costs
    the nightly solver is its own check)."""
    if max_teams < 0:
        raise InputError("--sweep-teams", max_teams, "must be 0 or more")
    if max_teams > MAX_TEAMS:
        raise InputError("--sweep-teams", max_teams, f"must be at most {MAX_TEAMS} (the teams "
                                                     "limit of a scenario)")


def sweep_teams(
    scenario: Scenario,
    max_teams: int,
    solve: Solver,
    progress: Callable[[int, int], None] | None = None,
) -> list[SweepPoint]:
    """Solve the scenario with 0, 1, ..., ``max_teams`` teams.

    Parameters
    ----------
    scenario
        The scenario; its own teams are kept in order (see the module docstring).
    max_teams
        The largest number of teams to try.
    solve
        The solver to use for each point.
    progress
        ``progress(done, total)`` after each point.
    """
    check_sweep(scenario, max_teams)
    points = []
    for count in range(max_teams + 1):
        plan = solve(with_teams(scenario, count))
        points.append(SweepPoint(count, float(plan.risk), float(plan.solver.lower_bound),
                                 plan.solver.status, dict(plan.adversaries)))
        if progress is not None:
            progress(count + 1, max_teams + 1)
    return points
