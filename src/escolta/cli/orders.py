"""``escolta orders`` (issue the night's orders) and ``escolta trace`` (name a leak's source).

Both open the record, call :mod:`escolta.operations.orders`, and print: Rich output, or JSON
alone on stdout with ``--json``. ``--out DIR`` writes one owner-only file per person, each
through a temporary file renamed into place (docs/design.md §10, docs/orders.md).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from escolta.cli.common import DbOption, JsonOption, console, esc, print_json

if TYPE_CHECKING:
    from escolta.operations.orders import IssuedNight
    from escolta.orders.trace import Trace


def register(app: typer.Typer) -> None:
    """Add ``orders`` and ``trace`` to the ``escolta`` command."""
    app.command("orders")(orders_command)
    app.command("trace")(trace_command)


def file_name(date_text: str, person: str) -> str:
    """``2026-12-01-ana.txt``: the person's name with anything but letters, digits, ``._-``
    replaced, so no name can point outside the directory."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", person).lstrip(".") or "_"
    return f"{date_text}-{safe}.txt"


def _out_directory(out: Path) -> Path:
    from escolta.errors import InputError

    directory = out.expanduser()
    if directory.exists() and not directory.is_dir():
        raise InputError("--out", str(out), "is not a directory")
    if not directory.exists():
        if not directory.parent.is_dir():
            raise InputError("--out", str(out),
                             f"the directory {str(directory.parent)!r} does not exist")
        directory.mkdir(mode=0o700)
    return directory


def orders_command(
    date: Annotated[str | None, typer.Option("--date", help="The night, YYYY-MM-DD "
                                             "(default: today).", show_default=False)] = None,
    person: Annotated[str | None, typer.Option("--person", help="Only this person's order.",
                                               show_default=False)] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write one owner-only file per "
                                             "person into this directory.",
                                             show_default=False)] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Simulation only: draw the "
                                             "fingerprints from this seed (marked SEEDED).",
                                             show_default=False)] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Issue the night's orders from the roster: one per person on duty, need-to-know only."""
    from escolta.operations.dates import parse_date, today
    from escolta.operations.orders import night_orders
    from escolta.store import open_store

    night_date = parse_date(date, "--date", today())
    directory = _out_directory(out) if out is not None else None
    with open_store(db) as store, store.transaction() as session:
        issued = night_orders(session, night_date, person=person, seed=seed)
    written = _write(issued, directory) if directory is not None else {}
    if as_json:
        data = issued.to_dict()
        if written:
            for entry in data["orders"]:  # type: ignore[union-attr]
                entry["file"] = str(written[entry["person"]])
        print_json(data)
        return
    _show_orders(issued, written)


def _write(issued: IssuedNight, directory: Path) -> dict[str, Path]:
    from escolta.reports.exports import write_private

    return {order.person: write_private(directory / file_name(issued.date.isoformat(),
                                                              order.person),
                                        order.text, option="--out")
            for order in issued.orders}


def _show_orders(issued: IssuedNight, written: dict[str, Path]) -> None:
    from rich.table import Table

    from escolta.reports.exports import SEEDED_MARK

    out = console()
    mark = f"{esc(SEEDED_MARK)} " if issued.seeded else ""
    out.print(f"{mark}[bold]Orders for the night of {issued.date.isoformat()}[/bold]: "
                  f"{len(issued.orders)} issued, {len(issued.fresh)} for the first time")
    if written:
        directory = next(iter(written.values())).parent
        out.print(f"written to {esc(directory)}/ (owner-only)")
        table = Table("person", "team", "position", "file", "sha256")
        for order, duty in zip(issued.orders, issued.duties, strict=True):
            table.add_row(esc(order.person), esc(duty.team), esc(duty.position),
                          esc(written[order.person].name), order.text_sha256[:12])
        out.print(table)
        return
    for order in issued.orders:
        out.print(f"\n[bold]-- {esc(order.person)}[/bold]")
        out.print(order.text, markup=False, end="")


def read_leak(path: Path) -> str:
    """The text of a leak file; a missing, unreadable, binary, empty or huge one is refused."""
    from escolta.errors import InputError
    from escolta.orders.read import MAX_LEAK_CHARS

    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("LEAK_FILE", str(path), "file not found") from None
    except OSError as error:
        raise InputError("LEAK_FILE", str(path), f"cannot be read: {error.strerror}") from None
    if path.is_dir():
        raise InputError("LEAK_FILE", str(path), "is a directory")
    if size > 4 * MAX_LEAK_CHARS:
        raise InputError("LEAK_FILE", str(path),
                         f"is {size} bytes, more than the {4 * MAX_LEAK_CHARS} read")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError("LEAK_FILE", str(path), f"cannot be read: {error.strerror}") from None
    if b"\x00" in raw:
        raise InputError("LEAK_FILE", str(path), "is binary, not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("LEAK_FILE", str(path), "is not UTF-8 text") from None
    if not text.strip():
        raise InputError("LEAK_FILE", str(path), "is empty")
    return text


def trace_command(
    leak_file: Annotated[Path, typer.Argument(metavar="LEAK_FILE", help="The leaked text.",
                                              show_default=False)],
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Name who leaked: align a leaked text with the copies issued, score, accuse."""
    from escolta.operations.orders import trace_in_force
    from escolta.store import open_store

    text = read_leak(leak_file)
    with open_store(db) as store, store.transaction() as session:
        trace = trace_in_force(session, text)
    if as_json:
        print_json(trace.to_dict())
        return
    _show_trace(trace)


def _show_trace(trace: Trace) -> None:
    from rich.table import Table

    out = console()
    out.print(f"{trace.marks_read} marks read from {trace.orders} orders "
                  f"({trace.conflicts} read both ways and skipped); "
                  f"{len(trace.scores)} recipients scored")
    if trace.scores:
        table = Table("person", "marks", "score", "threshold", "accused")
        ranked = sorted(trace.scores, key=lambda p: (-trace.scores[p], p))
        for person in ranked:
            table.add_row(esc(person), str(trace.marks[person]), f"{trace.scores[person]:.2f}",
                          f"{trace.thresholds[person]:.2f}",
                          "ACCUSED" if person in trace.accused else "")
        out.print(table)
    if trace.accused:
        out.print(f"[bold]accused: {esc(', '.join(trace.accused))}[/bold] — the chance that any "
                      f"innocent recipient reaches their threshold is at most "
                      f"ε = {trace.epsilon:g}")
    else:
        out.print(f"no one is accused (at ε = {trace.epsilon:g})")
    if trace.unknown_nights:
        out.print("no orders on record for: "
                      + ", ".join(d.isoformat() for d in trace.unknown_nights))

