"""HiGHS adapter: :class:`LinearProgram` in, :class:`LPResult` out.

A program is ``min/max c @ x`` subject to ``row_lower <= A @ x <= row_upper`` and
``col_lower <= x <= col_upper``, with optional integrality. Use ``-inf``/``inf`` for free
sides. :class:`HighsModel` keeps a HiGHS instance alive for column or row generation
(add columns, re-solve warm, read duals).
"""

from __future__ import annotations

import math
import os
import sys
import time
from dataclasses import dataclass, field
from enum import StrEnum

import highspy
import numpy as np
import scipy.sparse as sp

from escolta.errors import SolverError

INF = math.inf


class Status(StrEnum):
    """What a solve ended with. Only ``OPTIMAL`` and ``TIME_LIMIT`` carry a solution."""

    OPTIMAL = "optimal"
    TIME_LIMIT = "time_limit"
    ITERATION_LIMIT = "iteration_limit"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    INFEASIBLE_OR_UNBOUNDED = "infeasible_or_unbounded"


_STATUS = {
    highspy.HighsModelStatus.kOptimal: Status.OPTIMAL,
    highspy.HighsModelStatus.kTimeLimit: Status.TIME_LIMIT,
    highspy.HighsModelStatus.kIterationLimit: Status.ITERATION_LIMIT,
    highspy.HighsModelStatus.kInfeasible: Status.INFEASIBLE,
    highspy.HighsModelStatus.kUnbounded: Status.UNBOUNDED,
    highspy.HighsModelStatus.kUnboundedOrInfeasible: Status.INFEASIBLE_OR_UNBOUNDED,
    # an empty model (no rows, no columns) is trivially optimal
    highspy.HighsModelStatus.kModelEmpty: Status.OPTIMAL,
}


@dataclass(frozen=True)
class LinearProgram:
    """``sense`` ``c @ x`` s.t. ``row_lower <= A x <= row_upper``, ``col_lower <= x <= col_upper``.

    ``A`` may be a dense array or any SciPy sparse matrix; ``integrality`` marks integer
    columns (``None``: all continuous).
    """

    c: np.ndarray
    A: sp.spmatrix | sp.sparray | np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    integrality: np.ndarray | None = None
    sense: str = "min"

    def __post_init__(self) -> None:
        n = len(self.c)
        m = self.A.shape[0]
        if self.A.shape[1] != n and m > 0:
            raise ValueError(f"A has {self.A.shape[1]} columns, c has {n}")
        for name, size in (("row_lower", m), ("row_upper", m), ("col_lower", n), ("col_upper", n)):
            if len(getattr(self, name)) != size:
                raise ValueError(f"{name} has length {len(getattr(self, name))}, expected {size}")
        if self.sense not in ("min", "max"):
            raise ValueError(f"sense must be 'min' or 'max', got {self.sense!r}")

    @classmethod
    def from_blocks(
        cls,
        c: np.ndarray,
        *,
        A_ub: sp.spmatrix | np.ndarray | None = None,
        b_ub: np.ndarray | None = None,
        A_eq: sp.spmatrix | np.ndarray | None = None,
        b_eq: np.ndarray | None = None,
        lower: np.ndarray | float = 0.0,
        upper: np.ndarray | float = INF,
        integrality: np.ndarray | None = None,
        sense: str = "min",
    ) -> LinearProgram:
        """Build from the familiar ``A_ub x <= b_ub``, ``A_eq x == b_eq`` blocks.

        Examples
        --------
        >>> lp = LinearProgram.from_blocks(np.array([-1.0, -1.0]),
        ...     A_ub=np.array([[1.0, 2.0]]), b_ub=np.array([4.0]), upper=3.0)
        >>> r = solve(lp)
        >>> r.status, round(r.objective, 6)
        (<Status.OPTIMAL: 'optimal'>, -3.5)
        """
        c = np.asarray(c, dtype=float)
        n = len(c)
        blocks, lo, hi = [], [], []
        if A_ub is not None:
            blocks.append(sp.csr_matrix(A_ub))
            lo.append(np.full(blocks[-1].shape[0], -INF))
            hi.append(np.asarray(b_ub, dtype=float))
        if A_eq is not None:
            blocks.append(sp.csr_matrix(A_eq))
            b = np.asarray(b_eq, dtype=float)
            lo.append(b)
            hi.append(b)
        A = sp.vstack(blocks, format="csr") if blocks else sp.csr_matrix((0, n))
        return cls(
            c=c,
            A=A,
            row_lower=np.concatenate(lo) if lo else np.zeros(0),
            row_upper=np.concatenate(hi) if hi else np.zeros(0),
            col_lower=np.broadcast_to(np.asarray(lower, dtype=float), (n,)).copy(),
            col_upper=np.broadcast_to(np.asarray(upper, dtype=float), (n,)).copy(),
            integrality=None if integrality is None else np.asarray(integrality, dtype=bool),
            sense=sense,
        )


