"""Boundedly rational attackers: quantal response (QR) and SUQR, and the defender's optimal
coverage against them within a stated tolerance of the global optimum.

Attacker models (docs/design.md §2 extension; ``SecurityGame.attacker_model``):

* **QR** (McKelvey & Palfrey 1995; Yang, Ordóñez, Tambe, AAMAS 2012, eq. 1): the attacker
  hits target t with probability ``q_t ∝ exp(λ U_a(t, c))``.
* **SUQR** (Nguyen, Yang, Azaria, Kraus, Tambe, AAAI 2013, eq. 2): ``q_t ∝ exp(w1 c_t +
  w2 R_t + w3 P_t)`` with ``R_t``/``P_t`` the attacker's reward (uncovered) and penalty
  (covered) payoffs at t.

Both are ``q_t ∝ θ_t exp(β_t c_t)``; the defender maximizes

    F(c) = Σ_t θ_t e^{β_t c_t} U_d(t, c) / Σ_t θ_t e^{β_t c_t},   Σ c <= m,  0 <= c <= 1,

a non-concave fractional program. As PASAQ (Yang et al. 2012) we turn it into a sequence of
separable problems: ``F* >= r`` iff ``max_c G_r(c) >= 0`` with
``G_r(c) = Σ_t θ_t e^{β_t c_t} (U_d(t, c) - r)``. PASAQ then solves each with a piecewise-
linear MILP; we do better on both accuracy and speed:

* **Upper bounds** are exact Lagrangian bounds: ``max G_r <= L_r(μ) = μ m + Σ_t max_{c_t ∈
  [0,1]} (g_t(c_t) - μ c_t)``; each one-dimensional maximum is found exactly (the stationary
  points of ``g_t(c) - μ c`` solve ``θ e^{βc}(β(a + δc) + δ) = μ`` whose left side is
  unimodal, so there are at most two, found by Newton's method kept inside a bracket on the
  monotone pieces). The multiplier is searched by secant steps on the slope of ``L_r``
  (convex in μ) and cuts where its tangents meet, until the bound is proven within 1e-12 of
  ``min_μ L_r``. Any ``r`` with ``min_μ L_r(μ) < 0`` is a proven upper bound on F*.
* **Feasible points** come from the Lagrangian's own maximizers at the multiplier where the
  budget is met (with one coupling constraint, all targets but one sit where the function
  meets its concave envelope — the Shapley–Folkman argument — so the Lagrangian gap is small),
  improved by Dinkelbach's update ``r <- F(c)``.

The result is certified: ``defender_value`` is F at the returned coverage, ``bound`` a proven
upper bound, and ``status == "optimal"`` means ``bound - defender_value <= tolerance``. Work is
O(n) per Lagrangian evaluation (timings: docs/games-scale.md).
"""

from __future__ import annotations

import heapq
import itertools
import time
from dataclasses import dataclass

import numpy as np

from escolta.errors import InputError
from escolta.games.model import AttackerModel, SecurityGame, Solution

DEFAULT_TOLERANCE = 1e-4
"""Absolute tolerance (payoff units) on the defender's expected utility."""
_BISECTIONS = 45
"""Most steps of a root or multiplier search (bisection would reach 2^-45 of the range)."""
_ROOT_WIDTH = 1e-10
"""A stationary point is found to this (coverage units). Its term of the Lagrangian is the
objective at the point found, so it errs by the square of this times the curvature (1e-17
at the bench's SUQR weights), far under the certificate's noise level of 1e-10; near a root,
rounding in ``slope - price`` leaves Newton steps of 1e-13, so a tighter width would never
stop before :data:`_BISECTIONS`."""
_DUAL_GAP = 1e-12
"""The multiplier search stops once its bound is proven within this (relative) of the best
Lagrangian bound, the minimum over every multiplier."""
INF = float("inf")


@dataclass(frozen=True)
class QuantalParameters:
    """``q_t ∝ theta_t exp(beta_t c_t)``, with ``theta`` normalized to max 1."""

    theta: np.ndarray
    beta: np.ndarray


