"""``escolta serve``: the operations centre on uvicorn, over the same record as the CLI.

``--chief NAME`` first gives the chief NAME a fresh one-time password (creating the user if
needed) and prints it once with the address: this is what ``make serve`` does. The chief
must change it at the first sign-in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from escolta.cli.common import DbOption, console, esc


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the ``escolta`` command."""
    app.command("serve")(serve_command)


def _chief_password(db: Path | None, name: str) -> str:
    from sqlalchemy import select

    from escolta.operations.users import add_user, set_password
    from escolta.security.keyfile import load_key
    from escolta.security.passwords import fresh_password
    from escolta.store import open_store
    from escolta.store.models import UserRow

    password = fresh_password()
    with open_store(db) as store, store.transaction() as session:
        key = load_key(store.path)
        row = session.scalars(select(UserRow).where(UserRow.name == name)).first()
        if row is None:
            add_user(session, key, name=name, role="chief", password=password, actor="serve",
                     one_time=True)
        elif row.role != "chief":
            from escolta.errors import InputError

            raise InputError("--chief", name, f"is a {row.role}, not a chief")
        else:
            set_password(session, key, name, password, actor="serve", one_time=True)
    return password


def serve_command(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
    chief: Annotated[str | None, typer.Option(
        "--chief", help="Give this chief a fresh one-time password, printed once.")] = None,
    secure_cookies: Annotated[bool, typer.Option(
        "--secure-cookies", help="Mark cookies Secure (when served behind TLS).")] = False,
    db: DbOption = None,
) -> None:
    """Run the operations centre (FastAPI on uvicorn); Ctrl-C stops it."""
    from escolta.errors import InputError

    if not 0 < port < 65536:
        raise InputError("--port", port, "must be 1 to 65535")
    import uvicorn

    from escolta.web.app import create_app
    from escolta.web.settings import CONCURRENCY_LIMIT, Settings

    settings = Settings.from_env(db, **({"secure_cookies": True} if secure_cookies else {}))
    app = create_app(settings)
    password = None if chief is None else _chief_password(db, chief)
    out = console()
    out.print(f"escolta operations centre on http://{host}:{port}/ (record "
              f"{esc(app.state.store.path)})")
    if password is not None:
        out.print(f"sign in as {esc(chief)} (chief) with the one-time password {password} "
                  "(you will be asked to change it)")
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False,
                limit_concurrency=CONCURRENCY_LIMIT)
