"""``escolta redteam`` from the command line: JSON shape, plots, table, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from redteam_cases import HAND_CASES
from typer.testing import CliRunner

from escolta.cli.main import _register_commands, app, main


@pytest.fixture
def blind_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ESCOLTA_DB", str(tmp_path / "record.db"))
    path = tmp_path / "alternation.yaml"
    path.write_text(yaml.safe_dump(HAND_CASES["alternation"][0]))
    return path


@pytest.fixture
def runner() -> CliRunner:
    if not any(c.name == "redteam" for c in app.registered_commands):
        _register_commands()
    return CliRunner()


def _run(runner, *args):
    return runner.invoke(app, ["redteam", *args, "--method", "reference", "--workers", "1"])


def test_json_has_the_documented_shape(runner, blind_file):
    result = _run(runner, str(blind_file), "--nights", "400", "--runs", "2", "--seed", "4",
                  "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)  # nothing but JSON on stdout
    for section in ("adversaries", "learners", "baselines"):
        assert report[section]
        for entry in report[section].values():
            assert {"success", "predicted", "ci"} <= set(entry)
            lo, hi = entry["ci"]
            assert 0 <= lo <= entry["success"] <= hi <= 1
    # the hand figures of redteam_cases: informant 0.45, blind 0.3
    assert report["adversaries"]["informant"]["predicted"] == pytest.approx(0.45)
    assert report["adversaries"]["blind"]["predicted"] == pytest.approx(0.3)
    assert set(report["baselines"]) == {"routine", "uniform"}  # no fortress under no_repeat
    assert report["settings"]["seeded"] is True
    assert report["verdict"]["text"]


def test_same_seed_same_report(runner, blind_file):
    args = (str(blind_file), "--nights", "300", "--runs", "2", "--seed", "9", "--json")
    first, second = _run(runner, *args), _run(runner, *args)
    assert json.loads(first.stdout) == json.loads(second.stdout)


def test_table_and_plots(runner, blind_file, tmp_path):
    result = _run(runner, str(blind_file), "--nights", "300", "--runs", "1",
                  "--plots", str(tmp_path / "plots"))
    assert result.exit_code == 0, result.output
    assert "Verdict" in result.stdout and "informant" in result.stdout
    for name in ("learners.png", "hit_rate.png", "baselines.png"):
        assert (tmp_path / "plots" / name).stat().st_size > 0


@pytest.mark.parametrize(("option", "value", "field"), [
    pytest.param("--nights", "1", "nights", id="nights"),
    pytest.param("--runs", "0", "runs", id="runs"),
    pytest.param("--seed", "-3", "seed", id="seed"),
])
def test_bad_options_are_one_line_and_exit_2(blind_file, capsys, option, value, field):
    with pytest.raises(SystemExit) as stop:
        main(["redteam", str(blind_file), option, value, "--method", "reference"])
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith(f"escolta: error: {field}:")


def test_an_exported_plan_is_tested_as_given(runner, blind_file, tmp_path):
    # A hand-made plan for the "alternation" case: a then b, strictly alternating (the only
    # legal chain), exported as docs/design.md §5 JSON. Same figures as the solver's: 0.45, 0.3.
    plan = {"risk": 0.375, "adversaries": {"informant": 0.45, "blind": 0.3},
            "site_probability": {"a": 0.5, "b": 0.5},
            "nights": [{"p": 0.5, "site": "a", "room": 1, "posts": {}},
                       {"p": 0.5, "site": "b", "room": 1, "posts": {}}],
            "pairs": [{"yesterday": 0, "tonight": 1, "p": 0.5},
                      {"yesterday": 1, "tonight": 0, "p": 0.5}],
            "solver": {"status": "given", "seconds": 0, "lower_bound": 0}}
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    result = _run(runner, str(blind_file), "--plan", str(path), "--nights", "2000", "--runs",
                  "2", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["adversaries"]["informant"]["exact"] == pytest.approx(0.45)
    assert report["predictability"]["plan"]["site_entropy_exact_bits"]["order_1"] == 0.0


@pytest.mark.parametrize(("content", "field"), [
    pytest.param(None, "plan", id="missing-file"),
    pytest.param("{not json", "plan", id="not-json"),
    pytest.param(json.dumps({"risk": 0, "adversaries": {}, "site_probability": {},
                             "nights": [{"p": 1, "site": "moon", "room": 1, "posts": {}}],
                             "solver": {"status": "given", "seconds": 0, "lower_bound": 0}}),
                 "night.site", id="unknown-site"),
])
def test_bad_plan_files_exit_2(blind_file, tmp_path, capsys, content, field):
    path = tmp_path / "bad.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(SystemExit) as stop:
        main(["redteam", str(blind_file), "--plan", str(path), "--nights", "100"])
    assert stop.value.code == 2
    assert capsys.readouterr().err.startswith(f"escolta: error: {field}:")
