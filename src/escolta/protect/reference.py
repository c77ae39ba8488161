"""The reference LP of the nightly game (docs/design.md §4), built by brute force.

Variables: ``P(ω)`` over every legal night ω; when history matters (an adversary with
``lead: 1``, or ``no_repeat``) also ``J(y, ω)`` = P(yesterday in class y, tonight ω), where
the class of a night is the tuple of every lead-1 signal (plus its site under
``no_repeat``); and ``v_θσ ≥ 0`` for each adversary θ and signal σ. Constraints::

    Σ_ω P(ω) = 1
    Σ_y J(y, ω) = P(ω)                              for every ω
    Σ_ω J(y, ω) = Σ_{ω': class(ω') = y} P(ω')       for every class y
    J(y, ω) absent when ω repeats y's site under no_repeat
    v_θσ ≥ Σ_{ω: σ_θ(ω) = σ} P(ω) loss_θ(t, ω)      lead 0, every target t
    v_θσ ≥ Σ_{(y, ω): σ_θ(y) = σ} J(y, ω) loss_θ(t, ω)   lead 1, every target t

and the objective ``min Σ_θ weight_θ Σ_σ v_θσ``. The game is zero-sum, so committing to
the optimal plan is a min-max problem (Korzhyk et al., "Stackelberg vs. Nash in security
games", JAIR 41, 2011): each adversary's best response per signal enters as the epigraph
variable ``v_θσ``, the maximum over its targets and over not attacking (``v ≥ 0``), and
the whole is one LP. The number of nights is ``Σ_s R_s · #posts``, so this is for small
scenarios only; the fast solver (:mod:`escolta.protect.nightly`) must agree with it.

Examples
--------
>>> from escolta.protect.scenario import load_scenario
>>> s = load_scenario({"principal": "P",
...     "sites": [{"name": "a", "rooms": 2, "success": [0.8, 0.4]},
...               {"name": "b", "rooms": 2, "success": [0.8, 0.4]}],
...     "teams": [{"name": "t", "chain": "guard"}],
...     "adversaries": [{"name": "watcher", "weight": 1, "sees": "posture"}]})
>>> plan = solve_reference(s)
>>> plan.solver.status, round(plan.risk, 9), round(plan.solver.lower_bound, 9)
('optimal', 0.2, 0.2)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from escolta.errors import InputError, SolverError
from escolta.lp import LinearProgram, Status, solve
from escolta.protect.evaluate import evaluate_states
from escolta.protect.nights import (
    NightState,
    count_nights,
    history_matters,
    legal_nights,
    may_follow,
    night_class,
    night_success,
    observed,
    plan_night,
)
from escolta.protect.plan import Pair, Plan, SolverInfo
from escolta.protect.scenario import Scenario

#: Most nights the reference LP enumerates before refusing.
MAX_NIGHTS = 200_000
#: Most J(y, ω) variables before refusing.
MAX_PAIR_VARIABLES = 2_000_000
#: Probabilities below this are dropped from the exported support.
SUPPORT_TOLERANCE = 1e-10

Progress = Callable[[str, float | None], None]


@dataclass(frozen=True)
class ReferenceLP:
    """The assembled LP and what its columns mean (for tests and for reading the solution).

    Columns: ``P`` for ``nights`` first, then ``J`` for ``pair_index`` (``(class index,
    night index)``), then the ``v`` variables.
    """

    program: LinearProgram
    nights: tuple[NightState, ...]
    classes: tuple[Hashable, ...]
    class_of: tuple[int, ...]
    pair_index: tuple[tuple[int, int], ...]
    n_signal_variables: int


def _check_size(scenario: Scenario, n_nights: int, n_classes_bound: int) -> None:
    what = f"{len(scenario.sites)} sites, {len(scenario.teams)} teams, {n_nights} nights"
    if n_nights > MAX_NIGHTS:
        raise InputError("scenario", what,
                         f"too large for the reference LP (limit {MAX_NIGHTS} nights); "
                         "use the fast method (--method fast)")
    if n_classes_bound * n_nights > MAX_PAIR_VARIABLES:
        raise InputError("scenario", what,
                         f"too large for the reference LP ({n_classes_bound} classes of "
                         f"yesterday x {n_nights} nights > {MAX_PAIR_VARIABLES}); "
                         "use the fast method (--method fast)")


def build_reference_lp(scenario: Scenario) -> ReferenceLP:
    """Assemble the reference LP of docs/design.md §4 by brute-force enumeration.

    Raises
    ------
    InputError
        When the scenario has more than :data:`MAX_NIGHTS` legal nights (or the J variables
        would exceed :data:`MAX_PAIR_VARIABLES`), naming its size.
    """
    _check_size(scenario, count_nights(scenario), 1)
    nights = legal_nights(scenario)
    n = len(nights)
    with_history = history_matters(scenario)

    classes: list[Hashable] = []
    class_of: list[int] = []
    if with_history:
        index: dict[Hashable, int] = {}
        for night in nights:
            c = night_class(scenario, night)
            if c not in index:
                index[c] = len(classes)
                classes.append(c)
            class_of.append(index[c])
        _check_size(scenario, n, len(classes))
        # a representative night of each class: its site (no_repeat) and its signals
        representative: dict[int, NightState] = {}
        for i, c in enumerate(class_of):
            representative.setdefault(c, nights[i])
        pair_index = [(y, j) for y in range(len(classes)) for j in range(n)
                      if may_follow(scenario, representative[y], nights[j])]
    else:
        representative = {}
        pair_index = []
    n_pairs = len(pair_index)

    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lower: list[float] = []
    upper: list[float] = []

    def add_row(entries: list[tuple[int, float]], lo: float, hi: float) -> None:
        r = len(lower)
        for col, val in entries:
            rows.append(r)
            cols.append(col)
            vals.append(val)
        lower.append(lo)
        upper.append(hi)

    # Σ P = 1
    add_row([(i, 1.0) for i in range(n)], 1.0, 1.0)
    if with_history:
        into: list[list[tuple[int, float]]] = [[(j, -1.0)] for j in range(n)]
        out_of: list[list[tuple[int, float]]] = [[] for _ in classes]
        for i, c in enumerate(class_of):
            out_of[c].append((i, -1.0))
        for k, (y, j) in enumerate(pair_index):
            into[j].append((n + k, 1.0))
            out_of[y].append((n + k, 1.0))
        for entries in into:  # Σ_y J(y, ω) = P(ω)
            add_row(entries, 0.0, 0.0)
        for entries in out_of:  # Σ_ω J(y, ω) = P(class y)
            add_row(entries, 0.0, 0.0)

    weights = scenario.weights
    cost: list[float] = [0.0] * (n + n_pairs)
    for adversary in scenario.adversaries:
        weight = weights[adversary.name]
        if weight <= 0.0:
            continue  # no rows: its success is measured on the plan afterwards
        # rows[σ][target] = [(column, loss)]
        block: dict[Hashable, dict[tuple[int, int], list[tuple[int, float]]]] = {}
        if adversary.lead == 0:
            terms = ((observed(scenario, adversary, nights[i]), i, i) for i in range(n))
        else:
            seen_class = [observed(scenario, adversary, representative[y])
                          for y in range(len(classes))]
            terms = ((seen_class[y], j, n + k) for k, (y, j) in enumerate(pair_index))
        for sigma, j, col in terms:
            loss = night_success(scenario, adversary, nights[j])
            if loss > 0.0:
                target = (nights[j].site, nights[j].room)
                block.setdefault(sigma, {}).setdefault(target, []).append((col, loss))
        for by_target in block.values():
            v = len(cost)
            cost.append(weight)
            for entries in by_target.values():
                add_row(entries + [(v, -1.0)], -np.inf, 0.0)

    n_cols = len(cost)
    A = sp.csr_matrix((vals, (rows, cols)), shape=(len(lower), n_cols))
    program = LinearProgram(
        c=np.array(cost),
        A=A,
        row_lower=np.array(lower),
        row_upper=np.array(upper),
        col_lower=np.zeros(n_cols),
        col_upper=np.full(n_cols, np.inf),
    )
    return ReferenceLP(program, tuple(nights), tuple(classes), tuple(class_of),
                       tuple(pair_index), n_cols - n - n_pairs)


def solve_reference(
    scenario: Scenario,
    *,
    time_limit: float | None = None,
    progress: Progress | None = None,
) -> Plan:
    """The optimal plan by the reference LP (small scenarios only).

    Parameters
    ----------
    scenario
        The scenario; at most :data:`MAX_NIGHTS` legal nights.
    time_limit
        Seconds for HiGHS; on expiry the plan is the incumbent (status ``time_limit``) with
        the trivial lower bound 0.
    progress
        Called with a stage description and the fraction done (``None``: unknown).

    Returns
    -------
    Plan
        Nights = support of the optimal P; pairs (when history matters)
        ``P(i, j) = P(i) · J(class(i), j) / P_class(class(i))``; each adversary's success and
        the risk measured exactly on the exported plan (:func:`evaluate_states`);
        ``solver.lower_bound`` = the LP optimum.
    """
    started = time.perf_counter()
    if progress:
        progress("building the reference LP", None)
    model = build_reference_lp(scenario)
    if progress:
        progress("solving the reference LP", None)
    result = solve(model.program, time_limit=time_limit)
    if result.status not in (Status.OPTIMAL, Status.TIME_LIMIT):
        raise SolverError(f"the reference LP ended {result.status.value}; it is always "
                          "feasible and bounded, so this is a bug")
    if result.x is None:
        raise InputError("time_limit", time_limit, "too short: no plan was found within it")
    optimal = result.status is Status.OPTIMAL
    assert result.objective is not None
    return plan_from_solution(scenario, model, result.x, result.status.value,
                              float(result.objective) if optimal else 0.0, started,
                              result.iterations)


def plan_from_solution(scenario: Scenario, model: ReferenceLP, x: np.ndarray, status: str,
                       lower_bound: float, started: float, iterations: int = 0) -> Plan:
    """The plan a solution ``x`` of the reference LP's columns (P, J first) stands for,
    measured exactly (:func:`evaluate_states`)."""
    n = len(model.nights)
    p = np.clip(x[:n], 0.0, None)
    support = [i for i in range(n) if p[i] > SUPPORT_TOLERANCE]
    probabilities = p[support] / p[support].sum()
    position = {i: k for k, i in enumerate(support)}

    pairs: list[tuple[int, int, float]] | None = None
    if model.pair_index:
        j_values = np.clip(x[n:n + len(model.pair_index)], 0.0, None)
        # T(j | y) = J(y, j) / Σ_j' J(y, j'), over tonight's support
        by_class: dict[int, dict[int, float]] = {}
        for (y, j), value in zip(model.pair_index, j_values, strict=True):
            if j in position and value > 0.0:
                by_class.setdefault(y, {})[position[j]] = float(value)
        pairs = []
        for a, i in enumerate(support):
            row = by_class.get(model.class_of[i])
            if not row:  # cannot happen beyond solver tolerances: fall back to independence
                row = dict(enumerate(probabilities.tolist()))
            total = sum(row.values())
            for b, value in sorted(row.items()):
                pij = probabilities[a] * value / total
                if pij > 0.0:
                    pairs.append((a, b, float(pij)))

    states = [model.nights[i] for i in support]
    evaluation = evaluate_states(scenario, states, probabilities.tolist(), pairs)
    site_probability = {site.name: 0.0 for site in scenario.sites}
    for state, q in zip(states, probabilities, strict=True):
        site_probability[scenario.sites[state.site].name] += float(q)
    return Plan(
        risk=evaluation.risk,
        adversaries=evaluation.success,
        site_probability=site_probability,
        nights=tuple(plan_night(scenario, s, q) for s, q in zip(states, probabilities,
                                                                 strict=True)),
        pairs=None if pairs is None else tuple(Pair(i, j, q) for i, j, q in pairs),
        solver=SolverInfo(
            status=status,
            seconds=time.perf_counter() - started,
            lower_bound=lower_bound,
            method="reference",
            iterations=iterations,
        ),
    )
