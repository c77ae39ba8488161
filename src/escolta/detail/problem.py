"""The plain data of a roster: the drawn nights, the crews, the staff, the rules, the history.

A roster staffs nights already drawn (docs/design.md §9). :func:`roster_problem` builds a
:class:`RosterProblem` from a scenario; the solvers (:mod:`escolta.detail.roster`,
:mod:`escolta.detail.milp`) and the checker (:mod:`escolta.detail.check`) read only this.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from escolta.errors import InputError
from escolta.protect.detail import RosterRules, StaffMember, team_positions
from escolta.protect.scenario import Scenario

MAX_NIGHTS = 366
MAX_CANDIDATES = 2_000_000  # (person, night, team, position) choices one model may hold

WINDOWS = {  # rule -> length of its rolling window in nights
    "max_nights_in_a_row": None,  # max + 1
    "min_nights_off_per_7": 7,
    "max_with_principal_per_14": 14,
    "max_together_per_28": 28,
}


@dataclass(frozen=True)
class RosterNight:
    """A drawn night as the roster sees it: the date, the principal's site, each team's post."""

    date: dt.date
    site: str
    posts: Mapping[str, str]

    def __post_init__(self) -> None:
        object.__setattr__(self, "posts", MappingProxyType(dict(self.posts)))

    def with_principal(self, team: str) -> bool:
        return self.posts.get(team) == self.site


@dataclass(frozen=True)
class TeamCrew:
    """A team to staff: its positions ``(position, role)`` in crew order and its mix."""

    name: str
    positions: tuple[tuple[str, str], ...]
    mix: Mapping[str, int]

    def __post_init__(self) -> None:
        object.__setattr__(self, "mix", MappingProxyType(dict(self.mix)))


@dataclass(frozen=True)
class Assignment:
    """One person in one position of one team on one night.

    ``with_principal``: the team was posted at the principal's site that night (as drawn when
    the roster was made); the rolling ``max_with_principal_per_14`` window counts these.
    """

    date: dt.date
    team: str
    position: str
    role: str
    person: str
    with_principal: bool = False

    def to_dict(self) -> dict[str, str]:
        return {"date": self.date.isoformat(), "team": self.team, "position": self.position,
                "person": self.person}


@dataclass(frozen=True)
class RosterProblem:
    """Everything a roster depends on. ``history``: assignments already in the record on
    other dates, so the rolling windows continue across the seam."""

    nights: tuple[RosterNight, ...]
    teams: tuple[TeamCrew, ...]
    staff: tuple[StaffMember, ...]
    rules: RosterRules
    history: tuple[Assignment, ...] = ()

    @property
    def dates(self) -> list[dt.date]:
        return [night.date for night in self.nights]

    def window(self, rule: str) -> int | None:
        """The length of a rule's rolling window, or ``None`` when the rule is not enforced."""
        cap = getattr(self.rules, rule)
        if cap is None:
            return None
        return cap + 1 if rule == "max_nights_in_a_row" else WINDOWS[rule]

    def cap(self, rule: str) -> int:
        """Most nights (of duty, with the principal, together) a window of ``rule`` may hold."""
        value = getattr(self.rules, rule)
        assert value is not None
        return 7 - value if rule == "min_nights_off_per_7" else value


def roster_problem(scenario: Scenario, nights: Sequence[RosterNight],
                   history: Sequence[Assignment] = ()) -> RosterProblem:
    """The roster of ``nights`` for ``scenario``'s teams that have a crew.

    Raises
    ------
    InputError
        No team has a crew, no staff, or a size beyond the stated limits.
    """
    teams = tuple(TeamCrew(t.name, tuple(team_positions(t.crew)), t.mix or {})
                  for t in scenario.teams if t.crew)
    if not teams:
        raise InputError("teams[*].crew", None,
                         "no team has a crew, so there is nothing to roster")
    if not scenario.staff:
        raise InputError("staff", [], "a roster needs the people of the detail")
    if len(nights) > MAX_NIGHTS:
        raise InputError("--days", len(nights), f"at most {MAX_NIGHTS} nights in one roster")
    dates = [n.date for n in nights]
    if len(set(dates)) != len(dates):
        raise InputError("nights", sorted(dates), "a date is given twice")
    roles: dict[str, int] = {}
    for person in scenario.staff:
        for role in person.roles:
            roles[role] = roles.get(role, 0) + 1
    candidates = len(nights) * sum(roles.get(role, 0) for t in teams for _, role in t.positions)
    if candidates > MAX_CANDIDATES:
        raise InputError("--days", len(nights),
                         f"the roster would weigh {candidates:,} (person, night, position) "
                         f"choices, above the limit of {MAX_CANDIDATES:,}")
    rostered = set(dates)
    return RosterProblem(tuple(sorted(nights, key=lambda n: n.date)), teams,
                         tuple(scenario.staff), scenario.roster,
                         tuple(a for a in history if a.date not in rostered))
