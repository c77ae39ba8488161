"""What each person on duty may know tonight: the one place where need-to-know is enforced.

A person's :class:`Duty` is a function of their own assignment (team, position, role), of
where their team stands, and of whether the principal is at that post (docs/design.md §10).
The principal's site is never written into a duty except as the person's own post, and the
room only into the duty of a team's ``lead`` at the principal's site.

The convoy's driver (the ``driver`` of the team named by ``roads.convoy``, passed in as a
:class:`Convoy`) is the one exception, and knows less, not more: their duty holds the day's
route (road nodes and their coordinates) instead of the team's post, and never whether the
principal is at a post, nor the room (docs/design.md §12). The route ends at tonight's site's
road node: that much the driver learns from it, and nothing else about the night.

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
>>> convoy = Convoy("inner", "driver", (RouteStop(7, 60.1, 24.9), RouteStop(8, 60.2, 24.9)))
>>> driver = duties_for_night(day, night, [
...     A(date=day, team="inner", position="driver", role="driver", person="dino")], convoy)[0]
>>> driver.drives, driver.post, driver.principal_here, [stop.node for stop in driver.route]
(True, None, False, [7, 8])
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
class RouteStop:
    """One road node of the convoy's route and where it lies."""

    node: int
    lat: float
    lon: float


@dataclass(frozen=True)
class Convoy:
    """Who drives the convoy on a date, and along what.

    Attributes
    ----------
    team, role
        The positions of ``role`` in ``team`` drive (``roads.convoy`` and ``driver``).
    route
        The day's route from yesterday's site's road node to tonight's, or ``None`` when
        the convoy does not move that day.
    """

    team: str
    role: str
    route: tuple[RouteStop, ...] | None


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
        The site where the person's team stands tonight; ``None`` for the convoy's driver.
    principal_here
        Whether the principal spends the night at ``post``.
    room
        The principal's room (from 1), only for the ``lead`` of a team at the principal's
        site; ``None`` for everyone else.
    drives
        Whether the person drives the convoy today (then ``post`` is ``None``).
    route
        The convoy driver's route, ``None`` when the convoy does not move (and for everyone
        who does not drive).
    """

    date: dt.date
    person: str
    team: str
    position: str
    role: str
    post: str | None
    principal_here: bool
    room: int | None
    drives: bool = False
    route: tuple[RouteStop, ...] | None = None

    def __post_init__(self) -> None:
        if self.room is not None and not (self.principal_here and self.role == LEAD_ROLE):
            raise ValueError("only the lead of a team at the principal's site learns the room")
        if self.drives and (self.post is not None or self.principal_here):
            raise ValueError("the convoy's driver learns the route, not a post")
        if not self.drives and (self.post is None or self.route is not None):
            raise ValueError("only the convoy's driver learns a route, and everyone else a post")


def duty_of(date: dt.date, night: NightLike, assignment: AssignmentLike,
            convoy: Convoy | None = None) -> Duty:
    """The duty of one assigned person; the team must have a post tonight."""
    if convoy is not None and (assignment.team, assignment.role) == (convoy.team, convoy.role):
        return Duty(date=date, person=assignment.person, team=assignment.team,
                    position=assignment.position, role=assignment.role, post=None,
                    principal_here=False, room=None, drives=True, route=convoy.route)
    post = night.posts.get(assignment.team)
    if post is None:
        raise InputError("roster.team", assignment.team,
                         f"has no post in the night drawn for {date.isoformat()}")
    here = post == night.site
    room = int(night.room) if here and assignment.role == LEAD_ROLE else None
    return Duty(date=date, person=assignment.person, team=assignment.team,
                position=assignment.position, role=assignment.role, post=post,
                principal_here=here, room=room)


def duties_for_night(date: dt.date, night: NightLike, assignments: Iterable[AssignmentLike],
                     convoy: Convoy | None = None) -> list[Duty]:
    """One :class:`Duty` per person on duty on ``date``, in the roster's order; with a
    ``convoy``, its drivers' duties hold the route instead of a post.

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
        duties.append(duty_of(date, night, assignment, convoy))
    return duties
