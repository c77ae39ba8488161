"""Solving a sweep's variants on a Dask cluster, each exactly, resuming where it stopped.

The client builds and validates every variant first (so a bad axis value is refused before
any solving), skips those whose result is already on disk, and submits the rest as one task
each. Without a scheduler address it starts a local cluster of worker *processes*, one per
core (the solver holds the GIL); with one (``tcp://HOST:PORT``) it uses that cluster, whose
workers must have escolta installed. Each result is written the moment it arrives.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from escolta.errors import InputError
from escolta.protect.scenario import Scenario, parse_scenario
from escolta.sweeps.results import ResultStore, VariantResult
from escolta.sweeps.spec import SweepSpec
from escolta.sweeps.variants import variant, variant_key

#: Most local worker processes (the machine's cores by default).
MAX_WORKERS = 64
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


def _client(scheduler: str | None, workers: int | None) -> Any:
    from dask.distributed import Client, LocalCluster

    if scheduler is not None:
        if not scheduler.startswith(("tcp://", "tls://", "inproc://")):
            raise InputError("--scheduler", scheduler, "must be an address tcp://HOST:PORT")
        try:
            return Client(scheduler, timeout=20)
        except (OSError, TimeoutError) as error:
            raise InputError("--scheduler", scheduler, f"cannot be reached: {error}") from None
    count = workers or os.cpu_count() or 1
    if not 1 <= count <= MAX_WORKERS:
        raise InputError("--workers", count, f"must lie in 1..{MAX_WORKERS}")
    cluster = LocalCluster(n_workers=count, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=logging.ERROR)
    return Client(cluster)


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
    if todo:
        _solve_on_cluster(todo, store, done, scheduler=scheduler, workers=workers,
                          method=method, time_limit=time_limit, advance=advance, total=total)
    return [r for r in (done[v.key] for v in planned) if r is not None]


def _solve_on_cluster(todo: Sequence[PlannedVariant], store: ResultStore,
                      done: dict[str, VariantResult | None], *, scheduler: str | None,
                      workers: int | None, method: str, time_limit: float | None,
                      advance: Advance | None, total: int) -> None:
    from dask.distributed import as_completed

    client = _client(scheduler, workers)
    try:
        futures = [client.submit(solve_variant, v.scenario.model_dump(mode="json"), v.setting,
                                 v.key, method, time_limit, key=f"variant-{v.key}", pure=False)
                   for v in todo]
        for future in as_completed(futures):
            result = VariantResult.from_dict(future.result())
            store.put(result)
            done[result.key] = result
            if advance is not None:
                advance(sum(1 for r in done.values() if r is not None), total)
    finally:
        cluster = getattr(client, "cluster", None)
        client.close()
        if scheduler is None and cluster is not None:
            cluster.close()
