"""``escolta audit verify|show``: check the audit chain, read its entries.

``audit verify`` exits 0 when every entry's HMAC and link are intact, and otherwise exits 1
naming the first entry that was edited, deleted or reordered (docs/design.md §11).
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from escolta.cli.common import DbOption, JsonOption, command_group, console, esc

audit_app = command_group("audit", "The audit chain (docs/design.md §11).")


def register(app: typer.Typer) -> None:
    """Add ``audit`` (verify, show) to the ``escolta`` command."""
    app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def verify_command(as_json: JsonOption = False, db: DbOption = None) -> None:
    """Recompute the chain; exit 1 naming the first bad entry."""
    from escolta.security.keyfile import load_key
    from escolta.store import audit, open_store

    with open_store(db) as store, store.transaction() as session:
        result = audit.verify(session, load_key(store.path))
    if as_json:
        sys.stdout.write(json.dumps({"entries": result.entries, "intact": result.intact,
                                     "first_bad_seq": result.first_bad_seq,
                                     "reason": result.reason}) + "\n")
    elif result.intact:
        console().print(f"audit chain intact: {result.entries} entries")
    else:
        console(stderr=True).print(
            f"audit chain broken at entry {result.first_bad_seq}: {esc(result.reason)}")
    if not result.intact:
        raise typer.Exit(1)


@audit_app.command("show")
def show_command(
    last: Annotated[int, typer.Option("--last", help="How many entries, newest last.")] = 50,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """The last entries of the audit log."""
    from escolta.errors import InputError
    from escolta.store import audit, open_store

    if not 1 <= last <= audit.SHOW_LIMIT:
        raise InputError("--last", last, f"must be 1 to {audit.SHOW_LIMIT}")
    with open_store(db) as store, store.transaction() as session:
        entries = audit.entries(session, last)
    if as_json:
        sys.stdout.write(json.dumps({"entries": [e.to_dict() for e in entries]}, indent=2)
                         + "\n")
        return
    from rich.table import Table

    table = Table(title="Audit log")
    for column in ("seq", "time (UTC)", "actor", "action", "target", "outcome"):
        table.add_column(column)
    for e in entries:
        table.add_row(str(e.seq), e.timestamp[:19], esc(e.actor), esc(e.action),
                      esc(e.target), esc(e.outcome))
    console().print(table)
