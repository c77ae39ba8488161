"""Tracing leaks of real order texts: the leaker is accused, innocents are not."""

from __future__ import annotations

import random

import pytest

from escolta.orders.read import read_marks
from escolta.orders.tardos import code_parameters
from escolta.orders.trace import Trace, parameters_for, trace_marks

from .order_cases import Record, issue

RECORD = issue(nights=40, people=12, seed=7)
DATES = sorted(RECORD.biases)
PARAMS = code_parameters(3, 1e-3)


def _trace(text: str, record: Record = RECORD) -> Trace:
    return trace_marks(read_marks(text), record.biases, record.copies, PARAMS)


def _copies(person: str, nights: int) -> list[str]:
    return [RECORD.copy(person, date).text for date in DATES[:nights]]


def _line_mix(texts: list[str], rng: random.Random) -> str:
    """One night's copies mixed line by line: each line from one copy chosen at random
    (the copies of one team have the same lines in the same places up to their order)."""
    split = [t.splitlines() for t in texts]
    return "\n".join(rng.choice(split)[k] for k in range(len(split[0]))) + "\n"


@pytest.mark.parametrize("person", ["p00", "p04", "p09"])
def test_one_persons_orders_leaked_accuse_exactly_that_person(person: str) -> None:
    trace = _trace("".join(_copies(person, 20)))
    assert trace.accused == (person,)
    assert trace.scores[person] >= trace.thresholds[person]
    assert trace.epsilon == 1e-3


def test_a_single_copy_is_too_little_evidence_and_accuses_no_one() -> None:
    trace = _trace(_copies("p00", 1)[0])
    assert trace.accused == ()
    assert trace.marks_read > 0


@pytest.mark.parametrize("mix", ["pasted", "line-by-line", "alternate-nights"])
def test_two_colluders_leaking_together_get_one_of_them_accused_and_no_innocent(
        mix: str) -> None:
    rng = random.Random(3)
    gang = ["p01", "p02"]  # both in the first team
    if mix == "pasted":
        text = "".join(_copies("p01", 40) + _copies("p02", 40))
    elif mix == "line-by-line":
        text = "".join(_line_mix([RECORD.copy(p, d).text for p in gang], rng) for d in DATES)
    else:
        text = "".join(RECORD.copy(gang[k % 2], d).text for k, d in enumerate(DATES))
    trace = _trace(text)
    assert trace.accused
    assert set(trace.accused) <= set(gang)


def test_three_colluders_mixing_line_by_line_over_forty_nights_are_caught() -> None:
    rng = random.Random(5)
    gang = ["p01", "p02", "p03"]  # three agents of the first team
    text = "".join(_line_mix([RECORD.copy(p, d).text for p in gang], rng) for d in DATES)
    trace = _trace(text)
    assert trace.accused and set(trace.accused) <= set(gang)


def test_a_fragment_retyped_in_capitals_still_names_its_source() -> None:
    texts = _copies("p07", 30)
    fragment = "\n".join(t.upper().replace("\n", "  ") for t in texts)
    assert _trace(fragment).accused == ("p07",)


@pytest.mark.parametrize("text", [
    pytest.param("Nothing to see here.\nJust a shopping list: eggs, milk.", id="prose"),
    pytest.param("ORDER FOR THE NIGHT OF 1999-01-01\nReport at 19:00 to x.", id="unknown-date"),
])
def test_a_text_that_is_no_leak_accuses_no_one(text: str) -> None:
    trace = _trace(text)
    assert trace.accused == () and trace.scores == {}


@pytest.mark.parametrize("seed", range(4))
def test_a_forged_order_with_random_wording_accuses_no_one(seed: int) -> None:
    """Someone who never saw a copy writes orders for 40 real dates, choosing each variant
    at random: the marks are read, but nobody's score should pass their threshold."""
    forged = issue(nights=40, people=1, seed=1000 + seed)  # another codeword, same template
    text = "".join(c.text for c in forged.copies)
    trace = _trace(text.replace("p00", "someone"))
    assert trace.marks_read > 0
    assert trace.accused == ()


def test_people_are_scored_only_on_marks_their_own_copies_carried() -> None:
    trace = _trace(_copies("p00", 2)[0])  # an even night: the first team's lead is p00
    # p00 leads the team with the principal: 26 marks; the other team's copies lack the
    # principal's and the room lines, so they received 22 of the marks read
    assert trace.marks["p00"] == 26
    assert trace.marks["p06"] == 22
    assert trace.marks["p01"] == 24  # an agent with the principal: no room line


def test_the_parameters_bound_the_terms_of_every_night() -> None:
    strict = parameters_for(3, 1e-3, [1 / 300])
    assert strict.cutoff == pytest.approx(1 / 300)
    assert parameters_for(3, 1e-3, [0.2]).cutoff == code_parameters(3, 1e-3).cutoff


def test_the_json_document_has_the_fields_of_the_issue() -> None:
    data = _trace("".join(_copies("p03", 20))).to_dict()
    assert {"accused", "scores", "threshold", "epsilon", "marks_read"} <= set(data)
    assert data["accused"] == ["p03"]
    assert data["marks_read"] == sum(data["marks"]["p03"] for _ in [0])
