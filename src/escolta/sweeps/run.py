"""Solving a sweep's variants on a Dask cluster, each exactly, resuming where it stopped.

The client builds and validates every variant first (so a bad axis value is refused before
any solving), skips those whose result is already on disk, and submits the rest as one task
each (:mod:`escolta.sweeps.cluster`). Each result is written the moment it arrives.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from escolta.protect.scenario import Scenario, parse_scenario
from escolta.sweeps.cluster import Task, run_tasks
from escolta.sweeps.results import ResultStore, VariantResult
from escolta.sweeps.spec import SweepSpec
from escolta.sweeps.variants import variant, variant_key

#: ``advance(done, total)`` after each variant (those found on disk count at the start).
Advance = Callable[[int, int], None]


@dataclass(frozen=True)
class PlannedVariant:
    key: str
    setting: dict[str, Any]
    scenario: Scenario


def plan_variants(spec: SweepSpec, base: Scenario) -> list[PlannedVariant]:
    """Every variant of the sweep, validated (an InputError names the axis and value)."""
    out = []
    for setting in spec.settings():
        scenario = variant(base, setting)
        out.append(PlannedVariant(variant_key(scenario), _plain(setting), scenario))
    return out


def _plain(setting: dict[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in setting.items()}


def solve_variant(scenario_data: dict[str, Any], setting: dict[str, Any], key: str,
                  method: str, time_limit: float | None) -> dict[str, Any]:
    """One variant, solved exactly (runs on a worker: plain data in, plain data out)."""
    from escolta.protect.solve import solve_plan

    start = time.perf_counter()
    plan = solve_plan(parse_scenario(scenario_data), method=method, time_limit=time_limit)
    appearances = plan.extra.get("appearances")
    return VariantResult(
        key, setting, float(plan.risk), float(plan.solver.lower_bound), plan.solver.status,
        None if appearances is None else float(appearances["risk"]),
        time.perf_counter() - start).to_dict()


def run_sweep(planned: Sequence[PlannedVariant], store: ResultStore, *,
              scheduler: str | None = None, workers: int | None = None,
              method: str = "auto", time_limit: float | None = None,
              advance: Advance | None = None) -> list[VariantResult]:
    """Solve every variant not on disk yet; return all results in the order of the grid."""
    done = {v.key: store.get(v.key) for v in planned}
    todo = [v for v in planned if done[v.key] is None]
    total = len(planned)
    if advance is not None:
        advance(total - len(todo), total)

    def keep(data: dict[str, Any]) -> None:
        result = VariantResult.from_dict(data)
        store.put(result)
        done[result.key] = result
        if advance is not None:
            advance(sum(1 for r in done.values() if r is not None), total)

    run_tasks([Task(v.key, solve_variant, (v.scenario.model_dump(mode="json"), v.setting, v.key,
                                           method, time_limit)) for v in todo],
              keep, scheduler=scheduler, workers=workers)
    return [r for r in (done[v.key] for v in planned) if r is not None]
