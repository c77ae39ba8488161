"""The red team over many scenarios (``escolta redteam --scenarios DIR``), on Dask.

Each scenario file of the folder is validated first (a bad one is one line naming it), then
solved and played against its simulated adversaries, learners and baselines on a worker
(:mod:`escolta.sweeps.cluster`); each report is kept on disk, filed under the SHA-256 of the
scenario's text and the simulation's settings, so a run that was interrupted resumes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from escolta.errors import InputError
from escolta.protect.scenario import parse_scenario_text, read_scenario_text
from escolta.sweeps.cluster import Task, run_tasks
from escolta.sweeps.results import ResultStore

#: Most scenario files one run takes.
MAX_SCENARIOS = 1_000


@dataclass(frozen=True)
class ScenarioRedTeam:
    """One scenario's red-team findings: the plan's exact risk and the full report."""

    scenario: str
    key: str
    risk: float
    report: dict[str, Any]

    @property
    def simulated(self) -> dict[str, Any]:
        return self.report["plan"]

    @property
    def all_agree(self) -> bool:
        return all(a["agrees"] for a in self.report["adversaries"].values())

    def best_learner(self) -> tuple[str, float] | None:
        learners = self.report["learners"]
        if not learners:
            return None
        name = max(learners, key=lambda n: learners[n]["success"])
        return name, float(learners[name]["success"])

    def to_dict(self) -> dict[str, Any]:
        return {"scenario": self.scenario, "key": self.key, "risk": self.risk,
                "report": self.report}


def scenario_files(directory: Path) -> list[Path]:
    """The scenario files of a folder (``*.yaml``, ``*.yml``), sorted, within the limit."""
    if not directory.is_dir():
        raise InputError("--scenarios", str(directory), "must be a directory of scenario files")
    files = sorted(p for p in directory.iterdir()
                   if p.suffix in (".yaml", ".yml") and p.is_file())
    if not files:
        raise InputError("--scenarios", str(directory), "holds no .yaml scenario file")
    if len(files) > MAX_SCENARIOS:
        raise InputError("--scenarios", str(directory),
                         f"holds {len(files):,} scenarios; at most {MAX_SCENARIOS:,} per run")
    return files


def redteam_task(text: str, name: str, key: str, nights: int, runs: int, seed: int,
                 method: str) -> dict[str, Any]:
    """One scenario solved and red-teamed (runs on a worker: plain data in and out)."""
    from escolta.protect.solve import solve_plan
    from escolta.redteam.report import run_redteam
    from escolta.redteam.simulate import Settings

    scenario = parse_scenario_text(text, origin=name)
    plan = solve_plan(scenario, method=method)
    report = run_redteam(scenario, plan, Settings(nights=nights, runs=runs, seed=seed,
                                                  workers=1))
    return ScenarioRedTeam(name, key, float(plan.risk), report.to_dict()).to_dict()


def redteam_scenarios(directory: Path, *, nights: int, runs: int, seed: int,
                      method: str = "auto", out: Path | None = None,
                      scheduler: str | None = None, workers: int | None = None,
                      advance: Callable[[int, int], None] | None = None
                      ) -> tuple[ScenarioRedTeam, ...]:
    """Red-team every scenario of ``directory``; reports kept in ``out`` (default
    ``out/redteam/<folder name>``) and reused when the same scenario and settings return.
    """
    from escolta.redteam.simulate import Settings

    files = scenario_files(directory)
    Settings(nights=nights, runs=runs, seed=seed, workers=1)  # its limits, before any work
    texts = {}
    for path in files:
        text = read_scenario_text(path)
        try:  # every file valid before any work, a mistake named with its file
            parse_scenario_text(text, origin=str(path))
        except InputError as error:
            raise InputError(f"{path.name}: {error.field}", error.value, error.reason) from None
        texts[path.name] = text
    settings = {"nights": nights, "runs": runs, "seed": seed, "method": method}
    keys = {name: hashlib.sha256(json.dumps([text, settings], sort_keys=True).encode())
            .hexdigest() for name, text in texts.items()}
    if out is None:
        out = Path("out") / "redteam" / directory.resolve().name
        out.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    store = ResultStore(out)
    done: dict[str, ScenarioRedTeam | None] = {}
    for name, key in keys.items():
        data = store.read(key)
        done[name] = None if data is None else ScenarioRedTeam(**data)
    total = len(files)
    if advance is not None:
        advance(sum(1 for r in done.values() if r is not None), total)

    def keep(data: dict[str, Any]) -> None:
        store.write(data["key"], data)
        done[data["scenario"]] = ScenarioRedTeam(**data)
        if advance is not None:
            advance(sum(1 for r in done.values() if r is not None), total)

    run_tasks([Task(keys[name], redteam_task, (texts[name], name, keys[name], nights, runs,
                                               seed, method))
               for name in texts if done[name] is None],
              keep, scheduler=scheduler, workers=workers)
    return tuple(r for r in (done[name] for name in texts) if r is not None)
