"""``escolta phones``: the inventory through the command line; mistakes exit 2 in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import run

EXAMPLE = Path(__file__).parents[2] / "examples" / "protected-week.yaml"


def test_add_list_retire(capsys, db) -> None:
    assert run(capsys, "phones", "add", "a", "b", "c", "--db", db)[0] == 0
    assert run(capsys, "phones", "retire", "b", "--db", db)[0] == 0
    code, out, _ = run(capsys, "phones", "list", "--db", db, "--json")
    assert code == 0
    assert [h["label"] for h in json.loads(out)["handsets"]] == ["a", "c"]
    code, out, _ = run(capsys, "phones", "list", "--all", "--db", db, "--json")
    retired = {h["label"]: h["retired"] is not None for h in json.loads(out)["handsets"]}
    assert retired == {"a": False, "b": True, "c": False}


def test_schedule_never_reissues_and_says_when_it_runs_out(capsys, db) -> None:
    # the example has per_month 15: a 2-day cycle. Three handsets, one retired by hand:
    # a and c each carried two consecutive days (in an order drawn from the OS CSPRNG,
    # docs/design.md §6) over 12-01..12-04, nothing from 12-05 on.
    run(capsys, "phones", "add", "a", "b", "c", "--db", db)
    run(capsys, "phones", "retire", "b", "--db", db)
    code, out, _ = run(capsys, "phones", "schedule", str(EXAMPLE), "--days", "6",
                       "--start", "2026-12-01", "--db", db, "--json")
    assert code == 0
    schedule = json.loads(out)
    carried = [d["handset"] for d in schedule["days"]]
    assert carried in (["a", "a", "c", "c", None, None], ["c", "c", "a", "a", None, None])
    assert schedule["runs_out"] == "2026-12-05"
    # both used handsets are now retired: a second schedule has nothing to issue
    code, out, _ = run(capsys, "phones", "schedule", str(EXAMPLE), "--days", "2", "--db", db,
                       "--json")
    again = json.loads(out)
    assert again["days"][0]["date"] == "2026-12-05"
    assert [d["handset"] for d in again["days"]] == [None, None]


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        pytest.param(["phones", "retire", "nope"], "handset: no such handset", id="unknown"),
        pytest.param(["phones", "add", "x", "x"], "LABEL: is given twice (got 'x')",
                     id="twice"),
        pytest.param(["phones", "schedule", str(EXAMPLE), "--start", "someday"],
                     "--start: must be a date YYYY-MM-DD (got 'someday')", id="bad-date"),
    ],
)
def test_mistakes_exit_2_with_one_line(capsys, db, argv: list[str], needle: str) -> None:
    code, out, err = run(capsys, *argv, "--db", db)
    assert code == 2 and out == ""
    assert needle in err and err.count("\n") == 1


def test_leak_outside_unit_interval_is_refused_by_the_cli(capsys, db, tmp_path) -> None:
    text = EXAMPLE.read_text().replace("leak_per_day: 0.02", "leak_per_day: 1.5")
    scenario = tmp_path / "bad.yaml"
    scenario.write_text(text)
    code, _, err = run(capsys, "phones", "schedule", str(scenario), "--db", db)
    assert code == 2
    assert "phones.leak_per_day" in err and "1.5" in err and err.count("\n") == 1


def test_nightly_schedule_names_each_days_handset(capsys, db) -> None:
    # two handsets on the example's 2-day cycle cover 4 of the 5 nights drawn
    import datetime as dt

    today = dt.date.today()
    assert run(capsys, "plan", str(EXAMPLE), "--db", db, "--no-plots",
               "--method", "reference")[0] == 0
    run(capsys, "phones", "add", "a", "b", "--db", db)
    code, out, _ = run(capsys, "schedule", "--days", "5", "--db", db, "--json")
    assert code == 0
    phones = json.loads(out)["phones"]
    # the order of the two fresh handsets is drawn from the OS CSPRNG (docs/design.md §6)
    assert phones["handsets"] in [{(today + dt.timedelta(days=i)).isoformat(): label
                                   for i, label in enumerate(order)} for order in ("aabb", "bbaa")]
    first = phones["handsets"][today.isoformat()]
    assert phones["runs_out"] == (today + dt.timedelta(days=4)).isoformat()
    # a second run over the same nights keeps the assignments and issues nothing new
    code, out, _ = run(capsys, "schedule", "--days", "5", "--db", db)
    assert code == 0 and f"phone: handset {first} (day 1)" in out and "runs out on" in out
    code, out, _ = run(capsys, "phones", "list", "--all", "--db", db, "--json")
    assert all(h["retired"] is not None for h in json.loads(out)["handsets"])


def test_days_past_the_calendar_are_one_line(capsys, db) -> None:
    run(capsys, "phones", "add", "a", "--db", db)
    code, _, err = run(capsys, "phones", "schedule", str(EXAMPLE), "--days", "99999999",
                       "--db", db)
    assert code == 2 and "--days" in err and "99999999" in err and "Traceback" not in err


def test_sweep_plot_into_a_directory_is_refused(capsys, tmp_path) -> None:
    code, _, err = run(capsys, "phones", "sweep", str(EXAMPLE), "--max-days", "1",
                       "--plot", str(tmp_path))
    assert code == 2 and "--plot" in err and str(tmp_path) in err
