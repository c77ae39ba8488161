"""Issuing a night's orders and tracing a leak: the service under ``escolta orders``/``trace``.

Plain functions over the caller's :class:`~sqlalchemy.orm.Session` and plain data. Each
night gets one code (a bias per mark, drawn once, and a key for call signs); each person on
duty gets fresh symbols the first time, and the same copy every time after. Operational
codes come from the OS CSPRNG; ``seed`` is for simulation and tests, and a seeded night and
its copies are marked as such.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from escolta.errors import InputError
from escolta.operations.routes import route_stops
from escolta.orders.duty import AssignmentLike, Convoy, Duty, NightLike, duties_for_night
from escolta.orders.read import MAX_LEAK_CHARS, read_marks
from escolta.orders.tardos import code_parameters, draw_biases, draw_symbols
from escolta.orders.text import SLOTS, call_sign, render_order
from escolta.orders.trace import Trace, parameters_for, trace_marks
from escolta.protect.plan import Night, Plan
from escolta.protect.roads_settings import DRIVER_ROLE
from escolta.protect.scenario import Scenario
from escolta.store.orders import (
    IssuedOrder,
    OrderNight,
    issued_orders,
    order_night,
    order_nights,
    save_issued_order,
    save_order_night,
)


@dataclass(frozen=True)
class IssuedNight:
    """The orders issued for one night, one per person asked for.

    ``fresh`` names the people who received a copy for the first time in this call.
    """

    date: dt.date
    orders: tuple[IssuedOrder, ...]
    duties: tuple[Duty, ...]
    fresh: tuple[str, ...]
    seeded: bool

    def to_dict(self) -> dict[str, object]:
        """The ``escolta orders --json`` document."""
        return {
            "date": self.date.isoformat(),
            "seeded": self.seeded,
            "orders": [
                {"person": order.person, "team": duty.team, "position": duty.position,
                 "text": order.text, "sha256": order.text_sha256,
                 "issued_at": order.issued_at.isoformat(timespec="seconds")}
                for order, duty in zip(self.orders, self.duties, strict=True)
            ],
        }


def _night_code(session: Session, scenario: Scenario, date: dt.date,
                rng: np.random.Generator | None) -> OrderNight:
    existing = order_night(session, date)
    if existing is not None:
        return existing
    params = code_parameters(scenario.orders.colluders, scenario.orders.false_accusation)
    biases = draw_biases(len(SLOTS), params.cutoff, rng)
    key = secrets.token_bytes(16) if rng is None else rng.bytes(16)
    return save_order_night(session, date, biases.tolist(), cutoff=params.cutoff,
                            call_key=key, seeded=rng is not None)


def issue_orders(session: Session, scenario: Scenario, date: dt.date, night: NightLike,
                 assignments: Iterable[AssignmentLike], *, person: str | None = None,
                 seed: int | None = None, convoy: Convoy | None = None) -> IssuedNight:
    """The orders of ``date`` for everyone on duty (or only ``person``), stored as issued.

    Parameters
    ----------
    session
        The caller's transaction.
    scenario
        The scenario in force (``orders`` settings: colluders, epsilon, report time).
    date, night
        The night, as drawn for that date.
    assignments
        The roster of the night (``escolta.store.rosters.roster_on``).
    person
        Only this person's order; an :class:`InputError` when they are not on duty.
    seed
        Simulation only: draw the code and symbols from this seed (marked seeded).
    convoy
        Who drives the convoy that day and along what route (:func:`convoy_of`); their
        orders carry the route instead of their team's post (docs/design.md §12).
    """
    duties = duties_for_night(date, night, assignments, convoy)
    if person is not None:
        duties = [duty for duty in duties if duty.person == person]
        if not duties:
            raise InputError("--person", person, f"is not on duty on {date.isoformat()}")
    rng = None if seed is None else np.random.default_rng([seed, date.toordinal()])
    code = _night_code(session, scenario, date, rng)
    report_time = scenario.orders.report_time
    orders: list[IssuedOrder] = []
    fresh: list[str] = []
    for duty in duties:
        earlier = issued_orders(session, dates=[date], person=duty.person)
        if earlier:
            symbols = earlier[-1].symbols
        else:
            symbols = tuple(int(s) for s in draw_symbols(code.biases, rng))
            fresh.append(duty.person)
        text = render_order(duty, symbols, report_time=report_time,
                            depart_time=scenario.orders.depart_time,
                            call_sign=call_sign(code.call_key, date, duty.team, duty.position))
        same = [copy for copy in earlier if copy.text == text]
        orders.append(same[-1] if same else save_issued_order(
            session, date, duty.person, symbols, text, seeded=code.seeded))
    return IssuedNight(date, tuple(orders), tuple(duties), tuple(fresh), code.seeded)


def night_orders(session: Session, date: dt.date, *, person: str | None = None,
                 seed: int | None = None) -> IssuedNight:
    """The orders of ``date`` from the plan in force, the night drawn and the roster stored
    for it (an InputError when the night is not drawn or not rostered yet)."""
    from escolta.operations.nights import plan_in_force
    from escolta.store.record import drawn_night
    from escolta.store.rosters import roster_on

    in_force = plan_in_force(session)
    drawn = drawn_night(session, date, plan_id=in_force.plan_id, include_seeded=seed is not None)
    if drawn is None:
        raise InputError("--date", date.isoformat(), "no night is drawn for this date: run "
                         "`escolta tonight` or `escolta schedule` first")
    assignments = [a for a in roster_on(session, date) if a.date == date]
    if not assignments:
        raise InputError("--date", date.isoformat(),
                         "no roster for this date: run `escolta roster` first")
    return issue_orders(session, in_force.scenario, date, drawn.night, assignments,
                        person=person, seed=seed,
                        convoy=convoy_of(in_force.scenario, in_force.plan, drawn.night))


def convoy_of(scenario: Scenario, plan: Plan, night: Night) -> Convoy | None:
    """Who drives the convoy on the night's day, and its route (docs/design.md §12).

    ``None`` (everyone's order as in docs/design.md §10) unless the scenario names a
    ``roads.convoy`` team and the plan routes the convoy; then that team's ``driver``
    positions drive the route drawn with the night (or stand by when it draws none).
    """
    team = None if scenario.roads is None else scenario.roads.convoy
    if team is None or not plan.extra.get("routes"):
        return None
    return Convoy(team, DRIVER_ROLE, route_stops(plan, night.route))


def order_view(order: IssuedOrder) -> dict[str, object]:
    """An issued copy as front ends show it (the shape of ``escolta orders --json``), with an
    ``id``: ``DATE:PERSON`` (the latest copy a person received for a night is in force)."""
    return {"id": f"{order.date.isoformat()}:{order.person}", "date": order.date.isoformat(),
            "person": order.person, "text": order.text, "sha256": order.text_sha256,
            "seeded": order.seeded, "issued_at": order.issued_at.isoformat(timespec="seconds")}


def _latest(copies: Iterable[IssuedOrder]) -> list[dict[str, object]]:
    latest: dict[tuple[dt.date, str], IssuedOrder] = {}
    for copy in copies:
        latest[(copy.date, copy.person)] = copy  # issued_orders lists them oldest first
    return [order_view(c) for c in sorted(latest.values(), key=lambda c: (c.date, c.person))]


def orders_on(session: Session, date: dt.date) -> list[dict[str, object]]:
    """Every order in force for the night of ``date`` (each person's latest copy)."""
    return _latest(issued_orders(session, dates=[date]))


def orders_of(session: Session, person: str) -> list[dict[str, object]]:
    """Every order ``person`` received, one per night (the latest copy)."""
    return _latest(issued_orders(session, person=person))


def trace_in_force(session: Session, text: str) -> Trace:
    """Who a leaked ``text`` accuses, under the orders settings of the plan in force."""
    from escolta.operations.nights import plan_in_force

    return trace_leak(session, plan_in_force(session).scenario, text)


def trace_leak(session: Session, scenario: Scenario, text: str) -> Trace:
    """Who a leaked ``text`` accuses, with every score, threshold and epsilon.

    The text is read (:mod:`escolta.orders.read`), aligned with every copy issued on the
    nights it names, and scored (:mod:`escolta.orders.trace`). A text that carries no mark
    of a night on record accuses no one.
    """
    if len(text) > MAX_LEAK_CHARS:
        raise InputError("LEAK_FILE", f"{len(text)} characters",
                         f"is longer than the {MAX_LEAK_CHARS} characters read")
    reading = read_marks(text)
    nights = order_nights(session, reading.dates)
    copies = issued_orders(session, dates=list(nights)) if nights else []
    params = parameters_for(scenario.orders.colluders, scenario.orders.false_accusation,
                            [night.cutoff for night in nights.values()])
    return trace_marks(reading, {date: night.biases for date, night in nights.items()},
                       copies, params)
