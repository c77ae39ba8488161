"""The files ``escolta orders --out`` writes, and the leak files ``escolta trace`` reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from escolta.cli.orders import file_name, read_leak
from escolta.errors import InputError


@pytest.mark.parametrize(("person", "name"), [
    pytest.param("ana", "2026-12-01-ana.txt", id="plain"),
    pytest.param("../../etc/passwd", "2026-12-01-_.._etc_passwd.txt", id="traversal"),
    pytest.param("José María", "2026-12-01-Jos__Mar_a.txt", id="spaces-accents"),
    pytest.param("...", "2026-12-01-_.txt", id="dots"),
])
def test_a_persons_file_name_never_leaves_the_directory(person: str, name: str) -> None:
    assert file_name("2026-12-01", person) == name
    assert "/" not in file_name("2026-12-01", person)


def test_a_leak_file_with_a_byte_order_mark_reads_as_its_text(tmp_path: Path) -> None:
    leak = tmp_path / "leak.txt"
    leak.write_bytes("\ufeffORDER FOR THE NIGHT OF 2026-12-01\n".encode())
    assert read_leak(leak).startswith("ORDER")


def test_a_directory_is_no_leak_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        read_leak(tmp_path)


def test_a_huge_leak_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    leak = tmp_path / "leak.txt"
    with leak.open("wb") as handle:
        handle.truncate(8_000_001)  # sparse: nothing is written
    with pytest.raises(InputError, match="more than the 8000000 read"):
        read_leak(leak)
