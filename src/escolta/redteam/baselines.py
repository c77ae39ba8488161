"""The plans a protective team would use without escolta, as :class:`Plan` objects.

- ``routine``: the same rotation every week — Monday the first site, Tuesday the second, and
  so on round the sites, the week repeated for ever; room 1; every team with the principal.
  Under ``no_repeat`` a week that would put Sunday and Monday at the same site (3 or 6 sites,
  or 2) becomes a plain cycle through the sites instead. A Markov chain over the 7 days
  (deterministic transitions), stationary law 1/7 per day.
- ``uniform``: every night a site drawn uniformly (under ``no_repeat`` uniformly among the
  others), a room drawn uniformly, every team with the principal.
- ``fortress``: the hardest site — the lowest success with every team there (ties: more
  rooms, then file order) — every night, a uniform room, every team there. It breaks
  ``no_repeat``; :func:`baseline_plans` says so in ``extra["legal"]``.

Their ``risk`` and ``adversaries`` fields are left at 0: the red team evaluates every plan
itself (:func:`escolta.protect.evaluate.evaluate_plan`).

Examples
--------
>>> from escolta.protect.scenario import load_scenario
>>> s = load_scenario({"principal": "P",
...     "sites": [{"name": "a", "success": [0.5, 0.2]}, {"name": "b", "success": [0.4, 0.3]}],
...     "teams": [{"name": "t", "chain": "guard"}],
...     "adversaries": [{"name": "x", "weight": 1}]})
>>> [n.site for n in routine_plan(s).nights]
['a', 'b', 'a', 'b', 'a', 'b', 'a']
>>> fortress_plan(s).nights[0].site, fortress_plan(s).nights[0].posts["t"]
('a', 'a')
"""

from __future__ import annotations

from escolta.protect.plan import Night, Pair, Plan, SolverInfo
from escolta.protect.scenario import Scenario

WEEK = 7
BASELINES = ("routine", "uniform", "fortress")


def _night(scenario: Scenario, site: int, room: int, p: float) -> Night:
    name = scenario.sites[site].name
    return Night(p=p, site=name, room=room, posts={team.name: name for team in scenario.teams})


def _plan(scenario: Scenario, nights: list[Night], pairs: list[Pair] | None,
          method: str, legal: bool = True) -> Plan:
    site_probability = {site.name: 0.0 for site in scenario.sites}
    for night in nights:
        site_probability[night.site] += night.p
    return Plan(risk=0.0, adversaries={}, site_probability=site_probability,
                nights=tuple(nights), pairs=None if pairs is None else tuple(pairs),
                solver=SolverInfo("baseline", 0.0, 0.0, method=method),
                extra={"legal": legal})


def weekly_rotation(scenario: Scenario) -> list[int]:
    """The site index of each day of the routine's cycle (7 days, or the sites' cycle)."""
    n_sites = len(scenario.sites)
    week = [day % n_sites for day in range(WEEK)]
    if scenario.rules.no_repeat and week[-1] == week[0]:
        return list(range(n_sites))
    return week


def routine_plan(scenario: Scenario) -> Plan:
    """The fixed weekly rotation (see the module docstring)."""
    days = weekly_rotation(scenario)
    p = 1.0 / len(days)
    nights = [_night(scenario, site, 1, p) for site in days]
    pairs = [Pair(d, (d + 1) % len(days), p) for d in range(len(days))]
    return _plan(scenario, nights, pairs, "routine")


def uniform_plan(scenario: Scenario) -> Plan:
    """A uniform site and room every night, every team beside the principal."""
    n_sites = len(scenario.sites)
    nights = [_night(scenario, s, r, 1.0 / n_sites / site.rooms)
              for s, site in enumerate(scenario.sites) for r in range(1, site.rooms + 1)]
    if not scenario.rules.no_repeat:
        return _plan(scenario, nights, None, "uniform")
    index = [(s, r) for s, site in enumerate(scenario.sites) for r in range(1, site.rooms + 1)]
    pairs = []
    for i, (s, _) in enumerate(index):
        for j, (t, _) in enumerate(index):
            if s != t:
                # P(yesterday = i) · P(next site t | s) · P(room | t)
                pairs.append(Pair(i, j, nights[i].p / (n_sites - 1) / scenario.sites[t].rooms))
    return _plan(scenario, nights, pairs, "uniform")


def hardest_site(scenario: Scenario) -> int:
    """The site with the lowest success when every team is there (ties: more rooms, first)."""
    n_teams = len(scenario.teams)
    return min(range(len(scenario.sites)),
               key=lambda s: (scenario.sites[s].success_at(n_teams), -scenario.sites[s].rooms, s))


def fortress_plan(scenario: Scenario) -> Plan:
    """The hardest site every night, a uniform room, every team there."""
    s = hardest_site(scenario)
    rooms = scenario.sites[s].rooms
    nights = [_night(scenario, s, r, 1.0 / rooms) for r in range(1, rooms + 1)]
    return _plan(scenario, nights, None, "fortress", legal=not scenario.rules.no_repeat)


def baseline_plans(scenario: Scenario) -> dict[str, Plan]:
    """Every baseline by name, in :data:`BASELINES` order."""
    return {"routine": routine_plan(scenario), "uniform": uniform_plan(scenario),
            "fortress": fortress_plan(scenario)}
