"""The linear program of one response profile of a Bayesian security game on a live HiGHS
model (Conitzer & Sandholm, EC 2006, on the compact coverage), which closes a box of
``levels`` exactly and polishes its final coverage."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from escolta.errors import SolverError
from escolta.games.evaluate import clean_coverage, security_responses, security_value
from escolta.games.levels.arrays import LevelArrays
from escolta.games.model import SecurityGame
from escolta.lp import HighsModel, LinearProgram, Status

INF = float("inf")


class ProfileLP:
    """The LP of one response profile on a live HiGHS model, columns ``[c (n) | v (types)]``:

        max  Σ_θ p_θ (U_d^u_θ,t_θ + (U_d^c - U_d^u)_θ,t_θ c_t_θ)
        s.t. Σ_t c_t <= m,  0 <= c <= 1
             v_θ + (U_a^u - U_a^c)_θt c_t >= U_a^u_θt     (θ gets at most v_θ at t)
             ... and <= for t = t_θ                          (θ gets exactly v_θ at t_θ)
    """

    def __init__(self, arrays: LevelArrays) -> None:
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


def polish(game: SecurityGame, lps: ProfileLP, coverage: np.ndarray) -> np.ndarray:
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
