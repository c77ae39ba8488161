"""Expand the reduced solution into the plan of design.md section 5.

Each reduced night ``(s, n, p)`` with probability ``x`` becomes ``R_s`` nights (one per room,
``x / R_s`` each: rooms uniform and independent, reduction 1); insider teams stand at ``p``;
anonymous teams fill the posture ``n`` in file order, site by site (any assignment of
anonymous teams gives every adversary the same success, reduction 2). With history the
two-night law is the lift of ``J`` (:mod:`escolta.protect.nightly.master`)::

    P(yesterday = i, tonight = j) = x_i / P_class(c_i) · J(c_i, f_j) · x_j / P_f(f_j)

spread uniformly over the rooms of both nights. Each adversary's success is measured on the
reduced solution (:func:`reduced_success`), which equals its success on the exported plan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable

import numpy as np

from escolta.protect.nightly.master import Master, MasterSolution
from escolta.protect.nightly.reduce import Column, Feature, ReducedGame
from escolta.protect.plan import Night, Pair
from escolta.protect.scenario import Scenario

#: Reduced nights below this probability are dropped from the exported support.
SUPPORT_TOLERANCE = 1e-10


def support(solution: MasterSolution) -> tuple[list[Column], np.ndarray]:
    """The reduced nights with positive probability, and their (renormalized) probabilities."""
    keep = [i for i, value in enumerate(solution.p) if value > SUPPORT_TOLERANCE]
    columns = [solution.columns[i] for i in keep]
    x = np.clip(solution.p[keep], 0.0, None)
    return columns, x / x.sum()


def history_law(master: Master, solution: MasterSolution
                ) -> dict[tuple[Hashable, Feature], float]:
    """``J(y, f)`` of the solution, positive entries only."""
    return {key: float(value) for key, value in zip(master.j_keys, solution.j, strict=True)
            if value > SUPPORT_TOLERANCE}


def reduced_success(game: ReducedGame, columns: list[Column], x: np.ndarray,
                    law: dict[tuple[Hashable, Feature], float]) -> dict[str, float]:
    """Each adversary's success: ``Σ_σ max_a Σ P(σ, a) loss`` on the reduced plan."""
    out: dict[str, float] = {}
    for adversary in game.adversaries:
        acc: dict[tuple[Hashable, int], float] = defaultdict(float)
        if adversary.lead == 0:
            for column, p in zip(columns, x, strict=True):
                site, posture, posts = column
                if adversary.sees == "posture":
                    loss = game.posture_loss(site, posture[site])
                else:
                    loss = game.loss(adversary, site, posture[site],
                                     game.sabotaged(adversary, site, posts))
                acc[(game.signal(adversary, column), site)] += p * loss
        else:
            position = game.lead1.index(adversary)
            for (y, f), value in law.items():
                acc[(y[position], f[0])] += value * game.feature_loss(adversary, f)  # type: ignore[index]
        best: dict[Hashable, float] = defaultdict(float)
        for (sigma, _), value in acc.items():
            best[sigma] = max(best[sigma], value)
        out[adversary.name] = float(sum(best.values()))
    return out


def anonymous_posts(game: ReducedGame, posture: tuple[int, ...],
                    posts: tuple[int, ...]) -> list[int]:
    """The site of every team: insiders at ``posts``, anonymous teams filling the rest."""
    left = list(posture)
    for q in posts:
        left[q] -= 1
    where = [-1] * game.n_teams
    for i, team in enumerate(game.insider_teams):
        where[team] = posts[i]
    site = 0
    for team in range(game.n_teams):
        if where[team] >= 0:
            continue
        while left[site] == 0:
            site += 1
        where[team] = site
        left[site] -= 1
    return where


def export_nights(scenario: Scenario, game: ReducedGame, columns: list[Column],
                  x: np.ndarray) -> tuple[list[Night], list[int]]:
    """Nights (one per room of each reduced night) and the reduced night each comes from."""
    nights: list[Night] = []
    origin: list[int] = []
    site_names = [site.name for site in scenario.sites]
    for i, (column, p) in enumerate(zip(columns, x, strict=True)):
        site, posture, posts = column
        where = anonymous_posts(game, posture, posts)
        team_posts = {team.name: site_names[where[t]] for t, team in enumerate(scenario.teams)}
        rooms = game.rooms[site]
        for room in range(1, rooms + 1):
            nights.append(Night(p=float(p) / rooms, site=site_names[site], room=room,
                                posts=team_posts))
            origin.append(i)
    return nights, origin


def export_pairs(game: ReducedGame, columns: list[Column], x: np.ndarray,
                 law: dict[tuple[Hashable, Feature], float],
                 origin: list[int]) -> list[Pair]:
    """The stationary two-night law over the exported nights (the lift of J)."""
    classes = [game.night_class(c) for c in columns]
    features = [game.feature(c) for c in columns]
    p_class: dict[Hashable, float] = defaultdict(float)
    p_feature: dict[Feature, float] = defaultdict(float)
    for y, f, p in zip(classes, features, x, strict=True):
        p_class[y] += p
        p_feature[f] += p
    by_feature: dict[Feature, list[int]] = defaultdict(list)
    for j, f in enumerate(features):
        by_feature[f].append(j)
    nights_of: dict[int, list[int]] = defaultdict(list)
    for n, i in enumerate(origin):
        nights_of[i].append(n)
    # J rows, renormalized to the class law of the kept support
    transitions: dict[Hashable, dict[Feature, float]] = defaultdict(dict)
    for (y, f), value in law.items():
        if y in p_class and f in p_feature:
            transitions[y][f] = value
    pairs: list[Pair] = []
    for i, (y, p_i) in enumerate(zip(classes, x, strict=True)):
        row = transitions.get(y, {})
        total = sum(row.values())
        if total <= 0.0:
            continue
        for f, value in sorted(row.items()):
            for j in by_feature[f]:
                q = p_i * (value / total) * x[j] / p_feature[f]
                if q <= 0.0:
                    continue
                share = q / (len(nights_of[i]) * len(nights_of[j]))
                for a in nights_of[i]:
                    for b in nights_of[j]:
                        pairs.append(Pair(a, b, float(share)))
    return pairs
