"""Entry point of the ``escolta`` command.

Each command lives in its own module under ``escolta.cli`` and exposes
``register(app: typer.Typer) -> None``; this file only assembles them and turns
:class:`escolta.errors.EscoltaError` into one line on stderr with exit code 2.
"""

from __future__ import annotations

import sys
from typing import NoReturn

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
    "users",
    "audit",
    "serve",
]


_registered = False


def _register_commands() -> None:
    """Add every command module to ``app`` (once per process)."""
    global _registered
    if _registered:
        return
    import importlib

    for name in _COMMAND_MODULES:
        importlib.import_module(f"escolta.cli.{name}").register(app)
    _registered = True


def _fail(message: str, code: int = 2) -> NoReturn:
    Console(stderr=True, highlight=False, soft_wrap=True).print(
        f"escolta: error: {message}", markup=False
    )
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    """Run the command line; user mistakes end in one line on stderr and exit code 2."""
    _register_commands()
    try:
        # standalone_mode=False lets a usage mistake reach us as an exception, so it is
        # reported as one line like every other user mistake, not as Click's usage box.
        code = app(args=argv, prog_name="escolta", standalone_mode=False)
    except EscoltaError as error:
        _fail(str(error))
    except (KeyboardInterrupt, typer.Abort):
        Console(stderr=True).print("escolta: interrupted")
        sys.exit(130)
    except Exception as error:
        # Click's usage errors (bad option value, unknown command). Typer vendors Click
        # privately from 0.20 on, so they are recognised by shape, not by class.
        if not (hasattr(error, "format_message") and hasattr(error, "exit_code")):
            raise
        if not error.format_message().strip():
            sys.exit(int(error.exit_code))  # no arguments: the help was shown
        ctx = getattr(error, "ctx", None)
        where = f" ({ctx.command_path})" if ctx is not None else ""
        _fail(f"{error.format_message()}{where}; see --help", int(error.exit_code))
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
