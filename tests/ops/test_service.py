"""The service layer (escolta.operations) without any front end: the never-redraw rule,
conditioning, overrides priced, and the report.

Expected values come from the hand-made chain plan of ``conftest.py`` (its support and its
transitions, worked out by hand), never from the code under test.
"""

from __future__ import annotations

import datetime as dt

import pytest

from escolta.errors import InputError
from escolta.operations.dates import parse_date, today
from escolta.operations.nights import draw_tonight, plan_in_force, record_night
from escolta.operations.report import record_report
from escolta.operations.schedule import schedule_nights
from escolta.store import open_store
from escolta.store.record import drawn_nights

TODAY = today()


def test_no_plan_in_force_is_one_clear_error(db_path) -> None:
    with open_store(db_path) as store, store.transaction() as session:
        with pytest.raises(InputError) as error:
            plan_in_force(session)
    assert error.value.field == "plan" and "escolta plan" in error.value.reason


def test_tonight_is_drawn_once_and_shown_again(ops_record) -> None:
    with open_store(ops_record) as store, store.transaction() as session:
        first = draw_tonight(session, TODAY)
    with open_store(ops_record) as store, store.transaction() as session:
        again = draw_tonight(session, TODAY)
        stored = drawn_nights(session)
    assert first.new and not again.new
    assert again.entry.night == first.entry.night
    assert len(stored) == 1 and not stored[0].seeded


def test_a_schedule_keeps_every_night_already_drawn(ops_record) -> None:
    with open_store(ops_record) as store, store.transaction() as session:
        tonight = draw_tonight(session, TODAY)
        fortnight = schedule_nights(session, TODAY, 14)
    assert fortnight.nights[0].night == tonight.entry.night
    assert len(fortnight.new) == 13
    with open_store(ops_record) as store, store.transaction() as session:
        again = schedule_nights(session, TODAY, 20)
        stored = drawn_nights(session)
    assert [e.night for e in again.nights[:14]] == [e.night for e in fortnight.nights]
    assert len(again.new) == 6 and len(stored) == 20  # only the six new dates were drawn


def test_drawn_nights_follow_the_chain(ops_record) -> None:
    """The chain plan never puts the principal at site a two nights running (its pairs
    have no a -> a transition), so no schedule may either, across separately drawn runs."""
    with open_store(ops_record) as store, store.transaction() as session:
        schedule_nights(session, TODAY + dt.timedelta(days=5), 10)
        whole = schedule_nights(session, TODAY, 30)
    sites = [e.night.site for e in whole.nights]
    assert all(not (x == "a" and y == "a") for x, y in zip(sites, sites[1:], strict=False))


def test_a_seeded_schedule_is_marked_and_replays(ops_record) -> None:
    with open_store(ops_record) as store, store.transaction() as session:
        one = schedule_nights(session, TODAY, 8, seed=5)
        two = schedule_nights(session, TODAY, 8, seed=5)
    assert all(e.seeded for e in one.nights)
    assert [e.night for e in one.nights] == [e.night for e in two.nights]


@pytest.mark.parametrize(("start", "days", "field"), [
    pytest.param(TODAY, 0, "--days", id="no-days"),
    pytest.param(TODAY, 10**8, "--days", id="too-many-days"),
    pytest.param(TODAY - dt.timedelta(days=1), 3, "--start", id="past"),
])
def test_bad_spans_are_refused_before_drawing(ops_record, start, days, field) -> None:
    with open_store(ops_record) as store, store.transaction() as session:
        with pytest.raises(InputError) as error:
            schedule_nights(session, start, days)
        assert drawn_nights(session) == []
    assert error.value.field == field


def test_recording_the_drawn_night_is_no_override(ops_record) -> None:
    with open_store(ops_record) as store, store.transaction() as session:
        drawn = draw_tonight(session, TODAY).entry.night
        recorded = record_night(session, TODAY, drawn.site, drawn.room)
    assert not recorded.assessment.override and not recorded.replaced
    assert recorded.night.posts == drawn.posts


def test_a_night_other_than_drawn_is_an_override_and_priced(ops_record) -> None:
    """Site b's room 1 is the strike's target (0.12 in the plan, see ops_plan); the night
    drawn from site a overridden to b is an override, and the report lists it."""
    with open_store(ops_record) as store, store.transaction() as session:
        drawn = draw_tonight(session, TODAY).entry.night
        other = "b" if drawn.site == "a" else "a"
        recorded = record_night(session, TODAY, other, 1, [f"t={other}"])
        report = record_report(session)
    assert recorded.assessment.override and recorded.assessment.flagged
    assert [s.date for s in report.flagged] == [TODAY]
    data = report.to_dict()
    assert data["nights_spent"]["count"] == 1
    assert data["nights_spent"]["sites"][other]["spent"] == 1.0
    assert data["nights_spent"]["sites"]["a"]["plan"] == pytest.approx(0.5)


def test_a_night_in_the_future_is_not_recorded(ops_record) -> None:
    with open_store(ops_record) as store, store.transaction() as session:
        with pytest.raises(InputError) as error:
            record_night(session, TODAY + dt.timedelta(days=1), "a")
    assert error.value.field == "--date"


@pytest.mark.parametrize("text", ["20260105", "2026-1-5", "2026-01-05T00:00", "2026-W02-1",
                                  "0001-01-01", "9999-12-31", "2026-02-30"])
def test_dates_are_strictly_yyyy_mm_dd(text) -> None:
    with pytest.raises(InputError) as error:
        parse_date(text, "--date", TODAY)
    assert error.value.field == "--date" and error.value.value == text


def test_the_cli_lists_the_solvers_the_registries_have() -> None:
    """The CLI names the methods without importing the solvers (fast start); they must not
    drift from the registries."""
    from escolta.cli.plan import METHODS as PLAN_METHODS
    from escolta.cli.solve import METHODS as GAME_METHODS
    from escolta.games.solve import METHODS as REGISTRY
    from escolta.protect.solve import METHODS as NIGHTLY

    assert tuple(PLAN_METHODS) == tuple(NIGHTLY)
    assert sorted(GAME_METHODS) == sorted(REGISTRY)
