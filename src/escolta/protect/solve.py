"""One entry point to the nightly game: :func:`solve_plan` picks the method.

- ``reference``: the brute-force LP of docs/design.md §4 (:mod:`escolta.protect.reference`),
  exact but for small scenarios only;
- ``fast``: the structured exact solver (:mod:`escolta.protect.nightly`), for real scenarios;
- ``auto``: ``fast``.
"""

from __future__ import annotations

from collections.abc import Callable

from escolta.errors import InputError
from escolta.protect.appearances import attach_appearances
from escolta.protect.plan import Plan
from escolta.protect.roads_settings import drives
from escolta.protect.scenario import Scenario
from escolta.protect.tracker import fold_tracker, without_idle_tracker
from escolta.protect.unfold import unfold_plan

METHODS = ("auto", "fast", "reference")

#: ``progress(stage, fraction)``: a short description of the current stage and the fraction
#: of the work done, ``None`` when unknown.
Progress = Callable[[str, float | None], None]


def resolve_method(method: str) -> str:
    """``auto`` → ``fast``; unknown names are an :class:`InputError`."""
    if method not in METHODS:
        raise InputError("method", method, f"must be one of {', '.join(METHODS)}")
    return "fast" if method == "auto" else method


def solve_plan(
    scenario: Scenario,
    *,
    method: str = "auto",
    time_limit: float | None = None,
    progress: Progress | None = None,
) -> Plan:
    """The risk-minimizing plan of the nightly game (docs/design.md §4).

    Parameters
    ----------
    scenario
        A validated scenario (:func:`escolta.protect.scenario.load_scenario`).
    method
        ``auto`` (default), ``fast`` or ``reference``.
    time_limit
        Seconds; on expiry the best plan so far, with its status and proven lower bound.
    progress
        ``progress(stage, fraction)`` callback for long solves.

    Returns
    -------
    Plan
        With ``solver.lower_bound`` ≤ ``risk`` (equal within 1e-6 when ``status`` is
        ``optimal``).

    Raises
    ------
    InputError
        Unknown ``method``; a scenario too large for the reference method; a non-positive
        ``time_limit``.
    """
    chosen = resolve_method(method)
    if time_limit is not None and not time_limit > 0:
        raise InputError("time_limit", time_limit, "must be a positive number of seconds")
    # phones (docs/design.md §4b): the tracker enters as two adversaries, merged back in the plan
    folded, tracker = fold_tracker(scenario)
    if drives(folded):  # docs/design.md §12: nights and routes together
        plan = _solve_with_roads(without_idle_tracker(folded), chosen, time_limit, progress)
    elif chosen == "fast":
        from escolta.protect.nightly import solve_nightly

        plan = solve_nightly(without_idle_tracker(folded), time_limit=time_limit,
                             progress=progress)
    else:
        from escolta.protect.reference import solve_reference

        plan = solve_reference(without_idle_tracker(folded), time_limit=time_limit,
                               progress=progress)
    # appearances (docs/design.md §4c, §5): a weekly figure, kept apart from the nightly risk
    return attach_appearances(unfold_plan(plan, tracker, folded), scenario.appearances)


def _solve_with_roads(scenario: Scenario, method: str, time_limit: float | None,
                      progress: Progress | None) -> Plan:
    """The joint game (:mod:`escolta.protect.roads_joint`): on the fast solver's reduced LP
    under ``no_repeat`` (its classes hold yesterday's site), else on the reference LP, where
    a scenario too large for it is refused, naming the first road adversary and the limit."""
    from escolta.protect.reference import MAX_NIGHTS
    from escolta.protect.roads_joint import solve_joint_fast, solve_joint_reference

    if method == "fast" and scenario.rules.no_repeat:
        return solve_joint_fast(scenario, time_limit=time_limit, progress=progress)
    try:
        return solve_joint_reference(scenario, time_limit=time_limit, progress=progress)
    except InputError as error:
        if error.field != "scenario":
            raise
        first = next(i for i, a in enumerate(scenario.adversaries) if a.attacks == "roads")
        raise InputError(f"adversaries[{first}].attacks", "roads",
                         f"without rules.no_repeat, road adversaries are solved on the "
                         f"reference LP, at most {MAX_NIGHTS:,} nights and its pair limit; "
                         f"this scenario has {error.value}") from None
