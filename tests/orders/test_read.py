"""Fingerprint round trip: every mark written into an order is read back exactly."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from escolta.orders.duty import Duty
from escolta.orders.read import normalise, read_marks
from escolta.orders.text import (
    MARKS_PER_ORDER,
    PRINCIPAL_SLOTS,
    ROOM_SLOTS,
    SLOT,
    SLOTS,
    format_date,
    render_order,
)

from .order_cases import DAY, text_of

DUTIES = {
    "lead-with-principal": Duty(DAY, "ana", "inner", "lead", "lead", "palace-north", True, 3),
    "agent-with-principal": Duty(DAY, "beto", "inner", "agent-1", "agent", "palace-north",
                                 True, None),
    "away": Duty(DAY, "caro", "outer", "agent-2", "agent", "villa-south", False, None),
}
codewords = st.lists(st.integers(0, 1), min_size=len(SLOTS), max_size=len(SLOTS))


def _expected(duty: Duty, symbols: list[int]) -> dict[tuple[dt.date, int], int]:
    """The marks an order of ``duty`` carries: every slot of the lines it has."""
    absent = set()
    if not duty.principal_here:
        absent |= PRINCIPAL_SLOTS
    if duty.room is None:
        absent |= ROOM_SLOTS
    return {(duty.date, i): symbols[i] for i, name in enumerate(SLOTS) if name not in absent}


def _retype(text: str, rng: random.Random) -> str:
    """Other case and other spacing: runs of spaces, tabs, lost and doubled line breaks."""
    out = []
    for char in text:
        if char == " ":
            out.append(rng.choice([" ", "  ", "\t", " \n"]))
        elif char == "\n":
            out.append(rng.choice(["\n", " ", "\r\n\r\n", "   "]))
        else:
            out.append(char.upper() if rng.random() < 0.5 else char.lower())
    return "".join(out)


@pytest.mark.parametrize("kind", list(DUTIES))
@settings(max_examples=40, deadline=None)
@given(symbols=codewords, seed=st.integers(0, 2 ** 32))
def test_marks_read_back_exactly_even_retyped(kind: str, symbols: list[int], seed: int) -> None:
    duty = DUTIES[kind]
    text = text_of(duty, symbols)
    expected = _expected(duty, symbols)
    assert dict(read_marks(text).marks) == expected
    assert dict(read_marks(_retype(text, random.Random(seed))).marks) == expected


@pytest.mark.parametrize(("first", "second", "mark"), [
    pytest.param("To:", "Call sign:", "order.to_callsign", id="to-callsign"),
    pytest.param("Team:", "Position:", "order.team_position", id="team-position"),
])
def test_swapping_interchangeable_lines_flips_exactly_their_mark(first: str, second: str,
                                                                  mark: str) -> None:
    symbols = [0] * len(SLOTS)
    duty = DUTIES["away"]
    lines = text_of(duty, symbols).splitlines()
    i, j = (next(k for k, line in enumerate(lines) if line.startswith(w)) for w in (first,
                                                                                  second))
    lines[i], lines[j] = lines[j], lines[i]
    flipped = list(symbols)
    flipped[SLOT[mark]] = 1
    assert dict(read_marks("\n".join(lines)).marks) == _expected(duty, flipped)


def test_the_closing_lines_in_any_order_read_as_the_order_they_stand_in() -> None:
    duty = DUTIES["away"]
    lines = text_of(duty, [0] * len(SLOTS)).splitlines()
    head, closing = lines[:-3], lines[-3:]
    for arrangement in ([0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]):
        shuffled = [closing[k] for k in arrangement]
        kinds = [line.split()[0].lower() for line in shuffled]  # need / destroy / acknowledge
        marks = read_marks("\n".join(head + shuffled)).marks
        assert marks[(DAY, SLOT["order.ack_destroy"])] == int(
            kinds.index("acknowledge") < kinds.index("destroy"))
        assert marks[(DAY, SLOT["order.destroy_need"])] == int(
            kinds.index("destroy") < kinds.index("need"))


def test_several_nights_pasted_together_are_each_read_under_their_own_date() -> None:
    later = dt.date(2027, 2, 28)
    first = Duty(DAY, "ana", "inner", "lead", "lead", "palace-north", True, 1)
    second = Duty(later, "ana", "inner", "lead", "lead", "villa-south", False, None)
    a, b = [1] * len(SLOTS), [0] * len(SLOTS)
    marks = read_marks(text_of(first, a) + "\n\n" + text_of(second, b)).marks
    assert dict(marks) == {**_expected(first, a), **_expected(second, b)}


def test_two_copies_of_one_night_disagreeing_marks_are_skipped_agreeing_ones_kept() -> None:
    duty = DUTIES["away"]
    a = [0] * len(SLOTS)
    b = list(a)
    b[SLOT["report.verb"]] = 1
    reading = read_marks(text_of(duty, a) + text_of(duty, b))
    assert reading.conflicts == 1
    assert dict(reading.marks) == {k: v for k, v in _expected(duty, a).items()
                                   if k[1] != SLOT["report.verb"]}


@pytest.mark.parametrize(("fragment", "dated"), [
    pytest.param(slice(1, None), True, id="no-heading-but-reference"),
    pytest.param(slice(2, None), False, id="no-date-at-all"),
])
def test_a_fragment_is_read_when_it_still_carries_a_date(fragment: slice, dated: bool) -> None:
    duty = DUTIES["away"]
    symbols = [1] * len(SLOTS)
    lines = text_of(duty, symbols).splitlines()[fragment]
    reading = read_marks("\n".join(lines))
    if dated:
        assert set(reading.marks) <= set(_expected(duty, symbols))
        assert len(reading.marks) == MARKS_PER_ORDER - 3  # the heading's three marks are lost
    else:
        assert reading.marks == {} and reading.undated > 0


@pytest.mark.parametrize("text", [
    pytest.param("", id="empty"),
    pytest.param("The weather tomorrow will be fine; report to no one.", id="prose"),
    pytest.param("orders for the night of 2026-13-45", id="impossible-date"),
])
def test_a_text_that_is_no_order_carries_no_marks(text: str) -> None:
    assert read_marks(text).marks == {}


@pytest.mark.parametrize("date", [dt.date(2026, 1, 1), dt.date(2028, 12, 31),
                                  dt.date(2026, 7, 9)])
@pytest.mark.parametrize("variant", [0, 1])
def test_both_date_formats_read_back_under_the_same_date(date: dt.date, variant: int) -> None:
    duty = Duty(date, "ana", "t", "lead", "lead", "x", False, None)
    symbols = [0] * len(SLOTS)
    symbols[SLOT["heading.date"]] = variant
    text = render_order(duty, symbols, call_sign="WREN 10", report_time="05:07")
    assert format_date(date, variant).lower() in normalise(text)
    assert read_marks(text).dates == {date}


def test_an_order_carries_the_number_of_marks_the_code_counts_on() -> None:
    assert len(read_marks(text_of(DUTIES["away"], [0] * len(SLOTS))).marks) == MARKS_PER_ORDER
    assert MARKS_PER_ORDER == 22
