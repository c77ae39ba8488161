"""The exact reductions of the nightly game (docs/design.md §4) behind the fast solver.

A night ``(s, r, π)`` (site, room, each team's post) is reduced three ways, each exact
(docs/nightly.md gives the proofs):

1. **Rooms** apart. An adversary that does not see tonight's room gets, for target site a,
   ``max_b P(s=a, r=b, ·) ≥ (1/R_a) Σ_b P(s=a, r=b, ·)``, with equality for every such
   adversary at once when the room is drawn uniformly and independently of everything else.
   A ``room`` watcher of tonight gets ``E[success_s[k]]`` whatever the room law; a ``room``
   watcher of yesterday learns nothing more than yesterday's site when rooms are independent.
   So the solver works on nights without rooms, divides success at site a by ``R_a`` for
   every adversary except ``room`` watchers with ``lead: 0``, and treats a ``room`` watcher
   with ``lead: 1`` as a ``site`` watcher with ``lead: 1``.
2. **Team symmetry**. Teams that no insider sits in (*anonymous* teams) are interchangeable
   for every adversary: only how many stand at each site matters. Averaging a plan over the
   permutations of anonymous teams never raises any adversary's success (each success is a
   convex function of the plan, invariant under those permutations), so a reduced night is
   ``(s, n, p)``: the principal's site, the posture ``n`` (teams per site), and ``p`` the
   post of each *insider* team.
3. **History**. Lead-1 adversaries and ``no_repeat`` see yesterday only through its *class*
   (the tuple of lead-1 signals, plus the site under ``no_repeat``), and tonight's losses of
   lead-1 adversaries depend only on a *feature* of tonight (site, teams there, and whether
   each lead-1 saboteur's team stands there). The reduced LP uses ``J(y, f)``, the law of
   (yesterday's class, tonight's feature); see :mod:`escolta.protect.nightly.master`.

A ``nothing`` watcher with ``lead: 1`` is a ``nothing`` watcher with ``lead: 0`` (stationarity).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from escolta.errors import InputError
from escolta.protect.nights import chain_team_indices
from escolta.protect.scenario import Adversary, Scenario

#: A reduced night: (principal's site, posture = teams per site, post of each insider team).
Column = tuple[int, tuple[int, ...], tuple[int, ...]]
#: Tonight's feature: (site, loss of each lead-1 adversary attacking it).
Feature = tuple[float, ...]


@dataclass(frozen=True)
class ReducedAdversary:
    """An adversary after the reductions.

    ``role`` says where it enters the reduced LP:

    - ``linear``: its success is linear in the plan (``site`` or ``room`` with lead 0);
    - ``max0``: lead 0 with a best response per signal (``nothing``, insider);
    - ``posture0``: the lead-0 ``posture`` watcher (handled per posture);
    - ``lead1``: sees yesterday (``site``, ``room`` as site, insider, ``posture``).

    ``sees`` is ``nothing``, ``posture``, ``site``, ``room``, ``team`` or ``chain``;
    ``insider`` indexes :attr:`ReducedGame.insider_teams`. A hostile chain (``chain``) sees
    the posts of the insider teams ``reached`` (indices into ``insider_teams``; empty when it
    always sees the principal, then it is ``linear``) and, with sabotage, disables the teams
    ``held`` at the attacked site.
    """

    name: str
    weight: float
    sees: str
    lead: int
    role: str
    insider: int | None
    sabotage: bool
    divide_by_rooms: bool
    reached: tuple[int, ...] = ()
    held: tuple[int, ...] = ()


@dataclass(frozen=True)
class ReducedGame:
    """The scenario in the reduced form the fast solver works on."""

    n_sites: int
    n_teams: int
    min_teams: int
    no_repeat: bool
    rooms: tuple[int, ...]
    #: ``success[s][k]`` for k = 0..n_teams (short lists repeat their last value)
    success: np.ndarray
    #: team indices (into scenario.teams) some insider sits in, in order of first mention
    insider_teams: tuple[int, ...]
    adversaries: tuple[ReducedAdversary, ...]
    #: combined weight of the lead-0 posture watchers (they all have the same success)
    posture_weight: float
    #: insider teams no adversary tells apart from each other (teams hostile chains need
    #: apart from the anonymous ones, with the same chains seeing and holding them), as
    #: indices into ``insider_teams``, ascending; their posts are kept in non-decreasing
    #: order (one canonical placement per multiset, by the symmetry of reduction 2)
    groups: tuple[tuple[int, ...], ...] = ()

    @property
    def n_insider_teams(self) -> int:
        return len(self.insider_teams)

    @property
    def n_anonymous(self) -> int:
        return self.n_teams - len(self.insider_teams)

    @cached_property
    def lead1(self) -> tuple[ReducedAdversary, ...]:
        return tuple(a for a in self.adversaries if a.role == "lead1")

    @property
    def history_matters(self) -> bool:
        return self.no_repeat or bool(self.lead1)

    @property
    def class_depends_on_posture(self) -> bool:
        """A lead-1 posture watcher makes yesterday's class depend on the whole posture."""
        return any(a.sees == "posture" for a in self.lead1)

    # ------------------------------------------------------------------ semantics

    def sabotaged(self, adversary: ReducedAdversary, site: int, posts: tuple[int, ...]) -> int:
        """How many of the teams at ``site`` count for nothing when ``adversary`` attacks
        it: its own team (an insider) or every team it holds (a chain), if it sabotages."""
        if not adversary.sabotage:
            return 0
        if adversary.sees == "chain":
            return sum(1 for i in adversary.held if posts[i] == site)
        return int(adversary.insider is not None and posts[adversary.insider] == site)

    def dependencies(self, adversary: ReducedAdversary) -> frozenset[int]:
        """The insider teams whose posts the adversary's signal or loss depends on."""
        if adversary.sees == "chain":
            return frozenset(adversary.reached) | (
                frozenset(adversary.held) if adversary.sabotage else frozenset())
        return frozenset() if adversary.insider is None else frozenset({adversary.insider})

    def loss(self, adversary: ReducedAdversary, site: int, k: int, disabled: int) -> float:
        """Reduced success of ``adversary`` attacking ``site`` when the principal is there.

        ``k`` teams stand at ``site``; ``disabled`` of them are sabotaged by the adversary
        (:meth:`sabotaged`; it matters only for a saboteur). Divided by the number of rooms
        unless the adversary sees tonight's room (reduction 1).
        """
        k_eff = k - int(disabled) if adversary.sabotage else k
        value = float(self.success[site, max(0, min(k_eff, self.n_teams))])
        return value / self.rooms[site] if adversary.divide_by_rooms else value

    def posture_loss(self, site: int, k: int) -> float:
        """``c_a(k)``: a lead-0 posture watcher's reduced success at ``site`` with k teams."""
        return float(self.success[site, k]) / self.rooms[site]

    def signal(self, adversary: ReducedAdversary, column: Column) -> Hashable:
        """What ``adversary`` sees of the reduced night ``column`` (reduced signals)."""
        site, posture, posts = column
        if adversary.sees == "nothing":
            return ()
        if adversary.sees == "posture":
            return posture
        if adversary.sees in ("site", "room"):
            return site
        if adversary.sees == "chain":
            if not adversary.reached:  # it always sees the principal: tonight's site
                return site
            seen = tuple(posts[i] for i in adversary.reached)
            return (seen, site if site in seen else None)
        assert adversary.insider is not None
        post = posts[adversary.insider]
        return (post, post == site)

    def night_class(self, column: Column) -> tuple[Hashable, ...]:
        """Yesterday's class: every lead-1 signal, plus the site under ``no_repeat``."""
        parts: list[Hashable] = [self.signal(a, column) for a in self.lead1]
        if self.no_repeat:
            parts.append(column[0])
        return tuple(parts)

    def class_site(self, column: Column) -> int:
        return column[0]

    def feature(self, column: Column) -> Feature:
        """Tonight's feature: the site (for ``no_repeat``) and each lead-1 adversary's loss
        if it attacks tonight's site — all that lead-1 losses depend on, so nights with
        equal features are interchangeable for the history constraints."""
        site, posture, posts = column
        k = posture[site]
        return (site, *(self.loss(a, site, k, self.sabotaged(a, site, posts))
                        for a in self.lead1))

    def feature_loss(self, adversary: ReducedAdversary, feature: Feature) -> float:
        """Loss of a lead-1 adversary attacking tonight's site, from tonight's feature."""
        return float(feature[1 + self.lead1.index(adversary)])

    # ------------------------------------------------------------------ legality

    def insiders_at(self, posts: tuple[int, ...], site: int) -> int:
        return sum(1 for q in posts if q == site)

    def type_is_valid(self, site: int, k: int, posts: tuple[int, ...]) -> bool:
        """Whether some legal night has the principal at ``site`` with ``k`` teams there and
        the insider teams at ``posts``."""
        here = self.insiders_at(posts, site)
        anonymous_here = k - here
        elsewhere_insiders = len(posts) - here
        if k < self.min_teams or anonymous_here < 0 or anonymous_here > self.n_anonymous:
            return False
        if self.n_sites == 1:
            return k == self.n_teams
        return self.n_teams - k >= elsewhere_insiders

    def posture_is_consistent(self, posture: tuple[int, ...], posts: tuple[int, ...]) -> bool:
        return all(self.insiders_at(posts, q) <= posture[q] for q in range(self.n_sites))

    def canonical_posture(self, site: int, k: int, posts: tuple[int, ...]) -> tuple[int, ...]:
        """A posture with ``k`` teams at ``site`` and the insiders at ``posts``: anonymous
        teams not at ``site`` go to the first other site (no lead-0 posture watcher tells
        postures apart when this is used)."""
        counts = [self.insiders_at(posts, q) for q in range(self.n_sites)]
        counts[site] = k
        spare = self.n_teams - sum(counts)
        if spare:
            other = 0 if site != 0 else 1
            counts[other] += spare
        return tuple(counts)


