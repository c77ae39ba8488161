"""Exact Bayesian security games by branch and bound over the attackers' *levels*.

A compact security game with standard payoffs (covering a target lowers every attacker's
payoff there, ``U_a^c < U_a^u``) can be searched in the space of the attacker types' expected
utilities instead of the space of coverages or of response profiles. Write
``r_θt(v) = (U_a^u_θt - v) / (U_a^u_θt - U_a^c_θt)`` for the coverage target t needs so that
type θ gets at most ``v`` there (ORIGAMI's attack-set algebra, Kiekintveld et al., AAMAS
2009). For a vector of levels ``v`` (one per type):

* the least coverage holding every type θ to ``v_θ`` is ``c_t(v) = max(0, max_θ r_θt(v_θ))``,
  so ``v`` is reachable iff ``g(v) = Σ_t c_t(v) <= m``; ``g`` is convex and decreasing;
* type θ attacks exactly the targets where its own requirement is the largest (and not
  negative): there ``c_t = r_θt(v_θ)`` and the defender gets ``U_d^θ(t, r_θt(v_θ))``;
* every coverage ``c`` is matched by the levels it leaves the attackers (``v_θ`` = type θ's
  best payoff under ``c``): ``c(v) <= c`` and every attacked target keeps its coverage, so the
  strong Stackelberg value is the maximum over reachable ``v`` of
  ``F(v) = Σ_θ p_θ max_{t attacked by θ} U_d^θ(t, r_θt(v_θ))``.

The search keeps boxes ``lo <= v <= hi``, best bound first. Each box is

* cut to its useful part (:func:`_shrink`): ``g`` is decreasing, so ``lo_θ`` rises to the
  least ``v_θ`` with ``g(v_θ, hi_-θ) <= m`` (the box is empty if ``g(hi) > m``); ``hi_θ``
  falls to the largest level at which θ can still attack a candidate target, and to the level
  above which θ's defender value cannot lift the total past the incumbent;
* bounded twice: by each type's best candidate at its lowest level (θ can attack t in the
  box only if ``r_θt(lo_θ) >= r_ψt(hi_ψ)`` for every other type ψ and ``U_a^u_θt >= lo_θ``),
  and by a Lagrangian bound that charges all types to the one budget
  (:func:`_budget_bound`);
* split at the middle of the type whose bound varies most across the box times its width.

Each box also yields an incumbent: the coverage ``c(hi)``, evaluated exactly.

When few response profiles remain possible in a box (the product of the types' candidate
targets is at most ``close_at``), the box is closed exactly by the LP of each of those
profiles (Conitzer & Sandholm, EC 2006, on the compact coverage): the best coverage of a
profile is a strategy whose value is at least the LP's, and no point of the box does better
than its best profile. The profile LPs share one live HiGHS model (rows switched between
"type θ gets at most its level at t" and "exactly its level at t"), each warm-started. So the
answer is exact: when no box is left, the incumbent is within :data:`TOLERANCE` (1e-9 of the
payoff range) of the optimum and is itself the optimum of a profile LP. If a profile LP's
coverage does not realise its own profile within the evaluator's tie tolerance (targets where
covering changes an attacker's payoff by 1e-6 of the range make the LP that ill-conditioned),
the game is handed to :func:`escolta.games.hbgs.hbgs_solve` and ``params["handed_over"]``
says why.

This is branch and bound as in HBGS (Jain, Kiekintveld & Tambe, AAMAS 2011) and HUNTER (Yin
& Tambe, AAMAS 2012), but branching on the attackers' levels makes a node cost a few
vectorised passes over ``types x targets`` (compiled with numba) instead of an LP, and the
levels tie the types together through the one budget constraint that couples them.
"""

import importlib

from escolta.games.levels.fit import check_levels_game

_DEFERRED = {"levels_solve": "driver", "CLOSE_AT": "driver", "TOLERANCE": "driver"}
"""Names imported from their module at first use (PEP 562): the driver loads numba, which
the registry's :func:`check_levels_game` does not need."""


def __getattr__(name: str) -> object:
    module = _DEFERRED.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_DEFERRED})


__all__ = ["CLOSE_AT", "TOLERANCE", "check_levels_game", "levels_solve"]
