"""The exceptions escolta raises.

User mistakes (a bad file, a bad option) are :class:`InputError`: the command line prints
their message as one line and exits with code 2. A solver that breaks (as opposed to
reporting infeasible or a time limit, which are statuses) raises :class:`SolverError`.
"""

from __future__ import annotations


class EscoltaError(Exception):
    """Base class of every error escolta raises on purpose."""


class InputError(EscoltaError, ValueError):
    """Invalid input: the message names the field and the value.

    Parameters
    ----------
    field
        Where the bad value sits, as a dotted path (``attacker_types[0].prior``).
    value
        The offending value, shown with ``repr``.
    reason
        What is wrong with it, in a few words.

    Examples
    --------
    >>> str(InputError("resources", 0, "must be at least 1"))
    'resources: must be at least 1 (got 0)'
    """

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{field}: {reason} (got {_short_repr(value)})")


class SolverError(EscoltaError, RuntimeError):
    """The LP/MILP backend failed in a way that is not a model status."""


class StoreError(EscoltaError):
    """The record (database) cannot be opened or used; the message says why."""


def _short_repr(value: object, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
