"""What every command shares: its options, JSON on stdout, a progress bar, safe names.

This module is imported when the ``escolta`` command starts, so it imports nothing heavy:
Rich loads when something is shown, the domain when a command runs.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from escolta.labels import shown

#: A name from a scenario or the record, safe inside Rich markup (``[/bold]`` as written).
esc = shown

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console

    from escolta.protect.scenario import Adversary
    from escolta.protect.solve import Progress

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="The record (SQLite file, or postgresql://USER@HOST/DB). "
                 "Default: $ESCOLTA_DB, else "
                 "$XDG_DATA_HOME/escolta/escolta.db.", show_default=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON only, on stdout.")]
SeedOption = Annotated[
    int | None,
    typer.Option("--seed", help="Simulation only: draw from this seed (marked SEEDED)."),
]


def command_group(name: str, help: str) -> typer.Typer:
    """A group of subcommands (``escolta phones add``, ...), with plain help like the main
    command's (Typer's Rich help would load Rich at every start)."""
    return typer.Typer(name=name, help=help, no_args_is_help=True, add_completion=False,
                       rich_markup_mode=None, pretty_exceptions_enable=False)


def print_json(data: Any) -> None:
    """``data`` as indented JSON, alone on stdout."""
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")


def console(*, stderr: bool = False) -> Console:
    """A console for readable output: no highlighting of numbers, lines never cut."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def sees_label(adversary: Adversary) -> str:
    """What an adversary sees, as the tables show it (``team T (sabotage)``, ``chain C``)."""
    sabotage = " (sabotage)" if adversary.sabotage else ""
    if adversary.hostile_chain is not None:
        return f"chain {adversary.hostile_chain}{sabotage}"
    if adversary.insider_team is not None:
        return f"team {adversary.insider_team}{sabotage}"
    return adversary.sees_kind


@contextmanager
def progress_bar(description: str = "solving") -> Iterator[Progress]:
    """A Rich progress bar on stderr (stdout stays clean for ``--json``), fed by a solver's
    ``progress(stage, fraction)`` callback; it appears at the first report, so input refused
    before any work leaves the terminal untouched."""
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    shown_bar: list[tuple[Progress, Any]] = []

    def update(stage: str, fraction: float | None) -> None:
        if not shown_bar:
            err = console(stderr=True)
            bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                           TimeElapsedColumn(), console=err, transient=True,
                           disable=not err.is_terminal)  # a log file gets no bar lines
            bar.start()
            shown_bar.append((bar, bar.add_task(description, total=None)))
        bar, task = shown_bar[0]
        if fraction is None:
            bar.update(task, description=stage)
        else:
            bar.update(task, description=stage, total=1.0, completed=fraction)

    try:
        yield update
    finally:
        if shown_bar:
            shown_bar[0][0].stop()


@contextmanager
def count_bar(description: str) -> Iterator[Callable[[int, int], None]]:
    """A Rich bar of work items done (``advance(done, total)``) on stderr, shown from the
    first call on: input refused before any work leaves the terminal untouched."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    shown: list[tuple[Progress, Any]] = []

    def advance(done: int, total: int) -> None:
        if not shown:
            err = console(stderr=True)
            bar = Progress(TextColumn(description), BarColumn(), MofNCompleteColumn(),
                           console=err, transient=True, disable=not err.is_terminal)
            bar.start()
            shown.append((bar, bar.add_task(description, total=total)))
        bar, task = shown[0]
        bar.update(task, completed=done, total=total)

    try:
        yield advance
    finally:
        if shown:
            shown[0][0].stop()
