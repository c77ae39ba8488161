"""The fuzz suite's closing figures: inputs tried, refused, accepted, failures."""

from __future__ import annotations

import json
import os

import pytest

from .harness import EXAMPLES, FIGURES


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not FIGURES:
        return
    terminalreporter.section(f"fuzz figures ({EXAMPLES} examples per test)")
    for key in sorted(FIGURES):
        terminalreporter.write_line(f"{key:45s} {FIGURES[key]:>8,}")
    target = os.environ.get("ESCOLTA_FUZZ_FIGURES")
    if target:
        with open(target, "w", encoding="utf-8") as handle:
            json.dump(dict(sorted(FIGURES.items())), handle, indent=2)
