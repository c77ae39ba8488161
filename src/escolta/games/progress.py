"""The progress bar of the games' long solvers (``hbgs``, ``levels``, ``aspen``): Rich, on
stderr, shown only once a solve has run for a while, and never over a caller's own live
display."""

from __future__ import annotations

import sys

INF = float("inf")
PROGRESS_AFTER = 1.0
"""Seconds before a progress bar appears (on stderr)."""


class SolveProgress:
    """A Rich progress bar on stderr for a branch and bound: incumbent, bound, nodes.

    Parameters
    ----------
    time_limit
        Seconds; the bar also moves with the time spent.
    enabled
        ``False`` shows nothing.
    label
        The solver's name, written before the bar.
    after
        Seconds of solving before the bar appears.
    """

    def __init__(self, time_limit: float | None, enabled: bool, label: str = "hbgs",
                 after: float = PROGRESS_AFTER) -> None:
        self._enabled = enabled
        self._label = label
        self._time_limit = time_limit
        self._after = after
        self._bar = None
        self._task = None

    def update(self, elapsed: float, incumbent: float, bound: float, nodes: int) -> None:
        """Show the state after ``elapsed`` seconds; ``bound=inf`` while HiGHS's branch and
        cut runs without reporting back."""
        if not self._enabled or elapsed < self._after:
            return
        if self._bar is None:
            from rich.console import Console
            from rich.errors import LiveError
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self._bar = Progress(
                TextColumn(self._label), BarColumn(), TextColumn("{task.description}"),
                TimeElapsedColumn(), console=Console(file=sys.stderr), transient=True,
            )
            try:
                self._bar.start()
            except LiveError:  # a caller's own live display (e.g. a spinner) is showing
                self._bar, self._enabled = None, False
                return
            self._task = self._bar.add_task("", total=1.0)
        if bound == INF:  # HiGHS's branch and cut runs without reporting back
            self._bar.update(self._task, description=f"best {incumbent:.6g}, HiGHS branch "
                             "and cut running")
            return
        gap = bound - incumbent
        scale = max(1.0, abs(bound))
        done = 1.0 - min(1.0, max(0.0, gap / scale))
        if self._time_limit is not None:
            done = max(done, min(1.0, elapsed / self._time_limit))
        self._bar.update(
            self._task, completed=done,
            description=f"best {incumbent:.6g}  bound {bound:.6g}  nodes {nodes}",
        )

    def close(self) -> None:
        """Take the bar down (it is transient)."""
        if self._bar is not None:
            self._bar.stop()
