"""Need-to-know: a person's order depends on their own view only (docs/design.md §10)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from escolta.errors import InputError
from escolta.orders.duty import Duty, duties_for_night

from .order_cases import (
    DAY,
    SITES,
    TEAMS,
    Assignment,
    night,
    nights_and_rosters,
    orders_of,
    roster,
)

NIGHT = night("palace-north", 2, {"inner": "palace-north", "outer": "villa-south",
                                  "reserve": "palace-north"})
ROSTER = roster(DAY, {"inner": ["ana", "beto"], "outer": ["caro", "dani"],
                      "reserve": ["eva"]})


@pytest.mark.parametrize(("person", "post", "here", "room"), [
    pytest.param("ana", "palace-north", True, 2, id="lead-with-principal"),
    pytest.param("beto", "palace-north", True, None, id="agent-with-principal"),
    pytest.param("caro", "villa-south", False, None, id="lead-away"),
    pytest.param("dani", "villa-south", False, None, id="agent-away"),
    pytest.param("eva", "palace-north", True, 2, id="lone-lead-with-principal"),
])
def test_a_duty_says_the_post_and_the_room_only_to_a_lead_with_the_principal(
        person: str, post: str, here: bool, room: int | None) -> None:
    duty = next(d for d in duties_for_night(DAY, NIGHT, ROSTER) if d.person == person)
    assert (duty.post, duty.principal_here, duty.room) == (post, here, room)


def test_a_duty_that_would_tell_an_agent_the_room_cannot_be_built() -> None:
    with pytest.raises(ValueError, match="only the lead"):
        Duty(DAY, "beto", "inner", "agent-1", "agent", "palace-north", True, 2)


@pytest.mark.parametrize(("assignments", "field"), [
    pytest.param([Assignment(DAY, "ghost", "lead", "lead", "ana")], "roster.team",
                 id="team-without-post"),
    pytest.param([Assignment(DAY, "inner", "lead", "lead", "ana"),
                  Assignment(DAY, "outer", "lead", "lead", "ana")], "roster.person",
                 id="person-twice"),
])
def test_a_roster_the_night_cannot_staff_is_refused(assignments: list[Assignment],
                                                     field: str) -> None:
    with pytest.raises(InputError) as error:
        duties_for_night(DAY, NIGHT, assignments)
    assert error.value.field == field


def test_assignments_of_other_nights_are_not_on_duty() -> None:
    other = [dataclasses.replace(a, date=DAY + dt.timedelta(days=1)) for a in ROSTER]
    assert duties_for_night(DAY, NIGHT, other) == []


def _other_site(sites: tuple[str, ...], *avoid: str) -> list[str]:
    return [s for s in sites if s not in avoid]


@settings(max_examples=30, deadline=None)
@given(nights_and_rosters(), st.data())
def test_the_principal_moving_between_sites_without_my_team_leaves_my_order_unchanged(
        case: tuple, data: st.DataObject) -> None:
    the_night, assignments = case
    before = orders_of(DAY, the_night, assignments)
    for a in assignments:
        post = the_night.posts[a.team]
        if the_night.site == post:
            continue  # the principal is with this person's team: not outside their view
        elsewhere = _other_site(SITES, post)
        moved = night(data.draw(st.sampled_from(elsewhere)), data.draw(st.integers(1, 4)),
                      dict(the_night.posts))
        assert orders_of(DAY, moved, assignments)[a.person] == before[a.person]


@settings(max_examples=30, deadline=None)
@given(nights_and_rosters(), st.data())
def test_another_team_moving_leaves_my_order_unchanged(case: tuple,
                                                      data: st.DataObject) -> None:
    the_night, assignments = case
    before = orders_of(DAY, the_night, assignments)
    team = data.draw(st.sampled_from(TEAMS))
    moved = night(the_night.site, the_night.room,
                  {**the_night.posts, team: data.draw(st.sampled_from(SITES))})
    after = orders_of(DAY, moved, assignments)
    for a in assignments:
        if a.team != team:
            assert after[a.person] == before[a.person]


@settings(max_examples=30, deadline=None)
@given(nights_and_rosters(), st.data())
def test_another_persons_roster_changing_leaves_my_order_unchanged(
        case: tuple, data: st.DataObject) -> None:
    the_night, assignments = case
    before = orders_of(DAY, the_night, assignments)
    me = data.draw(st.sampled_from(assignments))
    others = [a for a in assignments if a.person != me.person]
    # someone else leaves, swaps team, or a stranger joins my team's crew
    changed = [a for a in others if data.draw(st.booleans())]
    changed = [dataclasses.replace(a, team=data.draw(st.sampled_from(TEAMS))) for a in changed]
    changed.append(Assignment(DAY, me.team, "agent-9", "agent", "newcomer"))
    after = orders_of(DAY, the_night, [me, *changed])
    assert after[me.person] == before[me.person]


@settings(max_examples=40, deadline=None)
@given(nights_and_rosters())
def test_no_order_away_from_the_principal_names_the_site_and_only_leads_learn_the_room(
        case: tuple) -> None:
    the_night, assignments = case
    orders = orders_of(DAY, the_night, assignments)
    for a in assignments:
        text = orders[a.person].lower()
        with_principal = the_night.posts[a.team] == the_night.site
        if not with_principal:
            assert the_night.site not in text
            assert "principal" not in text
        says_room = "room" in text
        assert says_room == (with_principal and a.role == "lead")
        if says_room:
            assert f"{the_night.room}." in text
