"""What each person on duty may know tonight: the one place where need-to-know is enforced.

A person's :class:`Duty` is a function of their own assignment (team, position, role), of
where their team stands, and of whether the principal is at that post (docs/design.md §10).
The principal's site is never written into a duty except as the person's own post, and the
room only into the duty of a team's ``lead`` at the principal's site.

Examples
--------
>>> import datetime as dt
>>> from types import SimpleNamespace as A
>>> night = A(site="palace", room=2, posts={"inner": "palace", "outer": "villa"})
>>> day = dt.date(2026, 12, 1)
>>> duties = duties_for_night(day, night, [
...     A(date=day, team="inner", position="lead", role="lead", person="ana"),
...     A(date=day, team="inner", position="agent-1", role="agent", person="beto"),
...     A(date=day, team="outer", position="lead", role="lead", person="caro")])
>>> [(d.person, d.post, d.principal_here, d.room) for d in duties]
[('ana', 'palace', True, 2), ('beto', 'palace', True, None), ('caro', 'villa', False, None)]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from escolta.errors import InputError

LEAD_ROLE = "lead"


class NightLike(Protocol):
    """What a drawn night offers (:class:`escolta.protect.plan.Night`)."""

    site: str
    room: int
    posts: Mapping[str, str]


class AssignmentLike(Protocol):
    """One filled position of a roster (``escolta.detail.problem.Assignment``)."""

    date: dt.date
    team: str
    position: str
    role: str
    person: str


@dataclass(frozen=True)
class Duty:
    """Everything one person's order for one night may say, and nothing more.

    Attributes
    ----------
    date
        The night (the evening it starts).
    person, team, position, role
        The person's own assignment.
    post
        The site where the person's team stands tonight.
    principal_here
        Whether the principal spends the night at ``post``.
    room
        The principal's room (from 1), only for the ``lead`` of a team at the principal's
        site; ``None`` for everyone else.
    """

    date: dt.date
    person: str
    team: str
    position: str
    role: str
    post: str
    principal_here: bool
    room: int | None

    def __post_init__(self) -> None:
        if self.room is not None and not (self.principal_here and self.role == LEAD_ROLE):
            raise ValueError("only the lead of a team at the principal's site learns the room")


def duty_of(date: dt.date, night: NightLike, assignment: AssignmentLike) -> Duty:
    """The duty of one assigned person; the team must have a post tonight."""
    post = night.posts.get(assignment.team)
    if post is None:
        raise InputError("roster.team", assignment.team,
                         f"has no post in the night drawn for {date.isoformat()}")
    here = post == night.site
    room = int(night.room) if here and assignment.role == LEAD_ROLE else None
    return Duty(date=date, person=assignment.person, team=assignment.team,
                position=assignment.position, role=assignment.role, post=post,
                principal_here=here, room=room)


def duties_for_night(date: dt.date, night: NightLike,
                     assignments: Iterable[AssignmentLike]) -> list[Duty]:
    """One :class:`Duty` per person on duty on ``date``, in the roster's order.

    Assignments of other dates are ignored; a person assigned twice the same night is an
    :class:`~escolta.errors.InputError` (a roster fills at most one position per person).
    """
    duties: list[Duty] = []
    seen: set[str] = set()
    for assignment in assignments:
        if assignment.date != date:
            continue
        if assignment.person in seen:
            raise InputError("roster.person", assignment.person,
                             f"holds two positions on {date.isoformat()}")
        seen.add(assignment.person)
        duties.append(duty_of(date, night, assignment))
    return duties
