"""Nights, rosters and copies for the orders tests, built by hand or by Hypothesis."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
from hypothesis import strategies as st

from escolta.orders.duty import Convoy, Duty, RouteStop, duties_for_night
from escolta.orders.tardos import code_parameters, draw_biases, draw_symbols
from escolta.orders.text import SLOTS, call_sign, render_order
from escolta.protect.plan import Night as PlanNight

SITES = ("palace-north", "villa-south", "barracks-east", "hotel-west")
TEAMS = ("inner", "outer", "reserve")
PEOPLE = tuple(f"agent{i:02d}" for i in range(12))
KEY = bytes(range(16))
DAY = dt.date(2026, 12, 1)


@dataclass(frozen=True)
class Assignment:
    """A roster entry (the fields of ``escolta.detail.problem.Assignment``)."""

    date: dt.date
    team: str
    position: str
    role: str
    person: str


@dataclass(frozen=True)
class Night:
    site: str
    room: int
    posts: MappingProxyType[str, str]


def night(site: str, room: int, posts: dict[str, str]) -> Night:
    return Night(site, room, MappingProxyType(dict(posts)))


def roster(date: dt.date, crews: dict[str, list[str]]) -> list[Assignment]:
    """The first person of each team's list is its lead, the others agent-1, agent-2, ..."""
    return [Assignment(date, team, "lead" if i == 0 else f"agent-{i}",
                       "lead" if i == 0 else "agent", person)
            for team, people in crews.items() for i, person in enumerate(people)]


@st.composite
def nights_and_rosters(draw: st.DrawFn) -> tuple[Night, list[Assignment]]:
    """A night (principal's site, room, every team's post) and a roster filling the teams."""
    site = draw(st.sampled_from(SITES))
    room = draw(st.integers(1, 4))
    posts = {team: draw(st.sampled_from(SITES)) for team in TEAMS}
    people = draw(st.permutations(PEOPLE))
    sizes = draw(st.lists(st.integers(1, 3), min_size=len(TEAMS), max_size=len(TEAMS)))
    crews: dict[str, list[str]] = {}
    start = 0
    for team, size in zip(TEAMS, sizes, strict=True):
        crews[team] = list(people[start:start + size])
        start += size
    return night(site, room, posts), roster(DAY, crews)


def symbols_of(person: str, date: dt.date) -> list[int]:
    """A fixed codeword per (person, date), for tests that hold fingerprints constant."""
    seed = [sum(map(ord, person)), date.toordinal()]
    return [int(s) for s in np.random.default_rng(seed).integers(0, 2, len(SLOTS))]


def text_of(duty: Duty, symbols: list[int] | None = None, report_time: str = "19:00") -> str:
    return render_order(duty, symbols if symbols is not None else symbols_of(duty.person,
                                                                             duty.date),
                        call_sign=call_sign(KEY, duty.date, duty.team, duty.position),
                        report_time=report_time, depart_time="16:45")


def orders_of(date: dt.date, the_night: Night, assignments: list[Assignment],
              convoy: Convoy | None = None) -> dict[str, str]:
    return {duty.person: text_of(duty)
            for duty in duties_for_night(date, the_night, assignments, convoy)}


def route_on(k: int) -> tuple[RouteStop, ...]:
    """A made-up route of night k: three to six road nodes, ids and coordinates by hand."""
    return tuple(RouteStop(1000 * k + j, 60.0 + 0.001 * j, 24.9 + 0.002 * k)
                 for j in range(3 + k % 4))


@dataclass(frozen=True)
class Copy:
    date: dt.date
    person: str
    symbols: tuple[int, ...]
    text: str


@dataclass(frozen=True)
class Record:
    """Issued copies over several nights: biases per night and every person's copy."""

    biases: dict[dt.date, tuple[float, ...]]
    copies: list[Copy]

    def copy(self, person: str, date: dt.date) -> Copy:
        return next(c for c in self.copies if c.person == person and c.date == date)


def issue(nights: int, people: int = 12, seed: int = 0, colluders: int = 3,
          convoy: bool = False) -> Record:
    """``nights`` nights of orders: the people split into two teams, the principal with the
    first team on even nights, with the second on odd ones. With ``convoy`` the last person
    is the second team's driver and drives :func:`route_on` every night (team ``outer``,
    ``roads.convoy``)."""
    rng = np.random.default_rng(seed)
    params = code_parameters(colluders, 1e-3)
    names = [f"p{i:02d}" for i in range(people)]
    half = people // 2
    biases: dict[dt.date, tuple[float, ...]] = {}
    copies: list[Copy] = []
    for k in range(nights):
        date = DAY + dt.timedelta(days=k)
        site = "palace-north" if k % 2 == 0 else "villa-south"
        the_night = night(site, 1 + k % 3, {"inner": "palace-north", "outer": "villa-south"})
        biases[date] = tuple(draw_biases(len(SLOTS), params.cutoff, rng).tolist())
        assignments = roster(date, {"inner": names[:half], "outer": names[half:]})
        if convoy:
            last = assignments[-1]
            assignments[-1] = Assignment(date, last.team, "driver", "driver", last.person)
        drive = Convoy("outer", "driver", route_on(k)) if convoy else None
        for duty in duties_for_night(date, the_night, assignments, drive):
            symbols = tuple(int(s) for s in draw_symbols(biases[date], rng))
            copies.append(Copy(date, duty.person, symbols, text_of(duty, list(symbols))))
    return Record(biases, copies)


# A record's scenario and nights (tests/orders/conftest.py builds the record).
ORDERS_SCENARIO = """\
principal: P
sites:
  - {name: palace-north, rooms: 3, success: [0.6, 0.3]}
  - {name: villa-south, rooms: 1, success: [0.9, 0.5]}
teams:
  - {name: inner, chain: guard}
  - {name: outer, chain: army}
adversaries:
  - {name: strike, weight: 1, sees: nothing}
orders: {colluders: 2, false_accusation: 0.001, report_time: "18:30"}
"""

FIRST = dt.date(2026, 12, 1)
NIGHTS = 40


def night_on(k: int) -> Night:
    """The principal at the palace with team inner on even nights, at the villa on odd."""
    site = "palace-north" if k % 2 == 0 else "villa-south"
    return PlanNight(0.0, site, 1 + k % 3 if k % 2 == 0 else 1,
                     {"inner": "palace-north", "outer": "villa-south"})
