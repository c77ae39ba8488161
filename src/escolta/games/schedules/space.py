"""The defender's pure strategies in a security game with schedules (joint assignments: each
resource type runs at most its count of the schedules it may run) and ASPEN's pricing oracle
over them: the assignment that covers the most weight, greedily or exactly by a small MILP
(Jain et al., AAAI 2010)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from escolta.errors import SolverError
from escolta.games.model import ResourceType, SecurityGame
from escolta.lp import LinearProgram, Status, solve

INF = float("inf")
REDUCED_COST_TOLERANCE = 1e-9
"""A column (or an added schedule) must improve by more than this to be taken."""


@dataclass(frozen=True)
class PureStrategies:
    """The defender's pure strategies: each resource type r runs at most ``count_r`` of its
    allowed schedules, no schedule twice (a resource may also stay idle)."""

    n_targets: int
    membership: sp.csr_matrix  # (schedules, targets), 1 where the schedule covers the target
    kinds: tuple[ResourceType, ...]
    allowed: np.ndarray  # (kinds, schedules) bool
    members: tuple[np.ndarray, ...]  # targets of each schedule

    @property
    def n_schedules(self) -> int:
        return self.membership.shape[0]

    def cover(self, chosen: tuple[int, ...]) -> np.ndarray:
        """0/1 coverage of the targets by the chosen schedules."""
        cover = np.zeros(self.n_targets)
        for k in chosen:
            cover[self.members[k]] = 1.0
        return cover

    def best_greedy(self, weights: np.ndarray) -> tuple[float, tuple[int, ...]]:
        """Greedy weighted coverage: repeatedly add the schedule (of a type with a resource
        left) that adds the most weight; exact when the schedules are pairwise disjoint and
        there is one resource type."""
        remaining = np.array([k.count for k in self.kinds])
        uncovered = np.ones(self.n_targets)
        usable = np.ones(self.n_schedules, dtype=bool)
        chosen: list[tuple[int, int]] = []
        total = 0.0
        while remaining.any():
            gains = self.membership @ (weights * uncovered)
            kinds_left = self.allowed[remaining > 0].any(axis=0)
            gains = np.where(usable & kinds_left, gains, -INF)
            k = int(np.argmax(gains))
            if not gains[k] > REDUCED_COST_TOLERANCE:
                break
            r = int(np.flatnonzero(self.allowed[:, k] & (remaining > 0))[0])
            remaining[r] -= 1
            usable[k] = False
            total += float(gains[k])
            uncovered[self.members[k]] = 0.0
            chosen.append((r, k))
        return total, _ordered(chosen)

    def best_exact(self, weights: np.ndarray) -> tuple[float, tuple[int, ...]]:
        """Exact weighted coverage by a small MILP (only schedules touching a weighted target,
        only weighted targets): binaries ``z_rk`` (type r runs schedule k), ``u_t`` covered."""
        weighted = np.abs(weights) > 1e-12
        touch = np.flatnonzero(self.membership @ weighted.astype(float) > 0)
        if len(touch) == 0:
            return 0.0, ()
        sub = self.membership[touch][:, weighted].tocsc()
        w = weights[weighted]
        pairs = [(r, int(k)) for r in range(len(self.kinds)) for k in touch
                 if self.allowed[r, k]]
        z = len(pairs)
        nu = len(w)
        n_cols = z + nu
        local = {int(k): i for i, k in enumerate(touch)}
        rows, cols, vals, lower, upper = [], [], [], [], []
        row = 0
        # each schedule at most once (over the types that may run it)
        for k in touch:
            users = [i for i, (_, kk) in enumerate(pairs) if kk == k]
            if len(users) > 1:
                rows += [row] * len(users)
                cols += users
                vals += [1.0] * len(users)
                lower.append(-INF)
                upper.append(1.0)
                row += 1
        for r, kind in enumerate(self.kinds):
            mine = [i for i, (rr, _) in enumerate(pairs) if rr == r]
            if mine:
                rows += [row] * len(mine)
                cols += mine
                vals += [1.0] * len(mine)
                lower.append(-INF)
                upper.append(float(kind.count))
                row += 1
        pair_of_schedule: dict[int, list[int]] = {}
        for i, (_, k) in enumerate(pairs):
            pair_of_schedule.setdefault(local[k], []).append(i)
        for t in range(nu):
            schedules_of_t = sub[:, t].indices
            runners = [i for s in schedules_of_t for i in pair_of_schedule.get(int(s), [])]
            if w[t] > 0:  # u_t <= Σ z over schedules covering t
                rows += [row] * (len(runners) + 1)
                cols += [z + t, *runners]
                vals += [1.0] + [-1.0] * len(runners)
                lower.append(-INF)
                upper.append(0.0)
                row += 1
            else:  # u_t >= z for every schedule covering t
                for i in runners:
                    rows += [row, row]
                    cols += [z + t, i]
                    vals += [1.0, -1.0]
                    lower.append(0.0)
                    upper.append(INF)
                    row += 1
        matrix = sp.csr_matrix((vals, (rows, cols)), shape=(row, n_cols))
        cost = np.concatenate([np.zeros(z), w])
        integrality = np.concatenate([np.ones(z, dtype=bool), np.zeros(nu, dtype=bool)])
        result = solve(LinearProgram(cost, matrix, np.array(lower), np.array(upper),
                                     np.zeros(n_cols), np.ones(n_cols), integrality, "max"),
                       mip_rel_gap=1e-9)
        if result.status is not Status.OPTIMAL:
            raise SolverError(f"ASPEN pricing MILP ended with status {result.status}")
        picked = [pairs[i] for i in np.flatnonzero(result.x[:z] > 0.5)]
        return float(result.objective), _ordered(picked)


def _ordered(chosen: list[tuple[int, int]]) -> tuple[int, ...]:
    """Schedules by resource type, then index: the assignment as ``mixed_strategy`` lists it."""
    return tuple(k for _, k in sorted(chosen))


def pure_strategies(game: SecurityGame) -> PureStrategies:
    """The pure-strategy space of ``game`` (schedules, or singletons without them)."""
    n = game.n_targets
    schedules = game.schedules if game.schedules is not None else tuple((t,) for t in range(n))
    rows = np.concatenate([np.full(len(s), i) for i, s in enumerate(schedules)])
    cols = np.concatenate([np.asarray(s, dtype=int) for s in schedules])
    membership = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(schedules), n))
    membership.data[:] = 1.0
    if game.resource_types is not None:
        kinds = game.resource_types
    else:
        kinds = (ResourceType("resource", game.resources, tuple(range(len(schedules)))),)
    allowed = np.zeros((len(kinds), len(schedules)), dtype=bool)
    for r, kind in enumerate(kinds):
        allowed[r, list(kind.schedules)] = True
    members = tuple(np.asarray(sched, dtype=int) for sched in schedules)
    return PureStrategies(n, membership, tuple(kinds), allowed, members)


def reach(space: PureStrategies) -> int:
    """The most targets one pure strategy covers (a bound: counts times largest schedule)."""
    sizes = np.asarray(space.membership.sum(axis=1)).ravel()
    most = sum(kind.count * float(sizes[list(kind.schedules)].max()) for kind in space.kinds)
    return int(min(space.n_targets, most))