def quantal_parameters(game: SecurityGame, model: AttackerModel | None = None) -> QuantalParameters:
    """The attack law of ``game``'s attacker model as ``theta``, ``beta``.

    Examples
    --------
    QR with λ = 0.5 and attacker payoffs covered -1/-2, uncovered 3/4: ``β = λ (P - R)``.

    >>> from escolta.games.model import AttackerType
    >>> a = AttackerType("x", 1.0, np.zeros(2), np.zeros(2), np.array([-1.0, -2.0]),
    ...                  np.array([3.0, 4.0]))
    >>> g = SecurityGame(("a", "b"), 1, (a,), attacker_model=AttackerModel("quantal", lam=0.5))
    >>> quantal_parameters(g).beta.tolist()
    [-2.0, -3.0]
    """
    model = model or game.attacker_model
    if model is None:
        raise InputError("attacker_model", None, "is required for a quantal-response game")
    attacker = game.attacker_types[0]
    reward, penalty = attacker.attacker_uncovered, attacker.attacker_covered
    if model.kind == "quantal":
        alpha = model.lam * reward
        beta = model.lam * (penalty - reward)
    elif model.kind == "suqr":
        w1, w2, w3 = model.weights
        alpha = w2 * reward + w3 * penalty
        beta = np.full(game.n_targets, float(w1))
    else:
        raise InputError("attacker_model.kind", model.kind, "must be quantal or suqr")
    return QuantalParameters(theta=np.exp(alpha - alpha.max()), beta=np.asarray(beta, float))


def attack_probabilities(game: SecurityGame, coverage: np.ndarray) -> np.ndarray:
    """The attacker's probability of attacking each target under ``coverage``.

    Examples
    --------
    SUQR with weights (w1, w2, w3) = (-1, 0, 0) on two targets, coverage (0, 1): the odds are
    e^0 : e^-1, i.e. 1/(1+e^-1) = 0.731059 for the uncovered target.

    >>> from escolta.games.model import AttackerType
    >>> z = np.zeros(2)
    >>> g = SecurityGame(("a", "b"), 1, (AttackerType("x", 1.0, z, z, z, z),),
    ...                  attacker_model=AttackerModel("suqr", weights=(-1.0, 0.0, 0.0)))
    >>> np.round(attack_probabilities(g, np.array([0.0, 1.0])), 6).tolist()
    [0.731059, 0.268941]
    """
    params = quantal_parameters(game)
    exponent = np.log(params.theta) + params.beta * np.asarray(coverage, dtype=float)
    weights = np.exp(exponent - exponent.max())
    return weights / weights.sum()


def quantal_value(game: SecurityGame, coverage: np.ndarray) -> float:
    """The defender's expected utility ``Σ_t q_t(c) U_d(t, c)`` against the attacker model."""
    coverage = np.asarray(coverage, dtype=float)
    q = attack_probabilities(game, coverage)
    return float(q @ game.attacker_types[0].defender_utility(coverage))


