"""``escolta orders`` and ``escolta trace`` end to end (they need the roster module)."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from pathlib import Path

import pytest
from cli_helpers import run

from .order_cases import FIRST, NIGHTS, roster

rosters = pytest.importorskip("escolta.store.rosters")

CREWS = {"inner": ["ana", "beto", "ciro"], "outer": ["dora", "enzo", "fede"]}


@pytest.fixture
def rostered(orders_record: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The record of conftest, with every night rostered by CREWS."""
    def roster_on(session: object, date: dt.date) -> list:
        return roster(date, CREWS) if FIRST <= date < FIRST + dt.timedelta(days=NIGHTS) else []

    monkeypatch.setattr(rosters, "roster_on", roster_on)
    return orders_record


def test_orders_json_gives_one_order_per_person_on_duty(
        rostered: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "orders", "--date", FIRST.isoformat(), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["date"] == FIRST.isoformat()
    assert [o["person"] for o in data["orders"]] == ["ana", "beto", "ciro", "dora", "enzo",
                                                       "fede"]
    assert all({"person", "text"} <= set(o) for o in data["orders"])


def test_asking_again_prints_the_same_copy(rostered: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    first = json.loads(run(capsys, "orders", "--date", FIRST.isoformat(), "--json")[1])
    again = json.loads(run(capsys, "orders", "--date", FIRST.isoformat(), "--person", "enzo",
                           "--json")[1])
    assert again["orders"][0]["text"] == next(o["text"] for o in first["orders"]
                                              if o["person"] == "enzo")


def test_out_writes_one_owner_only_file_per_person(rostered: str, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "orders"
    code, _, _ = run(capsys, "orders", "--date", FIRST.isoformat(), "--out", str(out))
    assert code == 0
    files = sorted(out.iterdir())
    assert [f.name for f in files] == [f"{FIRST.isoformat()}-{p}.txt"
                                       for p in sorted(sum(CREWS.values(), []))]
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o700
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)


def test_tracing_two_colluders_files_accuses_one_of_them(
        rostered: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "orders"
    for k in range(NIGHTS):
        date = FIRST + dt.timedelta(days=k)
        assert run(capsys, "orders", "--date", date.isoformat(), "--out", str(out))[0] == 0
    leak = tmp_path / "leak.txt"
    leak.write_text("".join(p.read_text().upper() for p in sorted(out.iterdir())
                            if p.name.endswith(("-enzo.txt", "-fede.txt"))))
    code, out_text, _ = run(capsys, "trace", str(leak), "--json")
    assert code == 0
    data = json.loads(out_text)
    assert data["accused"] and set(data["accused"]) <= {"enzo", "fede"}
    assert data["epsilon"] == 0.001 and data["marks_read"] > 0
    code, text, _ = run(capsys, "trace", str(leak))
    assert code == 0 and "accused:" in text


@pytest.mark.parametrize(("argv", "message"), [
    pytest.param(["orders", "--date", "2026-02-30"], "--date", id="bad-date"),
    pytest.param(["orders", "--date", "2030-01-01"], "no night is drawn", id="undrawn-date"),
    pytest.param(["orders", "--date", FIRST.isoformat(), "--person", "zoe"],
                 "is not on duty", id="unknown-person"),
])
def test_bad_orders_input_is_one_line(rostered: str, capsys: pytest.CaptureFixture[str],
                                      argv: list[str], message: str) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(("content", "message"), [
    pytest.param(None, "file not found", id="missing"),
    pytest.param(b"", "is empty", id="empty"),
    pytest.param(b"  \n\t\n", "is empty", id="blank"),
    pytest.param(b"\x00\x01\x02binary", "is binary", id="binary"),
    pytest.param(b"\xff\xfe\xfa not utf-8", "is not UTF-8", id="not-utf8"),
])
def test_a_bad_leak_file_is_one_line(rostered: str, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str],
                                     content: bytes | None, message: str) -> None:
    leak = tmp_path / "leak.txt"
    if content is not None:
        leak.write_bytes(content)
    code, _, err = run(capsys, "trace", str(leak))
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_a_text_that_is_no_leak_accuses_no_one(rostered: str, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    leak = tmp_path / "leak.txt"
    leak.write_text("Dear diary, nothing happened today.\n")
    code, out, _ = run(capsys, "trace", str(leak), "--json")
    assert code == 0 and json.loads(out)["accused"] == []
