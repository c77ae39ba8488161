"""``escolta plan`` and ``escolta schema`` from the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from json_evaluator import check_export
from typer.testing import CliRunner

from escolta.cli.main import _register_commands, app, main

EXAMPLES = Path(__file__).parents[2] / "examples"
TWO_SITES = EXAMPLES / "two-sites.yaml"


@pytest.fixture(autouse=True)
def _hermetic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever ``plan`` writes beside its output (the record, plots) goes to a temp dir."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ESCOLTA_DB", str(tmp_path / "record.db"))


@pytest.fixture
def runner() -> CliRunner:
    if not any(c.name == "plan" for c in app.registered_commands):
        _register_commands()
    return CliRunner()


def test_plan_json_is_only_json_and_recomputes(runner: CliRunner) -> None:
    result = runner.invoke(app, ["plan", str(TWO_SITES), "--json", "--method", "reference"])
    assert result.exit_code == 0, result.output
    exported = json.loads(result.stdout)  # nothing but JSON on stdout
    check_export(exported, yaml.safe_load(TWO_SITES.read_text()))
    assert exported["solver"]["status"] == "optimal"
    assert exported["risk"] - exported["solver"]["lower_bound"] < 1e-6


def test_plan_summary_names_risk_adversaries_sites_and_teams(runner: CliRunner) -> None:
    result = runner.invoke(app, ["plan", str(TWO_SITES), "--method", "reference"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    for word in ("risk", "lower bound", "optimal", "lookout", "maid", "mole", "strike",
                 "palace", "villa", "inner", "outer", "with principal",
                 "Tonight's site given last night's"):
        assert word in text, word


def test_schema_is_json_schema(runner: CliRunner) -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "escolta scenario"
    assert "sites" in schema["properties"]


REFUSED = [
    pytest.param("adversaries:\n  - {name: x, weight: 1, sees: {team: cook}}\n",
                 "adversaries[0].sees.team", "'cook'", id="unknown-team"),
    pytest.param("adversaries:\n  - {name: x, weight: -1}\n",
                 "adversaries[0].weight", "-1", id="negative-weight"),
    pytest.param("sites:\n  - {name: a, success: [1.5]}\n",
                 "sites[0].success[0]", "1.5", id="success-above-one"),
    pytest.param("sites:\n  - {name: a, success: [0.2, 0.4]}\n",
                 "sites[0].success", "[0.2, 0.4]", id="increasing-success"),
    pytest.param("rules: {min_teams_with_principal: 2}\n",
                 "rules.min_teams_with_principal", "2", id="every-night-illegal"),
    pytest.param("colour: red\n", "colour", "'red'", id="unknown-field"),
    pytest.param("sites: [a, b\n", "is not valid YAML", "line", id="bad-yaml"),
]

BASE_YAML = (
    "principal: P\n"
    "teams: [{name: t, chain: guard}]\n"
)
DEFAULTS = {
    "sites": "sites:\n  - {name: a, success: [0.5]}\n",
    "adversaries": "adversaries:\n  - {name: x, weight: 1}\n",
}


def _scenario_text(fragment: str) -> str:
    text = BASE_YAML + fragment
    for key, default in DEFAULTS.items():
        if not fragment.startswith(key):
            text += default
    return text


@pytest.mark.parametrize(("fragment", "field", "value"), REFUSED)
def test_refusals_exit_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       fragment: str, field: str, value: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(_scenario_text(fragment))
    with pytest.raises(SystemExit) as exit_info:
        main(["plan", str(path), "--method", "reference"])
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert field in lines[0] and value in lines[0]
    assert "Traceback" not in captured.err


def test_unknown_method_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["plan", str(TWO_SITES), "--method", "magic"])
    assert exit_info.value.code == 2
    assert "method" in capsys.readouterr().err


def test_real_process_refusal_has_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(_scenario_text("colour: red\n"))
    done = subprocess.run([sys.executable, "-m", "escolta.cli.main", "plan", str(path)],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip() == "escolta: error: colour: unknown field (got 'red')"


@pytest.mark.parametrize("name", ["two-sites.yaml", "safehouses.yaml", "hideout.yaml"])
def test_default_method_agrees_with_the_reference(runner: CliRunner, name: str) -> None:
    """The default (fast when installed) plan has the reference LP's optimal risk."""
    path = EXAMPLES / name
    result = runner.invoke(app, ["plan", str(path), "--json"])
    assert result.exit_code == 0, result.output
    exported = json.loads(result.stdout)
    check_export(exported, yaml.safe_load(path.read_text()))
    reference = runner.invoke(app, ["plan", str(path), "--json", "--method", "reference"])
    assert exported["risk"] == pytest.approx(json.loads(reference.stdout)["risk"], abs=1e-6)


def test_non_positive_time_limit_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["plan", str(TWO_SITES), "--time-limit", "0"])
    assert exit_info.value.code == 2
    assert "time_limit" in capsys.readouterr().err
