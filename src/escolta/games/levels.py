"""Exact Bayesian security games by branch and bound over the attackers' *levels*.

A compact security game with standard payoffs (covering a target lowers every attacker's
payoff there, ``U_a^c < U_a^u``) can be searched in the space of the attacker types' expected
utilities instead of the space of coverages or of response profiles. Write
``r_θt(v) = (U_a^u_θt - v) / (U_a^u_θt - U_a^c_θt)`` for the coverage target t needs so that
type θ gets at most ``v`` there (ORIGAMI's attack-set algebra, Kiekintveld et al., AAMAS
2009). For a vector of levels ``v`` (one per type):

* the least coverage holding every type θ to ``v_θ`` is ``c_t(v) = max(0, max_θ r_θt(v_θ))``,
  so ``v`` is reachable iff ``g(v) = Σ_t c_t(v) <= m``; ``g`` is convex and decreasing;
* type θ attacks exactly the targets where its own requirement is the largest (and not
  negative): there ``c_t = r_θt(v_θ)`` and the defender gets ``U_d^θ(t, r_θt(v_θ))``;
* every coverage ``c`` is matched by the levels it leaves the attackers (``v_θ`` = type θ's
  best payoff under ``c``): ``c(v) <= c`` and every attacked target keeps its coverage, so the
  strong Stackelberg value is the maximum over reachable ``v`` of
  ``F(v) = Σ_θ p_θ max_{t attacked by θ} U_d^θ(t, r_θt(v_θ))``.

The search keeps boxes ``lo <= v <= hi``, best bound first. Each box is

* cut to its useful part (:func:`_shrink`): ``g`` is decreasing, so ``lo_θ`` rises to the
  least ``v_θ`` with ``g(v_θ, hi_-θ) <= m`` (the box is empty if ``g(hi) > m``); ``hi_θ``
  falls to the largest level at which θ can still attack a candidate target, and to the level
  above which θ's defender value cannot lift the total past the incumbent;
* bounded twice: by each type's best candidate at its lowest level (θ can attack t in the
  box only if ``r_θt(lo_θ) >= r_ψt(hi_ψ)`` for every other type ψ and ``U_a^u_θt >= lo_θ``),
  and by a Lagrangian bound that charges all types to the one budget
  (:func:`_budget_bound`);
* split at the middle of the type whose bound varies most across the box times its width.

Each box also yields an incumbent: the coverage ``c(hi)``, evaluated exactly.

When few response profiles remain possible in a box (the product of the types' candidate
targets is at most ``close_at``), the box is closed exactly by the LP of each of those
profiles (Conitzer & Sandholm, EC 2006, on the compact coverage): the best coverage of a
profile is a strategy whose value is at least the LP's, and no point of the box does better
than its best profile. The profile LPs share one live HiGHS model (rows switched between
"type θ gets at most its level at t" and "exactly its level at t"), each warm-started. So the
answer is exact: when no box is left, the incumbent is within :data:`TOLERANCE` (1e-9 of the
payoff range) of the optimum and is itself the optimum of a profile LP. If a profile LP's
coverage does not realise its own profile within the evaluator's tie tolerance (targets where
covering changes an attacker's payoff by 1e-6 of the range make the LP that ill-conditioned),
the game is handed to :func:`escolta.games.hbgs.hbgs_solve` and ``params["handed_over"]``
says why.

This is branch and bound as in HBGS (Jain, Kiekintveld & Tambe, AAMAS 2011) and HUNTER (Yin
& Tambe, AAMAS 2012), but branching on the attackers' levels makes a node cost a few
vectorised passes over ``types x targets`` (compiled with numba) instead of an LP, and the
levels tie the types together through the one budget constraint that couples them.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, replace

import numba
import numpy as np
import scipy.sparse as sp

from escolta.errors import InputError, SolverError
from escolta.games.evaluate import (
    clean_coverage,
    coverage_solution,
    security_responses,
    security_value,
    tie_tolerance,
)
from escolta.games.hbgs import hbgs_solve
from escolta.games.milp import payoff_scale
from escolta.games.model import AttackerType, SecurityGame, Solution
from escolta.games.progress import SolveProgress
from escolta.lp import HighsModel, LinearProgram, Status

INF = float("inf")
TOLERANCE = 1e-9
"""A box is closed once its bound is within this of the incumbent (payoffs scaled to [-1, 1])."""
CLOSE_AT = 2
"""A box whose types' candidate targets allow at most this many response profiles is closed
by their LPs instead of being split."""
FEASIBLE = 1e-12
"""Slack on the budget and on requirement comparisons (ties are kept, never cut)."""
BOXES_PER_CALL = 5_000
"""Boxes explored by one call of the compiled search between checks of the clock."""
BISECTIONS = 30
"""Bisection steps on the budget's multiplier (every step's bound is valid)."""
SHRINK_ROUNDS = 3
"""Rounds of cutting a box to its useful part (:func:`_shrink`) before bounding it."""
SMALL_BOX = 1e-7
"""A box whose type to split is no wider than this (payoffs scaled to [-1, 1]) is closed by its
profile LPs whatever their number: at an optimum where several targets tie for a type every
shrinking box keeps all of them, and a type whose defender values do not vary with its level
is never split, so the others shrink to a point."""
UNREALIZED = 1e-7
"""A profile LP's coverage that the evaluator scores this much (scaled) below the LP's value
does not make the profile the response: the game is too ill-conditioned for this method (a
target where covering barely changes an attacker's payoff) and it is handed to ``hbgs``."""
MAX_CLOSE_PROFILES = 2_000
"""A narrow box with more tied response profiles than this is handed to ``hbgs`` (the number
grows as targets ** types when many targets tie for many types)."""
SEARCH_TIES = 1e-12
"""Ties the search credits to the defender when it evaluates a box's coverage: rounding only.
(The evaluator's wider tolerance would credit near-ties that no exact coverage achieves.)"""


# ---------------------------------------------------------------------------------------
# Compiled kernels over the (types, targets) arrays; ``au`` is U_a^u, ``da`` = U_a^u - U_a^c
# (> 0), ``du`` is U_d^u, ``dd`` = U_d^c - U_d^u, all scaled.


@numba.njit(cache=True)
def _requirements(au: np.ndarray, da: np.ndarray, v: np.ndarray) -> np.ndarray:
    types, n = au.shape
    r = np.empty((types, n))
    for k in range(types):
        for t in range(n):
            r[k, t] = (au[k, t] - v[k]) / da[k, t]
    return r


@numba.njit(cache=True)
def _others(r: np.ndarray, k: int) -> np.ndarray:
    """For each target, the largest requirement of the types other than ``k`` (-inf if none)."""
    types, n = r.shape
    out = np.full(n, -np.inf)
    for j in range(types):
        if j != k:
            for t in range(n):
                if r[j, t] > out[t]:
                    out[t] = r[j, t]
    return out


@numba.njit(cache=True)
def _least_coverage(r: np.ndarray) -> np.ndarray:
    types, n = r.shape
    c = np.zeros(n)
    for t in range(n):
        for k in range(types):
            if r[k, t] > c[t]:
                c[t] = r[k, t]
        if c[t] > 1.0:
            c[t] = 1.0
    return c


@numba.njit(cache=True)
def _tighten(au: np.ndarray, da: np.ndarray, budget: float, lo: np.ndarray,
             hi: np.ndarray) -> bool:
    """Raise ``lo`` (in place) to the reachable part of the box; ``False`` if it is empty."""
    types, n = au.shape
    r_hi = _requirements(au, da, hi)
    if np.sum(_least_coverage(r_hi)) > budget + FEASIBLE * max(1.0, budget):
        return False
    for k in range(types):
        base = _others(r_hi, k)
        for t in range(n):
            if base[t] < 0.0:
                base[t] = 0.0
        # f(x) = Σ_t max(base_t, r_kt(x)); the term of t follows r_kt below its breakpoint.
        stop = np.empty(n)
        fixed = 0.0
        for t in range(n):
            stop[t] = au[k, t] - base[t] * da[k, t]
            fixed += base[t]
        at_lo = fixed
        for t in range(n):
            need = (au[k, t] - lo[k]) / da[k, t]
            if need > base[t]:
                at_lo += need - base[t]
        if at_lo <= budget:
            continue
        order = np.argsort(-stop)
        offset = 0.0  # Σ over active terms of (au/da - base)
        slope = 0.0   # Σ over active terms of 1/da
        root = lo[k]
        for i in range(n):
            t = order[i]
            offset += au[k, t] / da[k, t] - base[t]
            slope += 1.0 / da[k, t]
            # on [stop of the next, stop_t] f(x) = fixed + offset - slope x; if f is within
            # the budget down to the segment's lower end the root lies further down (below the
            # last breakpoint every term is active and the root lies on this line)
            if i + 1 < n and fixed + offset - slope * stop[order[i + 1]] <= budget:
                continue
            root = (fixed + offset - budget) / slope
            break
        if root > lo[k]:
            lo[k] = min(root, hi[k])
    return True


@numba.njit(cache=True)
def _bound(au: np.ndarray, da: np.ndarray, du: np.ndarray, dd: np.ndarray,
           prior: np.ndarray, lo: np.ndarray, hi: np.ndarray, incumbent: float):
    """Upper bound of F on the box, each type's candidate targets (mask) and their values, and
    each type's spread (for branching): the most one candidate's value varies across the
    box, or how much the type's term exceeds what it could get at the top of its range
    (candidates lost there count), whichever is larger. Candidates that cannot beat
    ``incumbent`` even with every other type at its best are dropped."""
    types, n = au.shape
    r_lo = _requirements(au, da, lo)
    r_hi = _requirements(au, da, hi)
    values = np.full((types, n), -np.inf)
    spread = np.zeros(types)
    best = np.full(types, -np.inf)
    for k in range(types):
        other = _others(r_hi, k)
        at_top = -2.0  # below any scaled payoff: no candidate left at v_k = hi_k
        vary = 0.0
        for t in range(n):
            if au[k, t] < lo[k] - FEASIBLE or r_lo[k, t] < other[t] - FEASIBLE:
                continue
            top = min(1.0, r_lo[k, t])
            bottom = max(0.0, r_hi[k, t], other[t])
            if bottom > top:
                bottom = top
            high = du[k, t] + dd[k, t] * (top if dd[k, t] >= 0.0 else bottom)
            low = du[k, t] + dd[k, t] * (bottom if dd[k, t] >= 0.0 else top)
            values[k, t] = high
            if high > best[k]:
                best[k] = high
            if high - low > vary:
                vary = high - low
            if au[k, t] >= hi[k] - FEASIBLE and r_hi[k, t] >= other[t] - FEASIBLE:
                # still attackable at the top of θ's range, where its coverage is r_kt(hi_k)
                value = du[k, t] + dd[k, t] * min(1.0, max(0.0, r_hi[k, t]))
                if value > at_top:
                    at_top = value
        if best[k] == -np.inf:
            return -np.inf, values, spread
        spread[k] = prior[k] * max(vary, best[k] - at_top)
    total = 0.0
    for k in range(types):
        total += prior[k] * best[k]
    for k in range(types):
        rest = total - prior[k] * best[k]
        for t in range(n):
            if values[k, t] > -np.inf and rest + prior[k] * values[k, t] <= incumbent:
                values[k, t] = -np.inf
    return total, values, spread


@numba.njit(cache=True)
def _dual_at(gain: np.ndarray, spend: np.ndarray, counts: np.ndarray, budget: float,
             lam: float) -> tuple[float, float]:
    """The Lagrangian bound at ``lam`` and the budget its maximizers use (least on ties)."""
    total, used = lam * budget, 0.0
    for k in range(gain.shape[0]):
        top, top_spend = -np.inf, 0.0
        for i in range(counts[k]):
            value = gain[k, i] - lam * spend[k, i]
            if value > top or (value == top and spend[k, i] < top_spend):
                top, top_spend = value, spend[k, i]
        total += top
        used += top_spend
    return total, used


@numba.njit(cache=True)
def _budget_bound(au: np.ndarray, da: np.ndarray, du: np.ndarray, dd: np.ndarray,
                  prior: np.ndarray, budget: float, lo: np.ndarray, hi: np.ndarray,
                  values: np.ndarray) -> float:
    """A bound of F on the box that charges all types to the one budget (Lagrangian).

    Give each target to one type (the one needing most coverage there at its lowest level):
    ``g(v) >= Σ_θ h_θ(v_θ)`` with ``h_θ(x) = Σ_{t given to θ} max(b_t, r_θt(x))`` and
    ``b_t = max(0, max_ψ r_ψt(hi_ψ))``. For every multiplier λ >= 0,
    ``λ m + Σ_θ max_x [p_θ φ_θ(x) - λ h_θ(x)]`` bounds F on the reachable box, where
    ``φ_θ(x)`` is the best ``U_d^θ(t, r_θt(x))`` over θ's candidates t still attackable at
    level x. For one candidate the bracket is concave in x (linear minus convex), so its
    maximum lies at a breakpoint of ``h_θ``, at a candidate's last attackable level or at the
    box's ends: the bound is exact over those points. λ is found by bisection on the
    subgradient; every λ tried gives a valid bound and the least is returned.
    """
    types, n = au.shape
    r_lo = _requirements(au, da, 0.5 * (lo + hi))
    r_hi = _requirements(au, da, hi)
    base = np.zeros(n)
    owner = np.zeros(n, dtype=np.int64)
    for t in range(n):
        most = -np.inf
        for k in range(types):
            if r_hi[k, t] > base[t]:
                base[t] = r_hi[k, t]
            if r_lo[k, t] > most:
                most = r_lo[k, t]
                owner[t] = k
    size = 2 + 2 * n
    gain = np.full((types, size), -np.inf)  # p_θ φ_θ(x) at each point
    spend = np.zeros((types, size))         # h_θ(x)
    counts = np.zeros(types, dtype=np.int64)
    points = np.empty(size)
    owned = np.empty(n, dtype=np.int64)
    chosen = np.empty(n, dtype=np.int64)
    last = np.empty(n)
    for k in range(types):
        points[0], points[1] = lo[k], hi[k]
        count, n_owned, n_chosen = 2, 0, 0
        for t in range(n):
            if owner[t] == k:
                owned[n_owned] = t
                n_owned += 1
                x = au[k, t] - da[k, t] * base[t]
                if lo[k] < x < hi[k]:
                    points[count] = x
                    count += 1
            if values[k, t] > -np.inf:
                other = 0.0
                for j in range(types):
                    if j != k and r_hi[j, t] > other:
                        other = r_hi[j, t]
                chosen[n_chosen] = t
                last[n_chosen] = au[k, t] - da[k, t] * other
                if lo[k] < last[n_chosen] < hi[k]:
                    points[count] = last[n_chosen]
                    count += 1
                n_chosen += 1
        found = False
        for i in range(count):
            x = points[i]
            best = -np.inf
            for c in range(n_chosen):
                if last[c] >= x - FEASIBLE:
                    t = chosen[c]
                    d = du[k, t] + dd[k, t] * min(1.0, max(0.0, (au[k, t] - x) / da[k, t]))
                    if d > best:
                        best = d
            used = 0.0
            for o in range(n_owned):
                t = owned[o]
                used += max(base[t], (au[k, t] - x) / da[k, t])
            gain[k, i] = prior[k] * best
            spend[k, i] = used
            if best > -np.inf:
                found = True
        if not found:
            return -np.inf
        counts[k] = count
    total, used = _dual_at(gain, spend, counts, budget, 0.0)
    result = total
    if used <= budget:
        return result
    low, high = 0.0, 1.0
    while True:
        total, used = _dual_at(gain, spend, counts, budget, high)
        result = min(result, total)
        if used <= budget or high > 1e12:
            break
        low, high = high, 2.0 * high
    for _ in range(BISECTIONS):
        lam = 0.5 * (low + high)
        total, used = _dual_at(gain, spend, counts, budget, lam)
        result = min(result, total)
        if used <= budget:
            high = lam
        else:
            low = lam
    return result


@numba.njit(cache=True)
def _shrink(au: np.ndarray, da: np.ndarray, du: np.ndarray, dd: np.ndarray, prior: np.ndarray,
            budget: float, lo: np.ndarray, hi: np.ndarray, incumbent: float, rounds: int):
    """Cut the box (in place) to where it can still beat ``incumbent`` and bound it:
    ``_bound``'s result, bound ``-inf`` if nothing is left.

    ``lo`` rises with the budget (:func:`_tighten`); ``hi_θ`` falls to the largest level type θ
    can have while attacking one of its candidates t — its payoff there with t covered at
    least as much as the other types need, ``U_a^u - Δ_a max(0, r_ψt(hi_ψ))`` — and, when the
    others' best leaves θ needing more than ``need_θ`` to beat the incumbent, the level below
    which ``U_d^θ(t, r_θt(v))`` exceeds it."""
    types, n = au.shape
    bound, values, spread = -np.inf, np.empty((types, n)), np.zeros(types)
    for _ in range(rounds):
        if not _tighten(au, da, budget, lo, hi):
            return -np.inf, values, spread
        bound, values, spread = _bound(au, da, du, dd, prior, lo, hi, incumbent)
        if bound <= incumbent:
            return bound, values, spread
        r_hi = _requirements(au, da, hi)
        changed = False
        for k in range(types):
            top = -np.inf
            for t in range(n):
                if values[k, t] > top:
                    top = values[k, t]
            need = (incumbent - (bound - prior[k] * top)) / prior[k]
            other = _others(r_hi, k)
            cap = -np.inf
            for t in range(n):
                if values[k, t] == -np.inf:
                    continue
                level = au[k, t] - da[k, t] * max(0.0, other[t])
                if dd[k, t] > 0.0:
                    level = min(level, au[k, t] - da[k, t] * (need - du[k, t]) / dd[k, t])
                if level > cap:
                    cap = level
            if cap < lo[k] - FEASIBLE:
                return -np.inf, values, spread
            if cap < hi[k] - FEASIBLE * (1.0 + abs(hi[k])):
                hi[k] = max(cap, lo[k])
                changed = True
        if not changed:
            return bound, values, spread
    # the last round lowered hi: the box must still be reachable (g(hi) <= m) and re-bounded
    if not _tighten(au, da, budget, lo, hi):
        return -np.inf, values, spread
    return _bound(au, da, du, dd, prior, lo, hi, incumbent)


@numba.njit(cache=True)
def _value(ac: np.ndarray, au: np.ndarray, dc: np.ndarray, du: np.ndarray, prior: np.ndarray,
           ties: np.ndarray, c: np.ndarray) -> float:
    """Σ_θ p_θ U_d^θ(t_θ, c) with strong Stackelberg responses (as ``security_value``)."""
    types, n = au.shape
    total = 0.0
    for k in range(types):
        top = -np.inf
        for t in range(n):
            a = c[t] * ac[k, t] + (1.0 - c[t]) * au[k, t]
            if a > top:
                top = a
        chosen = -np.inf
        for t in range(n):
            a = c[t] * ac[k, t] + (1.0 - c[t]) * au[k, t]
            if a >= top - ties[k]:
                d = c[t] * dc[k, t] + (1.0 - c[t]) * du[k, t]
                if d > chosen:
                    chosen = d
        total += prior[k] * chosen
    return total


@numba.njit(cache=True)
def _heap_push(keys: np.ndarray, slots: np.ndarray, size: int, key: float, slot: int) -> int:
    """Push onto the max-heap ``keys[:size]`` (with ``slots`` alongside); the new size."""
    i = size
    keys[i], slots[i] = key, slot
    while i > 0:
        parent = (i - 1) // 2
        if keys[parent] >= keys[i]:
            break
        keys[parent], keys[i] = keys[i], keys[parent]
        slots[parent], slots[i] = slots[i], slots[parent]
        i = parent
    return size + 1


@numba.njit(cache=True)
def _heap_pop(keys: np.ndarray, slots: np.ndarray, size: int) -> tuple[float, int, int]:
    """Pop the largest key: (key, slot, new size)."""
    key, slot = keys[0], slots[0]
    size -= 1
    keys[0], slots[0] = keys[size], slots[size]
    i = 0
    while True:
        left, largest = 2 * i + 1, i
        if left < size and keys[left] > keys[largest]:
            largest = left
        if left + 1 < size and keys[left + 1] > keys[largest]:
            largest = left + 1
        if largest == i:
            break
        keys[largest], keys[i] = keys[i], keys[largest]
        slots[largest], slots[i] = slots[i], slots[largest]
        i = largest
    return key, slot, size


PAUSED, DONE, CLOSE, FULL = 0, 1, 2, 3
"""What :func:`_search` stopped for: its box budget, no box left, a box to close by profile
LPs (its candidate values are in ``closing``), or no free slot for children."""


@numba.njit(cache=True)
def _search(au, da, du, dd, ac, dc, prior, ties, budget, tolerance, close_at, max_boxes,
            lows, highs, keys, slots, state, free, best, best_coverage, closing, box):
    """Best-first branch and bound on level boxes until one of :data:`PAUSED` ... :data:`FULL`.

    Boxes live in rows of ``lows``/``highs``; ``keys``/``slots`` is the heap of open boxes by
    bound; ``free`` a stack of unused rows. ``state`` = [heap size, free count, boxes
    explored]; ``best`` = [incumbent value] with ``best_coverage``, both updated in place.
    A box to close leaves its candidates' values in ``closing`` and ``[lo, hi, [bound]]`` in
    the rows of ``box``.
    """
    types = au.shape[0]
    processed = 0
    while state[0] > 0:
        if processed >= max_boxes:
            return PAUSED
        if state[1] < 2:
            return FULL
        key, slot, state[0] = _heap_pop(keys, slots, state[0])
        if key <= best[0] + tolerance:
            state[0] = 0
            return DONE
        processed += 1
        state[2] += 1
        lo, hi = lows[slot].copy(), highs[slot].copy()
        free[state[1]] = slot
        state[1] += 1
        coverage = _least_coverage(_requirements(au, da, hi))
        value = _value(ac, au, dc, du, prior, ties, coverage)
        if value > best[0]:
            best[0] = value
            best_coverage[:] = coverage
        bound, values, spread = _shrink(au, da, du, dd, prior, budget, lo, hi,
                                        best[0] + tolerance, SHRINK_ROUNDS)
        if bound > best[0] + tolerance:
            bound = min(bound, _budget_bound(au, da, du, dd, prior, budget, lo, hi, values))
        if bound <= best[0] + tolerance:
            continue
        profiles = 1.0
        for k in range(types):
            count = 0
            for t in range(au.shape[1]):
                if values[k, t] > -np.inf:
                    count += 1
            profiles *= count
        # split the type whose bound varies most times its width (the widest if none varies);
        # once that type is narrower than SMALL_BOX, splitting has stalled: close by LPs
        score = spread * (hi - lo)
        k = int(np.argmax(score)) if np.max(score) > 0.0 else int(np.argmax(hi - lo))
        if profiles <= close_at or hi[k] - lo[k] <= SMALL_BOX:
            closing[:, :] = values
            box[0, :], box[1, :], box[2, 0] = lo, hi, bound
            return CLOSE
        middle = 0.5 * (lo[k] + hi[k])
        for side in range(2):
            child_lo, child_hi = lo.copy(), hi.copy()
            if side == 0:
                child_hi[k] = middle
            else:
                child_lo[k] = middle
            child, child_values, _ = _shrink(au, da, du, dd, prior, budget, child_lo,
                                             child_hi, best[0] + tolerance, SHRINK_ROUNDS)
            if child > best[0] + tolerance:
                child = min(child, _budget_bound(au, da, du, dd, prior, budget, child_lo,
                                                 child_hi, child_values))
            if child <= best[0] + tolerance:
                continue
            state[1] -= 1
            row = free[state[1]]
            lows[row], highs[row] = child_lo, child_hi
            state[0] = _heap_push(keys, slots, state[0], child, row)
    return DONE


# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Arrays:
    """The game's payoffs, scaled into [-1, 1], for the types with a positive prior."""

    prior: np.ndarray
    ac: np.ndarray
    au: np.ndarray
    dc: np.ndarray
    du: np.ndarray
    ties: np.ndarray
    evaluator_ties: np.ndarray
    budget: float

    @property
    def da(self) -> np.ndarray:
        return self.au - self.ac

    @property
    def dd(self) -> np.ndarray:
        return self.dc - self.du


def _arrays(game: SecurityGame, scale: float) -> _Arrays:
    live = [a for a in game.attacker_types if a.prior > 0.0]

    def stack(name: str) -> np.ndarray:
        return np.ascontiguousarray([getattr(a, name) for a in live], dtype=float) * scale

    return _Arrays(
        prior=np.array([a.prior for a in live]),
        ac=stack("attacker_covered"),
        au=stack("attacker_uncovered"),
        dc=stack("defender_covered"),
        du=stack("defender_uncovered"),
        ties=np.full(len(live), SEARCH_TIES),
        evaluator_ties=np.array([tie_tolerance(a.attacker_covered, a.attacker_uncovered)
                                 * scale for a in live]),
        budget=float(min(game.resources, game.n_targets)),
    )


def check_levels_game(game: SecurityGame) -> None:
    """Raise :class:`InputError` (field ``method``) unless ``levels`` can solve ``game``: no
    schedules, and covering a target strictly lowers every attacker's payoff there."""
    if game.schedules is not None:
        raise InputError("method", "levels", "does not handle schedules (use aspen or milp)")
    for index, attacker in enumerate(game.attacker_types):
        bad = np.flatnonzero(attacker.attacker_covered >= attacker.attacker_uncovered)
        if len(bad):
            t = int(bad[0])
            raise InputError(
                "method", "levels",
                f"needs attacker covered < uncovered at every target; target "
                f"{game.targets[t]!r} (attacker_types[{index}].attacker.covered[{t}]) breaks it "
                "(use hbgs or milp)",
            )


class _ProfileLP:
    """The LP of one response profile on a live HiGHS model, columns ``[c (n) | v (types)]``:

        max  Σ_θ p_θ (U_d^u_θ,t_θ + (U_d^c - U_d^u)_θ,t_θ c_t_θ)
        s.t. Σ_t c_t <= m,  0 <= c <= 1
             v_θ + (U_a^u - U_a^c)_θt c_t >= U_a^u_θt     (θ gets at most v_θ at t)
             ... and <= for t = t_θ                          (θ gets exactly v_θ at t_θ)
    """

    def __init__(self, arrays: _Arrays) -> None:
        types, n = arrays.au.shape
        self._types, self._n, self._arrays = types, n, arrays
        rows = 1 + types * n
        pairs = np.arange(types * n)
        matrix = sp.csr_matrix(
            (np.concatenate([np.ones(n), np.ones(types * n), arrays.da.ravel()]),
             (np.concatenate([np.zeros(n, dtype=int), 1 + pairs, 1 + pairs]),
              np.concatenate([np.arange(n), n + pairs // n, pairs % n]))),
            shape=(rows, n + types),
        )
        self._lower = np.concatenate([[-INF], arrays.au.ravel()])
        lp = LinearProgram(
            c=np.zeros(n + types), A=matrix,
            row_lower=self._lower, row_upper=np.full(rows, INF),
            col_lower=np.concatenate([np.zeros(n), np.full(types, -INF)]),
            col_upper=np.concatenate([np.ones(n), np.full(types, INF)]),
            sense="max",
        )
        lp.row_upper[0] = arrays.budget
        self._model = HighsModel(lp)
        self.solved = 0

    def solve(self, profile: tuple[int, ...]) -> tuple[float, np.ndarray | None]:
        """The profile's LP value (``-inf`` if no coverage makes it the response) and
        coverage."""
        a, n = self._arrays, self._n
        rows = 1 + np.arange(self._types) * n + np.array(profile)
        cost = np.zeros(n)
        constant = 0.0
        for k, t in enumerate(profile):
            cost[t] += a.prior[k] * (a.dc[k, t] - a.du[k, t])
            constant += a.prior[k] * a.du[k, t]
        self._model.set_costs(np.arange(n), cost)
        self._model.set_row_bounds(rows, self._lower[rows], self._lower[rows])
        try:
            result = self._model.solve()
        finally:
            self._model.set_row_bounds(rows, self._lower[rows], np.full(len(rows), INF))
        self.solved += 1
        if result.status is Status.INFEASIBLE:
            return -INF, None
        if result.status is not Status.OPTIMAL or result.x is None:
            raise SolverError(f"levels: a profile LP ended with status {result.status}")
        # HiGHS meets rows to 1e-7: clip, and scale back into the budget
        return float(result.objective) + constant, clean_coverage(result.x[:n], a.budget)


def levels_solve(
    game: SecurityGame, time_limit: float | None = None, *, progress: bool = True,
    close_at: int = CLOSE_AT,
) -> Solution:
    """Strong Stackelberg equilibrium of a compact Bayesian security game, exactly, by branch
    and bound over the attacker types' levels (module docstring).

    Parameters
    ----------
    game
        A security game without schedules whose attacker payoffs drop when a target is covered
        (``attacker covered < uncovered`` everywhere); any number of types.
    time_limit
        Seconds. On expiry the best coverage found is returned with ``status="time_limit"``
        and ``bound`` the best bound of the open boxes.
    progress
        Show a Rich progress bar on stderr when the solve lasts more than a second.
    close_at
        Close a box by its profile LPs once at most this many profiles remain in it.

    Returns
    -------
    Solution
        ``method="levels"``; ``params`` records the boxes explored and profile LPs solved.

    Examples
    --------
    Two targets, one guard, two attacker types who value the targets differently:

    >>> from escolta.games.model import AttackerType
    >>> def kind(name, prior, au):
    ...     return AttackerType(name, prior, defender_covered=[1.0, 1.0],
    ...                         defender_uncovered=[-1.0, -1.0],
    ...                         attacker_covered=[-1.0, -1.0], attacker_uncovered=au)
    >>> game = SecurityGame(targets=("a", "b"), resources=1,
    ...                     attacker_types=(kind("x", 0.5, [1.0, 0.5]), kind("y", 0.5, [0.5, 1.0])))
    >>> solution = levels_solve(game, progress=False)
    >>> abs(solution.defender_value) < 1e-9, solution.status
    (True, 'optimal')
    """
    check_levels_game(game)
    _compile(progress)
    started = time.perf_counter()
    try:
        return _levels(game, time_limit, progress, close_at, started)
    except _HandOver as trouble:
        left = None if time_limit is None else max(0.1, time_limit - (
            time.perf_counter() - started))
        solution = hbgs_solve(game, time_limit=left, progress=progress)
        return replace(solution, seconds=time.perf_counter() - started, params={
            **solution.params, "handed_over": f"levels: {trouble}"})


def _compile(progress: bool) -> None:
    """Compile the kernels (numba; about ten seconds once, then loaded from its cache) on a toy
    game, saying so on stderr while it runs when ``progress`` is on."""
    if _search.signatures:
        return
    toy = SecurityGame(targets=("a", "b"), resources=1, attacker_types=tuple(
        AttackerType(name, 0.5, [1.0, 2.0], [-1.0, -2.0], [-1.0, -2.0], uncovered)
        for name, uncovered in (("x", [1.0, 2.0]), ("y", [2.0, 1.0]))))
    if not progress:
        _levels(toy, None, False, CLOSE_AT, time.perf_counter())
        return
    from rich.console import Console
    from rich.errors import LiveError

    try:
        with Console(stderr=True).status("levels: compiling its kernels (first use only)…"):
            _levels(toy, None, False, CLOSE_AT, time.perf_counter())
    except LiveError:  # a caller's own live display is showing
        _levels(toy, None, False, CLOSE_AT, time.perf_counter())


class _HandOver(Exception):
    """The game is better solved by ``hbgs``: the message says why."""


def _levels(game: SecurityGame, time_limit: float | None, progress: bool, close_at: int,
            started: float) -> Solution:
    scale = payoff_scale(game)
    a = _arrays(game, scale)
    da, dd = np.ascontiguousarray(a.da), np.ascontiguousarray(a.dd)
    types, n = a.au.shape
    lps = _ProfileLP(a)
    best = np.array([-INF])
    best_coverage = np.zeros(n)
    profiles: set[tuple[int, ...]] = set()

    def consider(coverage: np.ndarray) -> None:
        value = _value(a.ac, a.au, a.dc, a.du, a.prior, a.ties, coverage)
        if value > best[0]:
            best[0] = value
            best_coverage[:] = coverage

    def close(values: np.ndarray, box: np.ndarray) -> bool:
        """Solve the LP of every profile left in a box that could still beat the incumbent;
        ``False`` (the box back in the store) if the time limit struck first."""
        choices = [np.flatnonzero(row > -INF) for row in values]
        count = int(np.prod([float(len(c)) for c in choices]))
        if count > MAX_CLOSE_PROFILES:
            raise _HandOver(f"{count} response profiles tie in a box of levels narrower than "
                            f"{SMALL_BOX:g}")
        for solved, profile in enumerate(itertools.product(*choices)):
            if (time_limit is not None and solved % 64 == 63
                    and time.perf_counter() - started > time_limit):
                store.push(float(box[2, 0]), box[0].copy(), box[1].copy())
                return False
            key = tuple(int(t) for t in profile)
            hope = float(sum(a.prior[k] * values[k, t] for k, t in enumerate(key)))
            if key in profiles or hope <= best[0] + TOLERANCE:
                continue
            profiles.add(key)
            value, coverage = lps.solve(key)
            if coverage is None:
                continue
            achieved = _value(a.ac, a.au, a.dc, a.du, a.prior, a.evaluator_ties, coverage)
            if achieved < value - UNREALIZED:
                raise _HandOver(f"the LP of profile {key} promises {value / scale:.9g}, its "
                                f"coverage achieves {achieved / scale:.9g} (ill-conditioned "
                                "payoffs)")
            if min(value, achieved) > best[0]:
                best[0] = min(value, achieved)
                best_coverage[:] = coverage
        return True

    consider(np.zeros(n))
    store = _Store(types, 1024)
    lo, hi = a.ac.max(axis=1), a.au.max(axis=1)
    root_bound = best[0]
    if _tighten(a.au, da, a.budget, lo, hi):
        root_bound, _, _ = _bound(a.au, da, a.du, dd, a.prior, lo, hi, -INF)
        store.push(root_bound, lo, hi)
    closing = np.empty((types, n))
    box = np.zeros((3, types))
    timed_out = False
    bar = SolveProgress(time_limit, progress, "levels")
    try:
        while True:
            stop = _search(a.au, da, a.du, dd, a.ac, a.dc, a.prior, a.ties, a.budget, TOLERANCE,
                           float(close_at), BOXES_PER_CALL, store.lows, store.highs, store.keys,
                           store.slots, store.state, store.free, best, best_coverage, closing,
                           box)
            if stop == DONE:
                break
            if stop == CLOSE and not close(closing, box):
                timed_out = True
                break
            elif stop == FULL:
                store.grow()
            elapsed = time.perf_counter() - started
            bar.update(elapsed, best[0] / scale, store.open_bound() / scale, store.explored)
            if time_limit is not None and elapsed > time_limit and store.open_bound() > -INF:
                timed_out = True
                break
    finally:
        bar.close()

    if best_coverage.sum() > a.budget + 1e-9 * max(1.0, a.budget):
        raise SolverError(f"levels: the best coverage uses {best_coverage.sum()} resources "
                          f"of {a.budget}")
    return coverage_solution(
        game, _polish(game, lps, best_coverage.copy()), method="levels", started=started,
        open_bound=store.open_bound() / scale if timed_out else None,
        params={"boxes": store.explored, "profile_lps": lps.solved,
                "root_bound": root_bound / scale},
    )


class _Store:
    """The open boxes of :func:`_search`: rows of levels, a heap by bound, free rows."""

    def __init__(self, types: int, capacity: int) -> None:
        self.lows = np.zeros((capacity, types))
        self.highs = np.zeros((capacity, types))
        self.keys = np.zeros(capacity)
        self.slots = np.zeros(capacity, dtype=np.int64)
        self.free = np.arange(capacity, dtype=np.int64)[::-1].copy()
        self.state = np.array([0, capacity, 0], dtype=np.int64)

    @property
    def explored(self) -> int:
        return int(self.state[2])

    def open_bound(self) -> float:
        return float(self.keys[0]) if self.state[0] > 0 else -INF

    def push(self, bound: float, lo: np.ndarray, hi: np.ndarray) -> None:
        self.state[1] -= 1
        row = self.free[self.state[1]]
        self.lows[row], self.highs[row] = lo, hi
        self.state[0] = _heap_push(self.keys, self.slots, int(self.state[0]), bound, row)

    def grow(self) -> None:
        """Double the capacity (all rows in use)."""
        old = len(self.keys)
        self.lows = np.concatenate([self.lows, np.zeros_like(self.lows)])
        self.highs = np.concatenate([self.highs, np.zeros_like(self.highs)])
        self.keys = np.concatenate([self.keys, np.zeros(old)])
        self.slots = np.concatenate([self.slots, np.zeros(old, dtype=np.int64)])
        free = np.zeros(2 * old, dtype=np.int64)
        count = int(self.state[1])
        free[:count] = self.free[:count]
        free[count:count + old] = np.arange(2 * old - 1, old - 1, -1)
        self.free = free
        self.state[1] = count + old


def _polish(game: SecurityGame, lps: _ProfileLP, coverage: np.ndarray) -> np.ndarray:
    """The optimum of the LP of ``coverage``'s response profile (exact rows, no rounding
    slack), if it is at least as good by the reference evaluator."""
    responses = security_responses(game, coverage)
    live = [a for a in game.attacker_types if a.prior > 0.0]
    _, polished = lps.solve(tuple(responses[a.name] for a in live))
    if polished is None:
        return coverage
    old = security_value(game, coverage, responses)
    new = security_value(game, polished, security_responses(game, polished))
    return polished if new >= old - 1e-12 * max(1.0, abs(old)) else coverage