@dataclass(frozen=True)
class LPResult:
    """The outcome of one solve.

    ``x`` and ``objective`` are present when a feasible point is known (always for
    ``OPTIMAL``; for ``TIME_LIMIT`` when an incumbent exists). ``bound`` is the best proven
    bound on the optimum (the dual bound of a MILP; the objective itself for an optimal LP).
    ``row_duals`` are given for continuous problems solved to optimality.
    """

    status: Status
    x: np.ndarray | None
    objective: float | None
    bound: float | None
    seconds: float
    row_duals: np.ndarray | None = None
    col_duals: np.ndarray | None = None
    gap: float | None = None
    nodes: int = 0
    iterations: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def has_solution(self) -> bool:
        return self.x is not None


_banner_shown = False


def _quiet_highs() -> highspy.Highs:
    """A Highs instance; the first one in a process prints a banner on C stdout, which would
    corrupt ``--json`` output, so that one is built with file descriptor 1 pointed away."""
    global _banner_shown
    if _banner_shown:
        return highspy.Highs()
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            h = highspy.Highs()
            h.setOptionValue("output_flag", False)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    _banner_shown = True
    return h


def _new_highs(time_limit: float | None, mip_rel_gap: float, threads: int | None) -> highspy.Highs:
    h = _quiet_highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", mip_rel_gap)
    if time_limit is not None:
        if not time_limit > 0:
            raise ValueError(f"time_limit must be positive, got {time_limit}")
        h.setOptionValue("time_limit", float(time_limit))
    if threads is not None:
        h.setOptionValue("threads", int(threads))
    return h


def _highs_lp(lp: LinearProgram) -> highspy.HighsLp:
    A = sp.csc_matrix(lp.A, dtype=float)
    A.sum_duplicates()
    A.sort_indices()
    model = highspy.HighsLp()
    model.num_col_ = len(lp.c)
    model.num_row_ = A.shape[0]
    model.col_cost_ = np.asarray(lp.c, dtype=float)
    model.col_lower_ = np.asarray(lp.col_lower, dtype=float)
    model.col_upper_ = np.asarray(lp.col_upper, dtype=float)
    model.row_lower_ = np.asarray(lp.row_lower, dtype=float)
    model.row_upper_ = np.asarray(lp.row_upper, dtype=float)
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.num_col_ = len(lp.c)
    model.a_matrix_.num_row_ = A.shape[0]
    model.a_matrix_.start_ = A.indptr.astype(np.int32)
    model.a_matrix_.index_ = A.indices.astype(np.int32)
    model.a_matrix_.value_ = A.data
    model.sense_ = highspy.ObjSense.kMaximize if lp.sense == "max" else highspy.ObjSense.kMinimize
    if lp.integrality is not None and np.any(lp.integrality):
        model.integrality_ = [
            highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous
            for flag in lp.integrality
        ]
    return model


def _result(h: highspy.Highs, is_mip: bool, started: float) -> LPResult:
    raw = h.getModelStatus()
    status = _STATUS.get(raw)
    if status is None:
        raise SolverError(f"HiGHS failed: {h.modelStatusToString(raw)}")
    info = h.getInfo()
    seconds = time.perf_counter() - started
    has_point = info.primal_solution_status == 2  # kSolutionStatusFeasible
    if raw == highspy.HighsModelStatus.kModelEmpty:
        has_point = True
    x = objective = bound = duals = col_duals = gap = None
    if has_point and status in (Status.OPTIMAL, Status.TIME_LIMIT, Status.ITERATION_LIMIT):
        sol = h.getSolution()
        x = np.asarray(sol.col_value, dtype=float)
        objective = float(info.objective_function_value)
        if is_mip:
            bound = float(info.mip_dual_bound)
            gap = float(info.mip_gap)
        elif status is Status.OPTIMAL:
            bound = objective
            duals = np.asarray(sol.row_dual, dtype=float)
            col_duals = np.asarray(sol.col_dual, dtype=float)
    elif is_mip and status is Status.TIME_LIMIT:
        bound = float(info.mip_dual_bound)
    if status is Status.OPTIMAL and x is None:
        raise SolverError("HiGHS reported optimal without a feasible solution")
    return LPResult(
        status=status,
        x=x,
        objective=objective,
        bound=bound,
        seconds=seconds,
        row_duals=duals,
        col_duals=col_duals,
        gap=gap,
        nodes=int(getattr(info, "mip_node_count", 0) or 0) if is_mip else 0,
        iterations=int(getattr(info, "simplex_iteration_count", 0) or 0),
    )


