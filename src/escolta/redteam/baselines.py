"""The plans a protective team would use without escolta, as :class:`Plan` objects.

- ``routine``: the same rotation every week — Monday the first site, Tuesday the second, and
  so on round the sites, the week repeated for ever; room 1; every team with the principal.
  Under ``no_repeat`` a week that would put Sunday and Monday at the same site (2, 3 or 6
  sites) becomes a plain cycle through the sites instead. A Markov chain over the days of the
  cycle with deterministic transitions, each day 1/7 (or 1/S) of the time.
- ``uniform`` and ``fortress``: :func:`escolta.protect.baselines.uniform_plan` (a uniform
  site and room every night, every team beside the principal) and
  :func:`escolta.protect.baselines.fortress_plan` (every team at the hardest site every
  night, a uniform room). The fortress is impossible under ``no_repeat`` and is then left out.

Every baseline carries its exact ``risk`` and ``adversaries``
(:func:`escolta.protect.evaluate.evaluate_plan`).

Examples
--------
>>> from escolta.protect.scenario import load_scenario
>>> s = load_scenario({"principal": "P",
...     "sites": [{"name": "a", "success": [0.5, 0.2]}, {"name": "b", "success": [0.4, 0.3]}],
...     "teams": [{"name": "t", "chain": "guard"}],
...     "adversaries": [{"name": "x", "weight": 1}]})
>>> [n.site for n in routine_plan(s).nights]
['a', 'b', 'a', 'b', 'a', 'b', 'a']
>>> sorted(baseline_plans(s))
['fortress', 'routine', 'uniform']
"""

from __future__ import annotations

from escolta.protect.baselines import fortress_plan, uniform_plan
from escolta.protect.evaluate import evaluate_plan
from escolta.protect.plan import Night, Pair, Plan, SolverInfo
from escolta.protect.scenario import Scenario

WEEK = 7
BASELINES = ("routine", "uniform", "fortress")

__all__ = ["BASELINES", "baseline_plans", "fortress_plan", "routine_plan", "uniform_plan",
           "weekly_rotation"]


def weekly_rotation(scenario: Scenario) -> list[int]:
    """The site index of each day of the routine's cycle (7 days, or the sites' cycle)."""
    n_sites = len(scenario.sites)
    week = [day % n_sites for day in range(WEEK)]
    if scenario.rules.no_repeat and week[-1] == week[0]:
        return list(range(n_sites))
    return week


def routine_plan(scenario: Scenario) -> Plan:
    """The fixed weekly rotation (see the module docstring), evaluated exactly."""
    days = weekly_rotation(scenario)
    p = 1.0 / len(days)
    nights = []
    for site in days:
        name = scenario.sites[site].name
        nights.append(Night(p=p, site=name, room=1,
                            posts={team.name: name for team in scenario.teams}))
    site_probability = {site.name: 0.0 for site in scenario.sites}
    for night in nights:
        site_probability[night.site] += night.p
    draft = Plan(risk=0.0, adversaries={}, site_probability=site_probability,
                 nights=tuple(nights),
                 pairs=tuple(Pair(d, (d + 1) % len(days), p) for d in range(len(days))),
                 solver=SolverInfo("baseline", 0.0, 0.0, method="routine"))
    evaluation = evaluate_plan(scenario, draft)
    return Plan(risk=evaluation.risk, adversaries=evaluation.success,
                site_probability=site_probability, nights=draft.nights, pairs=draft.pairs,
                solver=draft.solver)


def baseline_plans(scenario: Scenario) -> dict[str, Plan]:
    """Every baseline the scenario allows, by name, in :data:`BASELINES` order."""
    plans = {"routine": routine_plan(scenario), "uniform": uniform_plan(scenario)}
    if not scenario.rules.no_repeat:
        plans["fortress"] = fortress_plan(scenario)
    return plans
