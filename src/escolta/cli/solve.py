"""``escolta solve FILE``: solve a classic game (docs/design.md §2) and print its solution."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from escolta.cli.common import console, esc, print_json

if TYPE_CHECKING:
    from rich.table import Table

    from escolta.games.model import Game, Solution

#: The registry's methods (``escolta.games.solve.METHODS``; a test keeps the two equal, so
#: the help is right without loading every solver at start-up).
METHODS = ("aspen", "dobss", "hbgs", "levels", "milp", "minimax", "multiple_lps", "origami",
           "pasaq", "security_lps")

TABLE_TARGETS = 40
"""Targets the table lists (the most covered); ``--json`` gives every one."""
OWN_PROGRESS = frozenset({"hbgs", "levels", "aspen"})
"""Methods that draw their own Rich progress bar on long solves (a spinner would hide it)."""


def register(app: typer.Typer) -> None:
    """Add the ``solve`` command to ``app``."""
    app.command("solve")(solve_command)


def solve_command(
    file: Annotated[Path, typer.Argument(help="Game file (JSON, docs/design.md §2).")],
    method: Annotated[
        str,
        typer.Option(help=f"auto, or one of: {', '.join(sorted(METHODS))}."),
    ] = "auto",
    time_limit: Annotated[
        float | None,
        typer.Option("--time-limit", help="Seconds; on expiry print the best found and its bound."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the solution as JSON (docs/design.md §2).")
    ] = False,
) -> None:
    """Solve a Stackelberg game for its strong Stackelberg equilibrium."""
    from escolta.games import load, solve
    from escolta.games.solve import choose_method

    game = load(file)
    chosen = choose_method(game) if method == "auto" else method
    if chosen in OWN_PROGRESS:
        # these show their own progress bar (best value, bound, nodes) on stderr
        solution = solve(game, method=method, time_limit=time_limit)
    else:
        # a spinner on stderr (shown on terminals only) while the solver runs
        with console(stderr=True).status("solving…", spinner="dots"):
            solution = solve(game, method=method, time_limit=time_limit)
    if as_json:
        print_json(solution.to_dict())
        return
    console().print(solution_table(game, solution, title=esc(file)))


def solution_table(game: Game, solution: Solution, title: str = "") -> Table:
    """A Rich table of the solution: value, status, strategy and each type's response."""
    from rich.table import Table

    from escolta.games.model import NormalFormGame, SecurityGame

    table = Table(title=title or None, show_header=True, header_style="bold")
    table.add_column("")
    table.add_column("value", justify="right")
    table.add_row("defender value", f"{solution.defender_value:.6g}")
    if solution.status != "optimal" and solution.bound is not None:
        table.add_row("bound", f"{solution.bound:.6g}")
    table.add_row("status", solution.status)
    table.add_row("method", f"{solution.method} ({solution.seconds:.3g} s)")
    if isinstance(game, SecurityGame) and solution.coverage is not None:
        table.add_section()
        rows = list(zip(game.targets, solution.coverage, strict=True))
        if len(rows) > TABLE_TARGETS:  # a large game: the most covered targets, in order
            kept = set(sorted(range(len(rows)), key=lambda i: -rows[i][1])[:TABLE_TARGETS])
            rows = [row for i, row in enumerate(rows) if i in kept]
        for name, covered in rows:
            table.add_row(f"coverage {esc(name)}", f"{covered:.4f}")
        if len(game.targets) > TABLE_TARGETS:
            table.add_row(f"… {len(game.targets) - TABLE_TARGETS:,} more targets", "(--json)")
        table.add_section()
        for type_name, target in solution.responses.items():
            table.add_row(f"{esc(type_name)} attacks", esc(game.targets[target]))
    elif isinstance(game, NormalFormGame) and solution.leader_strategy is not None:
        table.add_section()
        for index, probability in enumerate(solution.leader_strategy):
            table.add_row(f"leader plays {index}", f"{probability:.4f}")
        table.add_section()
        for type_name, action in solution.responses.items():
            table.add_row(f"{esc(type_name)} answers", str(action))
    if solution.mixed_strategy and isinstance(game, SecurityGame) and game.schedules:
        table.add_section()
        for probability, assignment in solution.mixed_strategy:
            patrols = ", ".join(
                "+".join(game.targets[t] for t in game.schedules[s]) for s in assignment
            )
            table.add_row(f"assign {esc(patrols) or '(none)'}", f"{probability:.4f}")
    return table
