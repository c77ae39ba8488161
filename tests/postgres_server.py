"""A throwaway PostgreSQL server on loopback for the store tests (started once per run).

It runs Debian's PostgreSQL binaries (``scripts/ensure-postgres.sh`` installs them for
``make test``): ``initdb`` in a fresh temporary directory with trust authentication, then
``pg_ctl start`` listening on 127.0.0.1 at a free port, its socket in that directory. As
root, both run as the ``postgres`` user (``runuser``), since PostgreSQL refuses to run as
root. Each test gets a database of its own (:meth:`Server.fresh_url`); the server is
stopped and its directory removed at the end.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


def _binaries() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists() and Path(candidate, "pg_ctl").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    return None if found is None else Path(found).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    directory: Path
    port: int
    prefix: list[str]
    binaries: Path
    _count: int = field(default=0)

    def _run(self, *args: str) -> None:
        subprocess.run([*self.prefix, *args], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, timeout=60)

    def fresh_url(self) -> str:
        """A new, empty database on the server, as an escolta ``--db`` URL."""
        import psycopg

        self._count += 1
        name = f"escolta_{os.getpid()}_{self._count}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        try:
            self._run(str(self.binaries / "pg_ctl"), "stop", "-D", str(self.directory / "data"),
                      "-m", "immediate", "-w")
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)


def start() -> Server | str:
    """A running server, or the reason there is none (the tests are then skipped)."""
    binaries = _binaries()
    if binaries is None:
        return "PostgreSQL is not installed (scripts/ensure-postgres.sh installs it)"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed"
    directory = Path(tempfile.mkdtemp(prefix="escolta-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    server = Server(directory, _free_port(), prefix, binaries)
    try:
        server._run(str(binaries / "initdb"), "-D", str(directory / "data"), "-U", "postgres",
                    "--auth=trust", "-E", "UTF8", "--no-sync")
        server._run(str(binaries / "pg_ctl"), "start", "-D", str(directory / "data"), "-w",
                    "-l", str(directory / "log"), "-o",
                    f"-k {directory} -p {server.port} -h 127.0.0.1 -F")
    except (subprocess.SubprocessError, OSError) as error:
        detail = getattr(error, "stderr", b"") or b""
        shutil.rmtree(directory, ignore_errors=True)
        return f"PostgreSQL did not start: {error} {detail.decode(errors='replace')[:200]}"
    return server
