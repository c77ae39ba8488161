"""PairTable against the tuple of Pair objects it replaces, and export_pairs and
reduced_pairs against the loops they replaced (written out here as the reference)."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Hashable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scenarios import random_scenario

from escolta.errors import InputError
from escolta.protect.nightly import _all_columns
from escolta.protect.nightly.export import ReducedPairs, export_pairs, reduced_pairs
from escolta.protect.nightly.reduce import Column, Feature, ReducedGame, reduce_scenario
from escolta.protect.pair_table import MAX_JOINT_NIGHTS, Pair, PairTable
from escolta.protect.plan import Night, Plan, SolverInfo
from escolta.protect.scenario import load_scenario

N = 6
pairs_st = st.lists(st.builds(Pair, st.integers(0, N - 1), st.integers(0, N - 1),
                              st.floats(0, 1)), max_size=30)


@settings(max_examples=60, deadline=None)
@given(pairs_st)
def test_table_is_the_sequence_of_its_pairs(pairs: list[Pair]) -> None:
    table = PairTable.from_pairs(pairs)
    assert len(table) == len(pairs)
    assert list(table) == pairs
    assert [table[k] for k in range(len(pairs))] == pairs
    assert table == tuple(pairs) and table == pairs
    assert list(table[1:4]) == pairs[1:4]
    assert table.triples() == [(q.yesterday, q.tonight, q.p) for q in pairs]
    assert table.to_dicts() == [q.to_dict() for q in pairs]


@settings(max_examples=60, deadline=None)
@given(pairs_st, st.lists(st.integers(0, 2), min_size=N, max_size=N))
def test_joint_and_grouped_add_up_pair_by_pair(pairs: list[Pair], group: list[int]) -> None:
    table = PairTable.from_pairs(pairs)
    joint = np.zeros((N, N))
    by_group = np.zeros((3, 3))
    for q in pairs:
        joint[q.yesterday, q.tonight] += q.p
        by_group[group[q.yesterday], group[q.tonight]] += q.p
    np.testing.assert_allclose(table.joint(N), joint, atol=1e-15)
    np.testing.assert_allclose(table.grouped(group, 3), by_group, atol=1e-15)


def test_tables_are_read_only_and_checked() -> None:
    table = PairTable([0, 1], [1, 0], [0.5, 0.5])
    with pytest.raises(ValueError):
        table.p[0] = 1.0
    with pytest.raises(InputError, match=r"plan.pairs.*index outside nights 0\.\.0"):
        table.joint(1)
    with pytest.raises(InputError, match="plan.nights"):
        table.joint(MAX_JOINT_NIGHTS + 1)
    with pytest.raises(InputError, match="three equal 1-d arrays"):
        PairTable([0], [0, 1], [1.0])


def test_plan_keeps_pairs_as_a_table_through_json() -> None:
    nights = tuple(Night(0.5, site, 1, {}) for site in ("a", "b"))
    plan = Plan(risk=0.1, adversaries={}, site_probability={"a": 0.5, "b": 0.5}, nights=nights,
                pairs=(Pair(0, 1, 0.5), Pair(1, 0, 0.5)),
                solver=SolverInfo("optimal", 0.0, 0.1))
    assert isinstance(plan.pairs, PairTable)
    again = Plan.from_dict(plan.to_dict())
    assert isinstance(again.pairs, PairTable) and again.pairs == plan.pairs
    np.testing.assert_allclose(again.transition_matrix(), [[0.0, 1.0], [1.0, 0.0]])


def _export_pair_by_pair(pairs: list[tuple[int, int, float]], origin: list[int]) -> list[Pair]:
    """The loop export_pairs replaced: each reduced pair spread uniformly over its nights."""
    nights_of: dict[int, list[int]] = defaultdict(list)
    for n, i in enumerate(origin):
        nights_of[i].append(n)
    out = []
    for i, j, q in pairs:
        if not nights_of[i] or not nights_of[j]:
            continue  # a reduced night with no exported night holds no pair
        share = q / (len(nights_of[i]) * len(nights_of[j]))
        out.extend(Pair(a, b, share) for a in nights_of[i] for b in nights_of[j])
    return out


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=6).flatmap(
    lambda sizes: st.tuples(
        st.just(sizes),
        st.lists(st.tuples(st.integers(0, len(sizes) - 1), st.integers(0, len(sizes) - 1),
                           st.floats(0, 1)), max_size=12))))
def test_export_pairs_matches_the_loop(case: tuple[list[int], list[tuple[int, int, float]]]
                                       ) -> None:
    sizes, reduced = case
    origin = [i for i, size in enumerate(sizes) for _ in range(size)]
    table = export_pairs(ReducedPairs.of(reduced), origin)
    expected = _export_pair_by_pair(reduced, origin)
    assert len(table) == len(expected)
    assert [(q.yesterday, q.tonight) for q in table] == [(q.yesterday, q.tonight)
                                                        for q in expected]
    np.testing.assert_allclose(table.p, [q.p for q in expected], rtol=1e-15, atol=0)


blocks_st = st.lists(st.integers(0, 3), min_size=1, max_size=5).flatmap(
    lambda sizes: st.tuples(
        st.just(sizes),
        st.lists(st.tuples(st.integers(0, len(sizes) - 1), st.integers(0, len(sizes) - 1),
                           st.floats(0, 1)), max_size=10)))


@settings(max_examples=80, deadline=None)
@given(blocks_st, st.randoms(use_true_random=False))
def test_blocks_are_their_pairs_written_out(case: tuple[list[int], list[tuple[int, int, float]]],
                                            rng) -> None:
    """A table in blocks against its pairs written out by the loop above: the same pairs,
    joint, law by groups (one group per run, and any groups), JSON in either form."""
    sizes, reduced = case
    origin = [i for i, size in enumerate(sizes) for _ in range(size)]
    y, t, q = ([r[k] for r in reduced] for k in range(3))
    table = PairTable.from_blocks(sizes, y, t, q)
    listed = PairTable.from_pairs(_export_pair_by_pair(reduced, origin))
    assert table.in_blocks and len(table) == len(listed)
    assert [(a.yesterday, a.tonight) for a in table] == [(a.yesterday, a.tonight)
                                                        for a in listed]
    np.testing.assert_allclose(table.p, listed.p, rtol=1e-15, atol=0)
    n = len(origin)
    np.testing.assert_allclose(table.joint(n + 1), listed.joint(n + 1), atol=1e-15)
    for groups in (origin, [rng.randrange(3) for _ in range(n)]):
        np.testing.assert_allclose(table.grouped(groups, max(len(sizes), 3)),
                                   listed.grouped(groups, max(len(sizes), 3)), atol=1e-15)
    again = PairTable.from_json(table.to_json())
    np.testing.assert_allclose(again.joint(n), table.joint(n), atol=1e-15)


def test_big_tables_keep_their_blocks_in_json(monkeypatch) -> None:
    from json_evaluator import listed_pairs

    import escolta.protect.pair_table as module

    table = PairTable.from_blocks([2, 3], [0, 1], [1, 0], [0.5, 0.5])
    assert isinstance(table.to_json(), list)  # 12 pairs: listed
    monkeypatch.setattr(module, "LISTED_PAIRS", 5)
    data = table.to_json()
    assert data == {"block_sizes": [2, 3], "blocks": [{"yesterday": 0, "tonight": 1, "p": 0.5},
                                                      {"yesterday": 1, "tonight": 0, "p": 0.5}]}
    again = PairTable.from_json(data)
    assert again.in_blocks and again == table
    assert [(q["yesterday"], q["tonight"], q["p"]) for q in listed_pairs(data)] == \
        table.triples()
    with pytest.raises(InputError, match="plan.pairs.blocks"):
        PairTable.from_blocks([2], [0], [1], [1.0])
    with pytest.raises(InputError, match="plan.pairs.block_sizes"):
        PairTable.from_blocks([-1], [], [], [])
    with pytest.raises(InputError, match="plan.pairs"):
        PairTable.from_json({"blocks": []})
    with pytest.raises(InputError, match=r"index outside nights 0\.\.3"):
        table.joint(4)


def test_a_plan_refuses_blocks_past_its_nights_before_listing_them() -> None:
    """A hostile export: one block of 10^9 x 10^9 pairs over a plan of two nights is refused
    in one line, without listing a pair."""
    data = {"risk": 0.1, "adversaries": {}, "site_probability": {"a": 1.0},
            "nights": [{"p": 0.5, "site": "a", "room": 1, "posts": {}}] * 2,
            "pairs": {"block_sizes": [10**9], "blocks": [{"yesterday": 0, "tonight": 0,
                                                          "p": 1.0}]},
            "solver": {"status": "optimal", "seconds": 0.0, "lower_bound": 0.1}}
    with pytest.raises(InputError, match=r"index outside nights 0\.\.1"):
        Plan.from_dict(data)


def _reduced_pairs_by_loop(game: ReducedGame, columns: list[Column], x: np.ndarray,
                           law: dict[tuple[Hashable, Feature], float]
                           ) -> list[tuple[int, int, float]]:
    """The loop reduced_pairs replaced: q(i, j) = x_i · J(c_i, f_j) / Σ_f J(c_i, f) · x_j /
    P_f(f_j), term by term."""
    classes = [game.night_class(c) for c in columns]
    features = [game.feature(c) for c in columns]
    p_feature: dict[Feature, float] = defaultdict(float)
    for f, p in zip(features, x, strict=True):
        p_feature[f] += p
    out = []
    for i, (y, p_i) in enumerate(zip(classes, x, strict=True)):
        row = {f: v for (c, f), v in law.items() if c == y and f in p_feature}
        total = sum(row.values())
        for j, f in enumerate(features):
            if total > 0.0 and row.get(f, 0.0) > 0.0:
                out.append((i, j, p_i * (row[f] / total) * x[j] / p_feature[f]))
    return out


@pytest.mark.parametrize("seed", range(12))
def test_reduced_pairs_match_the_loop(seed: int) -> None:
    rng = np.random.default_rng(seed)
    scenarios = (random_scenario(random.Random(1000 * seed + k), max_sites=4, max_teams=3)
                 for k in range(200))
    games = (reduce_scenario(load_scenario(data)) for data in scenarios)
    game, every = next((g, columns) for g in games if g.history_matters
                       and len(columns := _all_columns(g)) >= 6)
    columns = [every[k] for k in rng.choice(len(every), min(len(every), 9), replace=False)]
    x = rng.dirichlet(np.ones(len(columns)))
    classes = list(dict.fromkeys(game.night_class(c) for c in every))
    features = list(dict.fromkeys(game.feature(c) for c in every))
    # J on a random subset of every class x feature, some of it outside the kept support
    law = {(y, f): float(rng.random()) for y in classes for f in features
           if rng.random() < 0.6}
    chain = reduced_pairs(game, columns, x, law)
    expected = _reduced_pairs_by_loop(game, columns, x, law)
    assert len(expected) > len(columns)  # the law is not trivial
    assert list(zip(chain.i.tolist(), chain.j.tolist(), strict=True)) == [
        (i, j) for i, j, _ in expected]
    np.testing.assert_allclose(chain.q, [q for _, _, q in expected], rtol=1e-14, atol=0)