#: Most reduced night types ``(site, teams there, insider posts)``, S·(T+1)·(canonical
#: placements of the insider teams), that the fast solver holds when hostile chains make
#: teams non-anonymous (the type table is built in Python: about 1 s per 100,000).
MAX_TYPES = 1_000_000


def _chain_teams(scenario: Scenario, adversary: Adversary) -> tuple[tuple[int, ...],
                                                                    tuple[int, ...], bool]:
    """Scenario team indices a hostile chain needs apart from the anonymous ones: the teams
    whose posts it sees and the teams it disables; and whether it always sees the principal
    (lead 0 and fewer unreached teams than the principal's minimum guard: some reached team
    stands with the principal every legal night, so its signal tells the site and it attacks
    there, whatever else it sees)."""
    reached, held = chain_team_indices(scenario, adversary)
    held = held if adversary.sabotage else ()
    always = adversary.lead == 0 and len(scenario.teams) - len(reached) < scenario.min_teams
    return (() if always else reached), held, always


def count_placements(n_sites: int, n_insiders: int, groups: tuple[tuple[int, ...], ...]) -> int:
    """How many canonical placements of the insider teams there are: ``S`` per single team,
    ``C(S + g - 1, g)`` per group of ``g`` (its multisets of posts)."""
    grouped = sum(len(g) for g in groups)
    out = n_sites ** (n_insiders - grouped)
    for g in groups:
        out *= math.comb(n_sites + len(g) - 1, len(g))
    return out


