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
