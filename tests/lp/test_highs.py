"""The HiGHS adapter: statuses, duals and time limits on programs solved by hand."""

import numpy as np
import pytest
import scipy.sparse as sp

from escolta.lp import HighsModel, LinearProgram, Status, solve


def test_lp_optimum_and_duals_match_hand_solution():
    # max 3x + 2y s.t. x + y <= 4, x + 3y <= 7, x <= 3: optimum at (3, 1), value 11.
    # Duals by hand: the binding rows are x + y <= 4 (dual 2) and x <= 3 (bound, reduced cost 1).
    lp = LinearProgram.from_blocks(
        np.array([3.0, 2.0]),
        A_ub=np.array([[1.0, 1.0], [1.0, 3.0]]),
        b_ub=np.array([4.0, 7.0]),
        upper=np.array([3.0, np.inf]),
        sense="max",
    )
    r = solve(lp)
    assert r.status is Status.OPTIMAL
    np.testing.assert_allclose(r.x, [3.0, 1.0], atol=1e-9)
    assert r.objective == pytest.approx(11.0)
    assert r.bound == pytest.approx(11.0)
    np.testing.assert_allclose(r.row_duals, [2.0, 0.0], atol=1e-9)


def test_infeasible_is_a_status():
    lp = LinearProgram.from_blocks(
        np.array([1.0]), A_ub=np.array([[1.0]]), b_ub=np.array([-1.0])
    )
    r = solve(lp)
    assert r.status in (Status.INFEASIBLE, Status.INFEASIBLE_OR_UNBOUNDED)
    assert r.x is None


def test_unbounded_is_a_status():
    lp = LinearProgram.from_blocks(np.array([-1.0]), lower=0.0)
    r = solve(lp)
    assert r.status in (Status.UNBOUNDED, Status.INFEASIBLE_OR_UNBOUNDED)
    assert r.x is None


def test_milp_knapsack_matches_brute_force():
    rng = np.random.default_rng(7)
    values, weights = rng.integers(1, 30, 12).astype(float), rng.integers(1, 20, 12).astype(float)
    cap = weights.sum() / 3
    best = max(
        values @ bits
        for mask in range(1 << 12)
        if weights @ (bits := np.array([(mask >> i) & 1 for i in range(12)], float)) <= cap
    )
    lp = LinearProgram.from_blocks(
        values, A_ub=weights[None, :], b_ub=np.array([cap]), upper=1.0,
        integrality=np.ones(12, bool), sense="max",
    )
    r = solve(lp)
    assert r.status is Status.OPTIMAL
    assert r.objective == pytest.approx(best)
    assert r.bound == pytest.approx(best)


def test_time_limit_returns_incumbent_or_bound():
    # A market-split style MILP that HiGHS cannot close in a few milliseconds.
    rng = np.random.default_rng(0)
    n, m = 60, 4
    A = rng.integers(0, 100, (m, n)).astype(float)
    b = np.floor(A.sum(axis=1) / 2)
    lp = LinearProgram.from_blocks(
        np.concatenate([np.zeros(n), np.ones(2 * m)]),
        A_eq=np.hstack([A, np.eye(m), -np.eye(m)]),
        b_eq=b,
        upper=np.concatenate([np.ones(n), np.full(2 * m, np.inf)]),
        integrality=np.concatenate([np.ones(n, bool), np.zeros(2 * m, bool)]),
    )
    r = solve(lp, time_limit=0.05)
    assert r.status in (Status.TIME_LIMIT, Status.OPTIMAL)
    if r.status is Status.TIME_LIMIT:
        assert r.bound is not None
        if r.x is not None:
            assert r.objective >= r.bound - 1e-9


