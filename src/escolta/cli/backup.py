"""``escolta backup DEST`` and ``escolta restore BACKUP``: copies of the record.

The logic is in :mod:`escolta.operations.backup`; this module parses options and prints.
"""

from __future__ import annotations

from typing import Annotated

import typer

from escolta.cli.common import DbOption, JsonOption, console, esc, print_json


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
    from escolta.operations.backup import backup_record
    from escolta.store import open_store

    with open_store(db) as store:
        copy = backup_record(store, destination)
    if as_json:
        print_json(copy.to_dict())
        return
    console().print(f"backed up {esc(copy.record)} to {esc(copy.backup)} "
                    f"({copy.size_bytes:,} bytes, checked)")


def restore_command(
    backup: Annotated[str, typer.Argument(metavar="BACKUP",
                                          help="A file written by `escolta backup`.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Put BACKUP in place of the record; the file it replaces is kept aside, not deleted."""
    from escolta.operations.backup import restore_record

    restored = restore_record(backup, db)
    if as_json:
        print_json(restored.to_dict())
        return
    out = console()
    out.print(f"restored {esc(restored.record)} from {esc(restored.backup)}")
    if restored.kept_aside is not None:
        out.print(f"the file it replaced is kept as {esc(restored.kept_aside)}")