def solve(
    lp: LinearProgram,
    *,
    time_limit: float | None = None,
    mip_rel_gap: float = 1e-9,
    threads: int | None = None,
    presolve: bool = True,
) -> LPResult:
    """Solve ``lp`` with HiGHS and map the outcome to :class:`LPResult`.

    Parameters
    ----------
    lp
        The program.
    time_limit
        Seconds; on expiry the result has status ``time_limit`` with the incumbent (if any)
        and the best bound.
    mip_rel_gap
        Relative gap at which a MILP counts as solved (HiGHS default is 1e-4; ours is tight
        because equilibrium values are compared to 1e-6).
    threads
        HiGHS threads (default: HiGHS's choice).
    presolve
        Whether HiGHS presolves (``False``: for a model its presolve is known to get wrong).

    Raises
    ------
    SolverError
        HiGHS failed to load or solve the model for a reason that is not a model status.
    """
    started = time.perf_counter()
    h = _new_highs(time_limit, mip_rel_gap, threads)
    if not presolve:
        h.setOptionValue("presolve", "off")
    if h.passModel(_highs_lp(lp)) == highspy.HighsStatus.kError:
        raise SolverError("HiGHS rejected the model")
    if h.run() == highspy.HighsStatus.kError:
        raise SolverError(f"HiGHS failed: {h.modelStatusToString(h.getModelStatus())}")
    is_mip = lp.integrality is not None and bool(np.any(lp.integrality))
    return _result(h, is_mip, started)


