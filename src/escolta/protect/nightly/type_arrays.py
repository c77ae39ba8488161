"""The pricing table's types, their classes, features and static entries, built in NumPy.

The pricing table (:mod:`.pricing`) holds one column per *type* ``(s, k, p)``: the
principal's site, the teams there, the insider posts. A separable table has
``S·(T+1)·(1 + I·(S−1))`` of them (4.07 million at 200 sites × 50 teams with two insider
teams); building each with :meth:`.master.Master.static_entries` in Python costs about
10 µs, 40 s at that size. Here the types are arrays, and so is each part of their columns:

- the class of yesterday and the feature of tonight of every type, through integer codes
  that determine them (the site, each lead-1 insider's post, a chain's reached posts…);
  the class or feature itself is computed once per distinct code, by the reference
  :meth:`.reduce.ReducedGame.night_class` / :meth:`.reduce.ReducedGame.feature` on one
  type of that code, and codes of equal classes (features) are merged;
- each adversary's cost or best-response entry, from the success table.

``tests/protect/test_type_arrays.py`` checks every column against ``static_entries`` on
random games. A game with a hostile chain that has a best response of its own (a ``max0``
chain, whose rows are keyed by the posts it sees) is built by the reference code instead.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from escolta.protect.nightly.reduce import (
    Column,
    Feature,
    ReducedAdversary,
    ReducedGame,
    insider_post_combinations,
    valid_type_array,
)


@dataclass(frozen=True)
class TypeArrays:
    """Every type of the table as arrays (``site[t]``, ``teams[t]``, ``posts[t, i]``), the
    master's classes and features, and the class and feature of each type."""

    site: np.ndarray
    teams: np.ndarray
    posts: np.ndarray
    classes: tuple[Hashable, ...]
    features: tuple[Feature, ...]
    class_of: np.ndarray
    feature_of: np.ndarray

    def __len__(self) -> int:
        return len(self.site)

    def column(self, game: ReducedGame, t: int) -> Column:
        """Type ``t`` as a reduced night (the posture elsewhere does not matter here)."""
        return type_column(game, int(self.site[t]), int(self.teams[t]),
                           tuple(int(q) for q in self.posts[t]))


