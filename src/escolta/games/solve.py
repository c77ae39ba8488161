"""``solve(game, method="auto")``: one entry point over every exact solver.

Each method is registered with the kinds of game it handles (a predicate returning ``None``
when the method fits, else the reason it does not). ``auto`` picks, in this order:

======================================  =================
game                                    method
======================================  =================
boundedly rational ``attacker_model``   ``pasaq`` (issue 3)
``resource_types`` (with schedules)     ``aspen`` (issue 3)
compact, one type, standard payoffs     ``origami`` (zero-sum too: O(n log n))
zero-sum (any form, any types)          ``minimax`` (schedules: if enumerable)
compact, one type, other payoffs        ``security_lps``
compact, 2–10 types, attacker payoffs   ``levels`` (branch and bound over attacker levels)
drop strictly when covered
compact, several types, otherwise       ``hbgs``
compact with schedules                  ``aspen``
normal form, one type                   ``multiple_lps``
normal form, several types              ``dobss``
======================================  =================
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from escolta.errors import InputError
from escolta.games.assignments import MAX_ASSIGNMENTS, assignment_count
from escolta.games.levels.fit import check_levels_game
from escolta.games.model import Game, NormalFormGame, SecurityGame, Solution
from escolta.games.origami import origami_solve

SolverFunction = Callable[..., Solution]
LEVELS_MAX_TYPES = 10
"""``auto`` uses ``levels`` up to this many attacker types (with a positive prior): its boxes
have one dimension per type, and beyond ten ``hbgs`` is as fast (measured in
docs/games-scale.md, "Limits")."""


@dataclass(frozen=True)
class Method:
    """A registered solver: its function and a check that returns why a game does not fit
    (``None`` when it fits)."""

    name: str
    solve: SolverFunction
    misfit: Callable[[Game], str | None]
    description: str


METHODS: dict[str, Method] = {}


def register(
    name: str, solve: SolverFunction, misfit: Callable[[Game], str | None], description: str
) -> None:
    """Add (or replace) a method; ``solve(game, time_limit=None) -> Solution``."""
    METHODS[name] = Method(name, solve, misfit, description)


def _deferred(module: str, function: str) -> SolverFunction:
    """A solver imported at its first solve, so that importing the registry stays cheap
    (``levels`` loads numba, the LP solvers scipy and HiGHS)."""

    def run(game: Game, time_limit: float | None = None) -> Solution:
        return getattr(importlib.import_module(module), function)(game, time_limit=time_limit)

    run.__name__ = function
    return run


def _security(game: Game) -> str | None:
    return None if isinstance(game, SecurityGame) else "needs a security game"


def _normal_form(game: Game) -> str | None:
    return None if isinstance(game, NormalFormGame) else "needs a normal-form game"


def _one_type(game: Game) -> str | None:
    types = len(game.attacker_types) if isinstance(game, SecurityGame) else len(game.followers)
    return None if types == 1 else f"needs one attacker/follower type, the game has {types}"


def _standard_payoffs(game: SecurityGame) -> str | None:
    attacker = game.attacker_types[0]
    if np.any(attacker.attacker_covered > attacker.attacker_uncovered) or np.any(
        attacker.defender_covered < attacker.defender_uncovered
    ):
        return "needs covered payoffs that favour the defender at every target"
    return None


def _first(*checks: Callable[[Game], str | None]) -> Callable[[Game], str | None]:
    def misfit(game: Game) -> str | None:
        for check in checks:
            reason = check(game)
            if reason is not None:
                return reason
        return None

    return misfit


def _levels_fit(game: SecurityGame) -> str | None:
    try:
        check_levels_game(game)
    except InputError as misfit:
        return misfit.reason
    return None


def _no_schedules(game: Game) -> str | None:
    return "does not handle schedules" if getattr(game, "schedules", None) else None


register(
    "origami", origami_solve,
    _first(_security, _no_schedules, _one_type, _standard_payoffs),
    "ORIGAMI, one attacker type, O(n log n) (Kiekintveld et al. 2009)",
)
register(
    "security_lps", _deferred("escolta.games.multiple_lps", "security_lps_solve"),
    _first(_security, _one_type),
    "one LP per attacked target, one attacker type (Conitzer & Sandholm 2006)",
)
register(
    "milp", _deferred("escolta.games.milp", "milp_solve"), _security,
    "MILP for Bayesian security games (DOBSS/ERASER family)",
)
register(
    "multiple_lps", _deferred("escolta.games.multiple_lps", "multiple_lps_solve"),
    _first(_normal_form, _one_type),
    "one LP per follower action (Conitzer & Sandholm 2006)",
)
register(
    "dobss", _deferred("escolta.games.dobss", "dobss_solve"), _normal_form,
    "DOBSS MILP for Bayesian normal-form games (Paruchuri et al. 2008)",
)
register(
    "minimax", _deferred("escolta.games.minimax", "minimax_solve"),
    lambda game: None if game.is_zero_sum else "needs a zero-sum game",
    "maximin LP for zero-sum games",
)
register(
    "aspen", _deferred("escolta.games.schedules", "aspen_solve"), _security,
    "ASPEN column generation for schedules (Jain et al. 2010)",
)
register(
    "hbgs", _deferred("escolta.games.hbgs", "hbgs_solve"), _first(_security, _no_schedules),
    "branch and bound on a strong formulation, Bayesian security games (HBGS/HUNTER ideas)",
)
register(
    "levels", _deferred("escolta.games.levels", "levels_solve"),
    lambda game: _security(game) or _levels_fit(game),
    "branch and bound over attacker levels, Bayesian security games with few types",
)
register(
    "pasaq", _deferred("escolta.games.quantal", "pasaq_solve"),
    lambda game: _security(game) or _no_schedules(game) or _one_type(game) or (
        None if getattr(game, "attacker_model", None) is not None
        else "needs an attacker_model (quantal or suqr)"
    ),
    "PASAQ, quantal-response / SUQR attacker (Yang et al. 2012; Nguyen et al. 2013)",
)


def choose_method(game: Game) -> str:
    """The exact method ``auto`` uses for ``game`` (see the module docstring)."""
    if getattr(game, "attacker_model", None) is not None:
        return "pasaq"
    if getattr(game, "resource_types", None) is not None:
        return "aspen"
    enumerable = isinstance(game, NormalFormGame) or game.schedules is None or (
        assignment_count(game) <= MAX_ASSIGNMENTS
    )
    if (isinstance(game, SecurityGame) and game.schedules is None
            and len(game.attacker_types) == 1 and _standard_payoffs(game) is None):
        # ORIGAMI is exact for one attacker type, zero-sum or not, in O(n log n): a
        # million-target zero-sum game in well under a second where the minimax LP takes
        # minutes (docs/games-scale.md)
        return "origami"
    if game.is_zero_sum and enumerable:
        return "minimax"
    if isinstance(game, NormalFormGame):
        return "multiple_lps" if len(game.followers) == 1 else "dobss"
    if game.schedules is not None:
        return "aspen"
    if len(game.attacker_types) == 1:
        return "origami" if _standard_payoffs(game) is None else "security_lps"
    live = sum(1 for a in game.attacker_types if a.prior > 0.0)
    if live <= LEVELS_MAX_TYPES and METHODS["levels"].misfit(game) is None:
        return "levels"
    return "hbgs"


def solve(game: Game, method: str = "auto", time_limit: float | None = None) -> Solution:
    """Solve ``game`` for its strong Stackelberg equilibrium.

    Parameters
    ----------
    game
        From :func:`escolta.games.load`.
    method
        ``"auto"`` (an exact method that fits, see the module docstring) or one of
        :data:`METHODS`.
    time_limit
        Seconds; methods that can run out return ``status="time_limit"`` with the best
        strategy found and a bound.

    Raises
    ------
    InputError
        (field ``method``) unknown method, or one that does not fit the game; (field
        ``time_limit``) not a positive number.

    Examples
    --------
    >>> from escolta.games.loader import load
    >>> game = load({"kind": "normal_form", "followers": [{"name": "f", "prior": 1,
    ...     "leader": [[2, 4], [1, 3]], "follower": [[1, 0], [0, 1]]}]})
    >>> s = solve(game)
    >>> s.method, round(s.defender_value, 6)
    ('multiple_lps', 3.5)
    """
    if time_limit is not None and not (isinstance(time_limit, int | float) and time_limit > 0):
        raise InputError("time_limit", time_limit, "must be a positive number of seconds")
    name = choose_method(game) if method == "auto" else method
    if name not in METHODS:
        known = ", ".join(["auto", *sorted(METHODS)])
        raise InputError("method", method, f"unknown method, expected one of {known}")
    chosen = METHODS[name]
    reason = chosen.misfit(game)
    if reason is None and name != "pasaq" and getattr(game, "attacker_model", None) is not None:
        reason = "the game has a boundedly rational attacker_model (use pasaq)"
    if reason is not None:
        raise InputError("method", name, f"does not fit this game: {reason}")
    return chosen.solve(game, time_limit=time_limit)
