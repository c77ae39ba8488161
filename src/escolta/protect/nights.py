"""The semantics of the nightly game (docs/design.md §4) as small, plain functions.

This module is the reference everyone shares: the brute-force LP
(:mod:`escolta.protect.reference`), the evaluator (:mod:`escolta.protect.evaluate`), the fast
solver's tests, the red team's simulated adversaries. It is written to be obviously correct,
not fast.

A night is a :class:`NightState` ``(site, room, posts)``: the principal's site (an index into
``scenario.sites``), the room (numbered from 1, as in the plan export), and for each team of
``scenario.teams`` (in file order) the index of the site where it stands.

Examples
--------
>>> from escolta.protect.scenario import load_scenario
>>> s = load_scenario({"principal": "P",
...     "sites": [{"name": "a", "rooms": 2, "success": [0.6, 0.3]},
...               {"name": "b", "success": [0.9, 0.5]}],
...     "teams": [{"name": "t", "chain": "guard"}],
...     "adversaries": [{"name": "x", "weight": 1, "sees": {"team": "t"}, "sabotage": True}]})
>>> count_nights(s), len(legal_nights(s))
(3, 3)
>>> night = NightState(site=0, room=2, posts=(0,))
>>> spy = s.adversaries[0]
>>> signal(s, spy, night), k_eff(s, spy, night), success(s, spy, (0, 2), night)
((0, True), 0, 0.6)
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Iterator
from dataclasses import dataclass

from escolta.errors import InputError
from escolta.protect.chains import holds, reaches
from escolta.protect.plan import Night
from escolta.protect.roads_settings import drives
from escolta.protect.scenario import Adversary, Scenario

#: A target of an attack: ``(site index, room number from 1)``. Not attacking is always
#: possible and is worth 0, so it is not listed.
Target = tuple[int, int]

#: What an adversary sees; compare only signals of the same adversary.
Signal = Hashable


@dataclass(frozen=True, order=True)
class NightState:
    """One night: the principal's ``site`` (index), ``room`` (from 1), and ``posts``.

    ``posts[t]`` is the index of the site where team ``scenario.teams[t]`` stands.
    """

    site: int
    room: int
    posts: tuple[int, ...]

    def teams_at(self, site: int) -> int:
        """How many teams stand at ``site`` tonight."""
        return sum(1 for post in self.posts if post == site)

    def posture(self, n_sites: int) -> tuple[int, ...]:
        """The number of teams at each site: what a ``posture`` watcher sees."""
        return tuple(self.teams_at(a) for a in range(n_sites))


# --------------------------------------------------------------------------- enumeration


def is_legal(scenario: Scenario, night: NightState) -> bool:
    """At least ``min_teams_with_principal`` teams stand at the principal's site."""
    return (
        0 <= night.site < len(scenario.sites)
        and 1 <= night.room <= scenario.sites[night.site].rooms
        and len(night.posts) == len(scenario.teams)
        and all(0 <= post < len(scenario.sites) for post in night.posts)
        and night.teams_at(night.site) >= scenario.min_teams
    )


def count_nights(scenario: Scenario) -> int:
    """The number of legal nights, without enumerating them.

    For each site s with R_s rooms, the assignments of T teams to S sites with at least m at
    s number ``sum_{k>=m} C(T, k) (S-1)^(T-k)``.
    """
    n_sites, n_teams, m = len(scenario.sites), len(scenario.teams), scenario.min_teams
    posts = sum(math.comb(n_teams, k) * (n_sites - 1) ** (n_teams - k)
                for k in range(m, n_teams + 1))
    return sum(site.rooms for site in scenario.sites) * posts


def iter_legal_nights(scenario: Scenario) -> Iterator[NightState]:
    """Every legal night, in a fixed order (site, room, posts lexicographic)."""
    n_sites = len(scenario.sites)
    for s, site in enumerate(scenario.sites):
        for posts in itertools.product(range(n_sites), repeat=len(scenario.teams)):
            if sum(1 for post in posts if post == s) < scenario.min_teams:
                continue
            for room in range(1, site.rooms + 1):
                yield NightState(s, room, tuple(posts))


def legal_nights(scenario: Scenario, limit: int | None = None) -> list[NightState]:
    """All legal nights; refuse (``InputError``) when there are more than ``limit``."""
    total = count_nights(scenario)
    if limit is not None and total > limit:
        raise InputError(
            "scenario",
            f"{len(scenario.sites)} sites, {len(scenario.teams)} teams, {total} nights",
            f"too many nights to enumerate (limit {limit}); use the fast method",
        )
    return list(iter_legal_nights(scenario))


def targets(scenario: Scenario) -> list[Target]:
    """Every (site index, room) an adversary may attack; not attacking is implicit."""
    return [(a, b) for a, site in enumerate(scenario.sites) for b in range(1, site.rooms + 1)]


# --------------------------------------------------------------------------- signals


def _team_index(scenario: Scenario, name: str) -> int:
    for t, team in enumerate(scenario.teams):
        if team.name == name:
            return t
    raise InputError("sees.team", name, "no such team in teams")


