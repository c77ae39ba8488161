"""Records for the integrity tests: one filled with rows, and a way to damage it."""

from __future__ import annotations

import random
from pathlib import Path

from escolta.store import open_store
from escolta.store.record import save_scenario


def filled_record(path: Path, rows: int = 60) -> None:
    with open_store(path) as store, store.transaction() as session:
        for i in range(rows):
            save_scenario(session, f"principal: P{i}\n" + "# padding\n" * 400, f"P{i}")


def damage(path: Path, size: int = 8192, seed: int = 17) -> None:
    """Overwrite ``size`` bytes in the middle of the file, on a page boundary."""
    length = path.stat().st_size
    offset = (length // 2) // 4096 * 4096
    garbage = random.Random(seed).randbytes(size)
    with open(path, "r+b") as handle:
        handle.seek(offset)
        handle.write(garbage)
