"""The simulation engine: drawn schedules played night after night, many runs on all cores.

One *run* draws ``nights`` consecutive nights from a plan's Markov chain
(:func:`escolta.protect.draws.simulate_indices`, the first night from the stationary law and
the night before it too, so lead-1 adversaries have a yesterday) and plays on them, with
numpy over the whole run at once:

- every §4 adversary of the scenario, exactly: it sees its signal (tonight's, or last
  night's), attacks its best response to the plan's exact conditional law
  (:mod:`escolta.redteam.tables`, one of the tied targets at random), and succeeds with
  probability ``success_at(k_eff)`` when the principal is in that room;
- every learner of :mod:`escolta.redteam.learners`, in each view.

Runs are independent (their seeds are spawned from one :class:`numpy.random.SeedSequence`,
so results do not depend on how many processes ran them) and go to a
:class:`concurrent.futures.ProcessPoolExecutor` when ``workers > 1``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field

import numpy as np

from escolta.errors import InputError
from escolta.protect.draws import simulate_indices
from escolta.protect.plan import Plan
from escolta.redteam.learners import (
    LEARNERS,
    VIEWS,
    check_learners,
    learner_name,
    learner_predictions,
)
from escolta.redteam.predictability import ngram_counts
from escolta.redteam.tables import PlanTables

MAX_NIGHTS = 1_000_000
"""Nights of one simulated run (an array of this length per run and learner)."""
MAX_RUNS = 1_000
MAX_SIMULATED_NIGHTS = 20_000_000
"""Nights x runs per plan (the default 5,000 x 8 is 40,000)."""
MAX_WORKERS = 64
MAX_BINS = 1_000

#: Orders of the conditional entropy of the site sequence that are measured.
ENTROPY_ORDERS = (0, 1, 2, 3)
#: Batches per run for the batch-means variance (consecutive nights are correlated).
BATCHES_PER_RUN = 20


def batch_moments(values: np.ndarray, batches: int) -> np.ndarray:
    """``(Σ_b m_b, Σ_b m_b²)`` of the means ``m_b`` of consecutive equal batches, per row.

    ``values`` is (rows × nights); the last ``nights mod batches`` nights are left out of the
    batches (not out of the totals). Used for batch-means variance estimates.
    """
    rows, nights = values.shape
    size = nights // batches
    means = values[:, : size * batches].reshape(rows, batches, size).mean(axis=2)
    return np.stack([means.sum(axis=1), (means * means).sum(axis=1)], axis=1)


@dataclass(frozen=True)
class Settings:
    """How to simulate.

    Attributes
    ----------
    nights
        Nights per run (each learner remembers all of them).
    runs
        Independent runs per plan.
    seed
        Seed of the whole simulation (simulations only; docs/design.md §6).
    learners
        Learner kinds to play (:data:`escolta.redteam.learners.LEARNERS`).
    bins
        Number of time bins for the curves (hit rate and success against nights watched).
    lezi_window
        Longest context of the Lempel–Ziv learner.
    workers
        Processes; 1 plays every run in this process.
    """

    nights: int = 5000
    runs: int = 8
    seed: int = 0
    learners: tuple[str, ...] = LEARNERS
    bins: int = 40
    lezi_window: int = 8
    workers: int = 2

    def __post_init__(self) -> None:
        if self.nights < 2:
            raise InputError("nights", self.nights, "must be at least 2")
        if self.nights > MAX_NIGHTS:
            raise InputError("nights", self.nights, f"must be at most {MAX_NIGHTS:,}")
        if self.runs < 1:
            raise InputError("runs", self.runs, "must be at least 1")
        if self.runs > MAX_RUNS:
            raise InputError("runs", self.runs, f"must be at most {MAX_RUNS:,}")
        if self.nights * self.runs > MAX_SIMULATED_NIGHTS:
            raise InputError("nights", f"{self.nights:,} nights x {self.runs:,} runs",
                             f"more than the limit of {MAX_SIMULATED_NIGHTS:,} simulated "
                             "nights per plan")
        if self.workers > MAX_WORKERS:
            raise InputError("workers", self.workers, f"must be at most {MAX_WORKERS}")
        if self.seed < 0:
            raise InputError("seed", self.seed, "must be 0 or more")
        if self.workers < 1:
            raise InputError("workers", self.workers, "must be at least 1")
        if not 1 <= self.bins <= MAX_BINS:
            raise InputError("bins", self.bins, f"must be between 1 and {MAX_BINS}")
        check_learners(self.learners)

    @property
    def bin_edges(self) -> np.ndarray:
        """Start of each time bin (nights watched before it), plus ``nights`` at the end.

        Bins grow geometrically: learning shows in the first nights, and later bins are wide
        enough for a steady estimate.
        """
        steps = np.geomspace(1, self.nights, min(self.bins, self.nights))
        return np.unique(np.concatenate([[0], np.round(steps).astype(np.int64)]))


@dataclass
class Tally:
    """Counts from one or more runs on one plan (sums; add tallies of the same plan).

    ``adversary_successes[a]``: successes of adversary ``a``; ``weighted_sum`` /
    ``weighted_sq``: the sum over nights of ``Y_t = Σ_a weight_a · success_a,t`` and of
    ``Y_t²``; ``learner_hits`` / ``learner_successes``: per learner (top-1 hits of the
    location it predicts, successful attacks), and the same per time bin; ``site_ngrams``:
    n-gram counts of the site sequence for each order of :data:`ENTROPY_ORDERS`. The
    ``*_batch`` arrays hold :func:`batch_moments` over ``batches`` batches in all.
    """

    label: str
    learners: tuple[str, ...]
    nights: int = 0
    runs: int = 0
    adversary_successes: np.ndarray = field(default_factory=lambda: np.zeros(0))
    weighted_sum: float = 0.0
    weighted_sq: float = 0.0
    learner_hits: np.ndarray = field(default_factory=lambda: np.zeros(0))
    learner_successes: np.ndarray = field(default_factory=lambda: np.zeros(0))
    bin_hits: np.ndarray = field(default_factory=lambda: np.zeros(0))
    bin_successes: np.ndarray = field(default_factory=lambda: np.zeros(0))
    bin_nights: np.ndarray = field(default_factory=lambda: np.zeros(0))
    site_ngrams: list[np.ndarray | None] = field(default_factory=list)
    batches: int = 0
    adversary_batch: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    weighted_batch: np.ndarray = field(default_factory=lambda: np.zeros(2))
    learner_hits_batch: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    learner_successes_batch: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))

    def add(self, other: Tally) -> None:
        """Add another tally of the same plan and settings into this one."""
        if self.runs == 0:
            for name, value in vars(other).items():
                setattr(self, name, value.copy() if hasattr(value, "copy") else value)
            return
        self.nights += other.nights
        self.runs += other.runs
        self.weighted_sum += other.weighted_sum
        self.weighted_sq += other.weighted_sq
        self.batches += other.batches
        for name in ("adversary_successes", "learner_hits", "learner_successes", "bin_hits",
                     "bin_successes", "bin_nights", "adversary_batch", "weighted_batch",
                     "learner_hits_batch", "learner_successes_batch"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.site_ngrams = [None if a is None or b is None else a + b
                            for a, b in zip(self.site_ngrams, other.site_ngrams, strict=True)]


def learner_views(tables: PlanTables) -> tuple[str, ...]:
    """The views worth playing: ``room`` only when some site has more than one room."""
    return VIEWS if tables.n_locations > tables.n_sites else ("site",)


def learner_names(tables: PlanTables, kinds: Sequence[str]) -> tuple[str, ...]:
    """Every learner's name, view by view (``frequency/site``, …)."""
    return tuple(learner_name(kind, view) for view in learner_views(tables) for kind in kinds)