def _separable_types(game: ReducedGame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The base placement (0, …, 0) and every one-insider move from it, for every site and
    team count, in the order of :func:`.pricing.table_types`."""
    S, K, n_ins = game.n_sites, game.n_teams + 1, game.n_insider_teams
    block = 1 + n_ins * (S - 1)
    template = np.zeros((block, n_ins), dtype=np.int64)
    for i in range(n_ins):
        template[1 + i * (S - 1): 1 + (i + 1) * (S - 1), i] = np.arange(1, S)
    site = np.repeat(np.arange(S, dtype=np.int64), K * block)
    teams = np.tile(np.repeat(np.arange(K, dtype=np.int64), block), S)
    posts = np.tile(template, (S * K, 1))
    return site, teams, posts


def _valid_types(game: ReducedGame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every valid type, in the order of :func:`.reduce.valid_types`."""
    placements = np.array(insider_post_combinations(game), dtype=np.int64).reshape(
        -1, game.n_insider_teams)
    s, k, pi = np.nonzero(valid_type_array(game))
    return s.astype(np.int64), k.astype(np.int64), placements[pi]


def _pack(codes: list[np.ndarray], n: int) -> np.ndarray:
    """One integer per row of the code columns (values ≥ −1), equal exactly when the rows
    are: mixed radix when it fits in 62 bits, else the rank of the row."""
    if not codes:
        return np.zeros(n, dtype=np.int64)
    matrix = np.stack(codes, axis=1) + 1
    radix = int(matrix.max()) + 1
    if radix ** matrix.shape[1] < 2 ** 62:
        packed = np.zeros(n, dtype=np.int64)
        for column in matrix.T:
            packed = packed * radix + column
        return packed
    return np.unique(matrix, axis=0, return_inverse=True)[1].reshape(-1).astype(np.int64)


def _here(posts: np.ndarray, teams: tuple[int, ...], site: np.ndarray) -> np.ndarray:
    """How many of the insider ``teams`` stand at ``site`` in each type."""
    out = np.zeros(len(site), dtype=np.int64)
    for i in teams:
        out += posts[:, i] == site
    return out


def _class_codes(game: ReducedGame, site: np.ndarray, posts: np.ndarray) -> list[np.ndarray]:
    """Integer columns that determine yesterday's class (every lead-1 signal, and the site
    under ``no_repeat``)."""
    codes: list[np.ndarray] = []
    for adversary in game.lead1:
        if adversary.sees in ("site", "room") or (adversary.sees == "chain"
                                                   and not adversary.reached):
            codes.append(site)
        elif adversary.sees == "chain":
            codes.extend(posts[:, i] for i in adversary.reached)
            seen = _here(posts, adversary.reached, site) > 0
            codes.append(np.where(seen, site, -1))
        elif adversary.sees == "team":
            assert adversary.insider is not None
            codes.append(posts[:, adversary.insider])
            codes.append((posts[:, adversary.insider] == site).astype(np.int64))
        else:  # a lead-1 posture watcher: the enumeration strategy, not a table
            raise ValueError(f"no table types for a lead-1 {adversary.sees} watcher")
    if game.no_repeat:
        codes.append(site)
    return codes


def _sabotaged(game: ReducedGame, adversary: ReducedAdversary, site: np.ndarray,
               posts: np.ndarray) -> np.ndarray:
    """:meth:`.reduce.ReducedGame.sabotaged` for every type."""
    if not adversary.sabotage:
        return np.zeros(len(site), dtype=np.int64)
    if adversary.sees == "chain":
        return _here(posts, adversary.held, site)
    if adversary.insider is None:
        return np.zeros(len(site), dtype=np.int64)
    return (posts[:, adversary.insider] == site).astype(np.int64)


def _feature_codes(game: ReducedGame, site: np.ndarray, teams: np.ndarray,
                   posts: np.ndarray) -> list[np.ndarray]:
    """Integer columns that determine tonight's feature (site, teams there, and how many
    teams each lead-1 saboteur disables there)."""
    codes = [site, teams]
    codes.extend(_sabotaged(game, a, site, posts) for a in game.lead1 if a.sabotage)
    return codes


def _distinct(game: ReducedGame, packed: np.ndarray, site: np.ndarray, teams: np.ndarray,
              posts: np.ndarray, of: str) -> tuple[tuple[Hashable, ...], np.ndarray]:
    """The distinct classes (or features) of the types, in order of first appearance, and
    the index of each type's, from their packed codes."""
    codes, first, inverse = np.unique(packed, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")  # first appearance, as dict.fromkeys would
    values: dict[Hashable, int] = {}
    code_to_value = np.empty(len(codes), dtype=np.int64)
    for c in order:
        t = int(first[c])
        column = type_column(game, int(site[t]), int(teams[t]), tuple(int(q) for q in posts[t]))
        value = game.night_class(column) if of == "class" else game.feature(column)
        code_to_value[c] = values.setdefault(value, len(values))
    return tuple(values), code_to_value[inverse.reshape(-1)]


def type_column(game: ReducedGame, s: int, k: int, p: tuple[int, ...]) -> Column:
    """A reduced night of type ``(s, k, p)`` (the posture elsewhere does not matter here)."""
    return (s, tuple(k if q == s else 0 for q in range(game.n_sites)), p)


def type_arrays(game: ReducedGame, separable: bool) -> TypeArrays:
    """The table's types (separable: base and one-insider moves; else every valid type)
    with their classes and features (empty when history does not matter)."""
    site, teams, posts = _separable_types(game) if separable else _valid_types(game)
    if not game.history_matters:
        empty = np.zeros(0, dtype=np.int64)
        return TypeArrays(site, teams, posts, (), (), empty, empty)
    classes, class_of = _distinct(game, _pack(_class_codes(game, site, posts), len(site)),
                                  site, teams, posts, "class")
    features, feature_of = _distinct(
        game, _pack(_feature_codes(game, site, teams, posts), len(site)), site, teams, posts,
        "feature")
    return TypeArrays(site, teams, posts, classes, features, class_of, feature_of)


def has_fast_entries(game: ReducedGame) -> bool:
    """Whether :func:`static_entry_matrix` covers the game: every adversary but a hostile
    chain with a best response of its own (rows keyed by the posts it sees)."""
    return not any(a.role == "max0" and a.sees == "chain" and a.weight > 0.0
                   for a in game.adversaries)


def _loss(game: ReducedGame, adversary: ReducedAdversary, site: np.ndarray,
          teams: np.ndarray, disabled: np.ndarray) -> np.ndarray:
    """:meth:`.reduce.ReducedGame.loss` for every type."""
    k_eff = teams - disabled if adversary.sabotage else teams
    value = game.success[site, np.clip(k_eff, 0, game.n_teams)]
    return value / np.asarray(game.rooms, dtype=float)[site] if adversary.divide_by_rooms \
        else value


def static_entry_matrix(game: ReducedGame, types: TypeArrays, rows: dict[Hashable, int],
                        n_rows: int) -> tuple[np.ndarray, sp.csc_matrix]:
    """Cost and static-row entries of every type's column, as
    :meth:`.master.Master.static_entries` gives them one at a time (``has_fast_entries``
    games)."""
    site, teams, posts = types.site, types.teams, types.posts
    n, S = len(site), game.n_sites
    cost = np.zeros(n)
    parts_rows: list[np.ndarray] = []
    parts_cols: list[np.ndarray] = []
    parts_vals: list[np.ndarray] = []
    everything = np.arange(n, dtype=np.int64)

    def add(row: np.ndarray, value: np.ndarray, keep: np.ndarray) -> None:
        parts_rows.append(row[keep])
        parts_cols.append(everything[keep])
        parts_vals.append(value[keep])

    if game.history_matters:
        class_rows = np.array([rows[("class", y)] for y in types.classes], dtype=np.int64)
        feature_rows = np.array([rows[("feature", f)] for f in types.features],
                                dtype=np.int64)
        ones = np.full(n, -1.0)
        add(class_rows[types.class_of], ones, np.ones(n, dtype=bool))
        add(feature_rows[types.feature_of], ones, np.ones(n, dtype=bool))
    for i, adversary in enumerate(game.adversaries):
        if adversary.weight <= 0.0:
            continue
        if adversary.role == "linear":
            cost += adversary.weight * _loss(game, adversary, site, teams,
                                             _sabotaged(game, adversary, site, posts))
        elif adversary.role == "max0" and adversary.sees == "nothing":
            loss = _loss(game, adversary, site, teams, np.zeros(n, dtype=np.int64))
            row = np.array([rows[("max0", i, (), a)] for a in range(S)], dtype=np.int64)
            add(row[site], -loss, loss > 0.0)
        elif adversary.role == "max0":
            assert adversary.insider is not None and adversary.sees == "team"
            post = posts[:, adversary.insider]
            with_team = post == site
            cost += np.where(with_team, adversary.weight * _loss(
                game, adversary, site, teams, np.ones(n, dtype=np.int64)), 0.0)
            loss = _loss(game, adversary, site, teams, np.zeros(n, dtype=np.int64))
            table = np.full((S, S), -1, dtype=np.int64)
            for q in range(S):
                for a in range(S):
                    if a != q:
                        table[q, a] = rows[("max0", i, (q, False), a)]
            add(table[post, site], -loss, ~with_team & (loss > 0.0))
    matrix = sp.csc_matrix(
        (np.concatenate(parts_vals) if parts_vals else np.zeros(0),
         (np.concatenate(parts_rows) if parts_rows else np.zeros(0, dtype=np.int64),
          np.concatenate(parts_cols) if parts_cols else np.zeros(0, dtype=np.int64))),
        shape=(n_rows, n))
    return cost, matrix
