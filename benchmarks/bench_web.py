"""Load on the operations centre: 50 officers polling their orders while a chief records nights.

uvicorn serves the application in a separate process on loopback, over a fresh SQLite record
(a hand-made two-site plan and one order per officer tonight, from an in-memory order source,
since the orders module is wired at merge). Each officer polls ``GET /api/orders/mine`` every
``--interval`` seconds (their first polls spread evenly over the first interval); the chief
posts ``POST /api/record`` once a second (every request also appends to the audit chain, so
every request writes). The run is bounded by ``--seconds`` and
by ``--max-requests``. Goal (issue 14): 0 errors, p99 under 100 ms on SQLite.

Officers' sessions are opened directly in the record (an Argon2id sign-in costs about a second
of CPU; 50 of them would measure the hash, not the service). The chief signs in through the API.

Run: ``python benchmarks/bench_web.py [--officers 50] [--seconds 10] [--interval 0.5]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

PASSWORD = "benchmark chief password"
SITES = ("harbour-house", "summit-villa")
SCENARIO = f"""\
principal: P
sites:
  - {{name: {SITES[0]}, rooms: 1, success: [0.6, 0.2]}}
  - {{name: {SITES[1]}, rooms: 2, success: [0.8, 0.4]}}
teams:
  - {{name: t, chain: guard}}
rules: {{no_repeat: true}}
adversaries:
  - {{name: strike, weight: 1, sees: nothing}}
