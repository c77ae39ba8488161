"""Lead-0 best-response duals spread over the cheapest sites: a second Lagrangian bound.

The bound of column generation (docs/nightly.md §3) holds at *any* duals feasible for the v
columns, not only at the master's. The master's duals of a lead-0 best response (a blind
adversary, an insider told its own post) sit on the sites where the restricted plan makes
that adversary's rows tight; a site the plan under-uses gets none, and then a night there
prices at the linear adversaries' cost alone. At 100 sites x 30 teams the blind relaxation's
bound stays at 1.3778e-4 for 300 s that way, while the plan's risk is 1.396e-4: its
cheapest posture holds the principal at two sites where no blind or insider dual lies.

Here each lead-0 adversary's weight is spread instead over a set of sites chosen by how
cheap a night there is without any lead-0 adversary (docs/nightly.md §3e, Lemma 8):

- the *score* of a site is its least single-site block value min_k W·c_a(k) + h̃_a(k) at
  the master's duals with every lead-0 row's dual set to 0
  (:meth:`KnapsackPricer.site_values`);
- for a level λ, each group (an adversary and a signal, whose duals must be ≥ 0 and sum to at
  most the adversary's weight) puts its weight on its target sites a either equally in
  loss, ∝ [score_a ≤ λ] / ℓ_a, or by water-filling, ∝ max(0, λ − score_a) / ℓ_a, where ℓ_a is
  the adversary's least loss at a (so the lift y·ℓ is even, or fills up to λ);
- one more candidate is flat over the sites the master's plan holds the principal at (the
  score ignores the team budget: with every team at one site each site reaches its best,
  and the plan knows which sites the budget lets it use);
- the bound is evaluated exactly (the same Lagrangian bound, moves of §3c and all) at each
  candidate (the plan's sites, then the levels from both ends inwards) until
  :data:`SPREAD_SECONDS` have passed, and the best is kept.

Every candidate is made exactly feasible (:meth:`Master.feasible_duals`), so every value is
a proven bound whatever the choice; the choice only decides how good it is. The other duals
(convexity, classes, features, posture rows) stay the master's.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from escolta.protect.nightly.knapsack import KnapsackPricer
from escolta.protect.nightly.master import Master, MasterSolution

#: Most score levels tried (each level costs two bound evaluations: about 0.05 s at 100
#: sites x 30 teams).
MAX_LEVELS = 12
#: Scores within this (relative) of each other are one level: sites tie in exact arithmetic.
LEVEL_TOLERANCE = 1e-9
#: Seconds the candidates may take in all, past which the rest are not tried (at 100 sites x
#: 30 teams they take 0.6 s; at 200 x 50, 4.5 s in one run and 24.5 s in another).
SPREAD_SECONDS = 10.0


@dataclass(frozen=True)
class Lead0Group:
    """The rows of one lead-0 best-response column ``v_θσ``: their duals are ≥ 0 and sum to at
    most ``weight``; ``sites`` are the rows' target sites, ``losses`` θ's least loss there."""

    weight: float
    rows: np.ndarray
    sites: np.ndarray
    losses: np.ndarray


def lead0_groups(master: Master) -> list[Lead0Group]:
    """Every lead-0 best-response column of ``master`` with its rows (``("max0", θ, σ, a)``)."""
    game = master.game
    rows_of: dict[tuple[int, object], list[tuple[int, int]]] = defaultdict(list)
    for key, row in master.rows.items():
        if isinstance(key, tuple) and key and key[0] == "max0":
            rows_of[(key[1], key[2])].append((key[3], row))
    groups = []
    for (i, _), rows in rows_of.items():
        adversary = game.adversaries[i]
        sites = np.array([a for a, _ in rows], dtype=np.int64)
        losses = np.array([min(game.loss(adversary, int(a), k, 0)
                               for k in range(game.n_teams + 1)) for a in sites])
        groups.append(Lead0Group(adversary.weight, np.array([r for _, r in rows],
                                                            dtype=np.int64), sites, losses))
    return groups


def _levels(scores: np.ndarray) -> list[float]:
    """The distinct finite scores, ascending (ties within :data:`LEVEL_TOLERANCE` merged), at
    most :data:`MAX_LEVELS` of them, the lowest kept densest (the cheap sites matter most)."""
    finite = np.sort(scores[np.isfinite(scores)])
    distinct: list[float] = []
    for value in finite:
        if not distinct or value > _tie(distinct[-1]):
            distinct.append(float(value))
    if len(distinct) <= MAX_LEVELS:
        return distinct
    picks = np.unique(np.round(np.geomspace(1, len(distinct), MAX_LEVELS)).astype(int)) - 1
    return [distinct[k] for k in picks]


def _tie(level: float) -> float:
    """The highest score that ties with ``level`` (:data:`LEVEL_TOLERANCE`)."""
    return level + LEVEL_TOLERANCE * max(abs(level), 1e-300)


def _spread(base: np.ndarray, groups: list[Lead0Group], shape: np.ndarray) -> np.ndarray:
    """``base`` with each group's duals ∝ shape[site] / loss over its target sites."""
    out = base.copy()
    for group in groups:
        positive = group.losses > 0.0
        share = np.where(positive, shape[group.sites] / np.where(positive, group.losses, 1.0),
                         0.0)
        total = share.sum()
        if total > 0.0:
            out[group.rows] = group.weight * share / total
    return out


def spread_bound(master: Master, pricer: KnapsackPricer, solution: MasterSolution,
                 bound_at: Callable[[np.ndarray], float]) -> float:
    """The best Lagrangian bound (``bound_at`` of the row duals) over the spread lead-0 duals
    of the module's doc, from the master's ``solution`` (its duals, and the sites its plan
    uses); ``-inf`` when the master has no lead-0 best response."""
    groups = lead0_groups(master)
    if not groups:
        return -np.inf
    # rows added after the solve (the last round's new postures) get 0, feasible for them
    row_duals = solution.row_duals
    base = np.zeros(max(len(master.row_lower), len(row_duals)))
    base[:len(row_duals)] = row_duals
    for group in groups:
        base[group.rows] = 0.0
    pricer.prepare(master.dual_vector(base))
    scores = np.min(pricer.site_values(), axis=1)
    finite = np.isfinite(scores)
    levels = _levels(scores)
    shapes = [_plan_sites(solution, master.game.n_sites)]
    # lowest and highest levels first, then inwards: a cut at SPREAD_SECONDS keeps both ends
    order = [k for pair in zip(range(len(levels)), reversed(range(len(levels))), strict=True)
             for k in dict.fromkeys(pair)][:len(levels)]
    for k in order:
        level = levels[k]
        shapes.append((finite & (scores <= _tie(level))).astype(float))
        above = levels[k + 1] if k + 1 < len(levels) else level + max(level - levels[0],
                                                                      abs(level))
        shapes.append(np.where(finite, np.maximum(above - np.where(finite, scores, 0.0), 0.0),
                               0.0))
    stop = time.perf_counter() + SPREAD_SECONDS
    best = -np.inf
    for shape in shapes:
        best = max(best, bound_at(master.feasible_duals(_spread(base, groups, shape))))
        if time.perf_counter() > stop:
            break
    return best


def _plan_sites(solution: MasterSolution, n_sites: int) -> np.ndarray:
    """1 at every site where the master's plan holds the principal (above 1e-12), else 0."""
    shape = np.zeros(n_sites)
    for (site, _, _), p in zip(solution.columns, solution.p, strict=True):
        if p > 1e-12:
            shape[site] = 1.0
    return shape
