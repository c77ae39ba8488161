"""PairTable against the tuple of Pair objects it replaces, and export_pairs against the
pair-by-pair loop it replaced (both written out here as the reference)."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from escolta.errors import InputError
from escolta.protect.nightly.export import export_pairs
from escolta.protect.pair_table import MAX_JOINT_NIGHTS, Pair, PairTable
from escolta.protect.plan import Night, Plan, SolverInfo

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
    table = export_pairs(reduced, origin)
    expected = _export_pair_by_pair(reduced, origin)
    assert len(table) == len(expected)
    assert [(q.yesterday, q.tonight) for q in table] == [(q.yesterday, q.tonight)
                                                        for q in expected]
    np.testing.assert_allclose(table.p, [q.p for q in expected], rtol=1e-15, atol=0)