"""


def _plan():  # type: ignore[no-untyped-def]
    from escolta.protect.plan import Night, Pair, Plan, SolverInfo

    return Plan(risk=0.12, adversaries={"strike": 0.12},
                site_probability={SITES[0]: 0.5, SITES[1]: 0.5},
                nights=(Night(0.5, SITES[0], 1, {"t": SITES[0]}),
                        Night(0.3, SITES[1], 1, {"t": SITES[1]}),
                        Night(0.2, SITES[1], 2, {"t": SITES[1]})),
                pairs=(Pair(0, 1, 0.3), Pair(0, 2, 0.2), Pair(1, 0, 0.3), Pair(2, 0, 0.2)),
                solver=SolverInfo("optimal", 0.01, 0.12, "lp"))


class BenchOrders:
    """One order per officer for tonight."""

    def __init__(self, officers: int) -> None:
        today = dt.date.today().isoformat()
        self.orders = [{"id": f"o-{k}", "date": today, "person": f"officer-{k:02d}",
                        "text": f"Report 20:00 to team t at {SITES[0]}. Call sign C{k:02d}."}
                       for k in range(officers)]

    def orders_on(self, session: Any, date: dt.date) -> list[dict[str, Any]]:
        return [dict(o) for o in self.orders if o["date"] == date.isoformat()]

    def orders_of(self, session: Any, person: str) -> list[dict[str, Any]]:
        return [dict(o) for o in self.orders if o["person"] == person]

    def order_by_id(self, session: Any, order_id: str) -> dict[str, Any] | None:
        return next((dict(o) for o in self.orders if o["id"] == order_id), None)


def build_record(db: Path, officers: int) -> list[str]:
    """The record, the users, and a session token per officer."""
    from escolta.operations.users import add_user
    from escolta.security.keyfile import load_key
    from escolta.security.passwords import hash_password
    from escolta.store import open_store
    from escolta.store.models import UserRow
    from escolta.store.record import save_plan, save_scenario, utc_now
    from escolta.web.security import open_session

    tokens = []
    with open_store(db) as store, store.transaction() as session:
        scenario = save_scenario(session, SCENARIO, "bench.yaml")
        save_plan(session, scenario.id, _plan())
        key = load_key(store.path)
        add_user(session, key, name="chief", role="chief", password=PASSWORD)
        shared = hash_password(PASSWORD)  # one hash for all officers: setup stays short
        for k in range(officers):
            row = UserRow(name=f"officer-{k:02d}", role="officer", person=f"officer-{k:02d}",
                          password_hash=shared, created_at=utc_now())
            session.add(row)
            session.flush()
            tokens.append(open_session(session, row.id, 2.0).token)
    return tokens


def serve(db: Path, port: int, officers: int) -> None:
    """The server process: the application with the benchmark's order source. At exit it
    writes how many commits its writer made for how many jobs to ``DB.writer.json``."""
    import uvicorn

    from escolta.web import settings
    from escolta.web.app import create_app

    app = create_app(settings.Settings(db=db))
    app.state.order_source = BenchOrders(officers)  # as the record's would be, no override
    def stopped(*_: object) -> None:
        # uvicorn shuts down on SIGTERM, then raises it again for the handler it found
        writer = getattr(app.state, "writer", None)  # a build before group commit has none
        if writer is not None:
            Path(f"{db}.writer.json").write_text(json.dumps(
                {"commits": writer.groups, "jobs": writer.jobs}))
        sys.exit(0)

    signal.signal(signal.SIGTERM, stopped)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning",
                limit_concurrency=getattr(settings, "CONCURRENCY_LIMIT", None))  # as serve


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def _officer(client: Any, stop: float, interval: float, budget: list[int],
                   latencies: list[float], errors: list[str], offset: float) -> None:
    await asyncio.sleep(offset)  # phones poll on their own clocks, not all at once
    while time.monotonic() < stop and budget[0] > 0:
        budget[0] -= 1
        start = time.perf_counter()
        try:
            response = await client.get("/api/orders/mine")
            ok = response.status_code == 200 and len(response.json()["orders"]) == 1
        except Exception as error:  # noqa: BLE001 - a failed request is counted, not raised
            ok, response = False, error
        latencies.append(time.perf_counter() - start)
        if not ok:
            errors.append(f"officer: {response}")
        await asyncio.sleep(interval)


async def _chief_csrf(base: str) -> tuple[str, str]:
    """Sign the chief in (Argon2id, before the clock starts): its cookie and CSRF token."""
    import httpx2 as httpx

    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        signin = await client.post("/api/session", json={"name": "chief", "password": PASSWORD})
        return client.cookies["escolta_session"], signin.json()["csrf"]


async def _chief(client: Any, csrf: str, stop: float, budget: list[int],
                 latencies: list[float], errors: list[str]) -> int:
    recorded = 0
    while time.monotonic() < stop and budget[0] > 0:
        budget[0] -= 1
        site = SITES[recorded % 2]
        start = time.perf_counter()
        try:
            response = await client.post(
                "/api/record", headers={"X-CSRF-Token": csrf},
                json={"date": dt.date.today().isoformat(), "site": site, "room": 1,
                      "posts": [f"t={site}"]})
            ok = response.status_code == 200 and response.json()["stored"]
            problem = f"{response.status_code} {response.text[:80]}"
        except Exception as error:  # noqa: BLE001 - a failed request is counted, not raised
            ok, problem = False, repr(error)
        latencies.append(time.perf_counter() - start)
        if not ok:
            errors.append(f"chief: {problem}")
        recorded += 1
        await asyncio.sleep(1.0)
    return recorded


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _load(base: str, tokens: list[str], seconds: float, interval: float,
                 max_requests: int, server_pid: int) -> dict[str, Any]:
    import httpx2 as httpx

    officer_latencies: list[float] = []
    chief_latencies: list[float] = []
    errors: list[str] = []
    budget = [max_requests]
    token, csrf = await _chief_csrf(base)  # Argon2id costs a second: outside the clock
    async with contextlib.AsyncExitStack() as clients:
        # every client made before the clock starts: making one loads a TLS context (tens
        # of ms of the load generator's CPU), which fell on the chief's first request
        chief = await clients.enter_async_context(httpx.AsyncClient(
            base_url=base, cookies={"escolta_session": token}, timeout=30))
        officers = [await clients.enter_async_context(httpx.AsyncClient(
            base_url=base, cookies={"escolta_session": t}, timeout=10)) for t in tokens]
        cpu_before = _cpu_seconds(server_pid)
        load_before = os.getloadavg()[0]
        stop = time.monotonic() + seconds
        start = time.perf_counter()
        results = await asyncio.gather(
            _chief(chief, csrf, stop, budget, chief_latencies, errors),
            *(_officer(client, stop, interval, budget, officer_latencies, errors,
                       offset=interval * k / len(tokens))
              for k, client in enumerate(officers)))
        elapsed = time.perf_counter() - start
    return {"officer": officer_latencies, "chief": chief_latencies, "errors": errors,
            "elapsed": elapsed, "recorded": results[0],
            "server_cpu": _cpu_seconds(server_pid) - cpu_before,
            "load": (load_before, os.getloadavg()[0])}


def _quantile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--interval", type=float, default=0.5)
    parser.add_argument("--max-requests", type=int, default=5000)
    parser.add_argument("--serve", nargs=3, metavar=("DB", "PORT", "OFFICERS"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv if argv is not None else sys.argv[1:] if __name__ ==
                             "__main__" else [])
    if args.serve:
        serve(Path(args.serve[0]), int(args.serve[1]), int(args.serve[2]))
        return
    for name, value, low, high in (("--officers", args.officers, 1, 500),
                                   ("--seconds", args.seconds, 1, 600),
                                   ("--max-requests", args.max_requests, 1, 1_000_000)):
        if not low <= value <= high:
            parser.error(f"{name}: must lie in [{low}, {high}] (got {value})")
    with tempfile.TemporaryDirectory(prefix="escolta-bench-web-") as directory:
        db = Path(directory) / "record.db"
        env = {**os.environ, "ESCOLTA_KEY_FILE": str(Path(directory) / "audit.key")}
        os.environ["ESCOLTA_KEY_FILE"] = env["ESCOLTA_KEY_FILE"]
        tokens = build_record(db, args.officers)
        port = _free_port()
        server = subprocess.Popen([sys.executable, __file__, "--serve", str(db), str(port),
                                   str(args.officers)], env=env)
        try:
            _wait_for(port, server)
            result = asyncio.run(_load(f"http://127.0.0.1:{port}", tokens, args.seconds,
                                       args.interval, args.max_requests, server.pid))
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        from escolta.security.keyfile import load_key
        from escolta.store import audit, open_store

        with open_store(db) as store, store.transaction() as session:
            check = audit.verify(session, load_key(store.path))
            # each request of the run is one entry; before it: the chief added, signed in
            expected = len(result["officer"]) + len(result["chief"]) + 2
        writer_file = Path(f"{db}.writer.json")
        writer = json.loads(writer_file.read_text()) if writer_file.exists() else None
    _print(args, result, check, expected, writer)


def _wait_for(port: int, server: subprocess.Popen) -> None:  # type: ignore[type-arg]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the server process ended before it listened")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("the server did not listen within 60 s")


def _print(args: argparse.Namespace, result: dict[str, Any], check: Any, expected: int,
           writer: dict[str, int] | None) -> None:
    table = Table(title=f"Operations centre under load ({args.officers} officers polling every "
                  f"{args.interval} s, a chief recording once a second, {args.seconds:.0f} s, "
                  "SQLite, loopback)")
    for column in ("client", "requests", "requests/s", "p50 ms", "p99 ms", "max ms"):
        table.add_column(column, justify="left" if column == "client" else "right")
    everything = result["officer"] + result["chief"]
    for label, values in (("officers: GET /api/orders/mine", result["officer"]),
                          ("chief: POST /api/record", result["chief"]),
                          ("all", everything)):
        table.add_row(label, str(len(values)), f"{len(values) / result['elapsed']:.1f}",
                      f"{1000 * _quantile(values, 0.50):.1f}",
                      f"{1000 * _quantile(values, 0.99):.1f}",
                      f"{1000 * max(values, default=float('nan')):.1f}")
    console = Console(highlight=False)
    console.print(table)
    requests = max(len(everything), 1)
    cpu_ms = 1000 * result["server_cpu"] / requests
    before, after = result["load"]
    console.print(f"server CPU per request: {cpu_ms:.1f} ms (one core could serve about "
                  f"{1000 / max(cpu_ms, 1e-9):.0f} requests/s); load average (1 min) "
                  f"{before:.1f} before the run, {after:.1f} after, on {os.cpu_count()} cores")
    if writer is not None and writer["commits"]:
        console.print(f"group commit: {writer['jobs']} writes in {writer['commits']} "
                      f"commits ({writer['jobs'] / writer['commits']:.1f} a commit)")
    errors = list(result["errors"])
    if check.entries != expected:
        errors.append(f"audit: {check.entries} entries, expected {expected} (one a request)")
    if not check.intact:
        errors.append(f"audit: chain broken at entry {check.first_bad_seq}")
    console.print(f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    console.print(f"audit chain after the run: {check.entries} entries (expected {expected}), "
                  f"{'intact' if check.intact else 'BROKEN at ' + str(check.first_bad_seq)}")
    p99 = _quantile(everything, 0.99)
    console.print(f"goal (0 errors, p99 < 100 ms): "
                  f"{'met' if not errors and p99 < 0.1 else 'NOT met'}")


if __name__ == "__main__":
    main()
