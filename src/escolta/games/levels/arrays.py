"""The game's payoffs as the compiled kernels of ``levels`` read them: one NamedTuple of
``(types, targets)`` arrays, scaled into [-1, 1], for the types with a positive prior.

A NamedTuple (not a dataclass) because numba passes it to a compiled function as one typed
argument whose fields are read at compile time (as QuantEcon's compiled solvers take their
options), so each kernel takes the game and a few box arrays instead of a dozen arrays.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from escolta.games.evaluate import tie_tolerance
from escolta.games.model import SecurityGame

SEARCH_TIES = 1e-12
"""Ties the search credits to the defender when it evaluates a box's coverage: rounding only.
(The evaluator's wider tolerance would credit near-ties that no exact coverage achieves.)"""


class LevelArrays(NamedTuple):
    """Scaled payoffs: ``au`` is U_a^u, ``ac`` U_a^c, ``da`` = U_a^u - U_a^c (> 0), ``du`` is
    U_d^u, ``dc`` U_d^c, ``dd`` = U_d^c - U_d^u; ``ties`` the search's tie slack per type,
    ``evaluator_ties`` the evaluator's; ``budget`` = min(resources, targets)."""

    prior: np.ndarray
    ac: np.ndarray
    au: np.ndarray
    da: np.ndarray
    dc: np.ndarray
    du: np.ndarray
    dd: np.ndarray
    ties: np.ndarray
    evaluator_ties: np.ndarray
    budget: float


def level_arrays(game: SecurityGame, scale: float) -> LevelArrays:
    """The kernels' view of ``game`` with payoffs multiplied by ``scale``."""
    live = [a for a in game.attacker_types if a.prior > 0.0]

    def stack(name: str) -> np.ndarray:
        return np.ascontiguousarray([getattr(a, name) for a in live], dtype=float) * scale

    ac, au = stack("attacker_covered"), stack("attacker_uncovered")
    dc, du = stack("defender_covered"), stack("defender_uncovered")
    return LevelArrays(
        prior=np.array([a.prior for a in live]),
        ac=ac, au=au, da=np.ascontiguousarray(au - ac),
        dc=dc, du=du, dd=np.ascontiguousarray(dc - du),
        ties=np.full(len(live), SEARCH_TIES),
        evaluator_ties=np.array([tie_tolerance(a.attacker_covered, a.attacker_uncovered)
                                 * scale for a in live]),
        budget=float(min(game.resources, game.n_targets)),
    )