def _check_types(scenario: Scenario, n_insiders: int, groups: tuple[tuple[int, ...], ...],
                 chain_needs: dict[int, tuple[int, ...]]) -> None:
    n_sites, n_teams = len(scenario.sites), len(scenario.teams)
    types = n_sites * (n_teams + 1) * count_placements(n_sites, n_insiders, groups)
    if types <= MAX_TYPES or not chain_needs:
        return
    i = max(chain_needs, key=lambda j: len(chain_needs[j]))
    adversary = scenario.adversaries[i]
    raise InputError(
        f"adversaries[{i}].sees.chain", adversary.hostile_chain,
        f"makes {len(chain_needs[i])} teams non-anonymous ({n_insiders} in all): "
        f"{types} reduced night types exceed the fast solver's limit of {MAX_TYPES} "
        "(docs/nightly.md §5)")


def _interchangeable(scenario: Scenario, insider_teams: list[int],
                     chains: dict[int, tuple[tuple[int, ...], tuple[int, ...], bool]]
                     ) -> tuple[tuple[int, ...], ...]:
    """Groups of two or more insider teams that only hostile chains need, and the same
    chains in the same way (which see them, which disable them): permuting them changes no
    adversary's signal beyond the order of posts within the group, and no loss."""
    names = [team.name for team in scenario.teams]
    single_teams = {names.index(a.insider_team) for a in scenario.adversaries
                    if a.insider_team is not None}
    by_profile: dict[tuple[frozenset[int], frozenset[int]], list[int]] = {}
    for position, t in enumerate(insider_teams):
        if t in single_teams:
            continue
        profile = (frozenset(i for i, c in chains.items() if t in c[0]),
                   frozenset(i for i, c in chains.items() if t in c[1]))
        by_profile.setdefault(profile, []).append(position)
    return tuple(tuple(g) for g in by_profile.values() if len(g) > 1)


