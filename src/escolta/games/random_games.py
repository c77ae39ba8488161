"""Random games for benchmarks and tests, drawn as in the literature.

:func:`kiekintveld_game` follows Kiekintveld et al. (AAMAS 2009, sec. 6): defender covered
and attacker uncovered payoffs uniform on [0, 100], defender uncovered and attacker covered
uniform on [-100, 0], independently per target and attacker type.
"""

from __future__ import annotations

import numpy as np

from escolta.games.model import (
    AttackerType,
    FollowerType,
    NormalFormGame,
    ResourceType,
    SecurityGame,
)


def kiekintveld_game(
    n_targets: int, resources: int, types: int = 1, seed: int = 0,
    schedules: tuple[tuple[int, ...], ...] | None = None,
) -> SecurityGame:
    """A random compact security game with Kiekintveld 2009 payoffs and random priors.

    Examples
    --------
    >>> game = kiekintveld_game(5, 2, types=3, seed=1)
    >>> game.n_targets, len(game.attacker_types), round(float(game.priors.sum()), 12)
    (5, 3, 1.0)
    """
    rng = np.random.default_rng(seed)
    priors = rng.uniform(0.1, 1.0, types) if types > 1 else np.ones(1)
    priors = priors / priors.sum()
    attackers = []
    for k in range(types):
        attackers.append(AttackerType(
            name=f"type{k}",
            prior=float(priors[k]),
            defender_covered=rng.uniform(0, 100, n_targets),
            defender_uncovered=rng.uniform(-100, 0, n_targets),
            attacker_covered=rng.uniform(-100, 0, n_targets),
            attacker_uncovered=rng.uniform(0, 100, n_targets),
        ))
    return SecurityGame(
        targets=tuple(f"t{i}" for i in range(n_targets)),
        resources=resources,
        attacker_types=tuple(attackers),
        schedules=schedules,
    )


def random_normal_form_game(rows: int, columns: int, seed: int = 0) -> NormalFormGame:
    """A one-follower normal-form game with payoffs uniform on [0, 1] (as in the random
    games of Conitzer & Sandholm 2006)."""
    rng = np.random.default_rng(seed)
    return NormalFormGame(followers=(FollowerType(
        name="follower", prior=1.0,
        leader=rng.uniform(0, 1, (rows, columns)),
        follower=rng.uniform(0, 1, (rows, columns)),
    ),))


def eraser_c_game(n_targets: int, seed: int = 0, types: int = 1) -> SecurityGame:
    """The ERASER-C benchmark setting of Kiekintveld et al. (AAMAS 2009, sec. 6): three
    resource types with availability 3, 3 and 2, twice as many schedules as targets, two
    (distinct, random) targets per schedule, Kiekintveld payoffs. Which resource types may
    run a schedule is not given in the paper; here each type may run each schedule with
    probability 1/2 (and every schedule has at least one type).

    Examples
    --------
    >>> game = eraser_c_game(10, seed=1)
    >>> len(game.schedules), [k.count for k in game.resource_types]
    (20, [3, 3, 2])
    """
    rng = np.random.default_rng(seed + 7919)
    schedules = tuple(
        tuple(sorted(int(t) for t in rng.choice(n_targets, size=2, replace=False)))
        for _ in range(2 * n_targets)
    )
    runs = rng.random((3, len(schedules))) < 0.5
    runs[rng.integers(0, 3, len(schedules)), np.arange(len(schedules))] = True
    kinds = tuple(
        ResourceType(f"kind{r}", count, tuple(int(k) for k in np.flatnonzero(runs[r])))
        for r, count in enumerate((3, 3, 2))
    )
    base = kiekintveld_game(n_targets, 8, types, seed)
    return SecurityGame(base.targets, 8, base.attacker_types, schedules, kinds)
