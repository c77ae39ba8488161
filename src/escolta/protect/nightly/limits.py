"""The sizes the fast nightly solver holds, checked before it allocates anything.

Each check estimates what a step would hold in memory (or build in Python) from the
reduced game's sizes alone and refuses in one line, naming the limit and what to change,
instead of ending in a MemoryError or running for hours (docs/nightly.md §5).
"""

from __future__ import annotations

from escolta.errors import InputError
from escolta.protect.nightly.reduce import ReducedGame, count_placements

#: Most bytes the posture enumeration (strategy ``generate``) may hold: every posture as a
#: row of int16 counts, and its block value.
MAX_ENUMERATION_BYTES = 1 << 30
#: Most types ``(site, teams there, insider posts)`` the pricing table is built for (in
#: NumPy, :mod:`.type_arrays`: about 1 µs and 200 bytes each at their peak).
MAX_TABLE_TYPES = 8_000_000
#: Most history variables ``J(yesterday's class, tonight's feature)`` the solver scans for
#: their reduced costs (each round, in compiled code: about 1 ns each; only those that
#: enter are held, docs/nightly.md §3c).
MAX_HISTORY = 400_000_000


def enumeration_bytes(n_sites: int, n_teams: int) -> int:
    """Bytes the posture enumeration allocates: ``C(T+S−1, S−1)`` rows of S int16 counts
    and one float64 block value each."""
    from escolta.protect.nightly.pricing import count_postures

    return count_postures(n_sites, n_teams) * (2 * n_sites + 8)


def check_enumeration(game: ReducedGame) -> None:
    """Refuse the enumeration pricing when its postures would pass
    :data:`MAX_ENUMERATION_BYTES`."""
    needed = enumeration_bytes(game.n_sites, game.n_teams)
    if needed > MAX_ENUMERATION_BYTES:
        raise InputError(
            "strategy", "generate",
            f"would enumerate every posture of {game.n_sites} sites x {game.n_teams} teams, "
            f"about {needed / 2**30:.1f} GiB, above the limit of "
            f"{MAX_ENUMERATION_BYTES / 2**30:.0f} GiB; the knapsack strategy (the default) "
            "prices postures without enumerating them")


def prices_by_knapsack_alone(game: ReducedGame) -> bool:
    """Whether a game without a posture watcher is priced by the knapsack (with W = 0 its
    block value is the least D of the posture, docs/nightly.md §3b) rather than by spreading
    D over every placement: when D is separable and every placement would pass
    :data:`MAX_TABLE_TYPES` types."""
    from escolta.protect.nightly.pricing import is_separable

    if game.posture_weight > 0.0 or not is_separable(game):
        return False
    S, K = game.n_sites, game.n_teams + 1
    return S * K * count_placements(S, game.n_insider_teams, game.groups) > MAX_TABLE_TYPES


def _compact(game: ReducedGame) -> bool:
    """Whether the table holds only the base placement and the one-insider moves."""
    from escolta.protect.nightly.pricing import is_separable

    return is_separable(game) and (game.posture_weight > 0.0
                                   or prices_by_knapsack_alone(game))


def table_type_count(game: ReducedGame) -> int:
    """Types the pricing table holds: separable with a posture watcher (or priced by the
    knapsack alone), the base placement and every one-insider move from it; else every
    placement (without a posture watcher the pricing spreads D over every placement)."""
    S, K, n_ins = game.n_sites, game.n_teams + 1, game.n_insider_teams
    if _compact(game):
        return S * K * (1 + n_ins * (S - 1))
    return S * K * count_placements(S, n_ins, game.groups)


def check_table(game: ReducedGame, strategy: str) -> None:
    """Refuse a pricing table above :data:`MAX_TABLE_TYPES` types, saying why it is large."""
    types = table_type_count(game)
    if types <= MAX_TABLE_TYPES:
        return
    if _compact(game):
        why = (f"{game.n_sites} sites x {game.n_teams + 1} team counts x "
               f"{1 + game.n_insider_teams * (game.n_sites - 1)} insider posts")
        change = "fewer insider teams (put insiders in the same team) or fewer sites"
    else:
        why = (f"the posts of {game.n_insider_teams} insider teams are coupled (lead-1 "
               "insiders in two teams, or a hostile chain reaching several), so every "
               "placement is a type")
        change = ("make all but one of the lead-1 insiders lead 0, or put them in one team, "
                  "or give the chain's teams a mix")
    raise InputError("scenario", f"{types:,} reduced night types",
                     f"{why}: above the fast solver's limit of {MAX_TABLE_TYPES:,}; {change}")


def check_history(game: ReducedGame, classes: int, features: int) -> None:
    """Refuse a game whose history variables (classes x features, each scanned every
    pricing round: :mod:`.history`) pass :data:`MAX_HISTORY`."""
    if not game.history_matters:
        return
    if classes * features > MAX_HISTORY:
        raise InputError(
            "scenario", f"{classes:,} classes of yesterday x {features:,} features of tonight",
            f"{classes * features:,} history variables exceed the fast solver's limit of "
            f"{MAX_HISTORY:,}; a lead-1 insider makes the classes sites x sites, a lead-1 "
            "site or room watcher with no_repeat sites: make the insider lead 0 or use "
            "fewer sites")