def reduce_scenario(scenario: Scenario) -> ReducedGame:
    """Apply the reductions of this module to a validated scenario.

    Raises
    ------
    InputError
        When hostile chains make so many teams non-anonymous that the reduced nights
        exceed :data:`MAX_TYPES`, naming the chain adversary.
    """
    n_sites, n_teams = len(scenario.sites), len(scenario.teams)
    success = np.array([[site.success_at(k) for k in range(n_teams + 1)]
                        for site in scenario.sites], dtype=float)
    team_index = {team.name: t for t, team in enumerate(scenario.teams)}
    insider_teams: list[int] = []
    for adversary in scenario.adversaries:
        team = adversary.insider_team
        if team is not None and team_index[team] not in insider_teams:
            insider_teams.append(team_index[team])
    chains: dict[int, tuple[tuple[int, ...], tuple[int, ...], bool]] = {}
    chain_needs: dict[int, tuple[int, ...]] = {}
    for i, adversary in enumerate(scenario.adversaries):
        if adversary.hostile_chain is None:
            continue
        chains[i] = _chain_teams(scenario, adversary)
        chain_needs[i] = tuple(dict.fromkeys(chains[i][0] + chains[i][1]))
        insider_teams.extend(t for t in chain_needs[i] if t not in insider_teams)
    groups = _interchangeable(scenario, insider_teams, chains)
    _check_types(scenario, len(insider_teams), groups, chain_needs)
    weights = scenario.weights
    reduced = []
    posture_weight = 0.0
    for j, adversary in enumerate(scenario.adversaries):
        if adversary.attacks == "roads":
            continue  # docs/design.md §12: the convoy's game (protect/nightly/roads_hook.py)
        sees, lead = adversary.sees_kind, adversary.lead
        if sees == "nothing":
            lead = 0  # stationarity: yesterday's nothing is today's nothing
        reached: tuple[int, ...] = ()
        held: tuple[int, ...] = ()
        if j in chains:
            reached = tuple(insider_teams.index(t) for t in chains[j][0])
            held = tuple(insider_teams.index(t) for t in chains[j][1])
        if lead == 0:
            role = {"nothing": "max0", "team": "max0", "posture": "posture0",
                    "site": "linear", "room": "linear",
                    "chain": "linear" if j in chains and chains[j][2] else "max0"}[sees]
        else:
            role = "lead1"
        insider = None
        if adversary.insider_team is not None:
            insider = insider_teams.index(team_index[adversary.insider_team])
        if role == "posture0":
            posture_weight += weights[adversary.name]
        reduced.append(ReducedAdversary(
            name=adversary.name, weight=weights[adversary.name], sees=sees, lead=lead,
            role=role, insider=insider, sabotage=adversary.sabotage,
            divide_by_rooms=not (sees == "room" and lead == 0), reached=reached, held=held))
    return ReducedGame(
        n_sites=n_sites, n_teams=n_teams, min_teams=scenario.min_teams,
        no_repeat=scenario.rules.no_repeat,
        rooms=tuple(site.rooms for site in scenario.sites), success=success,
        insider_teams=tuple(insider_teams), adversaries=tuple(reduced),
        posture_weight=posture_weight, groups=groups)


