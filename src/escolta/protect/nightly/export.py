"""Expand the reduced solution into the plan of docs/design.md §5.

Each reduced night ``(s, n, p)`` with probability ``x`` becomes ``A · R_s`` nights, ``x /
(A · R_s)`` each: one per room (rooms uniform and independent, reduction 1) and per
*arrangement* of the anonymous teams. Insider teams stand at ``p``; the anonymous teams fill
the posture ``n`` in each of the ``A`` arrangements with equal odds, so that no anonymous
team is a beacon: every one of them stands with the principal equally often (any
arrangement gives every adversary the same success, reduction 2, so the spread costs
nothing). The arrangements are all the distinct ones (:func:`arrangements`, uniform over
the permutations of the anonymous teams) when the export stays within
:data:`MAX_EXPORT_NIGHTS` and :data:`MAX_EXPORT_PAIRS`; else the distinct cyclic shifts of
the file-order one (each team still takes each slot once, so the shares stay equal); else
file order alone (``spread`` says which, in the plan's ``anonymous_teams`` section). With
history the two-night law is the lift of ``J`` (:mod:`escolta.protect.nightly.master`)::

    P(yesterday = i, tonight = j) = x_i / P_class(c_i) · J(c_i, f_j) · x_j / P_f(f_j)

spread uniformly over the rooms and arrangements of both nights (tonight's arrangement is
drawn afresh, independently of yesterday's). Each adversary's success is measured on the
reduced solution (:func:`reduced_success`), which equals its success on the exported plan.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from escolta.protect.nightly.master import Master, MasterSolution
from escolta.protect.nightly.reduce import Column, Feature, ReducedGame
from escolta.protect.pair_table import PairTable
from escolta.protect.plan import Night
from escolta.protect.scenario import Scenario

#: Reduced nights below this probability are dropped from the exported support.
SUPPORT_TOLERANCE = 1e-10
#: Most exported nights, and two-night pairs, that spreading the anonymous teams may make.
MAX_EXPORT_NIGHTS = 20_000
MAX_EXPORT_PAIRS = 400_000
#: How the anonymous teams are spread, most even first (see the module docstring).
SPREADS = ("uniform", "rotations", "file order")


def support(solution: MasterSolution) -> tuple[list[Column], np.ndarray]:
    """The reduced nights with positive probability, and their (renormalized) probabilities."""
    keep = [i for i, value in enumerate(solution.p) if value > SUPPORT_TOLERANCE]
    columns = [solution.columns[i] for i in keep]
    x = np.clip(solution.p[keep], 0.0, None)
    return columns, x / x.sum()


def history_law(master: Master, solution: MasterSolution
                ) -> dict[tuple[Hashable, Feature], float]:
    """``J(y, f)`` of the solution, positive entries only."""
    return {key: float(value) for key, value in zip(solution.j_keys, solution.j, strict=True)
            if value > SUPPORT_TOLERANCE}


def reduced_success(game: ReducedGame, columns: list[Column], x: np.ndarray,
                    law: dict[tuple[Hashable, Feature], float]) -> dict[str, float]:
    """Each adversary's success: ``Σ_σ max_a Σ P(σ, a) loss`` on the reduced plan."""
    out: dict[str, float] = {}
    for adversary in game.adversaries:
        acc: dict[tuple[Hashable, int], float] = defaultdict(float)
        if adversary.lead == 0:
            for column, p in zip(columns, x, strict=True):
                site, posture, posts = column
                if adversary.sees == "posture":
                    loss = game.posture_loss(site, posture[site])
                else:
                    loss = game.loss(adversary, site, posture[site],
                                     game.sabotaged(adversary, site, posts))
                acc[(game.signal(adversary, column), site)] += p * loss
        else:
            position = game.lead1.index(adversary)
            for (y, f), value in law.items():
                acc[(y[position], f[0])] += value * game.feature_loss(adversary, f)  # type: ignore[index]
        best: dict[Hashable, float] = defaultdict(float)
        for (sigma, _), value in acc.items():
            best[sigma] = max(best[sigma], value)
        out[adversary.name] = float(sum(best.values()))
    return out


def anonymous_posts(game: ReducedGame, posture: tuple[int, ...],
                    posts: tuple[int, ...]) -> list[int]:
    """The site of every team: insiders at ``posts``, anonymous teams filling the rest."""
    left = list(posture)
    for q in posts:
        left[q] -= 1
    where = [-1] * game.n_teams
    for i, team in enumerate(game.insider_teams):
        where[team] = posts[i]
    site = 0
    for team in range(game.n_teams):
        if where[team] >= 0:
            continue
        while left[site] == 0:
            site += 1
        where[team] = site
        left[site] -= 1
    return where


def anonymous_teams(game: ReducedGame) -> list[int]:
    """Indices (into scenario.teams) of the teams no adversary tells apart, in file order."""
    return [t for t in range(game.n_teams) if t not in game.insider_teams]


