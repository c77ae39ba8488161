"""``escolta redteam --scenarios DIR``: every scenario of a folder red-teamed on Dask, each
report kept so a second run does nothing again.

Each scenario's plan risk is checked against the brute-force reference LP of that scenario.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import run

from escolta.protect.scenario import load_scenario
from escolta.protect.solve import solve_plan

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ("two-sites.yaml", "hideout.yaml")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    directory = tmp_path / "scenarios"
    directory.mkdir()
    for name in EXAMPLES:
        (directory / name).write_text((ROOT / "examples" / name).read_text())
    return directory


def _check(scenarios: list[dict]) -> None:
    assert [s["scenario"] for s in scenarios] == sorted(EXAMPLES)
    for item in scenarios:
        reference = solve_plan(load_scenario(ROOT / "examples" / item["scenario"]),
                               method="reference").risk
        assert item["risk"] == pytest.approx(reference, abs=1e-7)
        assert item["report"]["settings"]["nights"] == 300


def test_many_scenarios_locally_then_resumed(folder, tmp_path, capsys) -> None:
    out = tmp_path / "reports"
    argv = ("redteam", "--scenarios", str(folder), "--nights", "300", "--runs", "2",
            "--workers", "1", "--out", str(out), "--json")
    code, stdout, err = run(capsys, *argv)
    assert code == 0, err
    _check(json.loads(stdout)["scenarios"])
    kept = {p: p.stat().st_mtime_ns for p in out.glob("*.json")}
    assert len(kept) == 2 and all(p.stat().st_mode & 0o077 == 0 for p in kept)
    code, stdout, err = run(capsys, *argv)
    assert code == 0, err
    assert {p: p.stat().st_mtime_ns for p in out.glob("*.json")} == kept  # nothing redone


def test_many_scenarios_on_a_scheduler(folder, tmp_path, capsys, dask_cluster) -> None:
    code, stdout, err = run(capsys, "redteam", "--scenarios", str(folder), "--nights", "300",
                            "--runs", "2", "--scheduler", dask_cluster,
                            "--out", str(tmp_path / "r"), "--json")
    assert code == 0, err
    _check(json.loads(stdout)["scenarios"])


@pytest.mark.parametrize(("setup", "argv", "needle"), [
    pytest.param(lambda d: None, ["--nights", "1"], "nights", id="too-few-nights"),
    pytest.param(lambda d: (d / "bad.yaml").write_text("principal: P\n"), [], "bad.yaml",
                 id="one-bad-scenario"),
    pytest.param(lambda d: [p.unlink() for p in d.iterdir()], [], "--scenarios", id="empty"),
    pytest.param(lambda d: None, ["--plan", "x.json"], "--scenarios", id="with-plan"),
])
def test_bad_runs_are_one_line_before_any_work(folder, tmp_path, capsys, setup, argv,
                                               needle) -> None:
    setup(folder)
    code, _, err = run(capsys, "redteam", "--scenarios", str(folder), "--out",
                       str(tmp_path / "r"), *argv)
    assert code == 2 and err.count("\n") == 1 and needle in err
    assert not list((tmp_path / "r").glob("*.json")) if (tmp_path / "r").exists() else True


def test_a_scenario_or_a_folder_not_both(folder, capsys) -> None:
    code, _, err = run(capsys, "redteam", str(ROOT / "examples" / "two-sites.yaml"),
                       "--scenarios", str(folder))
    assert code == 2 and "SCENARIO" in err
