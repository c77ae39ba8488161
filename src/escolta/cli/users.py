"""``escolta users add|list|remove``: who may sign in to the operations centre, and as what.

``users add`` takes the password from stdin with ``--password-stdin``; otherwise it makes a
fresh one-time password from the OS CSPRNG and prints it once. ``--totp`` adds a TOTP secret
(RFC 6238) and prints its provisioning URI for an authenticator app.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from escolta.cli.common import DbOption, JsonOption, command_group, console, esc
from escolta.errors import InputError

users_app = command_group(
    "users", "People who sign in to the operations centre (docs/design.md §11).")


def register(app: typer.Typer) -> None:
    """Add ``users`` (add, list, remove) to the ``escolta`` command."""
    app.add_typer(users_app, name="users")


@users_app.command("add")
def add_command(
    name: Annotated[str, typer.Argument(help="The sign-in name.")],
    role: Annotated[str, typer.Option("--role", help="chief, planner, officer or auditor.")],
    person: Annotated[str | None, typer.Option(
        "--person", help="An officer's person of the staff.")] = None,
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="Read the password from stdin (one line).")] = False,
    totp: Annotated[bool, typer.Option("--totp", help="Also require a TOTP code.")] = False,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Add a user; without --password-stdin a one-time password is printed once (to be
    changed at the first sign-in)."""
    from escolta.operations.users import add_user
    from escolta.security.keyfile import load_key
    from escolta.security.passwords import fresh_password
    from escolta.store import open_store

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise InputError("--password-stdin", "", "no password on stdin")
    else:
        password = fresh_password()
    secret = None
    if totp:
        import pyotp

        secret = pyotp.random_base32()
    with open_store(db) as store, store.transaction() as session:
        user = add_user(session, load_key(store.path), name=name, role=role, person=person,
                        password=password, totp_secret=secret,
                        one_time=not password_stdin)  # printed: changed at first sign-in
    shown = {**user.to_dict()}
    if not password_stdin:
        shown["password"] = password
    if secret is not None:
        import pyotp

        shown["totp_uri"] = pyotp.TOTP(secret).provisioning_uri(name=name,
                                                               issuer_name="escolta")
    if as_json:
        sys.stdout.write(json.dumps(shown, indent=2) + "\n")
        return
    out = console()
    tied = f" (person {user.person})" if user.person else ""
    out.print(f"added {esc(user.name)}, {user.role}{esc(tied)}")
    if not password_stdin:
        out.print(f"one-time password (shown once; to be changed at the first sign-in): "
                  f"{esc(password)}")
    if secret is not None:
        out.print(f"TOTP: {esc(shown['totp_uri'])}")


@users_app.command("list")
def list_command(as_json: JsonOption = False, db: DbOption = None) -> None:
    """The users: name, role, person, whether TOTP is on."""
    from escolta.operations.users import list_users
    from escolta.store import open_store

    with open_store(db) as store, store.transaction() as session:
        users = list_users(session)
    if as_json:
        sys.stdout.write(json.dumps({"users": [u.to_dict() for u in users]}, indent=2) + "\n")
        return
    from rich.table import Table

    table = Table(title="Users")
    for column in ("name", "role", "person", "totp", "added (UTC)"):
        table.add_column(column)
    for user in users:
        table.add_row(esc(user.name), user.role, esc(user.person or "-"),
                      "yes" if user.totp else "no", user.created_at.isoformat(timespec="seconds"))
    console().print(table)


@users_app.command("remove")
def remove_command(name: Annotated[str, typer.Argument(help="The sign-in name.")],
                   db: DbOption = None) -> None:
    """Remove a user and end their sessions."""
    from escolta.operations.users import remove_user
    from escolta.security.keyfile import load_key
    from escolta.store import open_store

    with open_store(db) as store, store.transaction() as session:
        remove_user(session, load_key(store.path), name)
    console().print(f"removed {esc(name)}")