class HighsModel:
    """A live continuous LP for column or row generation.

    Examples
    --------
    >>> m = HighsModel(LinearProgram.from_blocks(np.array([1.0]),
    ...     A_eq=np.array([[1.0]]), b_eq=np.array([1.0])))
    >>> round(m.solve().objective, 6)
    1.0
    >>> m.add_columns(np.array([0.5]), np.array([0.0]), np.array([INF]),
    ...     sp.csc_matrix(np.array([[1.0]])))
    >>> round(m.solve().objective, 6)
    0.5
    """

    def __init__(
        self, lp: LinearProgram, *, time_limit: float | None = None, threads: int | None = None
    ) -> None:
        if lp.integrality is not None and np.any(lp.integrality):
            raise ValueError("HighsModel is for continuous programs")
        self._h = _new_highs(time_limit, 1e-9, threads)
        if self._h.passModel(_highs_lp(lp)) == highspy.HighsStatus.kError:
            raise SolverError("HiGHS rejected the model")

    def set_option(self, name: str, value: bool | int | float | str) -> None:
        """Set a HiGHS option, e.g. ``simplex_strategy`` 4 (primal simplex: the natural warm
        start when columns are added to an optimal basis)."""
        if self._h.setOptionValue(name, value) == highspy.HighsStatus.kError:
            raise ValueError(f"HiGHS refused the option {name} = {value!r}")

    def limit_next_solve(self, seconds: float | None) -> None:
        """Let the next :meth:`solve` run at most ``seconds`` (``None``: no limit). HiGHS
        counts its ``time_limit`` over every run of the instance, so this adds the time
        already run."""
        limit = INF if seconds is None else float(self._h.getRunTime()) + max(seconds, 0.01)
        self.set_option("time_limit", limit)

    @property
    def num_columns(self) -> int:
        return int(self._h.getNumCol())

    @property
    def num_rows(self) -> int:
        return int(self._h.getNumRow())

    def add_columns(
        self,
        cost: np.ndarray,
        lower: np.ndarray,
        upper: np.ndarray,
        columns: sp.spmatrix | sp.sparray,
    ) -> None:
        """Append columns; ``columns`` has one column per new variable, rows as the model."""
        cols = sp.csc_matrix(columns, dtype=float)
        cols.sum_duplicates()
        if cols.shape[0] != self.num_rows:
            raise ValueError(f"columns have {cols.shape[0]} rows, model has {self.num_rows}")
        status = self._h.addCols(
            len(cost),
            np.asarray(cost, dtype=float),
            np.asarray(lower, dtype=float),
            np.asarray(upper, dtype=float),
            cols.nnz,
            cols.indptr[:-1].astype(np.int32),
            cols.indices.astype(np.int32),
            cols.data,
        )
        if status == highspy.HighsStatus.kError:
            raise SolverError("HiGHS refused the new columns")

    def add_rows(
        self, lower: np.ndarray, upper: np.ndarray, rows: sp.spmatrix | sp.sparray
    ) -> None:
        """Append rows; ``rows`` has one row per constraint, columns as the model."""
        r = sp.csr_matrix(rows, dtype=float)
        r.sum_duplicates()
        if r.shape[1] != self.num_columns:
            raise ValueError(f"rows have {r.shape[1]} columns, model has {self.num_columns}")
        status = self._h.addRows(
            len(lower),
            np.asarray(lower, dtype=float),
            np.asarray(upper, dtype=float),
            r.nnz,
            r.indptr[:-1].astype(np.int32),
            r.indices.astype(np.int32),
            r.data,
        )
        if status == highspy.HighsStatus.kError:
            raise SolverError("HiGHS refused the new rows")

    def set_column_bounds(
        self, indices: np.ndarray, lower: np.ndarray, upper: np.ndarray
    ) -> None:
        """Change the bounds of some columns (branch and bound on a live model)."""
        idx = np.asarray(indices, dtype=np.int32)
        status = self._h.changeColsBounds(
            len(idx), idx, np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
        )
        if status == highspy.HighsStatus.kError:
            raise SolverError("HiGHS refused the new column bounds")

    def set_row_bounds(self, indices: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
        """Change the bounds of some rows (switch constraints on and off in a live model)."""
        idx = np.asarray(indices, dtype=np.int32)
        status = self._h.changeRowsBounds(
            len(idx), idx, np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
        )
        if status == highspy.HighsStatus.kError:
            raise SolverError("HiGHS refused the new row bounds")

    def set_costs(self, indices: np.ndarray, cost: np.ndarray) -> None:
        """Change the objective coefficients of some columns."""
        idx = np.asarray(indices, dtype=np.int32)
        status = self._h.changeColsCost(len(idx), idx, np.asarray(cost, dtype=float))
        if status == highspy.HighsStatus.kError:
            raise SolverError("HiGHS refused the new costs")

    def program(self) -> LinearProgram:
        """The model as it stands (columns and rows added so far), read back from HiGHS."""
        lp = self._h.getLp()
        matrix = lp.a_matrix_
        shape = (int(lp.num_row_), int(lp.num_col_))
        data = (np.asarray(matrix.value_, dtype=float), np.asarray(matrix.index_),
                np.asarray(matrix.start_))
        A = (sp.csc_matrix(data, shape=shape) if matrix.format_ == highspy.MatrixFormat.kColwise
             else sp.csr_matrix(data, shape=shape).tocsc())
        return LinearProgram(c=np.asarray(lp.col_cost_, dtype=float), A=A,
                             row_lower=np.asarray(lp.row_lower_, dtype=float),
                             row_upper=np.asarray(lp.row_upper_, dtype=float),
                             col_lower=np.asarray(lp.col_lower_, dtype=float),
                             col_upper=np.asarray(lp.col_upper_, dtype=float))

    def basis(self) -> highspy.HighsBasis:
        """The current simplex basis (an opaque copy, for :meth:`set_basis`)."""
        return self._h.getBasis()

    def set_basis(self, basis: highspy.HighsBasis) -> None:
        """Restart from a basis saved by :meth:`basis` on this model (same rows and columns),
        e.g. a branch and bound node's parent's."""
        if len(basis.row_status) != self.num_rows or len(basis.col_status) != self.num_columns:
            raise ValueError("the basis does not fit the model's rows and columns")
        if self._h.setBasis(basis) == highspy.HighsStatus.kError:
            raise SolverError("HiGHS refused the basis")

    def clear_solver(self) -> None:
        """Forget the basis and factorization: the next :meth:`solve` starts cold."""
        self._h.clearSolver()

    def solve(self) -> LPResult:
        """Re-solve (warm from the last basis) and return the result with duals."""
        started = time.perf_counter()
        if self._h.run() == highspy.HighsStatus.kError:
            raise SolverError(
                f"HiGHS failed: {self._h.modelStatusToString(self._h.getModelStatus())}"
            )
        return _result(self._h, False, started)
