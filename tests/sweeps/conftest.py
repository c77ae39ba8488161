"""A Dask scheduler with two workers on loopback, for the tests that use a remote cluster."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def dask_cluster(tmp_path):
    """A ``dask scheduler`` and two ``dask worker`` processes on loopback, stopped after."""
    dask = shutil.which("dask", path=os.path.dirname(sys.executable)) or shutil.which("dask")
    assert dask is not None, "the dask command comes with the distributed package"
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = tmp_path / "dask.log"
    with open(logs, "w") as log:
        processes = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port",
                                       str(port), "--no-dashboard"], stdout=log, stderr=log)]
        processes += [subprocess.Popen([dask, "worker", address, "--nworkers", "1",
                                        "--nthreads", "1", "--no-dashboard"],
                                       stdout=log, stderr=log) for _ in range(2)]
    try:
        from dask.distributed import Client

        deadline = time.monotonic() + 60
        while True:
            try:
                with Client(address, timeout=5) as client:
                    client.wait_for_workers(2, timeout=max(1, deadline - time.monotonic()))
                break
            except (OSError, TimeoutError):
                if time.monotonic() > deadline:
                    raise AssertionError(logs.read_text()) from None
                time.sleep(0.5)
        yield address
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