def play_run(tables: PlanTables, settings: Settings, seed: np.random.SeedSequence) -> Tally:
    """Draw one run of ``settings.nights`` nights from the plan and play everyone on it."""
    rng = np.random.default_rng(seed)
    plan = Plan.from_dict(tables.plan_json)
    n = settings.nights
    before = int(simulate_indices(plan, 1, rng)[0])
    tonight = simulate_indices(plan, n, rng, start=before)
    watched = np.concatenate([[before], tonight])  # every night any learner has seen
    yesterday = watched[:-1]
    location = tables.location[tonight]
    edges = settings.bin_edges

    adversary_successes = np.zeros(len(tables.adversaries))
    adversary_outcomes = np.zeros((len(tables.adversaries), n), dtype=bool)
    weighted = np.zeros(n)
    for a, adversary in enumerate(tables.adversaries):
        signal = adversary.signal[tonight if adversary.lead == 0 else yesterday]
        ties = adversary.ties[signal]
        choice = np.floor(rng.random(n) * np.maximum(ties, 1)).astype(np.int64)
        target = adversary.targets[signal, choice]
        found = (ties > 0) & (target == location)
        success = found & (rng.random(n) < adversary.success[tonight])
        adversary_successes[a] = success.sum()
        adversary_outcomes[a] = success
        weighted += adversary.weight * success

    names = learner_names(tables, settings.learners)
    hits = np.zeros((len(names), n), dtype=bool)
    successes = np.zeros((len(names), n), dtype=bool)
    strike = rng.random(n) < tables.success_full[tonight]  # common to all learners
    room_draw = rng.random(n)
    row = 0
    for view in learner_views(tables):
        if view == "site":
            sequence, alphabet = tables.site[watched], tables.n_sites
        else:
            sequence, alphabet = tables.location[watched], tables.n_locations
        guesses = learner_predictions(sequence, alphabet, settings.learners,
                                      settings.lezi_window)
        for kind in settings.learners:
            guess = guesses[kind][1:]
            if view == "site":
                hit = guess == tables.site[tonight]
                room = np.floor(room_draw * tables.rooms[guess]).astype(np.int64) + 1
                found = hit & (room == tables.room[tonight])
            else:
                hit = guess == location
                found = hit
            hits[row] = hit
            successes[row] = found & strike
            row += 1

    sites = tables.site[watched]
    batches = max(1, min(BATCHES_PER_RUN, n // 10))
    return Tally(
        label=tables.label,
        learners=names,
        nights=n,
        runs=1,
        adversary_successes=adversary_successes,
        weighted_sum=float(weighted.sum()),
        weighted_sq=float((weighted * weighted).sum()),
        learner_hits=hits.sum(axis=1).astype(float),
        learner_successes=successes.sum(axis=1).astype(float),
        bin_hits=np.add.reduceat(hits, edges[:-1], axis=1).astype(float),
        bin_successes=np.add.reduceat(successes, edges[:-1], axis=1).astype(float),
        bin_nights=np.diff(edges).astype(float),
        site_ngrams=[ngram_counts(sites[1:] if k == 0 else sites, tables.n_sites, k)
                     for k in ENTROPY_ORDERS],
        batches=batches,
        adversary_batch=batch_moments(adversary_outcomes, batches),
        weighted_batch=batch_moments(weighted[None, :], batches)[0],
        learner_hits_batch=batch_moments(hits, batches),
        learner_successes_batch=batch_moments(successes, batches),
    )


def simulate(
    contests: Sequence[PlanTables],
    settings: Settings,
    advance: Callable[[int], None] | None = None,
) -> dict[str, Tally]:
    """Play ``settings.runs`` runs on each plan; the tallies by plan label.

    Parameters
    ----------
    contests
        The plans to play on (the optimal plan, the baselines), flattened.
    settings
        Nights, runs, seed, learners, processes.
    advance
        Called with the number of nights just simulated after each run (a progress bar).
    """
    labels = [tables.label for tables in contests]
    if len(set(labels)) != len(labels):
        raise InputError("contests", labels, "labels must be distinct")
    seeds = np.random.SeedSequence(settings.seed).spawn(len(contests) * settings.runs)
    jobs = [(c, tables, seeds[c * settings.runs + r])
            for c, tables in enumerate(contests) for r in range(settings.runs)]
    tallies: dict[str, Tally] = {
        tables.label: Tally(tables.label, learner_names(tables, settings.learners))
        for tables in contests}
    # Add runs in job order so the sums do not depend on which process finished first.
    done: dict[int, Tally] = {}
    if settings.workers == 1 or len(jobs) == 1:
        for j, (_, tables, seed) in enumerate(jobs):
            done[j] = play_run(tables, settings, seed)
            if advance:
                advance(settings.nights)
    else:
        with ProcessPoolExecutor(max_workers=min(settings.workers, len(jobs))) as pool:
            futures = {pool.submit(play_run, tables, settings, seed): j
                       for j, (_, tables, seed) in enumerate(jobs)}
            for future in as_completed(futures):
                done[futures[future]] = future.result()
                if advance:
                    advance(settings.nights)
    for j, (c, _, _) in enumerate(jobs):
        tallies[contests[c].label].add(done[j])
    return tallies
