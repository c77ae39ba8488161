"""The handset schedule: a fixed D-day cycle, retired handsets never return."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from escolta.errors import InputError
from escolta.protect.phones import Handset, schedule_handsets

START = date(2026, 3, 2)


def test_hand_worked_schedule() -> None:
    # D = 3. "old" has carried 2 days: it does its last day on 03-02 and retires.
    # "gone" is retired and must never appear. "new1" covers 03-03..03-05, "new2" 03-06..03-08,
    # then nothing is left: 1 + 3 + 3 = 7 handset-days, so the inventory runs out on 03-09.
    inventory = [Handset("new1"), Handset("gone", retired=True), Handset("old", days_used=2),
                 Handset("new2")]
    schedule = schedule_handsets(inventory, START, 9, 3, shuffle=False)
    assert [d.handset for d in schedule.days] == (
        ["old", "new1", "new1", "new1", "new2", "new2", "new2", None, None])
    assert [d.day_in_cycle for d in schedule.days] == [3, 1, 2, 3, 1, 2, 3, 0, 0]
    assert schedule.retire == (("old", date(2026, 3, 2)), ("new1", date(2026, 3, 5)),
                               ("new2", date(2026, 3, 8)))
    assert schedule.runs_out == date(2026, 3, 9)
    assert schedule.handset_on(date(2026, 3, 4)) == "new1"


def test_runs_out_beyond_the_schedule_is_still_reported() -> None:
    # 4 fresh handsets on a 2-day cycle last 8 days: 03-02 + 8 = 03-10
    schedule = schedule_handsets([Handset(f"h{i}") for i in range(4)], START, 3, 2,
                                 shuffle=False)
    assert schedule.runs_out == date(2026, 3, 10)
    assert [d.handset for d in schedule.days] == ["h0", "h0", "h1"]


def test_fresh_handsets_are_drawn_from_the_os_csprng(monkeypatch: pytest.MonkeyPatch) -> None:
    # docs/design.md §6: tomorrow's phone is an operational draw. The part-used handset
    # still goes first; the order of the fresh ones comes from secrets.SystemRandom.
    import escolta.protect.phones.handsets as phones

    calls: list[list[str]] = []

    class Reversing:
        def shuffle(self, items: list[Handset]) -> None:
            calls.append([h.label for h in items])
            items.reverse()

    monkeypatch.setattr(phones.secrets, "SystemRandom", Reversing)
    inventory = [Handset("f1"), Handset("old", days_used=1), Handset("f2"), Handset("f3")]
    schedule = schedule_handsets(inventory, START, 7, 2)
    assert calls == [["f1", "f2", "f3"]]
    assert [d.handset for d in schedule.days] == ["old", "f3", "f3", "f2", "f2", "f1", "f1"]


def test_every_order_of_fresh_handsets_occurs() -> None:
    # three fresh handsets: each of the 3! = 6 first-issue orders must be possible; with a
    # seeded simulation generator and 600 schedules each appears (P(miss one) < 6·(5/6)^600).
    import random

    generator = random.Random(11)
    orders = {
        tuple(d.handset for d in schedule_handsets(
            [Handset("x"), Handset("y"), Handset("z")], START, 3, 1, rng=generator).days)
        for _ in range(600)
    }
    assert len(orders) == 6


def test_duplicate_label_is_refused() -> None:
    with pytest.raises(InputError, match="handset: is listed twice"):
        schedule_handsets([Handset("a"), Handset("a")], START, 2, 2)


inventories = st.lists(
    st.tuples(st.integers(0, 6), st.booleans()), min_size=0, max_size=8
).map(lambda rows: [Handset(f"h{i}", used, retired) for i, (used, retired) in enumerate(rows)])


@given(inventories, st.integers(1, 5), st.integers(0, 40))
def test_retired_handsets_are_never_reissued(
    inventory: list[Handset], cycle: int, days: int
) -> None:
    schedule = schedule_handsets(inventory, START, days, cycle)
    by_label = {h.label: h for h in inventory}
    carried: dict[str, list[int]] = {}
    for offset, entry in enumerate(schedule.days):
        assert entry.day == START + timedelta(days=offset)
        if entry.handset is not None:
            carried.setdefault(entry.handset, []).append(offset)
    for label, offsets in carried.items():
        handset = by_label[label]
        assert not handset.retired
        # carried on consecutive days, never beyond its cycle, never again after retiring
        assert offsets == list(range(offsets[0], offsets[0] + len(offsets)))
        assert handset.days_used + len(offsets) <= cycle
    # a handset retires only after D days in use, and then never shows up again
    for label, last in schedule.retire:
        assert all(e.handset != label for e in schedule.days if e.day > last)
    # the inventory runs out after the handset-days left, counted independently
    left = sum(cycle - h.days_used for h in inventory if not h.retired and h.days_used < cycle)
    assert schedule.runs_out == START + timedelta(days=left)
    assert all(e.handset is None for e in schedule.days if e.day >= schedule.runs_out)
    assert all(e.handset is not None for e in schedule.days if e.day < schedule.runs_out)
