"""Tracing leaks: a Monte Carlo of the code of ``escolta.orders`` under collusion attacks.

For n = 60 recipients, c = 1, 2, 3 colluders and five attacks, each trace draws a fresh
code (biases with the cutoff of ``escolta.orders.tardos``), fresh codewords for all 60,
lets the c colluders forge a leak, scores everyone with the symmetric score and accuses
above the Bennett threshold at epsilon = 1e-3. Everyone receives the 22 marks of a plain
order every night (``MARKS_PER_ORDER``). Measured:

- at the Laarhoven-de Weger length (``(pi^2/2) c^2 ln(n/epsilon)`` marks, rounded up to
  whole nights): the rate at which some innocent is accused (with its Clopper-Pearson
  interval; the proof says at most epsilon) and the rate at which a colluder is caught;
- the number of nights after which a colluder is caught in at least 99 % of traces.

Attacks (at each mark): ``interleaving`` copies a colluder chosen at random; ``majority``
and ``minority`` the symbol most / least of them hold (a tie is a coin); ``random`` a coin
wherever they differ; ``erased-30%`` erases 30 % of the marks and interleaves the rest.

    python benchmarks/bench_tracing.py                   # 20,000 traces per setting
    python benchmarks/bench_tracing.py --traces 100000   # the figures of docs/orders.md
    python benchmarks/bench_tracing.py --quick           # 2,000 traces (CI)
"""

from __future__ import annotations

import argparse
import math
import sys
import time

import numpy as np
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from escolta.orders.tardos import code_parameters, ldw_length, threshold
from escolta.orders.text import MARKS_PER_ORDER
from escolta.redteam.intervals import clopper_pearson_interval

RECIPIENTS = 60
EPSILON = 1e-3
ATTACKS = ("interleaving", "majority", "minority", "random", "erased-30%")
CHUNK = 500


def _biases(rng: np.random.Generator, shape: tuple[int, ...],
            cutoff: float) -> tuple[np.ndarray, np.ndarray]:
    """Arcsine biases on [t, 1 - t], rounded to a multiple of 2^-16 (so that a symbol is
    drawn exactly with its bias by comparing 16 random bits), and those multiples."""
    low = math.asin(math.sqrt(cutoff))
    p = np.sin(low + (math.pi / 2 - 2 * low) * rng.random(shape)) ** 2
    levels = np.clip(np.round(p * 65536), math.ceil(cutoff * 65536),
                     math.floor((1 - cutoff) * 65536)).astype(np.uint16)
    return levels / 65536.0, levels


def _symbols(rng: np.random.Generator, levels: np.ndarray, count: int) -> np.ndarray:
    """``count`` codewords per trace: traces x count x marks booleans, 1 w.p. the bias."""
    traces, marks = levels.shape
    bits = np.frombuffer(rng.bytes(2 * traces * count * marks), dtype=np.uint16)
    return bits.reshape(traces, count, marks) < levels[:, None, :]


