"""What the ``mix`` rule buys against hostile chains (docs/design.md §9).

A ``mix`` that puts another chain in a team lets a hostile chain see that team (it is
*reached*) but takes the team out of its hands (it is no longer *held*, so sabotage cannot
stand it down). :func:`mix_effect` re-solves the scenario with every ``mix`` removed (each
team then is reached by every chain and held by its own) and reports the risk, and each
hostile chain's success, with and without.

Examples
--------
>>> from escolta.protect.scenario import load_scenario
>>> s = load_scenario({"principal": "P",
...     "sites": [{"name": "a", "success": [0.9, 0.5, 0.2]},
...               {"name": "b", "success": [0.9, 0.5, 0.2]}],
...     "teams": [{"name": "g", "chain": "guard", "mix": {"guard": 1}},
...               {"name": "r", "chain": "army", "mix": {"army": 1, "guard": 1}}],
...     "rules": {"min_teams_with_principal": 2},
...     "adversaries": [{"name": "coup", "weight": 1, "sees": {"chain": "army"},
...                      "sabotage": True}]})
>>> effect = mix_effect(s, method="reference")
>>> round(effect.risk_with, 6), round(effect.risk_without, 6)
(0.2, 0.5)
"""

from __future__ import annotations

from dataclasses import dataclass

from escolta.protect.plan import Plan
from escolta.protect.scenario import Scenario
from escolta.protect.solve import Progress, solve_plan


@dataclass(frozen=True)
class MixEffect:
    """The plan's risk and each hostile chain's success with the scenario's mixes, and
    re-solved without them."""

    risk_with: float
    risk_without: float
    chains_with: dict[str, float]
    chains_without: dict[str, float]

    @property
    def bought(self) -> float:
        """Risk removed by the mixes (negative when seeing more costs more than sabotage)."""
        return self.risk_without - self.risk_with


def has_chain_adversary(scenario: Scenario) -> bool:
    return any(a.hostile_chain is not None for a in scenario.adversaries)


def without_mixes(scenario: Scenario) -> Scenario:
    """The scenario with no team's ``mix`` (every chain reaches every team)."""
    teams = [team.model_copy(update={"mix": None}) for team in scenario.teams]
    return scenario.model_copy(update={"teams": teams})


def mix_effect(scenario: Scenario, *, plan: Plan | None = None, method: str = "auto",
               time_limit: float | None = None, progress: Progress | None = None) -> MixEffect:
    """Risk with and without the mixes.

    Parameters
    ----------
    scenario
        The scenario as written.
    plan
        Its plan, if already solved (else it is solved here).
    method, time_limit, progress
        As for :func:`escolta.protect.solve.solve_plan`, for both solves.
    """
    if plan is None:
        plan = solve_plan(scenario, method=method, time_limit=time_limit, progress=progress)
    if any(team.mix is not None for team in scenario.teams):
        bare = solve_plan(without_mixes(scenario), method=method, time_limit=time_limit,
                          progress=progress)
    else:
        bare = plan
    names = [a.name for a in scenario.adversaries if a.hostile_chain is not None]
    return MixEffect(
        risk_with=plan.risk, risk_without=bare.risk,
        chains_with={n: plan.adversaries.get(n, 0.0) for n in names},
        chains_without={n: bare.adversaries.get(n, 0.0) for n in names})
