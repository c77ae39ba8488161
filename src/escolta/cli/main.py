"""Entry point of the ``escolta`` command.

Each command lives in its own module under ``escolta.cli`` and exposes
``register(app: typer.Typer) -> None``; this file only assembles them and turns
:class:`escolta.errors.EscoltaError` into one line on stderr with exit code 2.
"""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from escolta.errors import EscoltaError

app = typer.Typer(
    name="escolta",
    help="Randomized protective-operations planning on Stackelberg security games.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# One import + register per command module (add yours here, one line each).
_COMMAND_MODULES: list[str] = [
    "plan",
    "redteam",
    "solve",
    "ops",
    "phones",
    "appearances",
]


def _register_commands() -> None:
    import importlib

    for name in _COMMAND_MODULES:
        importlib.import_module(f"escolta.cli.{name}").register(app)


def main(argv: list[str] | None = None) -> None:
    """Run the command line; user mistakes end in one line on stderr and exit code 2."""
    _register_commands()
    try:
        app(args=argv, prog_name="escolta")
    except EscoltaError as error:
        Console(stderr=True, highlight=False, soft_wrap=True).print(
            f"escolta: error: {error}", markup=False
        )
        sys.exit(2)
    except KeyboardInterrupt:
        Console(stderr=True).print("escolta: interrupted")
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
