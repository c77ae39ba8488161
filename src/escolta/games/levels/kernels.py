"""The compiled kernels of ``levels`` over one box ``lo <= v <= hi`` of attacker levels
(numba): requirements and least coverage, the budget cut (:func:`tighten`), the candidate
bound (:func:`box_bound`), the Lagrangian budget bound (:func:`budget_bound`), the cut to the
useful part (:func:`shrink`) and the exact value of a coverage (:func:`coverage_value`).

Each takes the game as one :class:`~escolta.games.levels.arrays.LevelArrays` ``p`` (see there
for the names ``au``, ``da``, ``du``, ``dd``) and the box's arrays.
"""

from __future__ import annotations

import numba
import numpy as np

from escolta.games.levels.arrays import LevelArrays

FEASIBLE = 1e-12
"""Slack on the budget and on requirement comparisons (ties are kept, never cut)."""
BISECTIONS = 30
"""Bisection steps on the budget's multiplier (every step's bound is valid)."""


@numba.njit(cache=True)
def requirements(au: np.ndarray, da: np.ndarray, v: np.ndarray) -> np.ndarray:
    types, n = au.shape
    r = np.empty((types, n))
    for k in range(types):
        for t in range(n):
            r[k, t] = (au[k, t] - v[k]) / da[k, t]
    return r


@numba.njit(cache=True)
def others(r: np.ndarray, k: int) -> np.ndarray:
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
def least_coverage(r: np.ndarray) -> np.ndarray:
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
def tighten(p: LevelArrays, lo: np.ndarray, hi: np.ndarray) -> bool:
    """Raise ``lo`` (in place) to the reachable part of the box; ``False`` if it is empty."""
    au, da, budget = p.au, p.da, p.budget
    types, n = au.shape
    r_hi = requirements(au, da, hi)
    if np.sum(least_coverage(r_hi)) > budget + FEASIBLE * max(1.0, budget):
        return False
    for k in range(types):
        base = others(r_hi, k)
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
def box_bound(p: LevelArrays, lo: np.ndarray, hi: np.ndarray, incumbent: float):
    """Upper bound of F on the box, each type's candidate targets (mask) and their values, and
    each type's spread (for branching): the most one candidate's value varies across the
    box, or how much the type's term exceeds what it could get at the top of its range
    (candidates lost there count), whichever is larger. Candidates that cannot beat
    ``incumbent`` even with every other type at its best are dropped."""
    au, da, du, dd, prior = p.au, p.da, p.du, p.dd, p.prior
    types, n = au.shape
    r_lo = requirements(au, da, lo)
    r_hi = requirements(au, da, hi)
    values = np.full((types, n), -np.inf)
    spread = np.zeros(types)
    best = np.full(types, -np.inf)
    for k in range(types):
        other = others(r_hi, k)
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
def dual_at(gain: np.ndarray, spend: np.ndarray, counts: np.ndarray, budget: float,
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
def budget_bound(p: LevelArrays, lo: np.ndarray, hi: np.ndarray, values: np.ndarray) -> float:
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
    au, da, du, dd, prior, budget = p.au, p.da, p.du, p.dd, p.prior, p.budget
    types, n = au.shape
    r_lo = requirements(au, da, 0.5 * (lo + hi))
    r_hi = requirements(au, da, hi)
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
    total, used = dual_at(gain, spend, counts, budget, 0.0)
    result = total
    if used <= budget:
        return result
    low, high = 0.0, 1.0
    while True:
        total, used = dual_at(gain, spend, counts, budget, high)
        result = min(result, total)
        if used <= budget or high > 1e12:
            break
        low, high = high, 2.0 * high
    for _ in range(BISECTIONS):
        lam = 0.5 * (low + high)
        total, used = dual_at(gain, spend, counts, budget, lam)
        result = min(result, total)
        if used <= budget:
            high = lam
        else:
            low = lam
    return result


@numba.njit(cache=True)
def shrink(p: LevelArrays, lo: np.ndarray, hi: np.ndarray, incumbent: float, rounds: int):
    """Cut the box (in place) to where it can still beat ``incumbent`` and bound it:
    ``box_bound``'s result, bound ``-inf`` if nothing is left.

    ``lo`` rises with the budget (:func:`tighten`); ``hi_θ`` falls to the largest level type θ
    can have while attacking one of its candidates t — its payoff there with t covered at
    least as much as the other types need, ``U_a^u - Δ_a max(0, r_ψt(hi_ψ))`` — and, when the
    others' best leaves θ needing more than ``need_θ`` to beat the incumbent, the level below
    which ``U_d^θ(t, r_θt(v))`` exceeds it."""
    au, da, du, dd, prior = p.au, p.da, p.du, p.dd, p.prior
    types, n = au.shape
    bound, values, spread = -np.inf, np.empty((types, n)), np.zeros(types)
    for _ in range(rounds):
        if not tighten(p, lo, hi):
            return -np.inf, values, spread
        bound, values, spread = box_bound(p, lo, hi, incumbent)
        if bound <= incumbent:
            return bound, values, spread
        r_hi = requirements(au, da, hi)
        changed = False
        for k in range(types):
            top = -np.inf
            for t in range(n):
                if values[k, t] > top:
                    top = values[k, t]
            need = (incumbent - (bound - prior[k] * top)) / prior[k]
            other = others(r_hi, k)
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
    if not tighten(p, lo, hi):
        return -np.inf, values, spread
    return box_bound(p, lo, hi, incumbent)


@numba.njit(cache=True)
def coverage_value(p: LevelArrays, ties: np.ndarray, c: np.ndarray) -> float:
    """Σ_θ p_θ U_d^θ(t_θ, c) with strong Stackelberg responses (as ``security_value``)."""
    ac, au, dc, du, prior = p.ac, p.au, p.dc, p.du, p.prior
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
