"""Reading the marks back from a text: one order, several pasted together, a mix, a fragment.

The text is normalised first (lower case, every run of whitespace one space, typographic
apostrophes plain), so retyping in other case or spacing changes nothing. Each line of the
templates of :mod:`escolta.orders.text` is found wherever it stands (line breaks may be
lost); the lines are cut into orders at each heading (or at a reference line that starts a
new order), and each order's date comes from its heading or its reference number. A mark is
read from the wording of its line, or, for interchangeable lines, from their order. A line
with no date before it in its order, and a mark read with both symbols (two copies pasted
together that disagree), are skipped: they carry no evidence anyone could rely on.

Examples
--------
>>> reading = read_marks("ORDERS FOR THE NIGHT OF 1 DEC 2026\\nReport at 1900 hrs to villa.")
>>> sorted((date.isoformat(), SLOTS[slot], symbol)
...        for (date, slot), symbol in reading.marks.items())
[('2026-12-01', 'heading.date', 1), ('2026-12-01', 'heading.night', 0), \
('2026-12-01', 'heading.word', 1), ('2026-12-01', 'report.dest', 0), \
('2026-12-01', 'report.time', 1), ('2026-12-01', 'report.verb', 0)]
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from escolta.orders.text import MONTHS, SLOT, SLOTS, WORDS

_MONTHS = "|".join(m.lower() for m in MONTHS)

# One pattern per line of the template; group names are mark names with "." -> "__".
LINE_PATTERNS: dict[str, str] = {
    "heading": r"(?P<heading__word>orders|order) for the (?P<heading__night>night|evening) of "
               rf"(?P<heading__date>\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}} (?:{_MONTHS}) \d{{4}})",
    "ref": r"(?P<ref__word>ref\.|reference:) ?(?P<ref__prefix>e\.o\.|eo) "
           r"(?P<ref_year>\d{4})(?P<ref__sep>[-/])(?P<ref_day>\d{3})(?!\d)",
    "callsign": r"(?P<callsign__word>radio call sign|call sign): ?",
    "to": r"(?<![a-z])(?P<to__word>to|for): ?",
    "team": r"(?<![a-z])(?P<team__word>team|unit): ?",
    "position": r"(?<![a-z])(?P<position__word>duty position|position): ?",
    "report": r"(?P<report__verb>report|present yourself) at "
              r"(?P<report__time>\d{2}:\d{2}|\d{4} hrs) (?P<report__dest>to your post at|to) ",
    "principal": r"the principal (?P<principal__verb>is at|stays at) your post "
                 r"(?P<principal__when>tonight|this night) ?\.",
    "room": r"(?P<room__form>room:|the principal's room is) ?(?P<room__number>no\. ?)?\d+ ?\.",
    "ack": r"(?P<ack__verb>acknowledge|confirm) receipt(?P<ack__when> at once)? ?\.",
    "destroy": r"(?P<destroy__verb>destroy|shred) this order after "
               r"(?P<destroy__when>the night|your duty) ?\.",
    "need": r"need to know: ?(?P<need__form>do not share this order|"
            r"share this order with no one) ?\.",
}
_LINE = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in LINE_PATTERNS.items()))

# Interchangeable lines: the mark is 1 when the first kind named comes first.
ORDER_MARKS: dict[str, tuple[str, str]] = {
    "order.to_callsign": ("callsign", "to"),
    "order.team_position": ("position", "team"),
    "order.ack_destroy": ("ack", "destroy"),
    "order.destroy_need": ("destroy", "need"),
}

MAX_LEAK_CHARS = 2_000_000
"""The longest text read (about 4,000 orders); a longer one is refused before work starts."""


def normalise(text: str) -> str:
    """Lower case, one space for every run of whitespace, plain apostrophes."""
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").lower().split())


@dataclass(frozen=True)
class MarksRead:
    """The marks read from a text.

    Attributes
    ----------
    marks
        ``(date, slot) -> symbol`` for every mark read with one symbol only.
    conflicts
        Marks read with both symbols (skipped).
    undated
        Template lines found with no date in their order (skipped).
    orders
        Orders (dated pieces) found.
    """

    marks: Mapping[tuple[dt.date, int], int] = field(default_factory=dict)
    conflicts: int = 0
    undated: int = 0
    orders: int = 0

    @property
    def dates(self) -> frozenset[dt.date]:
        return frozenset(date for date, _ in self.marks)


@dataclass
class _Piece:
    lines: list[tuple[str, re.Match[str]]]
    date: dt.date | None = None


def _date_of(kind: str, match: re.Match[str]) -> dt.date | None:
    try:
        if kind == "heading":
            text = match.group("heading__date")
            if "-" in text:
                return dt.date.fromisoformat(text)
            day, month, year = text.split(" ")
            return dt.date(int(year), MONTHS.index(month.upper()) + 1, int(day))
        year = int(match.group("ref_year"))
        day_of_year = int(match.group("ref_day"))
        date = dt.date(year, 1, 1) + dt.timedelta(days=day_of_year - 1)
        return date if date.year == year and day_of_year >= 1 else None
    except ValueError:
        return None


def _variant(slot: str, text: str | None) -> int:
    if slot == "heading.date":
        return 0 if text and "-" in text else 1
    if slot == "report.time":
        return 0 if text and ":" in text else 1
    options = [_bare(word) for word in WORDS[slot]]
    return options.index(_bare(text or ""))


def _bare(words: str) -> str:
    """A wording without case, spacing or a trailing colon, for comparison."""
    return " ".join(words.lower().split()).rstrip(":").strip()


def _pieces(text: str) -> list[_Piece]:
    pieces: list[_Piece] = [_Piece([])]
    for match in _LINE.finditer(text):
        kind = match.lastgroup
        assert kind is not None
        current = pieces[-1]
        starts = kind == "heading" or (kind == "ref" and any(k != "heading"
                                                             for k, _ in current.lines))
        if starts and current.lines:
            current = _Piece([])
            pieces.append(current)
        current.lines.append((kind, match))
        if kind in ("heading", "ref") and current.date is None:
            current.date = _date_of(kind, match)
    return [piece for piece in pieces if piece.lines]


def read_marks(text: str) -> MarksRead:
    """Every mark readable in ``text`` (see the module docstring)."""
    seen: dict[tuple[dt.date, int], set[int]] = {}
    undated = 0
    pieces = _pieces(normalise(text))
    for piece in pieces:
        if piece.date is None:
            undated += len(piece.lines)
            continue
        found: list[tuple[int, int]] = []
        for kind, match in piece.lines:
            for slot in SLOTS:
                name = slot.replace(".", "__")
                if slot.startswith(kind + ".") and name in match.re.groupindex:
                    found.append((SLOT[slot], _variant(slot, match.group(name))))
        kinds = [kind for kind, _ in piece.lines]
        for slot, (first, second) in ORDER_MARKS.items():
            if kinds.count(first) == 1 and kinds.count(second) == 1:
                found.append((SLOT[slot], int(kinds.index(first) < kinds.index(second))))
        for slot, symbol in found:
            seen.setdefault((piece.date, slot), set()).add(symbol)
    marks = {key: next(iter(symbols)) for key, symbols in seen.items() if len(symbols) == 1}
    conflicts = sum(1 for symbols in seen.values() if len(symbols) > 1)
    return MarksRead(marks, conflicts, undated, sum(1 for p in pieces if p.date is not None))
