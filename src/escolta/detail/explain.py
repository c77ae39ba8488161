"""Why no roster exists: the rule, the date and the team, in one line (docs/design.md §9).

Every rule is stated under an assumption literal — per (crew, date, team), (mix, date, team)
and (rule, person, window) — and CP-SAT's ``SufficientAssumptionsForInfeasibility`` returns
a set that cannot hold together, turned into one :class:`~escolta.errors.InputError`.
"""

from __future__ import annotations

import dataclasses
import time

from ortools.sat.python import cp_model

from escolta.detail.model import Tag, build, make_solver
from escolta.detail.problem import RosterProblem
from escolta.errors import InputError


def explain_infeasible(problem: RosterProblem, pairs: set[tuple[int, int]],
                       seconds: float = 30.0, *, grouped: bool = False,
                       principal_only: bool = False) -> InputError:
    """The rule, date and team that no roster can meet, as one :class:`InputError`.

    ``grouped``/``principal_only``: look for the core in that (smaller, relaxed) model first,
    the one found infeasible, where the team is the side (the teams with the principal);
    then in the full model.
    """
    models = [(grouped, principal_only)] + ([(False, False)] if grouped else [])
    started = time.perf_counter()
    seconds /= 2  # the other half for the search by deletion
    for k, (group, alone) in enumerate(models):
        m = build(problem, pairs if not group else set(), explain=True, grouped=group,
                  principal_only=alone)
        m.model.AddAssumptions(m.assumptions)
        left = seconds - (time.perf_counter() - started)
        share = left / (len(models) - k)
        solver = make_solver(max(share, 1.0), 1, 0)  # cores from assumptions: one worker
        if solver.Solve(m.model) == cp_model.INFEASIBLE:
            core = [m.tags[i] for i in solver.SufficientAssumptionsForInfeasibility()
                    if i in m.tags]
            return _core_error(problem, core)
    return explain_by_deletion(problem, max(seconds, 10.0), grouped, principal_only)


def _feasible(problem: RosterProblem, seconds: float, grouped: bool,
              principal_only: bool) -> bool | None:
    """Whether the (relaxed) model of ``problem`` has a roster; ``None``: not known in time."""
    try:
        m = build(problem, set(), grouped=grouped, principal_only=principal_only)
    except InputError:  # a role no one free can fill: infeasible before solving
        return False
    status = make_solver(seconds, 8, 0).Solve(m.model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return True
    return False if status == cp_model.INFEASIBLE else None


def explain_by_deletion(problem: RosterProblem, seconds: float, grouped: bool,
                 principal_only: bool) -> InputError:
    """When no core comes in time (a counting argument is hard for cores, easy for the LP):
    the rule whose removal alone restores a roster, and the first night by which the rules
    cannot all hold (the shortest infeasible run of nights from the start, by bisection)."""
    step = seconds / 10
    rules = [r for r, v in problem.rules.model_dump().items() if v is not None]
    culprit = None
    for rule in rules:
        relaxed = dataclasses.replace(problem, rules=problem.rules.model_copy(
            update={rule: None}))
        if _feasible(relaxed, step, grouped, principal_only):
            culprit = rule
            break
    low, high = 1, len(problem.nights)
    while low < high:
        mid = (low + high) // 2
        prefix = dataclasses.replace(problem, nights=problem.nights[:mid])
        if _feasible(prefix, step, grouped, principal_only) is False:
            high = mid
        else:
            low = mid + 1
    night = problem.nights[high - 1]
    with_principal = [t.name for t in problem.teams if night.with_principal(t.name)]
    side = (f"teams {', '.join(with_principal)} (posted with the principal)"
            if with_principal and (principal_only or culprit == "max_with_principal_per_14")
            else "the teams")
    when = f"{side} on {night.date.isoformat()}"
    if culprit is None:
        values = {r: getattr(problem.rules, r) for r in rules}
        return InputError("roster", values, f"these rules together cannot be met for {when}")
    return InputError(f"roster.{culprit}", getattr(problem.rules, culprit),
                      f"cannot be met for {when}, with the staff and the other rules")


def _core_error(problem: RosterProblem, core: list[Tag]) -> InputError:
    rules = [t for t in core if t.rule != "crew"]
    placed = [t for t in core if t.team is not None]
    persons = [t for t in core if t.person is not None]
    main = (rules or core or [Tag("crew")])[0]
    value = getattr(problem.rules, main.rule, None)
    teams = {t.name: t for t in problem.teams}
    members = [teams[name] for name in (main.team or "").split(", ") if name in teams]
    if main.rule == "mix":
        value = [dict(t.mix) for t in members] if len(members) > 1 else dict(members[0].mix)
    if main.rule == "crew":
        value = [pos for t in members for pos, _ in t.positions]
    field_name = f"roster.{main.rule}" if main.rule not in ("crew", "mix") else (
        f"teams[{main.team}].{main.rule}")
    where = placed[0] if placed else None
    reason = "cannot be met"
    if where is not None:
        several = ", " in (where.team or "")
        side = " (posted with the principal)" if several else ""
        reason += (f" for team{'s' if several else ''} {where.team}{side} on "
                   f"{where.date.isoformat()}")
    if persons:
        shown = ", ".join(f"{t.person} ({t.first} to {t.last})" for t in persons[:3])
        more = f" and {len(persons) - 3} more" if len(persons) > 3 else ""
        reason += f" by {shown}{more}"
    others = sorted({t.rule for t in core} - {main.rule})
    if others:
        reason += f" together with {', '.join(others)}"
    return InputError(field_name, value, reason)
