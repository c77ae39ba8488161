"""What encryption at rest costs: sealing and opening one value, and a key rotation.

Per value: AES-256-GCM seal and open of a short name and of a 5 kB scenario text
(:mod:`escolta.security.sealing`), against the same text merely encoded (the floor). Per
record: ``escolta keys rotate`` (operations.keys.rotate) on an SQLite record holding
``ROWS`` sealed scenarios, and the same record's full read through the models.

Run: ``python benchmarks/bench_sealing.py [ROWS]``. Prints a table.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from escolta.security.keyfile import Keyring
from escolta.security.sealing import seal, unseal

ROOT = Path(__file__).resolve().parents[1]


def _per_call(function, repeat: int) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    for _ in range(repeat):
        function()
    return (time.perf_counter() - start) / repeat


def main(rows: int = 2000) -> None:
    ring = Keyring(os.urandom(32), 1, {1: os.urandom(32)})
    table = Table(title="Encryption at rest")
    for column in ("what", "time"):
        table.add_column(column, justify="left" if column == "what" else "right")
    text = (ROOT / "examples" / "capital.yaml").read_text()
    for label, value in (("a name (12 chars)", "praetorian-1"),
                         (f"a scenario ({len(text)} chars)", text)):
        sealed = seal(ring, value, "scenarios.text")
        floor = _per_call(lambda v=value: v.encode("utf-8").hex(), 2000)
        sealing = _per_call(lambda v=value: seal(ring, v, "scenarios.text"), 2000)
        opening = _per_call(lambda s=sealed: unseal(ring, s, "scenarios.text"), 2000)
        table.add_row(f"seal {label}", f"{sealing * 1e6:.1f} µs")
        table.add_row(f"open {label}", f"{opening * 1e6:.1f} µs")
        table.add_row(f"  (encode only, {label})", f"{floor * 1e6:.1f} µs")

    from escolta.operations.keys import rotate
    from escolta.store import open_store
    from escolta.store.record import save_scenario

    with tempfile.TemporaryDirectory() as directory:
        os.environ.pop("ESCOLTA_KEY_FILE", None)
        path = Path(directory) / "r.db"
        with open_store(path) as store, store.transaction() as session:
            for k in range(rows):
                save_scenario(session, f"# {k}\n{text}", f"scenario-{k}")
        with open_store(path) as store:
            start = time.perf_counter()
            done = rotate(store)
            seconds = time.perf_counter() - start
        table.add_row(f"keys rotate, {done.resealed} values ({rows} scenarios)",
                      f"{seconds:.2f} s")
        with open_store(path) as store, store.transaction() as session:
            from sqlalchemy import select

            from escolta.store.models import ScenarioRow

            start = time.perf_counter()
            count = len(session.scalars(select(ScenarioRow)).all())
            table.add_row(f"read {count} scenarios (opened)",
                          f"{time.perf_counter() - start:.2f} s")
    Console().print(table)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:2]))
