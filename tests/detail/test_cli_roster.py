"""``escolta roster``: JSON shape, the stored roster, refusals as one line with exit 2."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from cli_helpers import run

from escolta.detail.check import check_roster
from escolta.detail.problem import RosterNight, roster_problem
from escolta.protect.scenario import load_scenario
from escolta.store import open_store
from escolta.store.record import drawn_night
from escolta.store.rosters import roster_on, rostered_between

SCENARIO = {
    "principal": "P",
    "sites": [{"name": "home", "success": [0.6, 0.3, 0.1]},
              {"name": "villa", "success": [0.8, 0.4, 0.2]}],
    "teams": [{"name": "inner", "chain": "guard", "crew": {"lead": 1, "agent": 1},
               "mix": {"guard": 1}},
              {"name": "outer", "chain": "army", "crew": {"agent": 2}, "mix": {"army": 1}}],
    "adversaries": [{"name": "lookout", "weight": 1, "sees": "posture"}],
    "staff": [{"name": n, "chain": c, "roles": r, "trust": t} for n, c, r, t in [
        ("ana", "guard", ["lead", "agent"], 1.0), ("bea", "guard", ["lead", "agent"], 0.95),
        ("cruz", "guard", ["agent"], 0.9), ("dan", "army", ["agent"], 1.0),
        ("eli", "army", ["agent"], 0.97), ("fer", "army", ["agent"], 0.9),
        ("gil", "army", ["agent"], 0.99), ("hal", "guard", ["lead"], 0.98)]],
    "roster": {"max_nights_in_a_row": 2, "min_nights_off_per_7": 2,
               "max_with_principal_per_14": 5, "max_together_per_28": 3},
}


@pytest.fixture
def record(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, Path]:
    path = tmp_path / "detail.yaml"
    path.write_text(yaml.safe_dump(SCENARIO))
    code, _, err = run(capsys, "plan", str(path), "--db", db)
    assert code == 0, err
    return db, path


def _roster(capsys: pytest.CaptureFixture[str], db: str, *args: str) -> dict:
    code, out, err = run(capsys, "roster", "--json", "--db", db, "--time-limit", "20",
                         "--workers", "4", *args)
    assert code == 0, err
    return json.loads(out)


def _stored_problem(db: str, path: Path, first: dt.date, days: int):
    scenario = load_scenario(path)
    with open_store(db) as store, store.transaction() as session:
        nights = []
        for k in range(days):
            drawn = drawn_night(session, first + dt.timedelta(days=k))
            assert drawn is not None  # roster drew the night it staffed
            nights.append(RosterNight(drawn.date, drawn.night.site, drawn.night.posts))
        stored = rostered_between(session, first, first + dt.timedelta(days=days - 1))
    return roster_problem(scenario, nights), list(stored)


def test_json_shape_and_the_stored_roster_keeps_every_rule(
        record: tuple[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    db, path = record
    data = _roster(capsys, db, "--days", "4")
    assert {"status", "objective", "bound", "assignments"} <= set(data)
    assert data["status"] == "optimal" and data["bound"] == pytest.approx(data["objective"])
    assert len(data["assignments"]) == 4 * 4
    assert set(data["assignments"][0]) == {"date", "team", "position", "person"}
    first = dt.date.fromisoformat(data["assignments"][0]["date"])
    problem, stored = _stored_problem(db, path, first, 4)
    assert check_roster(problem, stored) == []
    assert sorted((a.date.isoformat(), a.team, a.position, a.person) for a in stored) == sorted(
        (a["date"], a["team"], a["position"], a["person"]) for a in data["assignments"])
    with open_store(db) as store, store.transaction() as session:
        assert len(roster_on(session, first)) == 4


def test_a_second_roster_continues_the_first_across_the_seam(
        record: tuple[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    db, path = record
    first = dt.date.today()
    _roster(capsys, db, "--days", "3")
    later = (first + dt.timedelta(days=3)).isoformat()
    _roster(capsys, db, "--days", "3", "--start", later)
    problem, stored = _stored_problem(db, path, first, 6)
    assert check_roster(problem, stored) == []


def test_a_rostered_night_is_refused_without_force(
        record: tuple[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    db, _ = record
    _roster(capsys, db, "--days", "2")
    code, out, err = run(capsys, "roster", "--days", "2", "--db", db)
    assert code == 2 and out == ""
    assert err.startswith("escolta: error: --start: 2 of these nights already have a roster")
    assert len(err.strip().splitlines()) == 1
    again = _roster(capsys, db, "--days", "2", "--force")
    assert len(again["assignments"]) == 8


def test_the_readable_form_shows_the_roster_and_each_load(
        record: tuple[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    db, _ = record
    code, out, err = run(capsys, "roster", "--days", "2", "--db", db, "--time-limit", "20",
                         "--workers", "4")
    assert code == 0, err
    assert "Roster" in out and "Load" in out and "proven bound" in out
    assert "lead: " in out  # who stands in which position


@pytest.mark.parametrize(("args", "start"), [
    (("--days", "0"), "escolta: error: --days: must lie in 1..366 (got 0)"),
    (("--days", "367"), "escolta: error: --days: must lie in 1..366 (got 367)"),
    (("--time-limit", "0"), "escolta: error: --time-limit: must lie in"),
    (("--start", "2020-01-01"), "escolta: error: --start: is in the past"),
    (("--start", "tomorrow"), "escolta: error: --start: must be a date YYYY-MM-DD"),
    (("--workers", "0"), "escolta: error: --workers: must lie in 1..64"),
])
def test_bad_options_are_one_line_and_exit_2(record: tuple[str, Path],
                                             capsys: pytest.CaptureFixture[str],
                                             args: tuple[str, ...], start: str) -> None:
    db, _ = record
    code, out, err = run(capsys, "roster", "--db", db, *args)
    assert code == 2 and out == ""
    assert err.startswith(start) and len(err.strip().splitlines()) == 1


def test_an_impossible_rule_is_one_line_and_exit_2(
        db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "tight.yaml"
    path.write_text(yaml.safe_dump({**SCENARIO, "roster": {"max_with_principal_per_14": 0}}))
    assert run(capsys, "plan", str(path), "--db", db)[0] == 0
    code, out, err = run(capsys, "roster", "--days", "3", "--db", db, "--workers", "4")
    assert code == 2 and out == ""
    assert err.startswith("escolta: error: roster.max_with_principal_per_14: cannot be met for")
    assert " on 20" in err  # the date
    assert len(err.strip().splitlines()) == 1


def test_a_scenario_without_crews_is_refused(db: str, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "plain.yaml"
    plain = {k: v for k, v in SCENARIO.items() if k not in ("staff", "roster")}
    plain["teams"] = [{"name": t["name"], "chain": t["chain"]} for t in SCENARIO["teams"]]
    path.write_text(yaml.safe_dump(plain))
    assert run(capsys, "plan", str(path), "--db", db)[0] == 0
    code, _, err = run(capsys, "roster", "--days", "2", "--db", db)
    assert code == 2 and "teams[*].crew: no team has a crew" in err