def _distinct_permutations(slots: list[int]) -> list[tuple[int, ...]]:
    """Every distinct ordering of ``slots`` (a multiset), lexicographic."""
    counts: dict[int, int] = defaultdict(int)
    for q in slots:
        counts[q] += 1
    keys = sorted(counts)
    out: list[tuple[int, ...]] = []
    prefix: list[int] = []

    def extend() -> None:
        if len(prefix) == len(slots):
            out.append(tuple(prefix))
            return
        for q in keys:
            if counts[q]:
                counts[q] -= 1
                prefix.append(q)
                extend()
                prefix.pop()
                counts[q] += 1

    extend()
    return out


def interchangeable_teams(game: ReducedGame) -> list[list[int]]:
    """Sets of teams (indices into scenario.teams) that no adversary tells apart: the
    anonymous teams, and each group of :attr:`ReducedGame.groups`."""
    out = [anonymous_teams(game)]
    out += [[game.insider_teams[i] for i in group] for group in game.groups]
    return [teams for teams in out if len(teams) > 1]


def arrangements(game: ReducedGame, posture: tuple[int, ...], posts: tuple[int, ...],
                 spread: str) -> list[list[int]]:
    """The site of every team in each arrangement of the interchangeable teams.

    The anonymous teams fill ``posture`` (what the insider teams leave); each group of
    :attr:`ReducedGame.groups` keeps its multiset of posts. ``spread`` is ``uniform`` (every
    distinct assignment within each set, all combinations), ``rotations`` (the distinct
    cyclic shifts within each set) or ``file order`` (the canonical one alone).

    Examples
    --------
    >>> import numpy as np
    >>> g = ReducedGame(2, 3, 1, False, (1, 1), np.ones((2, 4)), (), (), 0.0)
    >>> arrangements(g, (2, 1), (), "uniform")
    [[0, 0, 1], [0, 1, 0], [1, 0, 0]]
    >>> arrangements(g, (2, 1), (), "rotations") == arrangements(g, (2, 1), (), "uniform")
    True
    >>> arrangements(g, (2, 1), (), "file order")
    [[0, 0, 1]]
    """
    base = anonymous_posts(game, posture, posts)
    if spread == "file order":
        return [base]
    ways: list[list[tuple[list[int], tuple[int, ...]]]] = []
    for teams in interchangeable_teams(game):
        slots = [base[t] for t in teams]
        if spread == "rotations":
            orders = list(dict.fromkeys(tuple(slots[r:] + slots[:r])
                                        for r in range(len(slots))))
        else:
            orders = _distinct_permutations(slots)
        ways.append([(teams, order) for order in orders])
    out = []
    for choice in itertools.product(*ways):
        where = list(base)
        for teams, order in choice:
            for t, q in zip(teams, order, strict=True):
                where[t] = q
        out.append(where)
    return out


def count_arrangements(game: ReducedGame, posture: tuple[int, ...], posts: tuple[int, ...],
                       spread: str) -> int:
    """``len(arrangements(game, posture, posts, spread))`` without building them (the
    multinomial of each set's slots, or its distinct rotations): at scale the uniform
    spread of a reduced night runs to millions of assignments.

    Examples
    --------
    >>> import numpy as np
    >>> g = ReducedGame(2, 3, 1, False, (1, 1), np.ones((2, 4)), (), (), 0.0)
    >>> [count_arrangements(g, (2, 1), (), s) for s in ("uniform", "rotations", "file order")]
    [3, 3, 1]
    """
    if spread == "file order":
        return 1
    base = anonymous_posts(game, posture, posts)
    out = 1
    for teams in interchangeable_teams(game):
        slots = [base[t] for t in teams]
        if spread == "rotations":
            out *= len(dict.fromkeys(tuple(slots[r:] + slots[:r]) for r in range(len(slots))))
        else:
            ways = math.factorial(len(slots))
            for q in set(slots):
                ways //= math.factorial(slots.count(q))
            out *= ways
    return out


def export_nights(scenario: Scenario, game: ReducedGame, columns: list[Column],
                  x: np.ndarray, spread: str = "uniform") -> tuple[list[Night], list[int]]:
    """Nights (one per room and arrangement of each reduced night) and the reduced night
    each comes from."""
    nights: list[Night] = []
    origin: list[int] = []
    site_names = [site.name for site in scenario.sites]
    for i, (column, p) in enumerate(zip(columns, x, strict=True)):
        site, posture, posts = column
        ways = arrangements(game, posture, posts, spread)
        rooms = game.rooms[site]
        for where in ways:
            team_posts = {team.name: site_names[where[t]]
                          for t, team in enumerate(scenario.teams)}
            for room in range(1, rooms + 1):
                nights.append(Night(p=float(p) / (rooms * len(ways)), site=site_names[site],
                                    room=room, posts=team_posts))
                origin.append(i)
    return nights, origin


