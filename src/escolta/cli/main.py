"""Entry point of the ``escolta`` command.

Each command lives in its own module under ``escolta.cli`` and exposes
``register(app: typer.Typer) -> None``; this file only assembles them and turns
:class:`escolta.errors.EscoltaError` into one line on stderr with exit code 2.
"""

from __future__ import annotations

import sys
from typing import NoReturn

import typer

from escolta.errors import EscoltaError

app = typer.Typer(
    name="escolta",
    help="Randomized protective-operations planning on Stackelberg security games.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # plain help: Typer's Rich help loads Rich, markdown and pygments at every start, which
    # alone costs more than the 0.3 s the command may take to answer --help
    rich_markup_mode=None,
)

# One import + register per command module (add yours here, one line each).
_COMMAND_MODULES: list[str] = [
    "plan",
    "redteam",
    "solve",
    "ops",
    "phones",
    "appearances",
    "sweep",
    "orders",
    "backup",
    "roster",
    "users",
    "audit",
    "routes",
    "serve",
    "keys",
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
    sys.stderr.write(f"escolta: error: {_one_line(message)}\n")
    sys.exit(code)


def _one_line(message: str) -> str:
    """The message on one line: a newline inside a name or a value would let a mistake
    print as several lines (and forge a line of its own)."""
    return " ".join(message.splitlines())


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
        sys.stderr.write("escolta: interrupted\n")
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
