"""Rosters with OR-Tools CP-SAT (docs/design.md §9).

Hard rules: each position filled by one person who has its role, a person in at most one
position a night and none on a day off, each team's ``mix``, and the rolling windows of
``roster`` (the history counted as constants, so a roster continues the ones around it).

Objective: the insider exposure Σ_p (1 − trust_p) · N_p, N_p = nights p stands in a team
posted at the principal's site. Trust is taken in units of 1e-6 (``round(trust * 1e6)``), so
the objective is an integer and CP-SAT's bound is exact in those units; a trust given with
more than six decimals is rounded to six.

Two stages, exact together:

1. **Sides** (:func:`build` with ``grouped=True``): one Boolean per (person, night, side,
   role), the sides being the teams posted with the principal and the teams away, their crews
   and mixes added. The exposure and every per-person window depend only on this choice, so
   this relaxation of the problem has the same objective, and its proven bound is a bound of
   the full problem.
   It is solved in two steps: first the side with the principal alone (every per-person
   window counting those nights only, again a relaxation with the same objective, and much
   smaller), then the side away with those choices fixed (:func:`_fill_away`); only if that
   fails is the whole first stage solved at once.
2. **Teams** (:func:`escolta.detail.placement.place_teams`): split each side's people among
   its teams (each team's role counts and mix, the pair windows). Any split keeps the exposure,
   so an optimal first stage with a split is an optimal roster.

When no split exists, the full model (one Boolean per person, night, team and role) is
solved instead, started from the first stage's bound. Positions of one role in a team are
interchangeable: the model chooses who fills a role; positions are named afterwards.

``max_together_per_28`` couples every pair of people, far too many to state up front; it is
added lazily: solve, find the pairs the roster puts together too often, add their windows,
re-solve warm. The last model is a relaxation of the full one, so its bound stands.

Among optimal rosters a second first-stage solve balances nights with the principal: with
the exposure fixed at its optimum it minimizes Σ_g (max − min) of N_p over each group g of
people of equal trust and roles, the min-max spread of the OR-Tools shift-scheduling example.

A rule no roster can meet is explained: each rule is stated under an assumption literal per
(rule, date, team) or (rule, person, window); CP-SAT's
``SufficientAssumptionsForInfeasibility`` names a set that cannot hold together, turned into
one :class:`~escolta.errors.InputError` naming the rule, the date and the team.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from ortools.sat.python import cp_model

from escolta.detail.explain import explain_infeasible
from escolta.detail.model import (
    SCALE,
    ProgressCallback,
    RosterModel,
    SolutionProgress,
    build,
    crew_roles,
    make_solver,
    units,
)
from escolta.detail.placement import place_teams
from escolta.detail.problem import Assignment, RosterProblem
from escolta.errors import InputError, SolverError

__all__ = ["SCALE", "ProgressCallback", "Roster", "build", "solve_roster"]

MAX_LAZY_ROUNDS = 50

_STATUS = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.MODEL_INVALID: "model_invalid",
    cp_model.UNKNOWN: "unknown",
}


@dataclass(frozen=True)
class Roster:
    """A roster and what CP-SAT proved about it.

    ``objective`` is the insider exposure of the roster, ``bound`` a proven lower bound of
    every legal roster's exposure (equal to ``objective`` when ``status`` is ``optimal``);
    ``balanced``: the second solve (balance among equal trust) ran to its end.
    """

    status: str
    objective: float
    bound: float
    assignments: tuple[Assignment, ...]
    seconds: float
    num_workers: int
    lazy_rounds: int = 1
    balanced: bool = False
    pairs_added: int = 0

    @property
    def gap(self) -> float:
        return 0.0 if self.objective <= self.bound else (
            (self.objective - self.bound) / max(abs(self.objective), 1e-12))


def _assignments(problem: RosterProblem, m: RosterModel,
                 solver: cp_model.CpSolver) -> tuple[Assignment, ...]:
    chosen: dict[tuple[int, int, str], list[str]] = defaultdict(list)
    for (p, d, t, r), var in m.x.items():
        if solver.Value(var):
            chosen[d, t, crew_roles(problem.teams[t].positions)[r][0]].append(problem.staff[p].name)
    out = []
    for d, night in enumerate(problem.nights):
        for t, team in enumerate(problem.teams):
            fill = {role: sorted(chosen[d, t, role]) for role, _ in crew_roles(team.positions)}
            for position, role in team.positions:
                out.append(Assignment(night.date, team.name, position, role,
                                      fill[role].pop(0), night.with_principal(team.name)))
    return tuple(out)


def _crowded_pairs(problem: RosterProblem,
                   assignments: tuple[Assignment, ...]) -> set[tuple[int, int]]:
    """Pairs the roster puts together more than ``max_together_per_28`` allows."""
    length = problem.window("max_together_per_28")
    if length is None:
        return set()
    cap = problem.cap("max_together_per_28")
    people = {p.name: i for i, p in enumerate(problem.staff)}
    crews: dict[tuple[dt.date, str], list[int]] = defaultdict(list)
    for a in (*problem.history, *assignments):
        if a.person in people:
            crews[(a.date, a.team)].append(people[a.person])
    days: dict[tuple[int, int], list[int]] = defaultdict(list)
    for (date, _), members in crews.items():
        for pair in combinations(sorted(members), 2):
            days[pair].append(date.toordinal())
    crowded = set()
    for pair, ordinals in days.items():
        ordinals.sort()
        if len(ordinals) <= cap:
            continue
        for i in range(len(ordinals) - cap):
            if ordinals[i + cap] - ordinals[i] < length:
                crowded.add(pair)
                break
    return crowded


def solve_roster(problem: RosterProblem, *, time_limit: float = 60.0, num_workers: int = 8,
                 random_seed: int | None = None, balance: bool = True,
                 on_solution: ProgressCallback | None = None, staged: bool = True) -> Roster:
    """The roster of least insider exposure, with CP-SAT's proven bound.

    Parameters
    ----------
    problem
        The nights, crews, staff, rules and history (:func:`~escolta.detail.problem.
        roster_problem`).
    time_limit
        Seconds in all (lazy rounds and the balancing solve share them); at the limit the
        best roster found is returned with its bound (status ``feasible``).
    num_workers
        CP-SAT's workers, set explicitly as in the OR-Tools shift-scheduling example; 8
        includes its LP-based ones, which prove these models optimal far sooner than 2.
    random_seed
        For reproducible tests only.
    balance
        Among optimal rosters, balance nights with the principal across equal trust.
    on_solution
        Called with (objective, bound) at each improving roster (for a progress bar).
    staged
        Sides first, then teams (the default); ``False`` solves the full model directly
        (the fallback when no split into teams exists).

    Raises
    ------
    InputError
        A rule no roster can meet (naming the rule, date and team), or no roster found in
        the time limit.
    """
    if time_limit <= 0:
        raise InputError("--time-limit", time_limit, "must be positive")
    if num_workers < 1:
        raise InputError("num_workers", num_workers, "must be at least 1")
    started = time.perf_counter()
    deadline = started + time_limit
    options = (num_workers, random_seed)
    lower = 0
    if staged:
        for principal_only in (True, False):
            first = _solve_staged(problem, started, deadline, options, balance, on_solution,
                                  principal_only=principal_only, lower=lower)
            if isinstance(first, Roster):
                return first
            lower = max(lower, first)
    return _solve_full(problem, started, deadline, options, on_solution, lower=lower)


def _sides(problem: RosterProblem, values: dict[tuple[int, int, int, int], int]
           ) -> dict[tuple[str, dt.date], tuple[bool, str]]:
    """From a grouped model's solution: each person on duty's side and role, by night."""
    by_night = [units(problem, night, True) for night in problem.nights]
    out = {}
    for (p, d, u, r), value in values.items():
        if value:
            unit = by_night[d][u]
            out[problem.staff[p].name, problem.nights[d].date] = (unit.with_principal,
                                                                   unit.roles[r][0])
    return out


def _solve_staged(problem: RosterProblem, started: float, deadline: float,
                  options: tuple[int, int | None], balance: bool,
                  on_solution: ProgressCallback | None, *, principal_only: bool,
                  lower: int = 0) -> Roster | int:
    """Sides first, then teams.

    With ``principal_only`` the first model holds only the side with the principal (the
    exposure, and the windows counting those nights alone: a relaxation again), and the side
    away is filled next with those choices fixed (:func:`_fill_away`). Returns the roster, or,
    when a later step finds nothing, the first model's proven bound (in 1e-6 units).
    """
    num_workers, random_seed = options
    m = build(problem, set(), grouped=True, principal_only=principal_only)
    m.model.Minimize(m.exposure)
    budget = max((deadline - time.perf_counter()) * 0.8, 0.01)
    solver = make_solver(budget, num_workers, random_seed)
    status = solver.Solve(m.model, SolutionProgress(on_solution))
    if status == cp_model.INFEASIBLE:  # a relaxation: the full problem is infeasible too
        raise explain_infeasible(problem, set(), max(30.0, deadline - time.perf_counter()),
                                 grouped=True, principal_only=principal_only)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if status == cp_model.UNKNOWN:
            raise InputError("--time-limit", deadline - started,
                             "no roster found in time: give CP-SAT more seconds")
        raise SolverError(f"CP-SAT ended with {_STATUS.get(status, status)}")
    objective = round(solver.ObjectiveValue())
    bound = min(objective, max(lower, int(-(-solver.BestObjectiveBound() // 1))))
    optimal = status == cp_model.OPTIMAL
    values = {key: int(solver.Value(var)) for key, var in m.x.items()}
    tries = []
    if balance and optimal and time.perf_counter() < deadline:
        even = _balance_sides(problem, objective, values, deadline, options, principal_only)
        if even is not None:
            tries.append((even, True))
    tries.append((values, False))
    for choice, balanced in tries:
        if principal_only:
            sides = _fill_away(problem, choice, deadline, options)
            if sides is None:
                continue
        else:
            sides = _sides(problem, choice)
        assignments = place_teams(problem, sides, deadline, num_workers, random_seed)
        if assignments is not None:
            return Roster("optimal" if optimal else "feasible", objective / SCALE,
                          (objective if optimal else bound) / SCALE, assignments,
                          time.perf_counter() - started, num_workers, 1, balanced, 0)
    return bound


def _fill_away(problem: RosterProblem, principal: dict[tuple[int, int, int, int], int],
               deadline: float, options: tuple[int, int | None]
               ) -> dict[tuple[str, dt.date], tuple[bool, str]] | None:
    """The side away, with the side with the principal fixed as ``principal`` chose it."""
    m = build(problem, set(), grouped=True)
    by_night = [units(problem, night, True) for night in problem.nights]
    for (p, d, u, r), var in m.x.items():
        if by_night[d][u].with_principal:
            m.model.Add(var == principal.get((p, d, u, r), 0))
    solver = make_solver(max((deadline - time.perf_counter()) * 0.5, 0.01), *options)
    if solver.Solve(m.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return _sides(problem, {key: int(solver.Value(var)) for key, var in m.x.items()})


def _solve_full(problem: RosterProblem, started: float, deadline: float,
                options: tuple[int, int | None], on_solution: ProgressCallback | None,
                lower: int = 0) -> Roster:
    """One model over every (person, night, team, role), pair windows added lazily."""
    num_workers, random_seed = options
    pairs: set[tuple[int, int]] = set()
    hint: dict[tuple[int, int, int, int], int] = {}
    rounds = 0
    while rounds < MAX_LAZY_ROUNDS:
        rounds += 1
        m = build(problem, pairs)
        m.model.Minimize(m.exposure)
        for key, value in hint.items():
            if key in m.x:
                m.model.AddHint(m.x[key], value)
        solver = make_solver(deadline - time.perf_counter(), num_workers, random_seed)
        status = solver.Solve(m.model, SolutionProgress(on_solution))
        if status == cp_model.INFEASIBLE:
            raise explain_infeasible(problem, pairs, max(10.0, deadline - time.perf_counter()))
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if status == cp_model.UNKNOWN:
                raise InputError("--time-limit", deadline - started,
                                 "no roster found in time: give CP-SAT more seconds")
            raise SolverError(f"CP-SAT ended with {_STATUS.get(status, status)}")
        assignments = _assignments(problem, m, solver)
        crowded = _crowded_pairs(problem, assignments) - pairs
        if not crowded:
            break
        if time.perf_counter() >= deadline:
            raise InputError("--time-limit", deadline - started,
                             "no roster meeting max_together_per_28 found in time: give "
                             "CP-SAT more seconds")
        pairs |= crowded
        hint = {key: int(solver.Value(var)) for key, var in m.x.items()}
    else:
        raise SolverError(f"max_together_per_28 still broken after {MAX_LAZY_ROUNDS} rounds")
    objective = round(solver.ObjectiveValue())
    bound = min(objective, max(lower, int(-(-solver.BestObjectiveBound() // 1))))
    optimal = status == cp_model.OPTIMAL or bound == objective
    return Roster("optimal" if optimal else "feasible", objective / SCALE,
                  (objective if optimal else bound) / SCALE, assignments,
                  time.perf_counter() - started, num_workers, rounds, False, len(pairs))


def _balance_sides(problem: RosterProblem, objective: int,
                   first: dict[tuple[int, int, int, int], int], deadline: float,
                   options: tuple[int, int | None], principal_only: bool
                   ) -> dict[tuple[int, int, int, int], int] | None:
    """Among first-stage choices of exposure ``objective``, the least spread of nights with
    the principal within each group of equal trust and roles; ``None`` unless proven least."""
    num_workers, random_seed = options
    m = build(problem, set(), grouped=True, principal_only=principal_only)
    m.model.Add(m.exposure <= objective)
    groups: dict[tuple[int, tuple[str, ...]], list[int]] = defaultdict(list)
    for p, person in enumerate(problem.staff):
        groups[(person.trust_micro, tuple(sorted(person.roles)))].append(p)
    spread = []
    days = len(problem.nights)
    for members in groups.values():
        if len(members) < 2:
            continue
        high = m.model.NewIntVar(0, days, "")
        low = m.model.NewIntVar(0, days, "")
        for p in members:
            count = sum(m.principal_nights.get(p, []))
            m.model.Add(high >= count)
            m.model.Add(low <= count)
        spread.append(high - low)
    if not spread:
        return None
    m.model.Minimize(sum(spread))
    for key, var in m.x.items():
        m.model.AddHint(var, first.get(key, 0))
    solver = make_solver(max((deadline - time.perf_counter()) * 0.4, 0.01), num_workers,
                     random_seed)
    if solver.Solve(m.model) != cp_model.OPTIMAL:
        return None
    return {key: int(solver.Value(var)) for key, var in m.x.items()}
