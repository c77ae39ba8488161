"""The stated ceilings of a scenario: every size that drives the planner's time or memory.

Each is checked while the scenario is validated, before any solving starts, and refused in
one line naming the field, the value and the limit (docs/scenario.md, "Limits"). The single
fields are bounded in the pydantic models of :mod:`escolta.protect.scenario` with these
constants; :func:`check_scenario_size` checks what spans fields (the placements of insiders).
What the nightly solver can hold at a given size (postures enumerated, types priced, history
variables) it checks itself before it allocates (:mod:`escolta.protect.nightly.limits`): its
knapsack pricing never lists the postures, so their number is no limit of the scenario.

The ceilings sit above a national service (200 sites, 50 teams: the national-scale benchmark)
and below the sizes that ran without end in issue 17 (1,000 and 100,000 sites).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from escolta.errors import InputError

if TYPE_CHECKING:
    from escolta.protect.scenario import Scenario

MAX_NAME_LENGTH = 100
"""Characters in any name (principal, site, room, team, chain, adversary, venue)."""
MAX_SITES = 250
MAX_ROOMS = 100
"""Rooms of one site (the plan lists a night per room)."""
MAX_SUCCESS_ENTRIES = 64
"""Entries of one ``success`` list (one per number of teams posted)."""
MAX_TEAMS = 64
MAX_ADVERSARIES = 32
MAX_INSIDER_PLACEMENTS = 1_000_000
"""Sites ** (teams with an insider): the placements insider pricing may scan."""
MAX_PHONES_PER_MONTH = 1_000
MAX_PHONE_DAYS = 366
"""``phones.max_days``: a handset kept at most a year."""
MAX_SLOTS = 500
"""Candidate appearance slots in a week: more than one for each of its 336 half hours.
Column generation takes 1.7 s at 500 slots and 14 a week, 6.3 s at 1,000
(``benchmarks/bench_appearances.py`` measures up to 200)."""
MAX_PER_WEEK = 14
"""Appearances a week (two a day)."""
MAX_APPEARANCE_ADVERSARIES = 32
MAX_HOURS = 24 * 366
"""Any duration in hours (``announce_hours``, ``min_gap_hours``, ``prep_hours``, ``hours``)."""
MAX_WEIGHT = 1e12
"""An adversary's weight (weights are normalized; a larger one only loses precision)."""


MAX_CYCLE_SWEEP = 60
"""Cycle lengths ``phones sweep`` re-solves the plan for (``--max-days``)."""


def check_scenario_size(scenario: Scenario) -> None:
    """Refuse a scenario whose solver work exceeds the ceilings that span fields.

    Raises
    ------
    InputError
        Naming ``adversaries`` (too many insider placements), the value and the limit.
    """
    sites = len(scenario.sites)
    insider_teams = {a.insider_team for a in scenario.adversaries} - {None}
    placements = sites ** len(insider_teams)
    if placements > MAX_INSIDER_PLACEMENTS:
        raise InputError("adversaries", f"insiders in {len(insider_teams)} teams",
                         f"gives {sites}^{len(insider_teams)} = {placements:,} placements, more "
                         f"than the limit of {MAX_INSIDER_PLACEMENTS:,}")
