"""Classic Stackelberg games (design.md section 2): models, the JSON exchange format and
exact solvers for the strong Stackelberg equilibrium.

>>> from escolta.games import load, solve
>>> game = load({"kind": "normal_form", "followers": [{"name": "f", "prior": 1,
...     "leader": [[2, 4], [1, 3]], "follower": [[1, 0], [0, 1]]}]})
>>> solve(game).to_dict()["leader_strategy"]
[0.5, 0.5]
"""

from escolta.games.dobss import dobss_solve
from escolta.games.loader import load
from escolta.games.milp import milp_solve
from escolta.games.minimax import is_zero_sum, minimax_solve
from escolta.games.model import (
    AttackerType,
    FollowerType,
    Game,
    NormalFormGame,
    SecurityGame,
    Solution,
)
from escolta.games.multiple_lps import multiple_lps_solve, security_lps_solve
from escolta.games.origami import origami_solve
from escolta.games.solve import METHODS, choose_method, register, solve

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
