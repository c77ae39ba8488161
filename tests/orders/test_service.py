"""Issuing and tracing through the record (escolta.operations.orders, escolta.store.orders)."""

from __future__ import annotations

import datetime as dt

import pytest

from escolta.errors import InputError
from escolta.operations.orders import issue_orders, trace_leak
from escolta.protect.scenario import parse_scenario_text
from escolta.store import open_store
from escolta.store.orders import issued_orders, order_night, text_sha256

from .order_cases import FIRST, NIGHTS, ORDERS_SCENARIO, night_on, roster

SCENARIO = parse_scenario_text(ORDERS_SCENARIO)
CREWS = {"inner": ["ana", "beto", "ciro"], "outer": ["dora", "enzo", "fede"]}


def _issue_all(db: str, seed: int | None = None, nights: int = NIGHTS) -> None:
    with open_store(db) as store, store.transaction() as session:
        for k in range(nights):
            date = FIRST + dt.timedelta(days=k)
            issue_orders(session, SCENARIO, date, night_on(k), roster(date, CREWS),
                         seed=None if seed is None else seed + k)


def test_the_same_person_asking_again_gets_the_same_copy(orders_record: str) -> None:
    with open_store(orders_record) as store, store.transaction() as session:
        first = issue_orders(session, SCENARIO, FIRST, night_on(0), roster(FIRST, CREWS))
        again = issue_orders(session, SCENARIO, FIRST, night_on(0), roster(FIRST, CREWS),
                             person="beto")
        assert again.orders[0] == next(o for o in first.orders if o.person == "beto")
        assert again.fresh == () and len(first.fresh) == 6
        assert len(issued_orders(session, dates=[FIRST])) == 6


def test_a_new_person_gets_fresh_symbols_and_the_others_keep_theirs(
        orders_record: str) -> None:
    with open_store(orders_record) as store, store.transaction() as session:
        first = issue_orders(session, SCENARIO, FIRST, night_on(0), roster(FIRST, CREWS))
        crews = {**CREWS, "outer": ["dora", "enzo", "gala"]}
        second = issue_orders(session, SCENARIO, FIRST, night_on(0), roster(FIRST, crews))
        assert second.fresh == ("gala",)
        before = {o.person: o.text for o in first.orders}
        assert all(before[o.person] == o.text for o in second.orders if o.person != "gala")


def test_each_copy_is_stored_with_its_codeword_and_the_sha256_of_its_text(
        orders_record: str) -> None:
    with open_store(orders_record) as store, store.transaction() as session:
        issued = issue_orders(session, SCENARIO, FIRST, night_on(0), roster(FIRST, CREWS))
        code = order_night(session, FIRST)
        assert code is not None and not code.seeded
        assert len(code.biases) == 26 and len(code.call_key) == 16
        for order in issued.orders:
            assert order.text_sha256 == text_sha256(order.text)
            assert len(order.symbols) == 26
        assert "18:30" in issued.orders[0].text or "1830 hrs" in issued.orders[0].text


def test_two_recipients_copies_of_one_order_differ(orders_record: str) -> None:
    with open_store(orders_record) as store, store.transaction() as session:
        issued = issue_orders(session, SCENARIO, FIRST, night_on(0), roster(FIRST, CREWS))
        assert len({o.symbols for o in issued.orders}) == len(issued.orders)


def test_a_person_not_on_duty_is_refused_in_one_line(orders_record: str) -> None:
    with open_store(orders_record) as store, store.transaction() as session, \
            pytest.raises(InputError, match="is not on duty on 2026-12-01"):
        issue_orders(session, SCENARIO, FIRST, night_on(0), roster(FIRST, CREWS),
                     person="nobody")


def test_a_seeded_night_is_marked_and_repeats(orders_record: str) -> None:
    with open_store(orders_record) as store, store.transaction() as session:
        issued = issue_orders(session, SCENARIO, FIRST, night_on(0), roster(FIRST, CREWS),
                              seed=5)
        assert issued.seeded and all(o.seeded for o in issued.orders)


def test_a_leak_of_two_colluders_over_the_record_accuses_one_of_them(
        orders_record: str) -> None:
    _issue_all(orders_record, nights=24)
    with open_store(orders_record) as store, store.transaction() as session:
        copies = issued_orders(session)
        leak = "".join(c.text for c in copies if c.person in ("enzo", "fede"))
        trace = trace_leak(session, SCENARIO, leak)
    assert trace.accused and set(trace.accused) <= {"enzo", "fede"}
    assert trace.epsilon == 1e-3


def test_a_text_no_one_was_issued_accuses_no_one(orders_record: str) -> None:
    _issue_all(orders_record, nights=3)
    with open_store(orders_record) as store, store.transaction() as session:
        trace = trace_leak(session, SCENARIO, "A recipe for bread. Report at dawn to the oven.")
    assert trace.accused == () and trace.marks_read == 0


def test_a_leak_too_long_to_read_is_refused_before_work_starts(orders_record: str) -> None:
    with open_store(orders_record) as store, store.transaction() as session, \
            pytest.raises(InputError, match="longer than"):
        trace_leak(session, SCENARIO, "x" * 2_000_001)
