"""One thin adapter over HiGHS (``highspy``): build a linear (or mixed-integer) program,
solve it, and map HiGHS's model status to ours.

Everything else in escolta that solves an LP or MILP goes through this package, so that
status handling lives in exactly one place: infeasible, unbounded and time limits are
statuses on :class:`LPResult`; a broken backend raises :class:`escolta.errors.SolverError`.
"""

from escolta.lp.highs import HighsModel, LinearProgram, LPResult, Status, solve

__all__ = ["HighsModel", "LinearProgram", "LPResult", "Status", "solve"]
