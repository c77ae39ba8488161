"""DOBSS: the strong Stackelberg equilibrium of a Bayesian normal-form game as one MILP
(Paruchuri et al., *Playing games for security: an efficient exact algorithm for solving
Bayesian Stackelberg games*, AAMAS 2008, problem (7)).

With ``z^l_ij = x_i q^l_j`` (leader plays i and type l answers j), for leader payoffs ``R^l``
and follower payoffs ``C^l``:

    max  Σ_l Σ_i Σ_j p_l R^l_ij z^l_ij
    s.t. Σ_i Σ_j z^l_ij = 1                                    for every l
         q^l_j <= Σ_i z^l_ij <= 1                              for every l, j
         Σ_j q^l_j = 1,  q^l_j ∈ {0, 1}                         for every l
         0 <= a^l - Σ_i C^l_ij (Σ_h z^l_ih) <= (1 - q^l_j) M_l  for every l, j
         Σ_j z^l_ij = Σ_j z^1_ij                                for every l, i
         z >= 0

and the leader's strategy ``x_i = Σ_j z^1_ij``. ``M_l = max C^l - min C^l`` bounds any gap
between two follower payoffs. The objective chooses each type's answer among its best
responses, so ties go to the leader (strong Stackelberg).
"""

from __future__ import annotations

import time

import numpy as np
import scipy.sparse as sp

from escolta.errors import SolverError
from escolta.games.evaluate import clean_distribution, strategy_solution
from escolta.games.milp import solve_milp
from escolta.games.model import NormalFormGame, Solution
from escolta.games.multiple_lps import normal_form_profile_program, normal_form_scale
from escolta.lp import LinearProgram, Status, solve


def dobss_program(
    game: NormalFormGame, scale: float = 1.0, cuts: bool = True
) -> LinearProgram:
    """DOBSS's MILP (module docstring) with payoffs multiplied by ``scale``; ``cuts`` adds
    valid inequalities (see :func:`_best_response_cuts`) that leave the integer solutions
    unchanged and tighten the LP relaxation.

    Columns: ``z`` (type-major, then leader action, then follower action: index
    ``l*n*m + i*m + j``), then ``q`` (``l*m + j``), then ``a`` (one per type).
    """
    n, m = game.followers[0].leader.shape
    types = len(game.followers)
    nz, nq = types * n * m, types * m
    q0, a0 = nz, nz + nq
    n_cols = a0 + types
    eye_n, eye_m = sp.identity(n, format="csr"), sp.identity(m, format="csr")
    ones_n, ones_m = np.ones((1, n)), np.ones((1, m))
    sum_all = sp.csr_matrix(np.ones((1, n * m)))  # Σ_i Σ_j z_ij
    sum_over_i = sp.kron(ones_n, eye_m, format="csr")  # row j: Σ_i z_ij
    sum_over_j = sp.kron(eye_n, ones_m, format="csr")  # row i: Σ_j z_ij

    blocks: list[list[sp.csr_matrix | None]] = []
    lower, upper = [], []

    def row(z_part=None, q_part=None, a_part=None, *, type_index: int, lo, hi, z_first=None):
        cells: list[sp.csr_matrix | None] = [None] * (2 * types + 1)
        height = next(
            p.shape[0] for p in (z_part, q_part, a_part, z_first) if p is not None
        )
        if z_part is not None:
            cells[type_index] = sp.csr_matrix(z_part)
        if z_first is not None:
            cells[0] = sp.csr_matrix(z_first) if cells[0] is None else cells[0] + z_first
        if q_part is not None:
            cells[types + type_index] = sp.csr_matrix(q_part)
        if a_part is not None:
            cells[2 * types] = sp.csr_matrix(
                (np.asarray(a_part, dtype=float), (np.arange(height), np.full(height, type_index))),
                shape=(height, types),
            )
        blocks.append(cells)
        lower.append(np.broadcast_to(np.asarray(lo, dtype=float), (height,)))
        upper.append(np.broadcast_to(np.asarray(hi, dtype=float), (height,)))

    col_lower = np.zeros(n_cols)
    col_upper = np.concatenate([np.ones(nz + nq), np.zeros(types)])
    for k, follower in enumerate(game.followers):
        C = follower.follower * scale
        big = float(C.max() - C.min())
        col_lower[a0 + k], col_upper[a0 + k] = C.min(), C.max()
        # Σ_i Σ_j z = 1
        row(sum_all, type_index=k, lo=1.0, hi=1.0)
        # Σ_i z_ij - q_j >= 0 (the "<= 1" side is implied by the row above); as a cut,
        # "= 0": Σ_i x_i q_j = q_j holds at every integral point
        row(sum_over_i, -eye_m, type_index=k, lo=0.0, hi=0.0 if cuts else np.inf)
        # Σ_j q_j = 1
        row(None, ones_m, type_index=k, lo=1.0, hi=1.0)
        # follower payoff of j against x: Σ_i C_ij x_i with x_i = Σ_h z_ih
        payoff = sp.csr_matrix(C.T) @ sum_over_j  # (m, n*m)
        # a - payoff_j >= 0
        row(-payoff, None, np.ones(m), type_index=k, lo=0.0, hi=np.inf)
        # a - payoff_j + M q_j <= M
        row(-payoff, big * eye_m, np.ones(m), type_index=k, lo=-np.inf, hi=big)
        if cuts:
            # Σ_i (C_ij - C_ij') z_ij >= 0 for j' != j: where the type answers j (z_·j = x),
            # j is a best response; where it does not, z_·j = 0. Valid at every integral
            # point, and it makes the LP relaxation the convex hull of Conitzer & Sandholm's
            # one LP per answer.
            row(_best_response_cuts(C), type_index=k, lo=0.0, hi=np.inf)
        if k > 0:
            # Σ_j z^l_ij - Σ_j z^1_ij = 0
            row(sum_over_j, type_index=k, lo=0.0, hi=0.0, z_first=-sum_over_j)
    A = sp.bmat(
        [
            [
                cell if cell is not None else None
                for cell in _pad(cells, n * m, m, types)
            ]
            for cells in blocks
        ],
        format="csr",
    )
    cost = np.concatenate(
        [f.prior * f.leader.reshape(-1) * scale for f in game.followers]
        + [np.zeros(nq + types)]
    )
    integrality = np.zeros(n_cols, dtype=bool)
    integrality[q0:a0] = True
    return LinearProgram(
        c=cost,
        A=A,
        row_lower=np.concatenate(lower),
        row_upper=np.concatenate(upper),
        col_lower=col_lower,
        col_upper=col_upper,
        integrality=integrality,
        sense="max",
    )


