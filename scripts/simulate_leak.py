"""Simulate a leak for the demo: two colluders mix their copies of the orders, line by line.

    python scripts/simulate_leak.py ORDERS_DIR LEAK_FILE [--seed S]

ORDERS_DIR holds the files ``escolta orders --out`` writes (``DATE-PERSON.txt``). The two
people with the most orders collude: for every night, each line of the leak comes from one of
their two copies at random (or both copies are pasted whole when their lines differ in
number), and every other night is retyped in capitals with its line breaks lost. Simulation
only: the randomness is seeded.
"""

from __future__ import annotations

import argparse
import random
import re
from collections import defaultdict
from pathlib import Path

NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)\.txt$")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("orders_dir", type=Path)
    parser.add_argument("leak_file", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    copies: dict[str, dict[str, str]] = defaultdict(dict)
    for path in sorted(args.orders_dir.glob("*.txt")):
        match = NAME.match(path.name)
        if match:
            copies[match.group(2)][match.group(1)] = path.read_text(encoding="utf-8")
    if len(copies) < 2:
        raise SystemExit(f"{args.orders_dir}: orders of at least two people are needed")
    pair = sorted(copies, key=lambda p: (-len(copies[p]), p))[:2]
    pieces = []
    for k, date in enumerate(sorted(set(copies[pair[0]]) | set(copies[pair[1]]))):
        texts = [copies[p][date].splitlines() for p in pair if date in copies[p]]
        if len(texts) == 2 and len(texts[0]) == len(texts[1]):
            lines = [rng.choice(texts)[i] for i in range(len(texts[0]))]
        else:
            lines = [line for text in texts for line in text]
        piece = "\n".join(lines)
        pieces.append(piece.upper().replace("\n", "   ") if k % 2 else piece)
    args.leak_file.write_text("\n\n".join(pieces) + "\n", encoding="utf-8")
    print(f"simulated leak of {pair[0]} and {pair[1]} colluding: {args.leak_file}")


if __name__ == "__main__":
    main()
