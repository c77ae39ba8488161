"""Zero-sum games: the defender's maximin strategy by one LP.

When every type's payoffs are the negatives of the defender's, the attacker's best response
is the defender's worst target, so the strong Stackelberg strategy is the maximin strategy and
its value the game's value (von Neumann's minimax theorem; for security games Korzhyk et al.,
*Stackelberg vs. Nash in security games*, JAIR 2011, Section 5). With types of prior ``p_θ``:

    max  Σ_θ p_θ v_θ   s.t.  v_θ <= U_d^θ(t, c)  for every θ, t;  c implementable

for a security game, and ``v_l <= Σ_i x_i A^l_ij`` for every follower action ``j`` with
``Σx = 1`` for a normal-form game.
"""

from __future__ import annotations

import time

import numpy as np
import scipy.sparse as sp

from escolta.errors import InputError, SolverError
from escolta.games.coverage import coverage_block
from escolta.games.evaluate import (
    clean_distribution,
    coverage_solution,
    strategy_solution,
)
from escolta.games.model import Game, SecurityGame, Solution
from escolta.lp import LinearProgram, Status, solve

INF = float("inf")


def is_zero_sum(game: Game) -> bool:
    """Whether every type's payoffs are exactly the negatives of the defender's (the game's
    own ``is_zero_sum``, the one definition).

    Examples
    --------
    >>> from escolta.games.model import FollowerType, NormalFormGame
    >>> is_zero_sum(NormalFormGame((FollowerType("f", 1.0, [[1, -2]], [[-1, 2]]),)))
    True
    """
    return game.is_zero_sum


def minimax_program(game: Game) -> LinearProgram:
    """The maximin LP of the module docstring.

    Security games: columns ``[coverage block | v_θ]``; normal form: ``[x | v_l]``.
    """
    if isinstance(game, SecurityGame):
        block = coverage_block(game, "minimax")
        n, base, types = game.n_targets, block.n_columns, len(game.attacker_types)
        targets = np.arange(n)
        rows, cols, vals, upper = [], [], [], []
        for k, attacker in enumerate(game.attacker_types):
            # v_θ - (U_d^c - U_d^u) c_t <= U_d^u
            r = k * n + targets
            rows += [r, r]
            cols += [np.full(n, base + k), targets]
            vals += [np.ones(n), -(attacker.defender_covered - attacker.defender_uncovered)]
            upper.append(attacker.defender_uncovered)
        value_rows = sp.csr_matrix(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
            shape=(types * n, base + types),
        )
        return LinearProgram(
            c=np.concatenate([np.zeros(base), game.priors]),
            A=sp.vstack([block.widen(types), value_rows], format="csr"),
            row_lower=np.concatenate([block.row_lower, np.full(types * n, -np.inf)]),
            row_upper=np.concatenate([block.row_upper, *upper]),
            col_lower=np.concatenate([block.col_lower, np.full(types, -np.inf)]),
            col_upper=np.concatenate([block.col_upper, np.full(types, np.inf)]),
            sense="max",
        )
    n, types = game.n_leader_actions, len(game.followers)
    blocks = []
    for k, follower in enumerate(game.followers):
        m = follower.leader.shape[1]
        indicator = np.zeros((m, types))
        indicator[:, k] = 1.0
        # v_l - Σ_i x_i A_ij <= 0
        blocks.append(np.hstack([-follower.leader.T, indicator]))
    total = np.concatenate([np.ones(n), np.zeros(types)])[None, :]
    A = np.vstack([*blocks, total])
    height = A.shape[0] - 1
    return LinearProgram(
        c=np.concatenate([np.zeros(n), game.priors]),
        A=sp.csr_matrix(A),
        row_lower=np.concatenate([np.full(height, -np.inf), [1.0]]),
        row_upper=np.concatenate([np.zeros(height), [1.0]]),
        col_lower=np.concatenate([np.zeros(n), np.full(types, -np.inf)]),
        col_upper=np.concatenate([np.ones(n), np.full(types, np.inf)]),
        sense="max",
    )


def minimax_solve(game: Game, time_limit: float | None = None) -> Solution:
    """The maximin strategy of a zero-sum game (security or normal form, any number of types).

    Parameters
    ----------
    game
        A game with every type zero-sum (otherwise :class:`InputError` naming ``method``).
    time_limit
        Seconds for HiGHS.

    Examples
    --------
    Matching pennies: the value is 0 at (1/2, 1/2).

    >>> from escolta.games.loader import load
    >>> game = load({"kind": "normal_form", "followers": [{"name": "f", "prior": 1,
    ...     "leader": [[1, -1], [-1, 1]], "follower": [[-1, 1], [1, -1]]}]})
    >>> s = minimax_solve(game)
    >>> s.leader_strategy.round(6).tolist(), round(s.defender_value, 6)
    ([0.5, 0.5], 0.0)
    """
    started = time.perf_counter()
    if not is_zero_sum(game):
        raise InputError(
            "method", "minimax", "needs a zero-sum game (attacker payoffs = -defender payoffs)"
        )
    result = solve(minimax_program(game), time_limit=time_limit)
    if result.status is Status.TIME_LIMIT and result.x is None:
        raise SolverError("minimax LP found no solution within the time limit")
    if result.status not in (Status.OPTIMAL, Status.TIME_LIMIT):
        raise SolverError(f"minimax LP ended with status {result.status}")
    open_bound = None if result.status is Status.OPTIMAL else _open_bound(result.bound)
    if isinstance(game, SecurityGame):
        block = coverage_block(game, "minimax")
        coverage = np.clip(result.x[: game.n_targets], 0.0, 1.0)
        return coverage_solution(game, coverage, method="minimax", started=started,
                                 open_bound=open_bound,
                                 mixed_strategy=block.mixed_strategy(result.x))
    strategy = clean_distribution(result.x[: game.n_leader_actions])
    return strategy_solution(game, strategy, method="minimax", started=started,
                             open_bound=open_bound)


def _open_bound(bound: float | None) -> float:
    """The LP's bound when the time limit struck (``inf``: none proven, if HiGHS has none)."""
    return INF if bound is None or not np.isfinite(bound) else float(bound)
