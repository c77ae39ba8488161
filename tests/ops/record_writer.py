"""Helper process for the store tests: write rows one transaction each, report each commit.

Usage: ``python record_writer.py DB TAG COUNT``. After each commit it prints the row's label
on stdout (flushed), so the parent knows exactly which rows were committed before it kills
this process.
"""

from __future__ import annotations

import sys


def main(db: str, tag: str, count: int) -> None:
    from escolta.store import open_store
    from escolta.store.record import save_scenario

    store = open_store(db)
    for i in range(count):
        label = f"{tag}-{i}"
        with store.transaction() as session:
            # a large text so that a kill often lands inside a write
            save_scenario(session, payload(label), label)
        print(label, flush=True)


def payload(label: str) -> str:
    """The text stored under ``label`` (the parent checks it byte for byte)."""
    return f"principal: {label}\n" + ("# padding\n" * 2000)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
