"""The convoy driver's order (docs/design.md §10, §12): the route, and nothing of the night.

The driver of the ``roads.convoy`` team is told the day's road nodes and the time to leave,
never a post, the principal's site or room; everybody else's order is the order they would
get without a convoy. The driver's copy carries the marks of an order away from the
principal (the slot names say which), and a driver who leaks is traced like anyone else.
"""

from __future__ import annotations

import dataclasses
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from escolta.orders.duty import Convoy, Duty, RouteStop, duties_for_night
from escolta.orders.read import read_marks
from escolta.orders.tardos import code_parameters
from escolta.orders.text import (
    MARKS_PER_ORDER,
    PRINCIPAL_SLOTS,
    ROOM_SLOTS,
    SLOTS,
    render_order,
)
from escolta.orders.trace import trace_marks

from .order_cases import (
    DAY,
    SITES,
    TEAMS,
    Assignment,
    issue,
    night,
    nights_and_rosters,
    orders_of,
    route_on,
    text_of,
)
from .test_read import _retype

ROUTE = (RouteStop(25413717, 60.1710, 24.9414), RouteStop(317915077, 60.170901, 24.937194),
         RouteStop(25292451, 60.167115, 24.945764))
DRIVER = Duty(DAY, "dino", "reserve", "driver", "driver", None, False, None, drives=True,
              route=ROUTE)
codewords = st.lists(st.integers(0, 1), min_size=len(SLOTS), max_size=len(SLOTS))


def _with_driver(assignments: list[Assignment]) -> list[Assignment]:
    """The roster with a driver added to team ``reserve``."""
    return [*assignments, Assignment(DAY, "reserve", "driver", "driver", "dino")]


def _convoy(route: tuple[RouteStop, ...] | None = ROUTE) -> Convoy:
    return Convoy("reserve", "driver", route)


def test_the_drivers_order_lists_every_road_node_in_order_and_the_time_to_leave() -> None:
    text = text_of(DRIVER, [0] * len(SLOTS))
    listed = [line for line in text.splitlines() if ". road node " in line]
    assert listed == [f"{k}. road node {s.node} ({s.lat:.6f}, {s.lon:.6f})"
                      for k, s in enumerate(ROUTE, start=1)]
    assert "Report at 16:45 to the convoy's vehicle." in text
    assert "19:00" not in text


def test_on_a_day_without_a_drive_the_driver_stands_by() -> None:
    text = text_of(dataclasses.replace(DRIVER, route=None), [0] * len(SLOTS))
    assert "does not move today" in text and "road node" not in text


@settings(max_examples=40, deadline=None)
@given(nights_and_rosters())
def test_the_drivers_order_names_no_site_no_principal_and_no_room(case: tuple) -> None:
    the_night, assignments = case
    text = orders_of(DAY, the_night, _with_driver(assignments), _convoy())["dino"].lower()
    assert not [site for site in SITES if site in text]
    assert "principal" not in text and "room" not in text
    assert all(str(stop.node) in text for stop in ROUTE)


@settings(max_examples=40, deadline=None)
@given(nights_and_rosters(), nights_and_rosters())
def test_the_drivers_order_depends_on_the_route_alone_not_on_the_night(first: tuple,
                                                                       second: tuple) -> None:
    """Non-interference: any two nights (site, room, every post, the rest of the roster)
    with the same route give the driver the same order."""
    (one, roster_one), (two, roster_two) = first, second
    assert (orders_of(DAY, one, _with_driver(roster_one), _convoy())["dino"]
            == orders_of(DAY, two, _with_driver(roster_two), _convoy())["dino"])


@settings(max_examples=40, deadline=None)
@given(nights_and_rosters())
def test_everyone_else_gets_the_order_they_would_get_without_a_convoy(case: tuple) -> None:
    the_night, assignments = case
    roster = _with_driver(assignments)
    plain = orders_of(DAY, the_night, assignments)
    with_convoy = orders_of(DAY, the_night, roster, _convoy())
    assert {p: t for p, t in with_convoy.items() if p != "dino"} == plain
    assert not [p for p, t in plain.items() if "road node" in t or "convoy" in t]


