"""``escolta sweep``: the grid, each variant exact, results kept and resumed, on a local Dask
cluster and on a scheduler with two workers started here on loopback.

Every variant's figure is checked against the brute-force reference LP
(``method="reference"``) solved on a scenario written out by hand for that variant, so the
sweep's own variant building, transport and storage are what is tested.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import run

from escolta.errors import InputError
from escolta.protect.scenario import parse_scenario_text
from escolta.protect.solve import solve_plan
from escolta.sweeps.spec import MAX_VARIANTS, parse_spec

SITES = {"a": "[0.3, 0.1]", "b": "[0.6, 0.2]", "c": "[0.9, 0.4]"}


def scenario_text(closed: tuple[str, ...] = (), spy_weight: float = 1.0) -> str:
    """The sweep's scenario, or one of its variants written out by hand."""
    sites = "\n".join(f"  - {{name: {name}, success: {success}}}"
                      for name, success in SITES.items() if name not in closed)
    return (f"principal: P\nsites:\n{sites}\nteams:\n  - {{name: t, chain: guard}}\n"
            "adversaries:\n  - {name: strike, weight: 2, sees: nothing}\n"
            f"  - {{name: spy, weight: {spy_weight}, sees: posture}}\n")


def write_sweep(tmp_path: Path) -> Path:
    (tmp_path / "base.yaml").write_text(scenario_text())
    spec = tmp_path / "sweep.yaml"
    spec.write_text("scenario: base.yaml\naxes:\n  closed_sites: [[], [c], [b, c]]\n"
                    "  weights: {spy: [1, 4]}\n")
    return spec


def reference_risk(closed: list[str], spy_weight: float) -> float:
    scenario = parse_scenario_text(scenario_text(tuple(closed), spy_weight))
    return solve_plan(scenario, method="reference").risk


def check_results(variants: list[dict]) -> None:
    assert len(variants) == 6
    settings = {(tuple(v["setting"]["closed_sites"]), v["setting"]["weights:spy"])
                for v in variants}
    assert settings == {(c, w) for c in ((), ("c",), ("b", "c")) for w in (1, 4)}
    for v in variants:
        expected = reference_risk(v["setting"]["closed_sites"], v["setting"]["weights:spy"])
        assert v["status"] == "optimal"
        assert v["risk"] == pytest.approx(expected, abs=1e-7)


def test_a_local_sweep_is_exact_and_resumes(tmp_path, capsys) -> None:
    spec = write_sweep(tmp_path)
    out = tmp_path / "results"
    code, stdout, err = run(capsys, "sweep", str(spec), "--out", str(out), "--workers", "1",
                            "--json")
    assert code == 0, err
    first = json.loads(stdout)
    check_results(first["variants"])
    assert (out / "sweep.png").is_file()
    kept = sorted(out.glob("*.json"))
    assert len(kept) == 6 and all(p.stat().st_mode & 0o077 == 0 for p in kept)
    # an interrupted sweep: two results lost; the others are not solved again
    untouched = {p: p.stat().st_mtime_ns for p in kept[2:]}
    for p in kept[:2]:
        p.unlink()
    code, stdout, err = run(capsys, "sweep", str(spec), "--out", str(out), "--workers", "1",
                            "--json", "--no-plot")
    assert code == 0, err
    assert json.loads(stdout)["variants"] == first["variants"] or all(
        a["risk"] == pytest.approx(b["risk"], abs=1e-9)
        for a, b in zip(json.loads(stdout)["variants"], first["variants"], strict=True))
    assert all(p.stat().st_mtime_ns == t for p, t in untouched.items())
    assert all(p.is_file() for p in kept[:2])


def test_a_sweep_on_a_scheduler_with_two_workers(tmp_path, capsys, dask_cluster) -> None:
    spec = write_sweep(tmp_path)
    code, stdout, err = run(capsys, "sweep", str(spec), "--out", str(tmp_path / "r"),
                            "--scheduler", dask_cluster, "--json", "--no-plot")
    assert code == 0, err
    check_results(json.loads(stdout)["variants"])


@pytest.mark.parametrize(("data", "field"), [
    pytest.param({"scenario": "s.yaml", "axes": {"colour": [1]}}, "axes.colour", id="axis"),
    pytest.param({"scenario": "s.yaml", "axes": {"teams": [-1]}}, "axes.teams[0]", id="neg"),
    pytest.param({"scenario": "s.yaml", "axes": {"teams": [1.5]}}, "axes.teams[0]", id="frac"),
    pytest.param({"scenario": "s.yaml", "axes": {"teams": []}}, "axes.teams", id="empty"),
    pytest.param({"scenario": "s.yaml", "axes": {"teams": list(range(20)),
                                                 "per_month": list(range(1, 101)),
                                                 "announce_hours": list(range(10))}},
                 "axes", id="too-many-variants"),
    pytest.param({"scenario": "s.yaml", "axes": {"closed_sites": ["a"]}},
                 "axes.closed_sites[0]", id="not-a-list"),
    pytest.param({"axes": {"teams": [1]}}, "scenario", id="no-scenario"),
    pytest.param({"scenario": "s.yaml", "axes": {"teams": [1]}, "x": 1}, "x", id="unknown"),
])
def test_bad_sweeps_are_refused_before_solving(data, field) -> None:
    with pytest.raises(InputError) as error:
        parse_spec(data, origin="sweep.yaml")
    assert error.value.field == field


def test_the_variant_limit_is_stated() -> None:
    assert 20 * 100 * 10 > MAX_VARIANTS


def test_an_axis_value_the_scenario_cannot_take_is_one_line(tmp_path, capsys) -> None:
    (tmp_path / "base.yaml").write_text(scenario_text())
    spec = tmp_path / "sweep.yaml"
    spec.write_text("scenario: base.yaml\naxes:\n  closed_sites: [[nowhere]]\n")
    code, _, err = run(capsys, "sweep", str(spec), "--out", str(tmp_path / "r"))
    assert code == 2 and err.count("\n") == 1 and "nowhere" in err
    assert not (tmp_path / "r").exists() or not list((tmp_path / "r").glob("*.json"))
