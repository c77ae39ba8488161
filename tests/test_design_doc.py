"""docs/design.md keeps the section numbers the code cites: every "design.md section N",
"design §N", "design.md sections A and B" ... in src, tests, docs, benchmarks and the README
names a section that exists there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DESIGN = ROOT / "docs" / "design.md"
SCANNED = ("src", "tests", "docs", "benchmarks", "scripts")

NUMBER = r"[0-9]+[a-c]?"
# the file's name, then "section(s)", "§" or a bare number, then more numbers joined by
# "and", "to", "-" or ",", each optionally with its own "§"
CITATION = re.compile(
    rf"design(?:\.md)?`? ?(?:sections? |§|(?<=\.md) )({NUMBER}(?:(?:, | and | to |-)§?{NUMBER})*)\b"
)


def _sections() -> set[str]:
    headings = re.findall(r"^#{2,3} ([0-9]+[a-c]?)\. ", DESIGN.read_text(), flags=re.MULTILINE)
    return set(headings)


def _cited() -> list[tuple[str, str]]:
    files = [ROOT / "README.md"] + [
        path for folder in SCANNED if (ROOT / folder).is_dir()
        for path in sorted((ROOT / folder).rglob("*"))
        if path.suffix in {".py", ".md", ".sh"} and path != DESIGN
    ]
    cited = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        for match in CITATION.finditer(text):
            for number in re.findall(NUMBER, match.group(1)):
                cited.append((f"{path.relative_to(ROOT)}: {match.group(0)}", number))
    return cited


def test_design_has_the_sections_of_the_shared_design() -> None:
    expected = {str(n) for n in range(1, 13)} | {"4b", "4c"}
    assert _sections() == expected


def test_the_scan_finds_the_citations() -> None:
    # more than a hundred citations exist; a regex that matched none would pass vacuously
    assert len(_cited()) > 100


@pytest.mark.parametrize("where, number", _cited())
def test_every_cited_section_exists(where: str, number: str) -> None:
    assert number in _sections(), where