def count_export(game: ReducedGame, columns: list[Column], chain: ReducedPairs | None,
                 spread: str) -> tuple[int, int]:
    """How many nights and pairs :func:`export_nights` / :func:`export_pairs` would make
    (the pairs exactly below 2**53, to a float's precision above: they only meet a limit)."""
    sizes = [game.rooms[c[0]] * count_arrangements(game, c[1], c[2], spread) for c in columns]
    if chain is None:
        return sum(sizes), 0
    # every size is below 64! * rooms, far inside a float; integer sums below 2**53 are exact
    weights = np.asarray(sizes, dtype=np.float64)
    return sum(sizes), int(np.dot(weights[chain.i], weights[chain.j]))


def choose_spread(game: ReducedGame, columns: list[Column], chain: ReducedPairs | None
                  ) -> str:
    """The most even spread of :data:`SPREADS` whose export fits the limits."""
    for spread in SPREADS[:-1]:
        nights, pairs = count_export(game, columns, chain, spread)
        if nights <= MAX_EXPORT_NIGHTS and pairs <= MAX_EXPORT_PAIRS:
            return spread
    return SPREADS[-1]


@dataclass(frozen=True)
class ReducedPairs:
    """A two-night law over reduced nights: night ``i[k]`` then ``j[k]`` with probability
    ``q[k] > 0``, ordered by ``i`` then ``j``."""

    i: np.ndarray
    j: np.ndarray
    q: np.ndarray

    @classmethod
    def of(cls, pairs: list[tuple[int, int, float]]) -> ReducedPairs:
        """The law of ``(i, j, q)`` triples, in their order."""
        if not pairs:
            return cls(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
        i, j, q = zip(*pairs, strict=True)
        return cls(np.asarray(i, np.int64), np.asarray(j, np.int64),
                   np.asarray(q, np.float64))

    def __len__(self) -> int:
        return len(self.q)


def reduced_pairs(game: ReducedGame, columns: list[Column], x: np.ndarray,
                  law: dict[tuple[Hashable, Feature], float]) -> ReducedPairs:
    """The stationary two-night law over the reduced nights (the lift of J)::

        q(i, j) = x_i · J(c_i, f_j) / Σ_f J(c_i, f) · x_j / P_f(f_j)

    with J's rows renormalized over the classes and features of the kept support. It is the
    product of three sparse matrices (nights × classes, classes × features, features ×
    nights) with one entry per row of the first and per column of the last, so each
    ``q(i, j)`` is one product, never a sum: at 100 sites x 30 teams 2.7 million pairs."""
    classes = [game.night_class(column) for column in columns]
    features = [game.feature(column) for column in columns]
    class_of = {y: k for k, y in enumerate(dict.fromkeys(classes))}
    feature_of = {f: k for k, f in enumerate(dict.fromkeys(features))}
    c = np.fromiter((class_of[y] for y in classes), np.int64, len(columns))
    f = np.fromiter((feature_of[g] for g in features), np.int64, len(columns))
    p_feature = np.bincount(f, weights=x, minlength=len(feature_of))
    kept = [(class_of[y], feature_of[g], value) for (y, g), value in law.items()
            if y in class_of and g in feature_of]
    rows, cols, values = (np.asarray(v) for v in zip(*kept, strict=True)) if kept else (
        np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
    transition = sparse.csr_matrix((values.astype(np.float64), (rows, cols)),
                                   shape=(len(class_of), len(feature_of)))
    total = np.asarray(transition.sum(axis=1)).ravel()
    scale = np.divide(1.0, total, out=np.zeros_like(total), where=total > 0.0)
    n = len(columns)
    left = sparse.csr_matrix((x * scale[c], (np.arange(n), c)), shape=(n, len(class_of)))
    right = sparse.csr_matrix((x / p_feature[f], (f, np.arange(n))),
                              shape=(len(feature_of), n))
    product = (left @ transition @ right).tocoo()
    keep = product.data > 0.0
    i, j, q = product.row[keep], product.col[keep], product.data[keep]
    order = np.lexsort((j, i))
    return ReducedPairs(i[order].astype(np.int64), j[order].astype(np.int64), q[order])


def export_pairs(chain: ReducedPairs, origin: list[int]) -> PairTable:
    """The reduced two-night law spread evenly over the exported nights of each side: a
    table in blocks, one run of nights per reduced night (the nights of one reduced night
    are consecutive in ``origin`` and equally likely, :func:`export_nights`)."""
    origin_array = np.asarray(origin, dtype=np.int64)
    top = max(int(chain.i.max()), int(chain.j.max())) if len(chain) else -1
    n_reduced = max(int(origin_array.max()) + 1 if len(origin_array) else 0, top + 1)
    count = np.bincount(origin_array, minlength=n_reduced)
    return PairTable.from_blocks(count, chain.i, chain.j, chain.q)
