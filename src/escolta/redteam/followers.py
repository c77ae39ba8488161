"""Followers: learners that tell one team apart (a face, a car) and follow it.

A follower of team T sees, each night, where T stands, and each morning learns where the
principal slept. It predicts tonight's site as the site the principal most often slept at on
the nights T stood where it stands tonight (an online frequency learner, conditioned on T's
post: :func:`escolta.redteam.markov` with T's post as context; before it has seen T there, it
guesses the principal is with T), and attacks a room of that site at random. Its success is
``success_at(k)`` of the site when it finds the principal's room.

A team that stands with the principal more often than the others is a beacon: a plan that
posts its anonymous teams in file order makes the first of them one, while the spread export
(:mod:`escolta.protect.nightly.export`) gives every anonymous team the same share.

:func:`follower_limit` is the exact long-run success of a follower of T against a plan, from
its nights alone (ties between most frequent sites shared equally); :func:`blind_success` is
what an attacker who knows only the plan's odds gets; a follower's *gain* is the difference.

Examples
--------
>>> from escolta.protect.plan import Night, Plan, SolverInfo
>>> from escolta.protect.scenario import load_scenario
>>> s = load_scenario({"principal": "P", "sites": [{"name": "a", "success": [1.0, 0.5]},
...     {"name": "b", "success": [1.0, 0.5]}], "teams": [{"name": "t", "chain": "g"}],
...     "adversaries": [{"name": "x", "weight": 1}]})
>>> plan = Plan(0.5, {"x": 0.5}, {"a": 0.5, "b": 0.5}, (Night(0.5, "a", 1, {"t": "a"}),
...     Night(0.5, "b", 1, {"t": "b"})), None, SolverInfo("given", 0, 0))
>>> follower_limit(s, plan, "t"), blind_success(s, plan)
(0.5, 0.25)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from escolta.errors import InputError
from escolta.protect.draws import simulate_indices
from escolta.protect.nights import state_of
from escolta.protect.plan import Plan
from escolta.protect.scenario import Scenario
from escolta.redteam.intervals import Estimate, batch_estimate
from escolta.redteam.markov import _online_argmax
from escolta.redteam.simulate import BATCHES_PER_RUN, batch_moments

#: Two frequencies closer than this are a tie.
TIE = 1e-9


@dataclass(frozen=True)
class FollowerOutcome:
    """A follower of one team: simulated success and hit rate, the exact long-run success
    against the plan (``predicted``), the blind attacker's figure and the gain over it."""

    team: str
    success: Estimate
    hits: Estimate
    predicted: float
    blind: float
    share_with_principal: float

    @property
    def gain(self) -> float:
        return self.success.rate - self.blind

    def to_dict(self) -> dict[str, Any]:
        return {"success": self.success.rate, "ci": [self.success.low, self.success.high],
                "predicted": self.predicted, "hit_rate": self.hits.rate,
                "blind": self.blind, "gain": self.gain,
                "with_principal": self.share_with_principal}


@dataclass(frozen=True)
class _Flat:
    """The plan's nights as arrays: site, room, T's post, success if found, rooms."""

    p: np.ndarray
    site: np.ndarray
    room: np.ndarray
    post: np.ndarray
    success: np.ndarray
    rooms: np.ndarray


def _flatten(scenario: Scenario, plan: Plan, team: str) -> _Flat:
    names = [t.name for t in scenario.teams]
    if team not in names:
        raise InputError("team", team, "no such team in the scenario")
    t = names.index(team)
    states = [state_of(scenario, night) for night in plan.nights]
    return _Flat(
        p=np.asarray(plan.night_probabilities, dtype=float),
        site=np.array([s.site for s in states], dtype=np.int64),
        room=np.array([s.room for s in states], dtype=np.int64),
        post=np.array([s.posts[t] for s in states], dtype=np.int64),
        success=np.array([scenario.sites[s.site].success_at(s.teams_at(s.site))
                          for s in states]),
        rooms=np.array([site.rooms for site in scenario.sites], dtype=np.int64))


