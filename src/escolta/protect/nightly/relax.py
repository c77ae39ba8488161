"""The blind relaxation: the nightly game with every lead-1 adversary made blind
(docs/nightly.md §3d), solved first for a lower bound and a starting plan.

A lead-1 adversary sees yesterday's class σ and then attacks tonight's best site for it; its
success is Σ_σ max_a E[loss(a) ; σ] ≥ max_a Σ_σ E[loss(a) ; σ], which is the success of the
same adversary seeing nothing (same weight, same loss: both divide by the rooms, and neither
sabotages here). Every other adversary and rule is unchanged and the plans are the same, so
the relaxed optimum, and any lower bound on it, is a lower bound on the game's (Lemma 7).
Without lead-1 signals its classes and features are the sites, so its master is a fraction
of the game's: at 100 sites × 30 teams its bound passes the game's own within seconds.
Its plan, given posts for the insider teams it does not have, starts the game's column
generation as blocks (docs/nightly.md §3f).
"""

from __future__ import annotations

import itertools

from escolta.protect.nightly.master import Block
from escolta.protect.nightly.reduce import Column, ReducedGame
from escolta.protect.scenario import Adversary, Scenario

#: Most placements of the game's extra insider teams tried per relaxed night when lifting.
PLACEMENTS_TRIED = 64
#: Most lifted nights the game's first master's blocks hold (its first solve is never cut
#: short).
MAX_LIFTED = 20_000


def blind_relaxation(scenario: Scenario) -> Scenario | None:
    """``scenario`` with every weighted lead-1 adversary of the nightly game replaced by one
    of the same name and weight that sees nothing, or ``None`` when there is none or one of
    them sabotages (a saboteur's blind version is a relaxation only where success never
    rises with teams, which the scenario does not promise)."""
    lead1 = [a for a in scenario.adversaries
             if a.lead == 1 and a.attacks == "nights" and a.sees_kind != "nothing"
             and a.weight > 0.0]
    if not lead1 or any(a.sabotage for a in lead1):
        return None
    names = {a.name for a in lead1}
    adversaries = [Adversary(name=a.name, weight=a.weight) if a.name in names else a
                   for a in scenario.adversaries]
    return scenario.model_copy(update={"adversaries": adversaries})


def lift_night(relaxed: ReducedGame, game: ReducedGame, column: Column) -> Column | None:
    """The night of ``game`` for the relaxed game's night ``column``: the insider teams
    both games have keep their posts, and the others stand at the first placement over the
    occupied sites, the principal's first, that ``game`` allows (of at most
    :data:`PLACEMENTS_TRIED`); ``None`` when none is found."""
    position = {t: i for i, t in enumerate(relaxed.insider_teams)}
    free = [i for i, t in enumerate(game.insider_teams) if t not in position]
    site, posture, posts = column
    k = posture[site]
    occupied = [site] + [q for q in range(game.n_sites) if posture[q] > 0 and q != site]
    for placement in itertools.islice(itertools.product(occupied, repeat=len(free)),
                                      PLACEMENTS_TRIED):
        lifted = [posts[position[t]] if t in position else 0 for t in game.insider_teams]
        for i, q in zip(free, placement, strict=True):
            lifted[i] = q
        for group in game.groups:  # the canonical order within interchangeable teams
            for i, q in zip(group, sorted(lifted[i] for i in group), strict=True):
                lifted[i] = q
        new_posts = tuple(lifted)
        new_posture = (posture if game.posture_weight > 0.0
                       else game.canonical_posture(site, k, new_posts))
        if (game.type_is_valid(site, k, new_posts)
                and game.posture_is_consistent(new_posture, new_posts)):
            return (site, new_posture, new_posts)
    return None


def lift_blocks(relaxed: ReducedGame, game: ReducedGame, columns: list[Column],
                x: list[float]) -> list[Block]:
    """The relaxed plan (its nights ``columns`` with probabilities ``x``) as blocks of
    ``game``: the nights of each posture, most likely posture first, lifted
    (:func:`lift_night`; a night that cannot be is dropped) with their shares of the
    posture's probability (docs/nightly.md §3f), or each night alone without a posture
    watcher. At most :data:`MAX_LIFTED` nights in all."""
    by_posture: dict[tuple[int, ...], dict[Column, float]] = {}
    count = 0
    for column, p in sorted(zip(columns, x, strict=True), key=lambda item: -item[1]):
        night = lift_night(relaxed, game, column)
        if night is None:
            continue
        nights = by_posture.setdefault(night[1] if game.posture_weight > 0.0 else night, {})
        if night not in nights:
            count += 1
        nights[night] = nights.get(night, 0.0) + p
        if count >= MAX_LIFTED:
            break
    totals = [(sum(nights.values()), nights) for nights in by_posture.values()]
    totals.sort(key=lambda item: -item[0])
    return [(tuple(nights), tuple(p / total for p in nights.values()))
            for total, nights in totals]
