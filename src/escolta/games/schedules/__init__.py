"""Security games with schedules, solved exactly by column generation (ASPEN) inside branch
and bound: a mixed strategy over joint assignments of resources to schedules.

With schedules a resource covers a *set* of targets, and not every coverage vector with the
right totals can be implemented by a mix of assignments: ERASER-C (Kiekintveld et al. 2009)
optimizes over marginals and can return such an unimplementable coverage (Jain et al.,
AAAI 2010, sec. 3; Korzhyk, Conitzer, Parr, AAAI 2010). ASPEN (Jain et al. 2010) instead
works with pure strategies — joint assignments — generated on demand.

What is solved, exactly, for any number of attacker types (strong Stackelberg equilibrium):

* **Master LP** (the disjunctive, convex-hull form of the multiple-LPs method of Conitzer &
  Sandholm 2006, one block per attacker type θ and attacked target j): a column
  ``x_{θ,j,P} >= 0`` is "θ attacks j while the defender plays pure strategy P". Per type the
  columns sum to one; their coverage ``Σ x P`` equals the common coverage ``c`` (linking
  rows); within the block (θ, j), j is θ's best response (homogenized rows
  ``Σ x [U_a^θ(j, P) - U_a^θ(a, P)] >= 0``). The objective is ``Σ p_θ Σ x U_d^θ(j, P)``.
  For one type this LP *is* the problem (its optimum lies in one block); for several types
  the ``q_θj = Σ_P x_{θ,j,P}`` must be 0/1 and the LP is the node relaxation.
* **Pricing** (ASPEN's slave): the reduced cost of a column is ``const + Σ_t w_t P_t``
  (P_t = 1 when the assignment covers t), so the best column of block (θ, j) is a
  *weighted coverage* problem: choose at most ``count_r`` schedules for each resource type r
  among those it may run, maximizing the total weight of covered targets. A greedy pass finds
  improving columns quickly; when it finds none, a small exact MILP (HiGHS) proves that none
  exists, so every node is solved to LP optimality.
* **Branch and bound** on ``q_θj`` (one type's attacked target at a time, as HBGS, Jain et
  al. 2011), best bound first, with a time limit: on expiry the best strategy found is
  returned with the best open bound and status ``time_limit``.

Targets no type can ever attack are pruned as in ORIGAMI (their best payoff is below the
attacker's minimal attack level under any coverage with as many covered targets as a pure
strategy can reach); they get no rows.
"""

from escolta.games.schedules.prune import attacker_level
from escolta.games.schedules.search import aspen_solve
from escolta.games.schedules.space import PureStrategies, pure_strategies

__all__ = ["PureStrategies", "aspen_solve", "attacker_level", "pure_strategies"]