def follower_limit(scenario: Scenario, plan: Plan, team: str) -> float:
    """The exact long-run success of a follower of ``team`` against ``plan``.

    For each post q of the team, the follower attacks the site a maximizing
    P(post = q, principal at a) (ties shared equally), a room at random:
    Σ_q mean_{a tied} Σ_{ω: post q, site a} P(ω) · success(ω) / R_a.
    """
    flat = _flatten(scenario, plan, team)
    n_sites = len(scenario.sites)
    total = 0.0
    for q in range(n_sites):
        here = flat.post == q
        if not here.any():
            continue
        mass = np.bincount(flat.site[here], weights=flat.p[here], minlength=n_sites)
        value = np.bincount(flat.site[here], weights=flat.p[here] * flat.success[here],
                            minlength=n_sites) / flat.rooms
        tied = mass >= mass.max() - TIE
        total += float(value[tied].mean())
    return total


def blind_success(scenario: Scenario, plan: Plan) -> float:
    """What an attacker who knows only the plan's odds wins: max over (site, room)."""
    value: dict[tuple[str, int], float] = {}
    for night in plan.nights:
        state = state_of(scenario, night)
        gain = night.p * scenario.sites[state.site].success_at(state.teams_at(state.site))
        value[(night.site, night.room)] = value.get((night.site, night.room), 0.0) + gain
    return max(value.values(), default=0.0)


def _play(flat: _Flat, nights: int, plan: Plan, rng: np.random.Generator
          ) -> tuple[np.ndarray, np.ndarray]:
    tonight = simulate_indices(plan, nights, rng)
    post, site = flat.post[tonight], flat.site[tonight]
    guess, seen = _online_argmax(post, site, len(flat.rooms))
    guess = np.where(seen, guess, post)  # nothing learnt yet: with the team
    hit = guess == site
    room = np.floor(rng.random(nights) * flat.rooms[guess]).astype(np.int64) + 1
    found = hit & (room == flat.room[tonight])
    success = found & (rng.random(nights) < flat.success[tonight])
    return hit, success


def follow_team(scenario: Scenario, plan: Plan, team: str, *, nights: int, runs: int,
                seed: int, level: float = 0.95) -> FollowerOutcome:
    """Simulate a follower of ``team`` for ``runs`` runs of ``nights`` nights (seeded:
    simulation only)."""
    flat = _flatten(scenario, plan, team)
    seeds = np.random.SeedSequence([seed, 0xF011]).spawn(runs)
    batches = max(1, min(BATCHES_PER_RUN, nights // 10))
    hits = np.zeros((runs, nights), dtype=bool)
    successes = np.zeros((runs, nights), dtype=bool)
    for r, s in enumerate(seeds):
        hits[r], successes[r] = _play(flat, nights, plan, np.random.default_rng(s))
    count = runs * nights
    hit_moments = batch_moments(hits, batches).sum(axis=0)
    success_moments = batch_moments(successes, batches).sum(axis=0)
    with_principal = float(flat.p[flat.post == flat.site].sum() / flat.p.sum())
    return FollowerOutcome(
        team=team,
        success=batch_estimate(float(successes.sum()), count, success_moments,
                               batches * runs, level),
        hits=batch_estimate(float(hits.sum()), count, hit_moments, batches * runs, level),
        predicted=follower_limit(scenario, plan, team),
        blind=blind_success(scenario, plan),
        share_with_principal=with_principal)


def follow_every_team(scenario: Scenario, plan: Plan, *, nights: int, runs: int,
                      seed: int) -> dict[str, FollowerOutcome]:
    """A follower of each team of the scenario, by team name."""
    return {team.name: follow_team(scenario, plan, team.name, nights=nights, runs=runs,
                                   seed=seed)
            for team in scenario.teams}
