"""The plans a protective detail would use without escolta, as :class:`Plan` values.

- :func:`uniform_plan`: a uniformly random site each night (a uniformly random *other* site
  under ``no_repeat``), every team beside the principal, a uniformly random room;
- :func:`fortress_plan`: the hardest site (lowest success with every team there), every team,
  every night, a uniformly random room.

Both are measured exactly (:func:`escolta.protect.evaluate.evaluate_states`), so an optimal
plan's risk never exceeds theirs (docs/design.md §7 uses them as red-team baselines).
"""

from __future__ import annotations

from dataclasses import replace

from escolta.errors import InputError
from escolta.protect.evaluate import evaluate_plan
from escolta.protect.nights import NightState, history_matters, plan_night
from escolta.protect.plan import Pair, Plan, SolverInfo
from escolta.protect.scenario import Scenario


def _plan(scenario: Scenario, states: list[NightState], probabilities: list[float],
          pairs: list[tuple[int, int, float]] | None, method: str) -> Plan:
    site_probability = {site.name: 0.0 for site in scenario.sites}
    for state, p in zip(states, probabilities, strict=True):
        site_probability[scenario.sites[state.site].name] += p
    draft = Plan(
        risk=0.0,
        adversaries={},
        site_probability=site_probability,
        nights=tuple(plan_night(scenario, s, p) for s, p in zip(states, probabilities,
                                                                 strict=True)),
        pairs=None if pairs is None else tuple(Pair(i, j, p) for i, j, p in pairs),
        solver=SolverInfo(status="baseline", seconds=0.0, lower_bound=0.0, method=method),
    )
    evaluation = evaluate_plan(scenario, draft)  # counts the phone tracker, if any
    return replace(draft, risk=evaluation.risk, adversaries=dict(evaluation.success))


def _independent_pairs(probabilities: list[float]) -> list[tuple[int, int, float]]:
    return [(i, j, p * q) for i, p in enumerate(probabilities)
            for j, q in enumerate(probabilities)]


def uniform_plan(scenario: Scenario) -> Plan:
    """A uniformly random site (another one under ``no_repeat``), every team there.

    Examples
    --------
    >>> from escolta.protect.scenario import load_scenario
    >>> s = load_scenario({"principal": "P",
    ...     "sites": [{"name": "a", "success": [0.8, 0.4]}, {"name": "b", "success": [0.6]}],
    ...     "teams": [{"name": "t", "chain": "guard"}],
    ...     "adversaries": [{"name": "x", "weight": 1}]})
    >>> plan = uniform_plan(s)
    >>> dict(plan.site_probability), round(plan.risk, 6)
    ({'a': 0.5, 'b': 0.5}, 0.3)
    """
    n_sites = len(scenario.sites)
    states, probabilities = [], []
    for s, site in enumerate(scenario.sites):
        for room in range(1, site.rooms + 1):
            states.append(NightState(s, room, tuple(s for _ in scenario.teams)))
            probabilities.append(1.0 / n_sites / site.rooms)
    pairs: list[tuple[int, int, float]] | None = None
    if scenario.rules.no_repeat:
        pairs = []
        for i, (yesterday, p) in enumerate(zip(states, probabilities, strict=True)):
            for j, tonight in enumerate(states):
                if tonight.site != yesterday.site:
                    rooms = scenario.sites[tonight.site].rooms
                    pairs.append((i, j, p / (n_sites - 1) / rooms))
    elif history_matters(scenario):
        pairs = _independent_pairs(probabilities)
    return _plan(scenario, states, probabilities, pairs, "uniform")


def fortress_plan(scenario: Scenario) -> Plan:
    """Every team at the hardest site, every night (refused under ``no_repeat``).

    The hardest site is the one with the lowest success when every team stands there (the
    first one on ties).
    """
    if scenario.rules.no_repeat:
        raise InputError("rules.no_repeat", True, "the fortress stays at one site every night")
    n_teams = len(scenario.teams)
    hardest = min(range(len(scenario.sites)),
                  key=lambda s: scenario.sites[s].success_at(n_teams))
    rooms = scenario.sites[hardest].rooms
    states = [NightState(hardest, room, tuple(hardest for _ in scenario.teams))
              for room in range(1, rooms + 1)]
    probabilities = [1.0 / rooms] * rooms
    pairs = _independent_pairs(probabilities) if history_matters(scenario) else None
    return _plan(scenario, states, probabilities, pairs, "fortress")