def insider_post_combinations(game: ReducedGame) -> list[tuple[int, ...]]:
    """Every canonical placement of the insider teams on sites, in lexicographic order:
    every placement, except that the posts within each of :attr:`ReducedGame.groups` are
    non-decreasing."""
    if not game.groups:
        return list(itertools.product(range(game.n_sites), repeat=game.n_insider_teams))
    previous = [-1] * game.n_insider_teams  # the group member before each, or -1
    for group in game.groups:
        for a, b in itertools.pairwise(group):
            previous[b] = a
    out: list[tuple[int, ...]] = []
    posts = [0] * game.n_insider_teams

    def place(i: int) -> None:
        if i == game.n_insider_teams:
            out.append(tuple(posts))
            return
        start = 0 if previous[i] < 0 else posts[previous[i]]
        for q in range(start, game.n_sites):
            posts[i] = q
            place(i + 1)

    place(0)
    return out


def valid_type_array(game: ReducedGame) -> np.ndarray:
    """``valid[s, k, i]``: :meth:`ReducedGame.type_is_valid` for placement i of
    :func:`insider_post_combinations`, computed at once (hostile chains make placements
    many)."""
    S, T, n_ins = game.n_sites, game.n_teams, game.n_insider_teams
    combinations = insider_post_combinations(game)
    placements = np.array(combinations, dtype=np.int64).reshape(len(combinations), n_ins)
    here = (placements[None, :, :] == np.arange(S)[:, None, None]).sum(axis=2)  # (S, posts)
    k = np.arange(T + 1)[None, :, None]
    anonymous_here = k - here[:, None, :]
    valid = (k >= game.min_teams) & (anonymous_here >= 0) & (anonymous_here <= game.n_anonymous)
    if S == 1:
        return valid & (k == T)
    return valid & (T - k >= n_ins - here[:, None, :])


def valid_types(game: ReducedGame) -> list[tuple[int, int, tuple[int, ...]]]:
    """Every ``(site, k, insider posts)`` some legal night realizes (site, k, posts in
    lexicographic order)."""
    posts = insider_post_combinations(game)
    return [(int(s), int(k), posts[int(i)]) for s, k, i in np.argwhere(valid_type_array(game))]


def all_postures(n_sites: int, n_teams: int) -> np.ndarray:
    """Every posture (ways to place ``n_teams`` identical teams on ``n_sites`` sites), one row
    each, in lexicographic order; ``C(n_teams + n_sites - 1, n_sites - 1)`` rows."""
    rows = []
    for bars in itertools.combinations(range(n_teams + n_sites - 1), n_sites - 1):
        previous, counts = -1, []
        for bar in bars:
            counts.append(bar - previous - 1)
            previous = bar
        counts.append(n_teams + n_sites - 1 - previous - 1)
        rows.append(counts)
    return np.array(rows, dtype=np.int16).reshape(-1, n_sites)