def test_only_the_convoy_teams_driver_drives() -> None:
    """A driver of another team, and the convoy team's other roles, keep their posts."""
    the_night = night("palace-north", 1, {team: "villa-south" for team in TEAMS})
    roster = [Assignment(DAY, "inner", "driver", "driver", "ines"),
              Assignment(DAY, "reserve", "lead", "lead", "rita"),
              Assignment(DAY, "reserve", "driver", "driver", "dino")]
    duties = {d.person: d for d in duties_for_night(DAY, the_night, roster, _convoy())}
    assert [p for p, d in duties.items() if d.drives] == ["dino"]
    assert duties["ines"].post == duties["rita"].post == "villa-south"


@pytest.mark.parametrize(("changes", "reason"), [
    pytest.param({"post": "palace-north"}, "not a post", id="driver-with-a-post"),
    pytest.param({"principal_here": True}, "not a post", id="driver-told-the-principal"),
    pytest.param({"drives": False}, "only the convoy's driver", id="a-post-less-non-driver"),
])
def test_a_duty_mixing_the_route_with_the_night_cannot_be_built(changes: dict,
                                                                reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        dataclasses.replace(DRIVER, **changes)


def test_a_route_for_someone_with_a_post_cannot_be_built() -> None:
    with pytest.raises(ValueError, match="only the convoy's driver"):
        Duty(DAY, "ana", "inner", "lead", "lead", "villa-south", False, None, route=ROUTE)


def test_the_drivers_order_needs_the_time_to_leave() -> None:
    with pytest.raises(ValueError, match="time to depart"):
        render_order(DRIVER, [0] * len(SLOTS), call_sign="WREN 10", report_time="19:00")


@pytest.mark.parametrize("route", [ROUTE, None], ids=["drives", "stands-by"])
@settings(max_examples=40, deadline=None)
@given(symbols=codewords, seed=st.integers(0, 2 ** 32))
def test_the_drivers_marks_read_back_exactly_even_retyped(
        route: tuple[RouteStop, ...] | None, symbols: list[int], seed: int) -> None:
    """Every mark but the principal's and the room's lines, by slot name: 22 of them."""
    text = text_of(dataclasses.replace(DRIVER, route=route), symbols)
    absent = PRINCIPAL_SLOTS | ROOM_SLOTS
    expected = {(DAY, i): symbols[i] for i, name in enumerate(SLOTS) if name not in absent}
    assert len(expected) == MARKS_PER_ORDER == 22
    assert dict(read_marks(text).marks) == expected
    assert dict(read_marks(_retype(text, random.Random(seed))).marks) == expected


CONVOY_RECORD = issue(nights=40, people=12, seed=11, convoy=True)


def test_the_convoy_record_has_one_driver_who_is_told_a_route_each_night() -> None:
    drivers = {c.person for c in CONVOY_RECORD.copies if "road node" in c.text}
    assert drivers == {"p11"}
    assert all(str(route_on(k)[0].node) in CONVOY_RECORD.copy("p11", date).text
               for k, date in enumerate(sorted(CONVOY_RECORD.biases)))


@pytest.mark.parametrize("nights", [20, 40])
def test_a_driver_who_leaks_their_orders_is_accused_alone(nights: int) -> None:
    dates = sorted(CONVOY_RECORD.biases)[:nights]
    leak = "".join(CONVOY_RECORD.copy("p11", date).text for date in dates)
    trace = trace_marks(read_marks(leak), CONVOY_RECORD.biases, CONVOY_RECORD.copies,
                        code_parameters(3, 1e-3))
    assert trace.accused == ("p11",)
    assert trace.marks["p11"] == MARKS_PER_ORDER * nights