def forge(attack: str, x: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The leak (traces x marks) the colluders' symbols ``x`` (traces x c x marks) produce,
    and which marks it shows (the others are erased)."""
    traces, c, marks = x.shape
    ones = x.sum(axis=1)
    coin = rng.random((traces, marks)) < 0.5
    shown = np.ones((traces, marks), dtype=bool)
    if attack in ("interleaving", "erased-30%"):
        pick = rng.integers(0, c, (traces, marks))
        y = np.take_along_axis(x, pick[:, None, :], axis=1)[:, 0, :].astype(bool)
        if attack == "erased-30%":
            shown = rng.random((traces, marks)) >= 0.3
    elif attack == "majority":
        y = np.where(2 * ones == c, coin, 2 * ones > c)
    elif attack == "minority":
        unanimous = (ones == 0) | (ones == c)
        y = np.where(unanimous, ones > 0, np.where(2 * ones == c, coin, 2 * ones < c))
    elif attack == "random":
        y = np.where((ones == 0) | (ones == c), ones > 0, coin)
    else:
        raise ValueError(attack)
    return y, shown


def _terms(p: np.ndarray, y: np.ndarray, shown: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per mark: the term for symbol 1 and for symbol 0 (zero where erased)."""
    odds = np.sqrt((1.0 - p) / p)
    one = np.where(y, odds, -odds) * shown
    zero = np.where(y, -1.0 / odds, 1.0 / odds) * shown
    return one, zero


def thresholds_table(max_marks: int, params) -> np.ndarray:
    """``Z(m)`` for m = 0..max_marks (infinite at 0)."""
    return np.array([threshold(m, RECIPIENTS, params) for m in range(max_marks + 1)])


def run_setting(c: int, attack: str, traces: int, rng: np.random.Generator,
                progress: Progress | None = None, task: object = None) -> dict[str, float]:
    params = code_parameters(c, EPSILON)
    ldw = ldw_length(c, RECIPIENTS, EPSILON)
    eval_nights = math.ceil(ldw / MARKS_PER_ORDER)
    max_nights = 2 * eval_nights + 8
    max_marks = max_nights * MARKS_PER_ORDER
    z = thresholds_table(max_marks, params)
    eval_marks = eval_nights * MARKS_PER_ORDER
    innocents = RECIPIENTS - c
    false_accused = caught_eval = 0
    caught_by_night = np.zeros(max_nights, dtype=np.int64)
    done = 0
    while done < traces:
        size = min(CHUNK, traces - done)
        p, levels = _biases(rng, (size, max_marks), params.cutoff)
        x = _symbols(rng, levels, c)
        y, shown = forge(attack, x, rng)
        one, zero = _terms(p, y, shown)
        colluder = np.where(x, one[:, None, :], zero[:, None, :])
        # scores and marks read at the end of each night
        ends = np.arange(1, max_nights + 1) * MARKS_PER_ORDER - 1
        cum = np.cumsum(colluder, axis=2)[:, :, ends]  # size x c x nights
        read = np.cumsum(shown, axis=1)[:, ends]  # size x nights
        caught = cum.max(axis=1) >= z[read]  # size x nights
        caught_by_night += caught.sum(axis=0)
        caught_eval += int(caught[:, eval_nights - 1].sum())
        # innocents, at the evaluation length only
        oe, ze = one[:, :eval_marks], zero[:, :eval_marks]
        xi = _symbols(rng, levels[:, :eval_marks], innocents)
        gain = (oe - ze).astype(np.float32)[:, :, None]
        scores = np.matmul(xi.astype(np.float32), gain)[:, :, 0].astype(np.float64)
        scores += ze.sum(axis=1)[:, None]
        bar = z[shown[:, :eval_marks].sum(axis=1)]
        false_accused += int((scores >= bar[:, None]).any(axis=1).sum())
        done += size
        if progress is not None:
            progress.advance(task, size)
    rates = caught_by_night / traces
    reached = np.flatnonzero(rates >= 0.99)
    return {
        "ldw_marks": ldw, "eval_nights": eval_nights, "false": false_accused,
        "caught": caught_eval, "traces": traces,
        "nights_99": float(reached[0] + 1) if reached.size else math.inf,
        "max_nights": max_nights,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 traces per setting")
    parser.add_argument("--traces", type=int, default=None, help="traces per setting")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args([] if argv is None else argv)  # run_all.py: the defaults
    traces = args.traces or (2_000 if args.quick else 20_000)
    if not 1 <= traces <= 10_000_000:
        raise SystemExit(f"--traces: must lie in 1..10000000 (got {traces})")
    rng = np.random.default_rng(args.seed)
    rows = []
    started = time.perf_counter()
    settings = [(c, attack) for c in (1, 2, 3) for attack in ATTACKS]
    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("traces", total=traces * len(settings))
        for c, attack in settings:
            rows.append((c, attack, run_setting(c, attack, traces, rng, progress, task)))
    seconds = time.perf_counter() - started
    table = Table(title=f"Tracing: n = {RECIPIENTS}, epsilon = {EPSILON:g}, {traces} traces per "
                  f"setting, {MARKS_PER_ORDER} marks a night ({seconds:.0f} s)")
    for column in ("c", "attack", "LdW marks", "nights", "false accusation [95% CI]",
                   "colluder caught", "nights to 99%"):
        table.add_column(column, justify="right")
    for c, attack, r in rows:
        low, high = clopper_pearson_interval(r["false"], r["traces"])
        nights = r["nights_99"]
        table.add_row(str(c), attack, str(r["ldw_marks"]), str(r["eval_nights"]),
                      f"{r['false'] / r['traces']:.2e} [{low:.1e}, {high:.1e}]",
                      f"{r['caught'] / r['traces']:.4f}",
                      f"{int(nights)} ({int(nights) * MARKS_PER_ORDER} marks)"
                      if math.isfinite(nights) else f"> {r['max_nights']}")
    Console(width=140).print(table)


if __name__ == "__main__":
    main(sys.argv[1:])
