"""Classic Stackelberg games (docs/design.md §2): models, the JSON exchange format and
exact solvers for the strong Stackelberg equilibrium.

Importing the package loads the models, the loader and the registry (NumPy only); each
solver, with SciPy, HiGHS or numba behind it, is imported at its first use.

>>> from escolta.games import load, solve
>>> game = load({"kind": "normal_form", "followers": [{"name": "f", "prior": 1,
...     "leader": [[2, 4], [1, 3]], "follower": [[1, 0], [0, 1]]}]})
>>> solve(game).to_dict()["leader_strategy"]
[0.5, 0.5]
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from escolta.games.loader import load
from escolta.games.model import (
    AttackerType,
    FollowerType,
    Game,
    NormalFormGame,
    SecurityGame,
    Solution,
)
from escolta.games.origami import origami_solve
from escolta.games.solve import METHODS, choose_method, register, solve

if TYPE_CHECKING:
    from escolta.games.dobss import dobss_solve
    from escolta.games.milp import milp_solve
    from escolta.games.minimax import is_zero_sum, minimax_solve
    from escolta.games.multiple_lps import multiple_lps_solve, security_lps_solve

_DEFERRED = {
    "dobss_solve": "escolta.games.dobss",
    "is_zero_sum": "escolta.games.minimax",
    "milp_solve": "escolta.games.milp",
    "minimax_solve": "escolta.games.minimax",
    "multiple_lps_solve": "escolta.games.multiple_lps",
    "security_lps_solve": "escolta.games.multiple_lps",
}
"""Names imported from their module at first use (PEP 562)."""


def __getattr__(name: str) -> object:
    module = _DEFERRED.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_DEFERRED})


__all__ = [
    "METHODS",
    "AttackerType",
    "FollowerType",
    "Game",
    "NormalFormGame",
    "SecurityGame",
    "Solution",
    "choose_method",
    "dobss_solve",
    "is_zero_sum",
    "load",
    "milp_solve",
    "minimax_solve",
    "multiple_lps_solve",
    "origami_solve",
    "register",
    "security_lps_solve",
    "solve",
]
