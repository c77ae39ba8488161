"""The long solvers' progress bar (``escolta.games.progress``): nothing before its delay or
when disabled, a bar after it."""

from __future__ import annotations

import pytest

from escolta.games.progress import SolveProgress


@pytest.mark.parametrize(("enabled", "after", "shown"), [
    pytest.param(False, 0.0, False, id="disabled"),
    pytest.param(True, 5.0, False, id="before-its-delay"),
    pytest.param(True, 0.0, True, id="after-its-delay"),
])
def test_bar_appears_only_when_enabled_and_late(enabled: bool, after: float,
                                                shown: bool) -> None:
    bar = SolveProgress(10.0, enabled, "test", after=after)
    try:
        bar.update(1.0, incumbent=1.0, bound=2.0, nodes=3)
        bar.update(1.5, incumbent=1.0, bound=float("inf"), nodes=3)  # HiGHS running
        assert (bar._bar is not None) is shown
    finally:
        bar.close()