def test_column_generation_model_adds_columns_and_rows():
    # min x0 s.t. x0 >= 1 (as -x0 <= -1 via row bounds); then a cheaper column appears.
    lp = LinearProgram(
        c=np.array([2.0]), A=sp.csr_matrix(np.array([[1.0]])),
        row_lower=np.array([1.0]), row_upper=np.array([np.inf]),
        col_lower=np.array([0.0]), col_upper=np.array([np.inf]),
    )
    m = HighsModel(lp)
    r = m.solve()
    assert r.objective == pytest.approx(2.0)
    assert r.row_duals[0] == pytest.approx(2.0)
    m.add_columns(np.array([1.0]), np.array([0.0]), np.array([np.inf]),
                  sp.csc_matrix(np.array([[1.0]])))
    assert m.solve().objective == pytest.approx(1.0)
    m.add_rows(np.array([-np.inf]), np.array([0.5]), sp.csr_matrix(np.array([[0.0, 1.0]])))
    # now x1 <= 0.5, so x0 = 0.5: cost 2*0.5 + 0.5 = 1.5
    assert m.solve().objective == pytest.approx(1.5)


def test_program_reads_back_the_model_with_what_was_added():
    """The model as HiGHS holds it after columns and rows were added, entry by entry; and a
    power-of-two objective scale (``user_objective_scale``) changes neither the stored
    costs nor the reported objective and duals (by hand: min 2 x0 + x1, x0 + x1 >= 1, x1 <=
    0.5 gives x = (0.5, 0.5), value 1.5, dual of the first row 2)."""
    lp = LinearProgram(
        c=np.array([2.0]), A=sp.csr_matrix(np.array([[1.0]])),
        row_lower=np.array([1.0]), row_upper=np.array([np.inf]),
        col_lower=np.array([0.0]), col_upper=np.array([np.inf]),
    )
    m = HighsModel(lp)
    m.add_columns(np.array([1.0]), np.array([0.0]), np.array([np.inf]),
                  sp.csc_matrix(np.array([[1.0]])))
    m.add_rows(np.array([-np.inf]), np.array([0.5]), sp.csr_matrix(np.array([[0.0, 1.0]])))
    program = m.program()
    assert program.c.tolist() == [2.0, 1.0]
    assert program.A.toarray().tolist() == [[1.0, 1.0], [0.0, 1.0]]
    assert program.row_lower.tolist() == [1.0, -np.inf]
    assert program.row_upper.tolist() == [np.inf, 0.5]
    m.set_option("user_objective_scale", 12)
    r = m.solve()
    assert r.objective == pytest.approx(1.5)
    assert r.row_duals[0] == pytest.approx(2.0)
    assert m.program().c.tolist() == [2.0, 1.0]


def test_saved_basis_restarts_branch_and_bound_without_iterations():
    """max x0 + x1 s.t. x0 + 2 x1 <= 4, x0 <= 3 (by hand: x = (3, 0.5), value 3.5). Change
    a bound (x1 <= 0: value 3), then restore the bound and the saved basis: the first basis
    is optimal again, so HiGHS needs no simplex iteration."""
    lp = LinearProgram.from_blocks(np.array([1.0, 1.0]), A_ub=np.array([[1.0, 2.0]]),
                                   b_ub=np.array([4.0]), upper=np.array([3.0, 10.0]),
                                   sense="max")
    m = HighsModel(lp)
    assert m.solve().objective == pytest.approx(3.5)
    saved = m.basis()
    m.set_column_bounds(np.array([1]), np.array([0.0]), np.array([0.0]))
    assert m.solve().objective == pytest.approx(3.0)
    m.set_column_bounds(np.array([1]), np.array([0.0]), np.array([10.0]))
    m.set_basis(saved)
    again = m.solve()
    assert again.status is Status.OPTIMAL
    assert again.objective == pytest.approx(3.5)
    assert again.iterations == 0


def test_basis_of_another_shape_is_refused():
    lp = LinearProgram.from_blocks(np.array([1.0]), A_ub=np.array([[1.0]]), b_ub=np.array([1.0]))
    m = HighsModel(lp)
    m.solve()
    saved = m.basis()
    m.add_rows(np.array([-np.inf]), np.array([2.0]), sp.csr_matrix(np.array([[1.0]])))
    with pytest.raises(ValueError, match="basis"):
        m.set_basis(saved)
