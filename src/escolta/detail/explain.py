"""Why no roster exists: the rule, the date and the team, in one line (design.md §9).

Every rule is stated under an assumption literal — per (crew, date, team), (mix, date, team)
and (rule, person, window) — and CP-SAT's ``SufficientAssumptionsForInfeasibility`` returns
a set that cannot hold together, turned into one :class:`~escolta.errors.InputError`.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from escolta.detail.model import Tag, build, make_solver
from escolta.detail.problem import RosterProblem
from escolta.errors import InputError


def explain_infeasible(problem: RosterProblem, pairs: set[tuple[int, int]],
                       seconds: float = 30.0) -> InputError:
    """The rule, date and team that no roster can meet, as one :class:`InputError`."""
    m = build(problem, pairs, explain=True)
    m.model.AddAssumptions(m.assumptions)
    solver = make_solver(seconds, 1, 0)  # cores from assumptions come from one worker
    status = solver.Solve(m.model)
    if status != cp_model.INFEASIBLE:
        return InputError("roster", None, "no roster meets every rule, and CP-SAT could not "
                          f"say which within {seconds:g} s")
    core = [m.tags[i] for i in solver.SufficientAssumptionsForInfeasibility() if i in m.tags]
    return _core_error(problem, core)


def _core_error(problem: RosterProblem, core: list[Tag]) -> InputError:
    rules = [t for t in core if t.rule != "crew"]
    placed = [t for t in core if t.team is not None]
    persons = [t for t in core if t.person is not None]
    main = (rules or core or [Tag("crew")])[0]
    value = getattr(problem.rules, main.rule, None)
    if main.rule == "mix":
        team = next(t for t in problem.teams if t.name == main.team)
        value = dict(team.mix)
    if main.rule == "crew":
        team = next((t for t in problem.teams if t.name == main.team), problem.teams[0])
        value = [pos for pos, _ in team.positions]
    field_name = f"roster.{main.rule}" if main.rule not in ("crew", "mix") else (
        f"teams[{main.team}].{main.rule}")
    where = placed[0] if placed else None
    reason = "cannot be met"
    if where is not None:
        reason += f" for team {where.team} on {where.date.isoformat()}"
    if persons:
        shown = ", ".join(f"{t.person} ({t.first} to {t.last})" for t in persons[:3])
        more = f" and {len(persons) - 3} more" if len(persons) > 3 else ""
        reason += f" by {shown}{more}"
    others = sorted({t.rule for t in core} - {main.rule})
    if others:
        reason += f" together with {', '.join(others)}"
    return InputError(field_name, value, reason)
