"""Tasks on a Dask cluster, each result written the moment it arrives.

Without a scheduler address a local cluster of worker *processes* is started, one per core
(the solvers hold the GIL); with one (``tcp://HOST:PORT``) that cluster is used, and its
workers must have escolta installed. A task is a plain function of plain data returning a
JSON-able mapping, so it can run on any worker.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from escolta.errors import InputError

#: Most local worker processes.
MAX_WORKERS = 64


@dataclass(frozen=True)
class Task:
    """One unit of work: ``function(*args)`` filed under ``key``."""

    key: str
    function: Callable[..., dict[str, Any]]
    args: tuple[Any, ...]


def client_for(scheduler: str | None, workers: int | None) -> Any:
    """A Dask client: of the cluster at ``scheduler``, else of a new local cluster."""
    from dask.distributed import Client, LocalCluster

    if scheduler is not None:
        if not scheduler.startswith(("tcp://", "tls://")):
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


def run_tasks(tasks: Sequence[Task], on_result: Callable[[dict[str, Any]], None], *,
              scheduler: str | None = None, workers: int | None = None) -> None:
    """Run every task on the cluster; ``on_result`` gets each result as it completes."""
    if not tasks:
        return
    from dask.distributed import as_completed

    client = client_for(scheduler, workers)
    try:
        futures = [client.submit(task.function, *task.args, key=f"escolta-{task.key}",
                                 pure=False) for task in tasks]
        for future in as_completed(futures):
            on_result(future.result())
    finally:
        cluster = getattr(client, "cluster", None)
        client.close()
        if scheduler is None and cluster is not None:
            cluster.close()
