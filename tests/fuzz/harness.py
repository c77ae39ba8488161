"""Running one fuzzed command line and judging the outcome (issue 17).

Every input, however hostile, must end in one of two ways within :data:`TIME_BOUND` seconds:

- exit code 0 (a valid answer), or
- exit code 2 with exactly one line on stderr, ``escolta: error: ...``, and no traceback.

Anything else — an exception escaping :func:`escolta.cli.main.main`, another exit code, a
second line, a hang past the bound — is a failure, reported with the command line that
caused it. :data:`FIGURES` counts what was tried, refused and accepted, for the closing
note of ``make fuzz`` (printed by ``tests/fuzz/conftest.py``).
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from hypothesis import HealthCheck, settings

from escolta.cli.main import main

EXAMPLES = int(os.environ.get("ESCOLTA_FUZZ_EXAMPLES", "10"))
"""Examples per fuzz test: a few in CI, thousands under ``make fuzz``."""

TIME_BOUND = float(os.environ.get("ESCOLTA_FUZZ_SECONDS", "30"))
"""Seconds one command may take before it counts as a hang."""

FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 50,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])
"""Hypothesis settings of every fuzz test: derandomized (reproducible) in CI."""

FIGURES: Counter[str] = Counter()


class Hang(Exception):
    """The command ran past :data:`TIME_BOUND`."""


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str


@contextlib.contextmanager
def _time_bound(seconds: float) -> Iterator[None]:
    def expire(_signum: int, _frame: object) -> None:
        raise Hang(f"still running after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_cli(argv: list[str]) -> Outcome:
    """``escolta ARGV`` in-process, stdout and stderr captured, under the time bound."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            with _time_bound(TIME_BOUND):
                main(argv)
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    return Outcome(code, out.getvalue(), err.getvalue())


def check_outcome(argv: list[str], kind: str) -> Outcome:
    """Run ``argv`` and assert it answered or refused in one line; count the outcome."""
    FIGURES[f"{kind}: tried"] += 1
    try:
        outcome = run_cli(argv)
    except BaseException:
        FIGURES[f"{kind}: failures"] += 1
        raise
    shown = " ".join(a if len(a) < 80 else a[:77] + "..." for a in argv)
    if outcome.code == 0:
        FIGURES[f"{kind}: accepted"] += 1
        return outcome
    lines = outcome.err.strip("\n").split("\n")
    if not (outcome.code == 2 and len(lines) == 1 and lines[0].startswith("escolta: error: ")
            and "Traceback" not in outcome.err):
        FIGURES[f"{kind}: failures"] += 1
        raise AssertionError(f"escolta {shown}: exit {outcome.code}, stderr:\n{outcome.err}")
    FIGURES[f"{kind}: refused"] += 1
    return outcome
