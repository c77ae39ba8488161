"""``levels_solve``: the driver of the ``levels`` branch and bound (see the package's
docstring): check the game, compile the kernels once, run the compiled search in slices
between looks at the clock and the progress bar, close the boxes it hands back by their
profile LPs, and hand an ill-conditioned game to ``hbgs``."""

from __future__ import annotations

import itertools
import time
from dataclasses import replace

import numpy as np

from escolta.errors import SolverError
from escolta.games.evaluate import coverage_solution
from escolta.games.hbgs import hbgs_solve
from escolta.games.levels.arrays import level_arrays
from escolta.games.levels.boxes import BoxStore
from escolta.games.levels.fit import check_levels_game
from escolta.games.levels.kernels import box_bound, coverage_value, tighten
from escolta.games.levels.profile_lp import ProfileLP, polish
from escolta.games.levels.search import CLOSE, DONE, FULL, SMALL_BOX, Search, search
from escolta.games.milp import payoff_scale
from escolta.games.model import AttackerType, SecurityGame, Solution
from escolta.games.progress import SolveProgress

INF = float("inf")
TOLERANCE = 1e-9
"""A box is closed once its bound is within this of the incumbent (payoffs scaled to [-1, 1])."""
CLOSE_AT = 2
"""A box whose types' candidate targets allow at most this many response profiles is closed
by their LPs instead of being split."""
BOXES_PER_CALL = 5_000
"""Boxes explored by one call of the compiled search between checks of the clock."""
UNREALIZED = 1e-7
"""A profile LP's coverage that the evaluator scores this much (scaled) below the LP's value
does not make the profile the response: the game is too ill-conditioned for this method (a
target where covering barely changes an attacker's payoff) and it is handed to ``hbgs``."""
MAX_CLOSE_PROFILES = 2_000
"""A narrow box with more tied response profiles than this is handed to ``hbgs`` (the number
grows as targets ** types when many targets tie for many types)."""


def levels_solve(
    game: SecurityGame, time_limit: float | None = None, *, progress: bool = True,
    close_at: int = CLOSE_AT,
) -> Solution:
    """Strong Stackelberg equilibrium of a compact Bayesian security game, exactly, by branch
    and bound over the attacker types' levels (module docstring).

    Parameters
    ----------
    game
        A security game without schedules whose attacker payoffs drop when a target is covered
        (``attacker covered < uncovered`` everywhere); any number of types.
    time_limit
        Seconds. On expiry the best coverage found is returned with ``status="time_limit"``
        and ``bound`` the best bound of the open boxes.
    progress
        Show a Rich progress bar on stderr when the solve lasts more than a second.
    close_at
        Close a box by its profile LPs once at most this many profiles remain in it.

    Returns
    -------
    Solution
        ``method="levels"``; ``params`` records the boxes explored and profile LPs solved.

    Examples
    --------
    Two targets, one guard, two attacker types who value the targets differently:

    >>> from escolta.games.model import AttackerType
    >>> def kind(name, prior, au):
    ...     return AttackerType(name, prior, defender_covered=[1.0, 1.0],
    ...                         defender_uncovered=[-1.0, -1.0],
    ...                         attacker_covered=[-1.0, -1.0], attacker_uncovered=au)
    >>> game = SecurityGame(targets=("a", "b"), resources=1,
    ...                     attacker_types=(kind("x", 0.5, [1.0, 0.5]), kind("y", 0.5, [0.5, 1.0])))
    >>> solution = levels_solve(game, progress=False)
    >>> abs(solution.defender_value) < 1e-9, solution.status
    (True, 'optimal')
    """
    check_levels_game(game)
    _compile(progress)
    started = time.perf_counter()
    try:
        return _levels(game, time_limit, progress, close_at, started)
    except _HandOver as trouble:
        left = None if time_limit is None else max(0.1, time_limit - (
            time.perf_counter() - started))
        solution = hbgs_solve(game, time_limit=left, progress=progress)
        return replace(solution, seconds=time.perf_counter() - started, params={
            **solution.params, "handed_over": f"levels: {trouble}"})