@dataclass(frozen=True)
class _Separable:
    """``g_t(c) = theta_t e^{beta_t c} (a_t + delta_t c)`` for one value of r."""

    theta: np.ndarray
    beta: np.ndarray
    a: np.ndarray
    delta: np.ndarray

    def value(self, c: np.ndarray) -> np.ndarray:
        return self.theta * np.exp(self.beta * c) * (self.a + self.delta * c)

    def slope(self, c: np.ndarray) -> np.ndarray:
        return self.theta * np.exp(self.beta * c) * (
            self.beta * (self.a + self.delta * c) + self.delta)

    def curvature(self, c: np.ndarray) -> np.ndarray:
        """The derivative of :meth:`slope`."""
        return self.theta * np.exp(self.beta * c) * self.beta * (
            self.beta * (self.a + self.delta * c) + 2.0 * self.delta)

    def best_responses(
        self, price: float, lower: np.ndarray, upper: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per target, ``argmax_{c ∈ [lower, upper]} g_t(c) - price c`` and the maximum
        (exact: the slope is unimodal in c, so the stationary points are the roots of
        ``slope - price`` on its two monotone pieces, found by :func:`_monotone_root`)."""
        n = len(self.a)
        # slope = theta e^{beta c} (p + s c); its own derivative vanishes at c0
        p = self.beta * self.a + self.delta
        s = self.beta * self.delta
        with np.errstate(divide="ignore", invalid="ignore"):
            c0 = np.where(self.beta * s != 0, -(self.beta * p + s) / (self.beta * s), 0.0)
        c0 = np.clip(np.nan_to_num(c0, nan=0.0), lower, upper)
        # both monotone pieces at once: rows (lower, c0) and (c0, upper)
        roots = _monotone_root(self, price, np.stack([lower, c0]), np.stack([c0, upper]))
        stack = np.concatenate([lower[None], upper[None], roots])  # (4, n)
        objective = self.value(stack) - price * stack
        best = np.argmax(objective, axis=0)
        columns = np.arange(n)
        return stack[best, columns], objective[best, columns]


def _monotone_root(problem: _Separable, price: float, lo: np.ndarray,
                   hi: np.ndarray) -> np.ndarray:
    """Per target, the root of ``slope - price`` on ``[lo, hi]``, where the slope is monotone
    (``lo`` where it has none): Newton's method kept inside a shrinking bracket, a bisection
    step whenever Newton's would leave the bracket or fails to halve the previous step (as
    ``rtsafe``, Press et al., Numerical Recipes, 9.4), to :data:`_ROOT_WIDTH` in usually under
    ten steps; a target not settled in :data:`_BISECTIONS` steps is bisected that many times
    more, which alone brackets the root within 2^-45 of the piece."""
    f_lo = problem.slope(lo) - price
    f_hi = problem.slope(hi) - price
    crossing = (f_lo * f_hi <= 0) & (hi > lo)
    rising = f_lo < f_hi
    left, right = lo.copy(), hi.copy()
    x = 0.5 * (left + right)
    step = right - left
    live = crossing.copy()
    for _ in range(_BISECTIONS):
        f = problem.slope(x) - price
        go_right = np.where(rising, f < 0, f > 0)
        left = np.where(go_right, x, left)
        right = np.where(go_right, right, x)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            newton = x - f / problem.curvature(x)
        # x is now an end of the bracket: Newton's point may sit on it (converged)
        bisect = ~((newton >= left) & (newton <= right)) | ~(np.abs(newton - x) <= 0.5 * step)
        following = np.where(bisect, 0.5 * (left + right), newton)
        step = np.where(live, np.abs(following - x), 0.0)
        x = np.where(live, following, x)
        live &= (step > _ROOT_WIDTH) & (right - left > _ROOT_WIDTH)
        if not live.any():
            return np.where(crossing, x, lo)
    for _ in range(_BISECTIONS):  # not settled (never seen): plain bisection, as before
        middle = 0.5 * (left + right)
        go_right = np.where(rising, problem.slope(middle) < price, problem.slope(middle) > price)
        left = np.where(live & go_right, middle, left)
        right = np.where(live & ~go_right, middle, right)
    return np.where(crossing, np.where(live, 0.5 * (left + right), x), lo)


@dataclass(frozen=True)
class _Relaxation:
    """The Lagrangian bound of one box and what it suggests."""

    bound: float
    coverage: np.ndarray  # feasible (budget met), inside the box
    split: int  # target whose maximizer jumps at the optimal multiplier (-1: none)
    split_at: float


def _lagrangian(
    problem: _Separable, resources: float, lower: np.ndarray, upper: np.ndarray
) -> _Relaxation:
    """``min_μ L(μ)``, an upper bound on ``max Σ g_t(c_t)`` over ``Σc <= m`` and the box, and
    a feasible coverage from the maximizers at the multiplier where the budget is met."""
    if lower.sum() > resources + 1e-12:
        return _Relaxation(-INF, lower, -1, 0.0)
    c_free, v_free = problem.best_responses(0.0, lower, upper)
    if c_free.sum() <= resources:
        return _Relaxation(float(v_free.sum()), c_free, -1, 0.0)
    high = float(np.max(np.abs(problem.slope(np.linspace(0, 1, 33)[:, None])))) + 1.0
    c_high, v_high = problem.best_responses(high, lower, upper)
    while c_high.sum() > resources:
        high *= 2.0
        c_high, v_high = problem.best_responses(high, lower, upper)
    low, c_low, v_low = 0.0, c_free, v_free
    bound = min(high * resources + float(v_high.sum()), float(v_low.sum()))
    # L(μ) = μ m + Σ v(μ) is convex with slope m - Σ c(μ) (Danskin), negative at low and
    # not at high. Its tangents at the two ends meet at a point whose height is a lower bound
    # on min L: stop once the bound is within _DUAL_GAP of it. The next multiplier is where
    # the slope's chord crosses zero (exact where Σ c(μ) is smooth, the usual case); where
    # the same end moved twice (the slope jumps there: a target's maximizer leaps), the point
    # where the tangents meet (exact at a kink); after that, the middle
    kept = 0
    for _ in range(3 * _BISECTIONS):  # at least _BISECTIONS halvings: every third is one
        l_low, l_high = low * resources + float(v_low.sum()), high * resources + float(v_high.sum())
        s_low, s_high = resources - c_low.sum(), resources - c_high.sum()
        if s_high <= 0.0:
            break
        meet = (l_high - l_low + s_low * low - s_high * high) / (s_low - s_high)
        if bound - (l_low + s_low * (meet - low)) <= _DUAL_GAP * max(1.0, abs(bound)):
            break
        if abs(kept) >= 3:
            cross = 0.5 * (low + high)
        elif abs(kept) == 2:
            cross = meet
        else:
            cross = low + s_low / (s_low - s_high) * (high - low)
        if not low < cross < high:
            cross = 0.5 * (low + high)
            if not low < cross < high:
                break
        c, v = problem.best_responses(cross, lower, upper)
        bound = min(bound, cross * resources + float(v.sum()))
        if c.sum() > resources:
            low, c_low, v_low = cross, c, v
            kept = min(kept, 0) - 1
        else:
            high, c_high, v_high = cross, c, v
            kept = max(kept, 0) + 1
    # primal: the high-multiplier maximizers fit the budget; spend the leftover budget on the
    # targets whose maximizer jumps between the two multipliers (generically one)
    coverage = c_high.copy()
    spare = resources - coverage.sum()
    jump = c_low - c_high
    jumpers = np.flatnonzero(jump > 1e-9)
    for t in jumpers[np.argsort(-jump[jumpers])]:
        step = min(spare, jump[t])
        if step <= 0:
            break
        trial = coverage[t] + step
        if problem.value(np.array([trial]))[0] > problem.value(coverage[t:t + 1])[0]:
            coverage[t] = trial
            spare -= step
    coverage = np.clip(coverage, lower, upper)
    # where the bound is loose: per target, its Lagrangian term minus what it really gives
    slack = v_high + high * coverage - problem.value(coverage)
    split = int(np.argmax(slack))
    inside = lower[split] + 1e-9 < coverage[split] < upper[split] - 1e-9
    split_at = float(coverage[split] if inside else 0.5 * (lower[split] + upper[split]))
    if upper[split] - lower[split] <= 1e-9:
        split = -1
    return _Relaxation(bound, np.clip(coverage, lower, upper), split, split_at)


MAX_BOXES = 4000
"""Branch-and-bound boxes explored per certification before giving up (status ``gap``)."""


def _certify(
    problem: _Separable, resources: float, noise: float, deadline: float | None
) -> tuple[bool | None, list[np.ndarray]]:
    """Is ``max G_r < 0`` over the feasible coverages? Branch and bound on boxes with the
    Lagrangian bound (the Lagrangian gap comes from at most a few targets, whose range is
    split). Returns ``True`` (proven), ``False`` (a coverage with ``G_r >= 0`` was found)
    or ``None`` (undecided within the limits), and the feasible coverages met."""
    n = len(problem.a)
    seen: list[np.ndarray] = []
    counter = itertools.count()
    root = _lagrangian(problem, resources, np.zeros(n), np.ones(n))
    heap = [(-root.bound, next(counter), np.zeros(n), np.ones(n), root)]
    boxes = 0
    while heap:
        negative, _, lower, upper, relaxation = heapq.heappop(heap)
        if -negative < -noise:
            return True, seen
        seen.append(relaxation.coverage)
        if problem.value(relaxation.coverage).sum() >= 0:
            return False, seen
        boxes += 1
        if boxes > MAX_BOXES or (deadline is not None and time.perf_counter() >= deadline):
            return None, seen
        t = relaxation.split
        if t < 0:
            continue
        cut = relaxation.split_at
        for lo_t, hi_t in ((lower[t], cut), (cut, upper[t])):
            if hi_t - lo_t <= 1e-12 and (lo_t, hi_t) != (lower[t], upper[t]):
                continue
            child_lower, child_upper = lower.copy(), upper.copy()
            child_lower[t], child_upper[t] = lo_t, hi_t
            child = _lagrangian(problem, resources, child_lower, child_upper)
            if child.bound > -INF:
                heapq.heappush(heap, (-child.bound, next(counter), child_lower, child_upper,
                                      child))
    return True, seen


def _problem(
    game: SecurityGame, params: QuantalParameters, r: float, reference: np.ndarray
) -> _Separable:
    """``G_r`` scaled so that the attack weights sum to one at the ``reference`` coverage (the
    sign of G_r, all that matters, is unchanged; the scale keeps its values near the
    payoffs', where a fixed floating-point noise level makes sense)."""
    attacker = game.attacker_types[0]
    weight = float(np.sum(params.theta * np.exp(params.beta * reference)))
    return _Separable(
        theta=params.theta / weight, beta=params.beta, a=attacker.defender_uncovered - r,
        delta=attacker.defender_covered - attacker.defender_uncovered,
    )


def _check(game: SecurityGame, tolerance: float) -> None:
    if not isinstance(game, SecurityGame):
        raise InputError("method", "pasaq", "needs a security game")
    if game.attacker_model is None:
        raise InputError("method", "pasaq", "needs an attacker_model (quantal or suqr)")
    if game.schedules is not None:
        raise InputError("method", "pasaq", "does not handle schedules")
    if len(game.attacker_types) != 1:
        raise InputError("method", "pasaq",
                         f"needs one attacker type, the game has {len(game.attacker_types)}")
    if not tolerance > 0:
        raise InputError("tolerance", tolerance, "must be positive")


def pasaq_solve(
    game: SecurityGame, time_limit: float | None = None, *,
    tolerance: float = DEFAULT_TOLERANCE,
) -> Solution:
    """The defender's optimal coverage against a QR or SUQR attacker, certified within
    ``tolerance`` (see the module docstring).

    Parameters
    ----------
    game
        A one-type security game with ``attacker_model`` set.
    time_limit
        Seconds; on expiry the best coverage so far with its proven bound.
    tolerance
        Absolute gap (payoff units) between the returned value and the proven upper bound at
        which the search stops.

    Returns
    -------
    Solution
        ``coverage``; ``responses`` maps the type to its most likely target; ``bound`` the
        proven upper bound; ``params`` the tolerance asked, the gap reached, the attack
        distribution and the iterations.

    Examples
    --------
    >>> from escolta.games.loader import load
    >>> game = load({"kind": "security", "resources": 1, "targets": ["a", "b"],
    ...     "attacker_model": {"kind": "quantal", "lambda": 0.0},
    ...     "attacker_types": [{"name": "x", "prior": 1,
    ...         "defender": {"covered": [1, 1], "uncovered": [-1, -3]},
    ...         "attacker": {"covered": [0, 0], "uncovered": [1, 1]}}]})
    >>> s = pasaq_solve(game)  # λ = 0: uniform attack, so cover the costlier target fully
    >>> np.round(s.coverage, 6).tolist(), abs(round(s.defender_value, 6))
    ([0.0, 1.0], 0.0)
    """
    started = time.perf_counter()
    _check(game, tolerance)
    deadline = None if time_limit is None else started + time_limit
    params = quantal_parameters(game)
    n = game.n_targets
    resources = float(min(game.resources, n))
    best_coverage = np.full(n, resources / n)
    best_value = quantal_value(game, best_coverage)
    attacker = game.attacker_types[0]
    upper = float(max(attacker.defender_covered.max(), attacker.defender_uncovered.max()))
    iterations = 0
    zeros, ones = np.zeros(n), np.ones(n)
    # a Lagrangian bound must be clearly negative to certify (floating-point noise aside)
    noise = 1e-10 * max(1.0, float(np.max(np.abs(
        np.concatenate([attacker.defender_covered, attacker.defender_uncovered])))))
    status = "optimal"
    r = best_value
    # Dinkelbach from below (r <- F(c) with c from the Lagrangian), then certify: prove
    # F* < best + tolerance/2 by branch and bound, or find a better coverage and go on.
    while True:
        if deadline is not None and time.perf_counter() >= deadline:
            status = "time_limit"
            break
        iterations += 1
        relaxation = _lagrangian(_problem(game, params, r, best_coverage), resources, zeros, ones)
        value = quantal_value(game, relaxation.coverage)
        if value > best_value:
            best_value, best_coverage = value, relaxation.coverage
        if relaxation.bound < -noise:
            upper = min(upper, r)
        if upper - best_value <= tolerance:
            break
        if value > r + 1e-9 * max(1.0, abs(r)):
            r = value
            continue
        probe = best_value + 0.5 * tolerance
        proven, met = _certify(_problem(game, params, probe, best_coverage), resources, noise,
                               deadline)
        for coverage in met:
            value = quantal_value(game, coverage)
            if value > best_value:
                best_value, best_coverage = value, coverage
        if proven:
            upper = min(upper, probe)
            break
        if proven is None:
            status = "time_limit" if deadline is not None and (
                time.perf_counter() >= deadline) else "gap"
            break
        r = best_value
    q = attack_probabilities(game, best_coverage)
    gap = max(0.0, upper - best_value)
    if status == "optimal" and gap > tolerance:
        status = "gap"
    return Solution(
        defender_value=best_value,
        responses={attacker.name: int(np.argmax(q))},
        method="pasaq",
        seconds=time.perf_counter() - started,
        status=status,
        coverage=best_coverage,
        bound=max(upper, best_value),
        params={
            "attacker_model": game.attacker_model.kind,
            "tolerance": tolerance,
            "gap": gap,
            "iterations": iterations,
            "attack_probabilities": [float(x) for x in q],
        },
    )
