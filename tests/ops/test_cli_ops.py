"""``escolta tonight``, ``schedule``, ``record`` and ``report`` against a hand-made record."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import icalendar
import pytest
from typer.testing import CliRunner

from escolta.cli.main import _register_commands, app, main
from escolta.reports.exports import SEEDED_MARK
from escolta.store import open_store
from escolta.store.database import file_mode
from escolta.store.record import drawn_nights, spent_nights

TODAY = dt.date.today()


@pytest.fixture
def runner() -> CliRunner:
    if not any(c.name == "tonight" for c in app.registered_commands):
        _register_commands()
    return CliRunner()


def _ok(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


def _refused(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    return lines[0]


# --------------------------------------------------------------------------- tonight


def test_tonight_draws_from_the_csprng_stores_and_keeps_the_draw(
    runner: CliRunner, ops_record: Path
) -> None:
    first = json.loads(_ok(runner, "tonight", "--json"))
    assert first["new"] and not first["seeded"]
    again = json.loads(_ok(runner, "tonight", "--json"))
    assert not again["new"]  # shown again, never redrawn
    assert (again["site"], again["room"], again["posts"]) == (
        first["site"], first["room"], first["posts"])
    with open_store(ops_record) as store, store.transaction() as session:
        [stored] = drawn_nights(session)
    assert stored.date == TODAY and not stored.seeded


def test_tonight_follows_the_night_recorded_yesterday(
    runner: CliRunner, ops_record: Path
) -> None:
    # Yesterday at b (room 1, team at b): under no_repeat the plan's only next night is a.
    yesterday = (TODAY - dt.timedelta(days=1)).isoformat()
    _ok(runner, "record", "--date", yesterday, "--site", "b", "--post", "t=b")
    for _ in range(5):  # seeded draws are never kept: five independent draws
        tonight = json.loads(_ok(runner, "tonight", "--json", "--seed", str(_)))
        assert tonight["site"] == "a" and tonight["seeded"]


def test_seeded_draws_are_marked_where_shown_and_stored(
    runner: CliRunner, ops_record: Path
) -> None:
    text = _ok(runner, "tonight", "--seed", "4")
    assert SEEDED_MARK in text
    with sqlite3.connect(ops_record) as connection:
        assert connection.execute("SELECT seeded FROM drawn_nights").fetchall() == [(1,)]


# --------------------------------------------------------------------------- schedule


def test_schedule_exports_an_ics_calendar_programs_accept(
    runner: CliRunner, ops_record: Path, tmp_path: Path
) -> None:
    ics, table = tmp_path / "fortnight.ics", tmp_path / "fortnight.csv"
    data = json.loads(_ok(runner, "schedule", "--days", "14", "--ics", str(ics),
                          "--csv", str(table), "--json"))
    calendar = icalendar.Calendar.from_ical(ics.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 14
    assert len({str(e["UID"]) for e in events}) == 14
    for event, night in zip(events, data["nights"], strict=True):
        assert event.decoded("DTSTART") == dt.date.fromisoformat(night["date"])
        assert event.decoded("DTEND") - event.decoded("DTSTART") == dt.timedelta(days=1)
        assert "DTSTAMP" in event
        assert str(event["SUMMARY"]) == f"P: {night['site']}, room {night['room']}"
    assert [e["date"] for e in data["nights"]] == [
        (TODAY + dt.timedelta(days=k)).isoformat() for k in range(14)]
    assert ics.read_bytes().count(b"\r\n") == len(ics.read_bytes().splitlines())
    rows = table.read_text().splitlines()
    assert rows[0] == "date,site,room,post:t,seeded" and len(rows) == 15
    assert file_mode(ics) == 0o600 and file_mode(table) == 0o600


def test_schedule_never_repeats_a_site_and_keeps_earlier_draws(
    runner: CliRunner, ops_record: Path
) -> None:
    tonight = json.loads(_ok(runner, "tonight", "--json"))
    data = json.loads(_ok(runner, "schedule", "--days", "30", "--json"))
    first = data["nights"][0]
    assert (first["site"], first["room"]) == (tonight["site"], tonight["room"])
    assert data["newly_drawn"] == 29
    sites = [n["site"] for n in data["nights"]]
    assert all(x != y for x, y in zip(sites, sites[1:], strict=False))  # no_repeat
    report = json.loads(_ok(runner, "report", "--json"))
    assert report["draws"]["dates_drawn_more_than_once"] == []


def test_a_seeded_schedule_is_marked_in_every_format(
    runner: CliRunner, ops_record: Path, tmp_path: Path
) -> None:
    ics = tmp_path / "sim.ics"
    data = json.loads(_ok(runner, "schedule", "--days", "3", "--seed", "9", "--ics", str(ics),
                          "--json"))
    assert data["seeded"] and all(n["seeded"] for n in data["nights"])
    events = list(icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))
    assert all(str(e["SUMMARY"]).startswith(SEEDED_MARK) for e in events)


# --------------------------------------------------------------------------- record


def test_record_prices_an_override(runner: CliRunner, ops_record: Path) -> None:
    # The team stood at a while the principal slept at b, room 1: a night outside the
    # plan. strike attacks (b, 1) (see the ops_plan fixture) and meets no team there:
    # success[0] of b = 0.8, against the plan's 0.12.
    text = _ok(runner, "record", "--site", "b", "--room", "1", "--post", "t=a")
    assert "80.00%" in text and "12.00%" in text and "never draws" in text
    with open_store(ops_record) as store, store.transaction() as session:
        [spent] = spent_nights(session)
    assert spent.override
    assert spent.cost["adversaries"] == {"strike": pytest.approx(0.8)}
    assert spent.cost["plan"]["risk"] == pytest.approx(0.12)


def test_record_of_the_drawn_night_is_no_override(runner: CliRunner, ops_record: Path) -> None:
    drawn = json.loads(_ok(runner, "tonight", "--json"))
    result = json.loads(_ok(runner, "record", "--site", drawn["site"], "--room",
                            str(drawn["room"]), "--json"))  # posts default to the draw
    assert result["posts"] == drawn["posts"]
    assert not result["override"] and result["reasons"] == []
    report = json.loads(_ok(runner, "report", "--json"))
    assert report["nights_spent"]["count"] == 1 and report["overrides"] == []


def test_report_lists_overrides_and_writes_plots(
    runner: CliRunner, ops_record: Path, tmp_path: Path
) -> None:
    _ok(runner, "record", "--site", "b", "--post", "t=a")
    report = json.loads(_ok(runner, "report", "--json", "--plots", str(tmp_path / "plots")))
    [override] = report["overrides"]
    assert override["risk"] == pytest.approx(0.8) and override["plan_risk"] == pytest.approx(0.12)
    assert sorted(Path(p).name for p in report["plots"]) == [
        "record-override-costs.png", "record-site-odds.png"]
    assert all(Path(p).read_bytes()[:4] == b"\x89PNG" for p in report["plots"])


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("args", "field", "value"),
    [
        pytest.param(["record", "--site", "nowhere"], "--site", "nowhere", id="unknown-site"),
        pytest.param(["record", "--site", "a", "--post", "ghost=a"], "--post", "ghost",
                     id="unknown-team"),
        pytest.param(["record", "--site", "a", "--post", "t=moon"], "--post", "moon",
                     id="unknown-post-site"),
        pytest.param(["record", "--site", "b", "--room", "3", "--post", "t=b"], "--room", "3",
                     id="no-such-room"),
        pytest.param(["record", "--site", "a"], "--post", "t", id="team-post-unknown"),
        pytest.param(["record", "--site", "a", "--post", "t=a", "--post", "t=b"], "--post", "t",
                     id="team-posted-twice"),
        pytest.param(["schedule", "--days", "3", "--start", "2000-01-01"], "--start",
                     "2000-01-01", id="start-in-the-past"),
        pytest.param(["schedule", "--days", "0"], "--days", "0", id="no-days"),
        pytest.param(["schedule", "--days", "100000000"], "--days", "100000000",
                     id="days-past-the-calendar"),
        pytest.param(["tonight", "--date", "tomorrow"], "--date", "tomorrow", id="bad-date"),
        pytest.param(["tonight", "--date", "0001-01-01"], "--date", "0001-01-01",
                     id="no-night-before-the-calendar"),
        pytest.param(["tonight", "--seed", "-1"], "seed", "-1", id="negative-seed"),
        pytest.param(["schedule", "--days", "2", "--seed", "-1"], "seed", "-1",
                     id="negative-schedule-seed"),
    ],
)
def test_bad_input_gets_one_line_naming_field_and_value(
    ops_record: Path, capsys: pytest.CaptureFixture[str], args: list[str], field: str,
    value: str
) -> None:
    line = _refused(capsys, *args)
    assert field in line and value in line


def test_a_missing_database_directory_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no-such-dir" / "record.db"
    line = _refused(capsys, "tonight", "--db", str(missing))
    assert "--db" in line and str(missing.parent) in line and "does not exist" in line
    assert not missing.parent.exists()


def test_no_plan_yet_is_one_clear_line(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = _refused(capsys, "tonight", "--db", str(db_path))
    assert "escolta plan" in line


# --------------------------------------------------------------------------- plan


def test_plan_stores_itself_and_writes_plots_beside_the_summary(
    runner: CliRunner, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    scenario = Path(__file__).parents[2] / "examples" / "two-sites.yaml"
    result = runner.invoke(app, ["plan", str(scenario), "--json", "--method", "reference",
                                 "--db", str(db_path), "--plots", str(tmp_path / "plots"),
                                 "--sweep-teams", "2"])
    assert result.exit_code == 0, result.output
    exported = json.loads(result.stdout)  # stdout is still JSON only
    from sqlalchemy import select

    from escolta.store import open_store
    from escolta.store.models import PlanRow, ScenarioRow

    with open_store(db_path) as store, store.transaction() as session:  # sealed: read by the key
        [(text, name)] = session.execute(select(ScenarioRow.text, ScenarioRow.name)).all()
        [(plan_json, risk)] = session.execute(select(PlanRow.plan_json, PlanRow.risk)).all()
    assert text == scenario.read_text() and name == "two-sites.yaml"
    assert json.loads(plan_json) == exported and risk == exported["risk"]
    assert sorted(p.name for p in (tmp_path / "plots").iterdir()) == [
        "risk-by-adversary.png", "risk-by-teams.png", "site-odds.png"]
    assert "risk-by-teams.png" in result.stderr
    # the sweep re-solves the scenario itself at 2 teams: the same optimal risk
    assert "2 teams: risk " + f"{exported['risk']:.6f}" in result.stderr


def test_planning_the_same_scenario_again_keeps_the_plan_and_tonight(
    runner: CliRunner, db_path: Path, tmp_path: Path
) -> None:
    """Re-running ``plan`` on an unchanged scenario must not open tonight to a fresh draw; a
    changed scenario is a new plan."""
    scenario = Path(__file__).parents[2] / "examples" / "two-sites.yaml"
    plan = ("plan", str(scenario), "--db", str(db_path), "--no-plots", "--json")
    first_plan = runner.invoke(app, list(plan))
    assert first_plan.exit_code == 0, first_plan.output
    first = json.loads(_ok(runner, "tonight", "--db", str(db_path), "--json"))
    assert runner.invoke(app, list(plan)).exit_code == 0
    again = json.loads(_ok(runner, "tonight", "--db", str(db_path), "--json"))
    assert again["plan_id"] == first["plan_id"] and not again["new"]
    changed = tmp_path / "changed.yaml"
    changed.write_text(scenario.read_text() + "\n# a changed scenario file\n")
    assert runner.invoke(app, ["plan", str(changed), "--db", str(db_path), "--no-plots",
                               "--json"]).exit_code == 0
    after = json.loads(_ok(runner, "tonight", "--db", str(db_path), "--json"))
    assert after["plan_id"] != first["plan_id"] and after["new"]