def _compile(progress: bool) -> None:
    """Compile the kernels (numba; once per installation, then loaded from its cache) on a toy
    game, saying so on stderr while it runs when ``progress`` is on."""
    if search.signatures:
        return
    toy = SecurityGame(targets=("a", "b"), resources=1, attacker_types=tuple(
        AttackerType(name, 0.5, [1.0, 2.0], [-1.0, -2.0], [-1.0, -2.0], uncovered)
        for name, uncovered in (("x", [1.0, 2.0]), ("y", [2.0, 1.0]))))
    if not progress:
        _levels(toy, None, False, CLOSE_AT, time.perf_counter())
        return
    from rich.console import Console
    from rich.errors import LiveError

    try:
        with Console(stderr=True).status("levels: compiling its kernels (first use only)…"):
            _levels(toy, None, False, CLOSE_AT, time.perf_counter())
    except LiveError:  # a caller's own live display is showing
        _levels(toy, None, False, CLOSE_AT, time.perf_counter())


class _HandOver(Exception):
    """The game is better solved by ``hbgs``: the message says why."""


def _levels(game: SecurityGame, time_limit: float | None, progress: bool, close_at: int,
            started: float) -> Solution:
    scale = payoff_scale(game)
    a = level_arrays(game, scale)
    types, n = a.au.shape
    lps = ProfileLP(a)
    best = np.array([-INF])
    best_coverage = np.zeros(n)
    profiles: set[tuple[int, ...]] = set()

    def consider(coverage: np.ndarray) -> None:
        value = coverage_value(a, a.ties, coverage)
        if value > best[0]:
            best[0] = value
            best_coverage[:] = coverage

    def close(values: np.ndarray, box: np.ndarray) -> bool:
        """Solve the LP of every profile left in a box that could still beat the incumbent;
        ``False`` (the box back in the store) if the time limit struck first."""
        choices = [np.flatnonzero(row > -INF) for row in values]
        count = int(np.prod([float(len(c)) for c in choices]))
        if count > MAX_CLOSE_PROFILES:
            raise _HandOver(f"{count} response profiles tie in a box of levels narrower than "
                            f"{SMALL_BOX:g}")
        for solved, profile in enumerate(itertools.product(*choices)):
            if (time_limit is not None and solved % 64 == 63
                    and time.perf_counter() - started > time_limit):
                store.push(float(box[2, 0]), box[0].copy(), box[1].copy())
                return False
            key = tuple(int(t) for t in profile)
            hope = float(sum(a.prior[k] * values[k, t] for k, t in enumerate(key)))
            if key in profiles or hope <= best[0] + TOLERANCE:
                continue
            profiles.add(key)
            value, coverage = lps.solve(key)
            if coverage is None:
                continue
            achieved = coverage_value(a, a.evaluator_ties, coverage)
            if achieved < value - UNREALIZED:
                raise _HandOver(f"the LP of profile {key} promises {value / scale:.9g}, its "
                                f"coverage achieves {achieved / scale:.9g} (ill-conditioned "
                                "payoffs)")
            if min(value, achieved) > best[0]:
                best[0] = min(value, achieved)
                best_coverage[:] = coverage
        return True

    consider(np.zeros(n))
    store = BoxStore(types, 1024)
    lo, hi = a.ac.max(axis=1), a.au.max(axis=1)
    root_bound = best[0]
    if tighten(a, lo, hi):
        root_bound, _, _ = box_bound(a, lo, hi, -INF)
        store.push(root_bound, lo, hi)
    closing = np.empty((types, n))
    box = np.zeros((3, types))
    timed_out = False
    bar = SolveProgress(time_limit, progress, "levels")
    try:
        while True:
            stop = search(Search(
                a, TOLERANCE, float(close_at), BOXES_PER_CALL, store.lows, store.highs,
                store.keys, store.slots, store.state, store.free, best, best_coverage, closing,
                box))
            if stop == DONE:
                break
            if stop == CLOSE and not close(closing, box):
                timed_out = True
                break
            elif stop == FULL:
                store.grow()
            elapsed = time.perf_counter() - started
            bar.update(elapsed, best[0] / scale, store.open_bound() / scale, store.explored)
            if time_limit is not None and elapsed > time_limit and store.open_bound() > -INF:
                timed_out = True
                break
    finally:
        bar.close()

    if best_coverage.sum() > a.budget + 1e-9 * max(1.0, a.budget):
        raise SolverError(f"levels: the best coverage uses {best_coverage.sum()} resources "
                          f"of {a.budget}")
    return coverage_solution(
        game, polish(game, lps, best_coverage.copy()), method="levels", started=started,
        open_bound=store.open_bound() / scale if timed_out else None,
        params={"boxes": store.explored, "profile_lps": lps.solved,
                "root_bound": root_bound / scale},
    )
