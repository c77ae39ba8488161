"""``escolta keys show|rotate``: the record's sealing keys (ids only) and their rotation.

``keys rotate`` makes a new key current, re-seals every sealed value under it in one
transaction and retires the old keys; interrupted anywhere, the record still opens with the
key file as it then is, and running it again finishes (escolta.operations.keys).
"""

from __future__ import annotations

from escolta.cli.common import DbOption, JsonOption, command_group, console, esc, print_json

keys_app = command_group("keys", "The record's encryption keys (docs/design.md §11).")


def register(app: object) -> None:
    """Add ``keys`` (show, rotate) to the ``escolta`` command."""
    app.add_typer(keys_app, name="keys")  # type: ignore[attr-defined]


@keys_app.command("show")
def show_command(as_json: JsonOption = False, db: DbOption = None) -> None:
    """The sealing keys' ids, the current one, and how many values each seals."""
    from escolta.operations.keys import show
    from escolta.store import open_store

    with open_store(db) as store:
        view = show(store)
    if as_json:
        print_json(view.to_dict())
        return
    from rich.table import Table

    table = Table(title=f"Keys in {esc(view.key_file)} (no key material shown)")
    for column in ("id", "current", "values sealed"):
        table.add_column(column)
    for number in view.ids:
        table.add_row(str(number), "yes" if number == view.current else "",
                      str(view.values_by_key.get(number, 0)))
    console().print(table)


@keys_app.command("rotate")
def rotate_command(as_json: JsonOption = False, db: DbOption = None) -> None:
    """A new sealing key: every value re-sealed under it, the old keys retired."""
    from escolta.operations.keys import rotate
    from escolta.store import open_store

    with open_store(db) as store:
        done = rotate(store)
    if as_json:
        print_json(done.to_dict())
        return
    retired = ", ".join(str(i) for i in done.retired) or "none"
    console().print(f"key {done.new_key} is current: {done.resealed} values re-sealed; "
                    f"retired keys: {retired}")
