"""Which games ``levels`` solves: no schedules, and covering a target strictly lowers every
attacker's payoff there (kept apart from the solver so that the registry can ask without
loading numba)."""

from __future__ import annotations

import numpy as np

from escolta.errors import InputError
from escolta.games.model import SecurityGame


def check_levels_game(game: SecurityGame) -> None:
    """Raise :class:`InputError` (field ``method``) unless ``levels`` can solve ``game``: no
    schedules, and covering a target strictly lowers every attacker's payoff there."""
    if game.schedules is not None:
        raise InputError("method", "levels", "does not handle schedules (use aspen or milp)")
    for index, attacker in enumerate(game.attacker_types):
        bad = np.flatnonzero(attacker.attacker_covered >= attacker.attacker_uncovered)
        if len(bad):
            t = int(bad[0])
            raise InputError(
                "method", "levels",
                f"needs attacker covered < uncovered at every target; target "
                f"{game.targets[t]!r} (attacker_types[{index}].attacker.covered[{t}]) breaks it "
                "(use hbgs or milp)",
            )