def _best_response_cuts(C: np.ndarray) -> sp.csr_matrix:
    """Rows ``Σ_i (C_ij - C_ij') z_ij`` for every ordered pair j != j' (z index i*m + j)."""
    n, m = C.shape
    answers, rivals = (a.ravel() for a in np.meshgrid(np.arange(m), np.arange(m), indexing="ij"))
    keep = answers != rivals
    answers, rivals = answers[keep], rivals[keep]
    pairs = len(answers)
    leader = np.arange(n)
    rows = np.repeat(np.arange(pairs), n)
    cols = (leader[None, :] * m + answers[:, None]).ravel()
    vals = (C[:, answers] - C[:, rivals]).T.ravel()
    return sp.csr_matrix((vals, (rows, cols)), shape=(pairs, n * m))


def _pad(cells, z_width: int, q_width: int, types: int):
    """Give the first non-empty row of blocks explicit zero blocks so bmat knows widths."""
    height = next(c.shape[0] for c in cells if c is not None)
    widths = [z_width] * types + [q_width] * types + [types]
    return [
        c if c is not None else sp.csr_matrix((height, w))
        for c, w in zip(cells, widths, strict=True)
    ]


def dobss_solve(
    game: NormalFormGame, time_limit: float | None = None, cuts: bool = True
) -> Solution:
    """Strong Stackelberg equilibrium of a Bayesian normal-form game by DOBSS.

    Parameters
    ----------
    game
        A normal-form game with one or more follower types.
    time_limit
        Seconds for HiGHS; on expiry the incumbent (or the uniform strategy if HiGHS has
        none) is returned with ``status="time_limit"`` and the MILP's bound.
    cuts
        Add the best-response cuts of :func:`dobss_program` (default); ``False`` solves
        Paruchuri et al.'s program exactly as published.

    Returns
    -------
    Solution
        ``leader_strategy`` and each type's action.

    Examples
    --------
    >>> from escolta.games.loader import load
    >>> game = load({"kind": "normal_form", "followers": [{"name": "f", "prior": 1,
    ...     "leader": [[2, 4], [1, 3]], "follower": [[1, 0], [0, 1]]}]})
    >>> round(dobss_solve(game).defender_value, 6)
    3.5
    """
    started = time.perf_counter()
    scale = normal_form_scale(game)
    program = dobss_program(game, scale, cuts)
    result = solve_milp(program, time_limit)
    if result.status not in (Status.OPTIMAL, Status.TIME_LIMIT):
        raise SolverError(f"DOBSS MILP ended with status {result.status}")
    n, m = game.followers[0].leader.shape
    types = len(game.followers)
    if result.x is not None:
        z = result.x[: types * n * m].reshape(types, n, m)
        q = result.x[types * n * m : types * n * m + types * m].reshape(types, m)
        profile = [int(np.argmax(q[k])) for k in range(types)]
        strategy = z[0].sum(axis=1)
        if result.status is Status.OPTIMAL:
            # the MILP meets rows to HiGHS's tolerance; the LP of its profile is exact
            clean = solve(normal_form_profile_program(game, profile, scale))
            if clean.status is Status.OPTIMAL:
                strategy = clean.x
        strategy = clean_distribution(strategy)
        responses = {f.name: j for f, j in zip(game.followers, profile, strict=True)}
    else:
        strategy = np.full(n, 1.0 / n)
        responses = None
    return strategy_solution(
        game, strategy, method="dobss", started=started, responses=responses,
        open_bound=None if result.status is Status.OPTIMAL else _bound(game, result.bound, scale),
        params={"nodes": result.nodes},
    )


def _bound(game: NormalFormGame, bound: float | None, scale: float) -> float:
    """The MILP's dual bound in payoff units, or the trivial one (each type's best cell)."""
    trivial = float(sum(f.prior * f.leader.max() for f in game.followers))
    if bound is None or not np.isfinite(bound):
        return trivial
    return min(trivial, bound / scale)
