"""The detail of docs/design.md §9 in the scenario: crews, mixes, staff and roster rules.

A team's ``crew`` (``{lead: 1, agent: 2}``) names the positions filled every night, by role;
its ``mix`` (``{presidential-guard: 1, army: 1}``) the least number of members of each chain
on duty in it every night. ``staff`` lists the people, ``roster`` the rolling rules. This
module holds the pydantic models and the checks that span fields; ``scenario.py`` only adds
the fields and calls :func:`check_detail`. Every key is optional: a scenario without them
plans exactly as before, and a rule absent is not enforced.

Examples
--------
>>> team_positions({"lead": 1, "agent": 2, "driver": 1})
[('lead', 'lead'), ('agent-1', 'agent'), ('agent-2', 'agent'), ('driver', 'driver')]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator

from escolta.errors import InputError

MAX_STAFF = 2_000
MAX_POSITIONS_PER_TEAM = 100
MAX_ROLES_PER_PERSON = 50
MAX_DAYS_OFF = 3_660

Name = Annotated[str, Field(min_length=1)]
Count = Annotated[int, Field(ge=1, le=MAX_POSITIONS_PER_TEAM)]
Crew = dict[Name, Count]
"""Positions filled every night, by role: ``{role: how many}``."""
Mix = dict[Name, Count]
"""Least members of each chain on duty in the team every night: ``{chain: how many}``."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StaffMember(_Strict):
    """A person of the detail: their chain of command, roles, trust and days off."""

    name: Name
    chain: Name
    roles: list[Name] = Field(min_length=1, max_length=MAX_ROLES_PER_PERSON)
    trust: float = Field(default=1.0, ge=0.0, le=1.0, allow_inf_nan=False)
    days_off: list[dt.date] = Field(default_factory=list, max_length=MAX_DAYS_OFF)

    @field_validator("days_off", mode="before")
    @classmethod
    def _dates(cls, days: Any) -> Any:
        if not isinstance(days, list):
            return days
        out = []
        for day in days:
            if isinstance(day, dt.datetime) or not isinstance(day, dt.date | str):
                raise ValueError(f"must be dates YYYY-MM-DD, but {day!r} is not")
            if isinstance(day, str):
                try:
                    day = dt.date.fromisoformat(day)
                except ValueError:
                    raise ValueError(f"must be dates YYYY-MM-DD, but {day!r} is not") from None
            out.append(day)
        return out

    @property
    def trust_micro(self) -> int:
        """Trust in units of 1e-6 (the roster's objective is exact in these units)."""
        return round(self.trust * 1_000_000)


class RosterRules(_Strict):
    """The rolling rules of a roster (docs/design.md §9); an absent rule is not enforced."""

    max_nights_in_a_row: int | None = Field(default=None, ge=1)
    min_nights_off_per_7: int | None = Field(default=None, ge=0, le=7)
    max_with_principal_per_14: int | None = Field(default=None, ge=0, le=14)
    max_together_per_28: int | None = Field(default=None, ge=0, le=28)


class TeamLike(Protocol):
    """What the checks need of a scenario team (``scenario.Team``)."""

    name: str
    chain: str
    crew: Mapping[str, int] | None
    mix: Mapping[str, int] | None


def position_name(role: str, k: int, count: int) -> str:
    """The role alone when the crew has one of it, else ``role-k`` from 1."""
    return role if count == 1 else f"{role}-{k}"


def team_positions(crew: Mapping[str, int] | None) -> list[tuple[str, str]]:
    """A team's positions ``(position, role)`` in crew order (none without a crew)."""
    if not crew:
        return []
    return [(position_name(role, k, count), role)
            for role, count in crew.items() for k in range(1, count + 1)]


def check_detail(teams: Sequence[TeamLike], staff: Sequence[StaffMember]) -> None:
    """Mistakes that span fields of the detail, each an :class:`InputError` naming it."""
    if len(staff) > MAX_STAFF:
        raise InputError("staff", len(staff), f"at most {MAX_STAFF} people")
    seen: set[str] = set()
    for i, person in enumerate(staff):
        if person.name in seen:
            raise InputError(f"staff[{i}].name", person.name, "is used twice")
        seen.add(person.name)
        if len(set(person.roles)) != len(person.roles):
            raise InputError(f"staff[{i}].roles", person.roles, "names a role twice")
    roles = {role for person in staff for role in person.roles}
    chains = {person.chain for person in staff}
    for i, team in enumerate(teams):
        if team.mix and not team.crew and staff:
            # without staff a mix only says which chains serve in the team (who a hostile
            # chain reaches, docs/design.md §9); with staff the roster must meet it, in a crew
            raise InputError(f"teams[{i}].mix", dict(team.mix), "needs a crew to mix")
        if not team.crew:
            continue
        size = sum(team.crew.values())
        if size > MAX_POSITIONS_PER_TEAM:
            raise InputError(f"teams[{i}].crew", size,
                             f"at most {MAX_POSITIONS_PER_TEAM} positions per team")
        if staff:
            for role in team.crew:
                if role not in roles:
                    raise InputError(f"teams[{i}].crew.{role}", role,
                                     "no one in staff has this role")
        if team.mix:
            for chain in team.mix:
                if staff and chain not in chains:
                    raise InputError(f"teams[{i}].mix.{chain}", chain,
                                     "no one in staff is of this chain")
            if sum(team.mix.values()) > size:
                raise InputError(f"teams[{i}].mix", dict(team.mix),
                                 f"asks for {sum(team.mix.values())} people in a crew of {size}")