def observed(scenario: Scenario, adversary: Adversary, night: NightState) -> Signal:
    """What ``adversary`` sees of ``night`` (the night it watches, whatever its lead).

    - ``nothing``: ``()``;
    - ``posture``: the number of teams at each site, a tuple over sites;
    - ``site``: the principal's site index; ``room``: ``(site, room)``;
    - ``{team: T}``: ``(site where T stands, whether the principal is there)``;
    - ``{chain: C}``: that pair for every team C reaches (docs/design.md §9), in file order.
    """
    kind = adversary.sees_kind
    if kind == "chain":
        return tuple((night.posts[t], night.posts[t] == night.site)
                     for t in chain_team_indices(scenario, adversary)[0])
    if kind in ("nothing", "trip"):  # trip: a road adversary sees nothing of the night
        return ()
    if kind == "posture":
        return night.posture(len(scenario.sites))
    if kind == "site":
        return night.site
    if kind == "room":
        return (night.site, night.room)
    assert adversary.insider_team is not None
    post = night.posts[_team_index(scenario, adversary.insider_team)]
    return (post, post == night.site)


def signal(
    scenario: Scenario,
    adversary: Adversary,
    night: NightState,
    yesterday: NightState | None = None,
) -> Signal:
    """What ``adversary`` knows before attacking on ``night``.

    With ``lead: 0`` it sees tonight; with ``lead: 1`` it sees ``yesterday`` (required).
    """
    if adversary.lead == 0:
        return observed(scenario, adversary, night)
    if yesterday is None:
        raise ValueError(f"adversary {adversary.name!r} has lead 1: yesterday is needed")
    return observed(scenario, adversary, yesterday)


# --------------------------------------------------------------------------- success


def chain_team_indices(scenario: Scenario, adversary: Adversary
                       ) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The indices of the teams a hostile chain reaches, and of those it holds."""
    chain = adversary.hostile_chain
    if chain is None:
        return (), ()
    return (tuple(t for t, team in enumerate(scenario.teams) if reaches(team, chain)),
            tuple(t for t, team in enumerate(scenario.teams) if holds(team, chain)))


def k_eff(scenario: Scenario, adversary: Adversary, night: NightState) -> int:
    """Teams at the principal's site, less one if ``adversary`` sabotages from there, less
    every team a sabotaging hostile chain holds there."""
    k = night.teams_at(night.site)
    if adversary.sabotage and adversary.hostile_chain is not None:
        held = chain_team_indices(scenario, adversary)[1]
        return k - sum(1 for t in held if night.posts[t] == night.site)
    if adversary.sabotage and adversary.insider_team is not None:
        if night.posts[_team_index(scenario, adversary.insider_team)] == night.site:
            k -= 1
    return k


def night_success(scenario: Scenario, adversary: Adversary, night: NightState) -> float:
    """Success of ``adversary`` if it attacks the principal's own room on ``night``
    (none for a road adversary: it attacks the convoy, docs/design.md §12)."""
    if adversary.attacks == "roads":
        return 0.0
    return scenario.sites[night.site].success_at(k_eff(scenario, adversary, night))


def success(
    scenario: Scenario, adversary: Adversary, target: Target | None, night: NightState
) -> float:
    """The loss when ``adversary`` attacks ``target`` (``None``: no attack) on ``night``.

    ``[site = a][room = b] * success_a[k_eff]`` (docs/design.md §4).
    """
    if target is None or target != (night.site, night.room):
        return 0.0
    return night_success(scenario, adversary, night)


# --------------------------------------------------------------------------- history


def history_matters(scenario: Scenario) -> bool:
    """True when any adversary has ``lead: 1``, ``no_repeat`` is set, or an adversary attacks
    the roads (the trip depends on yesterday's site): the plan is a chain."""
    return (scenario.rules.no_repeat or any(a.lead == 1 for a in scenario.adversaries)
            or drives(scenario))


def night_class(scenario: Scenario, night: NightState) -> tuple[Hashable, ...]:
    """The class of a night as yesterday: every lead-1 adversary's signal, plus the site
    under ``no_repeat`` (docs/design.md §4, reference formulation)."""
    parts: list[Hashable] = [observed(scenario, a, night)
                             for a in scenario.adversaries if a.lead == 1]
    if scenario.rules.no_repeat or drives(scenario):  # the trip starts from yesterday's site
        parts.append(night.site)
    return tuple(parts)


def may_follow(scenario: Scenario, yesterday: NightState, tonight: NightState) -> bool:
    """Whether ``tonight`` may follow ``yesterday`` (``no_repeat`` forbids the same site)."""
    return not (scenario.rules.no_repeat and yesterday.site == tonight.site)


# --------------------------------------------------------------------------- plan nights


def state_of(scenario: Scenario, night: Night) -> NightState:
    """The :class:`NightState` of an exported :class:`~escolta.protect.plan.Night`."""
    names = [site.name for site in scenario.sites]
    if night.site not in names:
        raise InputError("night.site", night.site, "no such site in the scenario")
    posts = []
    for team in scenario.teams:
        post = night.posts.get(team.name)
        if post not in names:
            raise InputError(f"night.posts.{team.name}", post, "no such site in the scenario")
        posts.append(names.index(post))
    extra = set(night.posts) - {team.name for team in scenario.teams}
    if extra:
        raise InputError("night.posts", sorted(extra)[0], "no such team in the scenario")
    state = NightState(names.index(night.site), int(night.room), tuple(posts))
    if not 1 <= state.room <= scenario.sites[state.site].rooms:
        raise InputError("night.room", night.room,
                         f"site {night.site} has rooms 1..{scenario.sites[state.site].rooms}")
    return state


def plan_night(scenario: Scenario, state: NightState, p: float) -> Night:
    """The exported :class:`~escolta.protect.plan.Night` of ``state`` with probability ``p``."""
    return Night(
        p=float(p),
        site=scenario.sites[state.site].name,
        room=state.room,
        posts={team.name: scenario.sites[post].name
               for team, post in zip(scenario.teams, state.posts, strict=True)},
    )
