"""How many joint schedule assignments a schedule game has (every set of at most ``m``
schedules), and the most that are ever enumerated: the registry asks before it picks a method,
so this costs no solver import."""

from __future__ import annotations

import math

from escolta.games.model import SecurityGame

MAX_ASSIGNMENTS = 20_000
"""The most joint schedule assignments enumerated for an exact schedule game."""


def assignment_count(game: SecurityGame) -> int:
    """How many joint schedule assignments :func:`escolta.games.coverage.coverage_block` would
    enumerate.

    Examples
    --------
    >>> from escolta.games.model import AttackerType
    >>> a = AttackerType("x", 1.0, [0, 0, 0], [-1, -1, -1], [0, 0, 0], [1, 1, 1])
    >>> assignment_count(SecurityGame(("a", "b", "c"), 2, (a,), schedules=((0,), (1,), (2,))))
    7
    """
    s = len(game.schedules or ())
    return sum(math.comb(s, k) for k in range(min(game.resources, s) + 1))
