"""``escolta appearances --week``: draw, record, refuse a drawn week; mistakes exit 2."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from cli_helpers import run

from escolta.store import open_store
from escolta.store.appearances import appearance_week

EXAMPLE = Path(__file__).parents[2] / "examples" / "protected-week.yaml"


def test_draw_is_recorded_and_a_drawn_week_is_refused(capsys, db) -> None:
    code, out, _ = run(capsys, "appearances", str(EXAMPLE), "--week", "2026-12-03",
                       "--db", db, "--json")
    assert code == 0
    week = json.loads(out)
    assert week["week"] == "2026-11-30" and week["seeded"] is False and week["seed"] is None
    chosen = tuple(sorted(row["slot"] for row in week["slots"]))
    assert chosen in {tuple(s["slots"]) for s in week["appearances"]["sets"]}
    with open_store(db) as store, store.transaction() as session:
        stored = appearance_week(session, dt.date(2026, 11, 30))
    assert stored is not None and tuple(sorted(stored.slots)) == chosen and not stored.seeded
    # any day of the same week is the same week: refused without --force
    code, out, err = run(capsys, "appearances", str(EXAMPLE), "--week", "2026-12-06",
                         "--db", db)
    assert code == 2 and out == "" and "--week:" in err and "--force" in err
    code, out, _ = run(capsys, "appearances", str(EXAMPLE), "--week", "2026-12-06",
                       "--db", db, "--force", "--seed", "3", "--json")
    assert code == 0 and json.loads(out)["seeded"] is True


def test_seeded_draw_is_marked_in_the_readable_output(capsys, db) -> None:
    code, out, _ = run(capsys, "appearances", str(EXAMPLE), "--week", "2026-12-03",
                       "--db", db, "--seed", "1")
    assert code == 0 and "SEEDED" in out and "Risk against the notice" in out


@pytest.mark.parametrize(
    ("edit", "needle"),
    [
        pytest.param(("day: tue", "day: funday"), "appearances.slots[2].day", id="unknown-day"),
        pytest.param(("per_week: 3", "per_week: 8"), "appearances.per_week", id="too-many"),
    ],
)
def test_bad_scenario_exits_2_naming_the_field(capsys, db, tmp_path, edit, needle) -> None:
    scenario = tmp_path / "bad.yaml"
    scenario.write_text(EXAMPLE.read_text().replace(*edit, 1))
    code, out, err = run(capsys, "appearances", str(scenario), "--week", "2026-12-03",
                         "--db", db)
    assert code == 2 and out == ""
    assert err.startswith(f"escolta: error: {needle}:") and err.count("\n") == 1


def test_bad_week_exits_2(capsys, db) -> None:
    code, _, err = run(capsys, "appearances", str(EXAMPLE), "--week", "next", "--db", db)
    assert code == 2 and "--week: must be a date YYYY-MM-DD (got 'next')" in err


def test_plot_into_a_directory_is_refused_before_drawing(capsys, db, tmp_path) -> None:
    code, _, err = run(capsys, "appearances", str(EXAMPLE), "--week", "2026-12-03",
                       "--db", db, "--plot", str(tmp_path))
    assert code == 2
    assert "--plot" in err and str(tmp_path) in err and "Traceback" not in err
    with open_store(db) as store, store.transaction() as session:
        assert appearance_week(session, dt.date(2026, 11, 30)) is None


def test_plot_without_suffix_names_the_file_written(capsys, db, tmp_path) -> None:
    code, out, _ = run(capsys, "appearances", str(EXAMPLE), "--week", "2026-12-03",
                       "--db", db, "--plot", str(tmp_path / "notice"))
    assert code == 0
    assert (tmp_path / "notice.png").is_file()
    # Rich may fold a long path across lines: compare with all whitespace removed
    assert f"plotsavedto{tmp_path / 'notice.png'}" in "".join(out.split())


def test_a_week_drawn_by_another_command_during_the_solve_is_kept(
        capsys, db, monkeypatch) -> None:
    import escolta.operations.appearances as command
    from escolta.store.appearances import record_appearance_week

    real_solve = command.solve_appearances

    def solve_while_another_draws(*args, **kwargs):
        with open_store(db) as store, store.transaction() as session:
            record_appearance_week(session, dt.date(2026, 11, 30), [0], plan_id=None,
                                   seeded=False)
        return real_solve(*args, **kwargs)

    monkeypatch.setattr(command, "solve_appearances", solve_while_another_draws)
    code, _, err = run(capsys, "appearances", str(EXAMPLE), "--week", "2026-12-03", "--db", db)
    assert code == 2 and "--week" in err and "--force" in err
    with open_store(db) as store, store.transaction() as session:
        assert appearance_week(session, dt.date(2026, 11, 30)).slots == (0,)


def test_a_week_past_the_calendar_is_refused_before_drawing(capsys, db) -> None:
    code, _, err = run(capsys, "appearances", str(EXAMPLE), "--week", "9999-12-31", "--db", db)
    assert code == 2 and "--week" in err and "9999-12-31" in err and "Traceback" not in err
    with open_store(db) as store, store.transaction() as session:
        assert appearance_week(session, dt.date(9999, 12, 27)) is None
