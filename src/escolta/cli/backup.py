"""``escolta backup DEST`` and ``escolta restore BACKUP``: copies of the record.

The logic is in :mod:`escolta.operations.backup`; this module parses options and prints.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console

from escolta.operations.backup import backup_record, restore_record
from escolta.store import open_store

DbOption = Annotated[
    str | None, typer.Option("--db", help="The record (default: ESCOLTA_DB or per-user file).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON only, on stdout.")]


def register(app: typer.Typer) -> None:
    """Add ``backup`` and ``restore`` to the ``escolta`` command."""
    app.command("backup")(backup_command)
    app.command("restore")(restore_command)


def backup_command(
    destination: Annotated[str, typer.Argument(metavar="DEST",
                                               help="The new backup file (never overwritten).")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Copy the record to DEST (SQLite online backup; consistent while others write)."""
    with open_store(db) as store:
        copy = backup_record(store, destination)
    if as_json:
        print(json.dumps(copy.to_dict()))
        return
    Console(highlight=False).print(
        f"backed up {copy.record} to {copy.backup} ({copy.size_bytes:,} bytes, checked)",
        markup=False)


def restore_command(
    backup: Annotated[str, typer.Argument(metavar="BACKUP",
                                          help="A file written by `escolta backup`.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Put BACKUP in place of the record; the file it replaces is kept aside, not deleted."""
    restored = restore_record(backup, db)
    if as_json:
        print(json.dumps(restored.to_dict()))
        return
    console = Console(highlight=False)
    console.print(f"restored {restored.record} from {restored.backup}", markup=False)
    if restored.kept_aside is not None:
        console.print(f"the file it replaced is kept as {restored.kept_aside}", markup=False)
