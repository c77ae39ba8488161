"""The protective planner: the scenario, the nightly game, phones, appearances and draws.

The meanings are fixed by docs/design.md §3 to §6; this package is what a Python user needs
to load a scenario, plan it and draw nights from the plan.

Functions
---------
load_scenario
    Read and validate a scenario (a YAML path or an already-parsed mapping).
solve_plan
    The risk-minimizing plan of the nightly game (``method="auto"``, ``"fast"`` or
    ``"reference"``), with phones folded in and appearances attached.
evaluate_plan
    Each adversary's best response and success against a given plan, recomputed.
draw_nights
    The next nights of a plan, from the OS CSPRNG (a ``seed`` only for simulation and
    tests, and the result then says ``seeded=True``).

Classes
-------
Scenario
    A validated scenario.
Plan, Night, Pair, SolverInfo
    The plan as ``escolta plan --json`` exports it (docs/design.md §5).
Draws
    Nights drawn from a plan, with the ``seeded`` flag.

Notes
-----
The names are loaded on first use (PEP 562). Python imports this package before any of its
submodules, so eager imports here would make ``import escolta.protect.scenario`` pay for the
solvers (HiGHS, SciPy) as well.

Examples
--------
Two sites and one team, which always stands where the principal sleeps (the default rule
with teams: at least one with the principal), so every attack meets one team: a palace
room falls with probability 0.6, the villa's only room with 0.3. ``strike`` knows only the
plan's odds; with P(palace) = p split evenly between the palace's two rooms, its best attack
succeeds with max(0.6·p/2, 0.3·(1 − p)), least at p = 1/2, where it is 0.15. ``lookout``
knows the site: at the palace it must still guess the room (0.6/2 = 0.3), at the villa it
gets 0.3, so 0.3 whatever p is. The weights 3 and 1 normalize to 3/4 and 1/4, so the risk
is 3/4·0.15 + 1/4·0.3 = 0.1875.

>>> from escolta.protect import draw_nights, load_scenario, solve_plan
>>> scenario = load_scenario({
...     "principal": "P",
...     "sites": [{"name": "palace", "rooms": 2, "success": [0.9, 0.6]},
...               {"name": "villa", "success": [0.8, 0.3]}],
...     "teams": [{"name": "guard", "chain": "guard"}],
...     "adversaries": [{"name": "strike", "weight": 3},
...                     {"name": "lookout", "weight": 1, "sees": "site"}]})
>>> plan = solve_plan(scenario)
>>> round(plan.risk, 9), plan.solver.status
(0.1875, 'optimal')
>>> {name: round(value, 9) for name, value in plan.adversaries.items()}
{'strike': 0.15, 'lookout': 0.3}
>>> {site: round(p, 9) for site, p in plan.site_probability.items()}
{'palace': 0.5, 'villa': 0.5}
>>> draws = draw_nights(plan, 3, seed=7)     # a seed: simulation and tests only
>>> draws.seeded, [night.posts["guard"] == night.site for night in draws.nights]
(True, [True, True, True])
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from escolta.protect.draws import Draws, draw_nights
    from escolta.protect.evaluate import evaluate_plan
    from escolta.protect.plan import Night, Pair, Plan, SolverInfo
    from escolta.protect.scenario import Scenario, load_scenario
    from escolta.protect.solve import solve_plan

#: Each public name and the submodule that defines it.
_HOMES = {
    "Draws": "escolta.protect.draws",
    "Night": "escolta.protect.plan",
    "Pair": "escolta.protect.plan",
    "Plan": "escolta.protect.plan",
    "Scenario": "escolta.protect.scenario",
    "SolverInfo": "escolta.protect.plan",
    "draw_nights": "escolta.protect.draws",
    "evaluate_plan": "escolta.protect.evaluate",
    "load_scenario": "escolta.protect.scenario",
    "solve_plan": "escolta.protect.solve",
}

__all__ = [
    "Draws",
    "Night",
    "Pair",
    "Plan",
    "Scenario",
    "SolverInfo",
    "draw_nights",
    "evaluate_plan",
    "load_scenario",
    "solve_plan",
]


def __getattr__(name: str) -> Any:
    """Import a public name from its submodule on first use (PEP 562)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
