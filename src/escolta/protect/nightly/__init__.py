"""The fast exact solver of the nightly game (docs/design.md §4).

:func:`solve_nightly` reduces the scenario (:mod:`.reduce`: rooms apart, anonymous teams
counted, history through classes and features), then solves the reduced LP (:mod:`.master`)
by column generation over reduced nights with an exact pricing oracle and a Lagrangian lower
bound (:mod:`.pricing`), and expands the optimum into the plan of section 5 (:mod:`.export`).
docs/nightly.md gives the formulation and why each step is exact.

Examples
--------
>>> from escolta.protect.scenario import load_scenario
>>> s = load_scenario({"principal": "P",
...     "sites": [{"name": "a", "success": [0.8, 0.4]}, {"name": "b", "success": [0.8, 0.4]}],
...     "teams": [{"name": "t", "chain": "guard"}],
...     "adversaries": [{"name": "watcher", "weight": 1, "sees": "posture"}]})
>>> plan = solve_nightly(s)
>>> plan.solver.status, round(plan.risk, 9), round(plan.solver.lower_bound, 9)
('optimal', 0.4, 0.4)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from escolta.errors import InputError, SolverError
from escolta.protect.nightly.export import (
    anonymous_teams,
    choose_spread,
    export_nights,
    export_pairs,
    history_law,
    interchangeable_teams,
    reduced_pairs,
    reduced_success,
    support,
)
from escolta.protect.nightly.generate import ColumnGeneration, GenerationResult
from escolta.protect.nightly.knapsack import KnapsackPricer
from escolta.protect.nightly.limits import (
    check_enumeration,
    check_history,
    check_table,
    prices_by_knapsack_alone,
)
from escolta.protect.nightly.master import Block, Master, MasterSolution
from escolta.protect.nightly.pricing import (
    PosturePricer,
    build_type_table,
    count_postures,
    is_separable,
)
from escolta.protect.nightly.reduce import (
    Column,
    ReducedGame,
    insider_post_combinations,
    reduce_scenario,
)
from escolta.protect.nightly.relax import blind_relaxation, lift_blocks
from escolta.protect.nightly.type_arrays import TypeArrays, type_arrays
from escolta.protect.plan import Plan, SolverInfo
from escolta.protect.scenario import Scenario

__all__ = ["solve_nightly", "solve_nightly_report", "NightlyReport", "NightlyStats"]

Progress = Callable[[str, float | None], None]


@dataclass(frozen=True)
class NightlyStats:
    """What a solve did: rounds of column generation, pricings, the master's final size."""

    strategy: str
    rounds: int
    pricings: int
    columns: int
    postures_in_master: int
    postures: int
    separable: bool
    #: rounds of the blind relaxation solved first (docs/nightly.md §3d; 0 when none)
    relaxed_rounds: int = 0


@dataclass(frozen=True)
class NightlyReport:
    """The plan and the counters of the solve that produced it (for benchmarks)."""

    plan: Plan
    stats: NightlyStats

#: Most reduced nights the enumeration strategy (lead-1 posture watchers) accepts.
MAX_ENUMERATED_COLUMNS = 400_000


def _all_columns(game: ReducedGame) -> list[Column]:
    """Every reduced night (for the enumeration strategy)."""
    from escolta.protect.nightly.pricing import all_postures_fast

    postures = [tuple(int(v) for v in row)
                for row in all_postures_fast(game.n_sites, game.n_teams)]
    columns = []
    for posts in insider_post_combinations(game):
        for posture in postures:
            if not game.posture_is_consistent(posture, posts):
                continue
            for s in range(game.n_sites):
                if posture[s] >= game.min_teams:
                    columns.append((s, posture, posts))
    return columns


def _initial_columns(game: ReducedGame) -> list[Column]:
    """One reduced night per site, every team with the principal: feasible, even under
    ``no_repeat`` (two sites at least, checked by the scenario)."""
    return [(s, tuple(game.n_teams if q == s else 0 for q in range(game.n_sites)),
             tuple(s for _ in game.insider_teams)) for s in range(game.n_sites)]


#: Most J the first master holds between its nights (every pair of sites: 9,900 at 100
#: sites, whose first solve takes under a second); beyond, one J per night, a cycle
#: (at 200 sites every pair made the first solve, which no time limit cuts short, 630 s).
MAX_SEED_HISTORY = 20_000


def _seed_history(master: Master, columns: list[Column]) -> list[int]:
    """The first master's J: between every class and feature of its nights, or a cycle
    through them when those pass :data:`MAX_SEED_HISTORY`."""
    every = master.history_for(columns)
    return every if len(every) <= MAX_SEED_HISTORY else master.history_cycle(columns)


def solve_nightly(
    scenario: Scenario,
    *,
    time_limit: float | None = None,
    progress: Progress | None = None,
    strategy: str = "auto",
) -> Plan:
    """The risk-minimizing plan of the nightly game (see :func:`solve_nightly_report`)."""
    return solve_nightly_report(scenario, time_limit=time_limit, progress=progress,
                                strategy=strategy).plan


#: Of the time limit, the share kept for the export after the last round, up to
#: :data:`EXPORT_RESERVE` seconds: at 100 sites x 30 teams the export took 2.4 s of 60 for
#: 2,900 nights and 8 million pairs, and the last round, started with 3 s left, ran 1.1 s
#: past its end (the pricing after HiGHS's re-solve); at 200 x 50, 0.1 s (docs/nightly.md §5).
EXPORT_SHARE = 0.1
EXPORT_RESERVE = 15.0


def solve_nightly_report(
    scenario: Scenario,
    *,
    time_limit: float | None = None,
    progress: Progress | None = None,
    strategy: str = "auto",
) -> NightlyReport:
    """The risk-minimizing plan of the nightly game, exactly and at scale.

    Parameters
    ----------
    scenario
        A validated scenario.
    time_limit
        Seconds; on expiry the plan is the best found so far, with status ``time_limit``
        and the best proven lower bound. The rounds stop :data:`EXPORT_SHARE` of it early
        (at most :data:`EXPORT_RESERVE` s), so that the plan is exported within it.
    progress
        ``progress(stage, fraction)``: called after each round of column generation with
        the fraction of the initial gap closed.
    strategy
        ``knapsack`` (column generation priced by a knapsack over sites, docs/nightly.md
        §3b: the default when no lead-1 adversary watches the posture), ``generate``
        (column generation pricing every posture: the reference pricing, refused when the
        postures would not fit in memory), ``enumerate`` (every reduced night at once;
        required for lead-1 posture watchers), or ``auto``.

    Returns
    -------
    NightlyReport
        ``plan``: the plan of docs/design.md §5, whose ``solver.lower_bound`` is a proven
        lower bound on the optimal risk (equal to the risk, within 1e-6, when ``status`` is
        ``optimal``); ``stats``: what the solve did.
    """
    started = time.perf_counter()
    deadline = None if time_limit is None else (
        started + time_limit - min(EXPORT_SHARE * time_limit, EXPORT_RESERVE))
    game = reduce_scenario(scenario)
    if strategy not in ("auto", "knapsack", "generate", "enumerate"):
        raise InputError("strategy", strategy, "must be auto, knapsack, generate or enumerate")
    if strategy == "auto":
        strategy = "enumerate" if game.class_depends_on_posture else "knapsack"
    if strategy in ("knapsack", "generate") and game.class_depends_on_posture:
        raise InputError("strategy", strategy,
                         "a lead-1 posture watcher needs the enumerate strategy")
    if strategy == "enumerate":
        # refuse before listing them when the postures alone are far too many
        postures = count_postures(game.n_sites, game.n_teams)
        if postures > 10 * MAX_ENUMERATED_COLUMNS:
            raise InputError(
                "scenario", f"{postures:,} postures",
                "too large for the enumerate strategy a lead-1 posture watcher needs "
                f"(limit {MAX_ENUMERATED_COLUMNS:,} reduced nights); make the posture "
                "watcher lead 0, or use fewer sites or teams")
        columns = _all_columns(game)
        if len(columns) > MAX_ENUMERATED_COLUMNS:
            raise InputError(
                "scenario", f"{len(columns)} reduced nights",
                "too large for the enumerate strategy a lead-1 posture watcher needs "
                f"(limit {MAX_ENUMERATED_COLUMNS}); make the posture watcher lead 0, or use "
                "fewer sites or teams")
        master = Master(game, (game.night_class(c) for c in columns),
                        (game.feature(c) for c in columns), posture_rows=True)
        master.add_columns(columns)
        master.add_history(master.history_index.every())
        if progress is not None:
            progress(f"solving the reduced LP ({len(columns)} reduced nights)", None)
        solution = master.solve()
        assert solution is not None  # no time limit
        stats = NightlyStats("enumerate", 1, 0, len(columns), len(master.postures),
                             count_postures(game.n_sites, game.n_teams), False)
        plan = _plan(scenario, game, master, solution, solution.objective, "optimal",
                     started, stats)
        return NightlyReport(plan, stats)
    return _generate(scenario, game, started, deadline, progress, strategy)


def checked_types(game: ReducedGame, strategy: str) -> TypeArrays:
    """The pricing table's types of ``game`` (their classes and features make the master),
    once the limits of :mod:`.limits` that the ``strategy`` meets are checked: the table's
    size, the posture enumeration's (``generate`` with a posture watcher), then the history
    variables'."""
    check_table(game, strategy)
    if strategy == "generate" and game.posture_weight > 0.0:
        check_enumeration(game)
    types = type_arrays(game, is_separable(game))
    check_history(game, len(types.classes), len(types.features))
    return types


@dataclass
class _Generation:
    """A game's master and its column generation, kept to be gone on with."""

    game: ReducedGame
    master: Master
    separable: bool
    generation: ColumnGeneration


def _start(game: ReducedGame, types: TypeArrays, strategy: str, lifted: list[Block],
           progress: Progress | None, floor: float = 0.0) -> _Generation:
    """Column generation on ``game`` from one night per site and the blocks ``lifted``
    (the blind relaxation's plan, or none), its bound at least ``floor``; no round run
    yet."""
    master = Master(game, types.classes, types.features)
    table = build_type_table(master, types)
    pricer: PosturePricer | KnapsackPricer | None = None
    if game.posture_weight > 0.0:
        pricer = (KnapsackPricer(game, table, master.n_static_rows) if strategy == "knapsack"
                  else PosturePricer(game, table, master.n_static_rows))
    elif prices_by_knapsack_alone(game):
        pricer = KnapsackPricer(game, table, master.n_static_rows)
    initial = _initial_columns(game)
    master.add_columns(initial)
    master.add_blocks(lifted)
    usual = set(initial)
    nights = dict.fromkeys(night for block in lifted for night in block[0] if night not in usual)
    master.add_history(_seed_history(master, initial))
    master.add_history(master.history_cycle(list(nights)))
    return _Generation(game, master, table.separable,
                       ColumnGeneration(master, table, pricer, progress, floor))


#: Of the time left, the share the blind relaxation takes before the game's first round
#: (docs/nightly.md §3d).
RELAXED_SHARE = 0.7
#: When the relaxation goes on after that look, it stops this many times the look's own
#: time (its overrun, the spread bound, the lift and the game's first round) before the
#: deadline, for the game's first round again from the new lift.
FINISH_MARGIN = 2.0


def _relaxation(scenario: Scenario, game: ReducedGame, strategy: str,
                progress: Progress | None) -> _Generation | None:
    """Column generation on the blind relaxation of ``game`` (:mod:`.relax`), no round run;
    ``None`` when the game has no lead-1 adversary to relax."""
    relaxed_scenario = blind_relaxation(scenario) if game.lead1 else None
    if relaxed_scenario is None:
        return None
    try:
        relaxed = reduce_scenario(relaxed_scenario)
        types = checked_types(relaxed, strategy)
    except InputError:  # never seen: the relaxation is the smaller game
        return None

    def relaxed_progress(stage: str, fraction: float | None) -> None:
        assert progress is not None
        progress(f"blind relaxation, {stage}", None)

    return _start(relaxed, types, strategy, [],
                  None if progress is None else relaxed_progress)


def _lifted(relaxation: _Generation, game: ReducedGame, result: GenerationResult
            ) -> list[Block]:
    """The relaxation's optimal plan as blocks of ``game``."""
    columns, x = support(result.solution)
    return lift_blocks(relaxation.game, game, columns, [float(p) for p in x])


def _through_relaxation(scenario: Scenario, game: ReducedGame, types: TypeArrays,
                        strategy: str, deadline: float | None, progress: Progress | None
                        ) -> tuple[_Generation, GenerationResult, int] | None:
    """The game solved from its blind relaxation's start (docs/nightly.md §3d), or ``None``
    when it has none (:func:`_relaxation`).

    The relaxation runs for :data:`RELAXED_SHARE` of the time, then the game from its lifted
    nights. After the game's first round (the look), when the lift cost less than the
    relaxation has left to close (its value less its bound), the relaxation, whose rounds
    are cheaper, goes on to :data:`FINISH_MARGIN` looks before the deadline, and the game
    starts again from the new lift. Returns the game's generation, its result and the
    relaxation's rounds."""
    relaxation = _relaxation(scenario, game, strategy, progress)
    if relaxation is None:
        return None
    now = time.perf_counter()
    until = None if deadline is None else now + RELAXED_SHARE * max(deadline - now, 0.0)
    relaxed = relaxation.generation.run(until)
    run = _start(game, types, strategy, _lifted(relaxation, game, relaxed), progress,
                 relaxed.lower_bound)
    if until is None or relaxed.status != "time_limit":
        del relaxation  # its master is not needed again
        return run, run.generation.run(deadline), relaxed.rounds
    assert deadline is not None
    look = run.generation.run(time.perf_counter())  # its first round alone
    looked = time.perf_counter()
    loss = look.solution.objective - relaxed.solution.objective
    left = relaxed.solution.objective - relaxed.lower_bound
    again = deadline - FINISH_MARGIN * (looked - until)
    if look.status != "time_limit" or loss > left or again <= looked:
        del relaxation
        # the game goes on, unless it is already past the deadline
        result = (look if look.status != "time_limit" or looked > deadline
                  else run.generation.run(deadline))
        return run, result, relaxed.rounds
    del run  # the game starts again from the new lift
    relaxed = relaxation.generation.run(again)
    run = _start(game, types, strategy, _lifted(relaxation, game, relaxed), progress,
                 relaxed.lower_bound)
    del relaxation
    return run, run.generation.run(deadline), relaxed.rounds


def _generate(scenario: Scenario, game: ReducedGame, started: float, deadline: float | None,
              progress: Progress | None, strategy: str) -> NightlyReport:
    if progress is not None:
        progress("reducing the scenario", None)
    types = checked_types(game, strategy)
    solved = _through_relaxation(scenario, game, types, strategy, deadline, progress)
    if solved is None:
        run = _start(game, types, strategy, [], progress)
        solved = run, run.generation.run(deadline), 0
    run, result, relaxed_rounds = solved
    stats = NightlyStats(strategy, result.rounds, result.pricings, len(run.master.columns),
                         len(run.master.postures), count_postures(game.n_sites, game.n_teams),
                         run.separable, relaxed_rounds)
    plan = _plan(scenario, game, run.master, result.solution, result.lower_bound,
                 result.status, started, stats)
    return NightlyReport(plan, stats)


def _spread_section(scenario: Scenario, game: ReducedGame, spread: str) -> dict[str, Any]:
    """The plan's ``anonymous_teams`` section: the teams no adversary tells apart, the sets
    of teams spread together (the anonymous ones, and teams only hostile chains see alike),
    and how they were spread (docs/nightly.md §2)."""
    if not scenario.teams:
        return {}
    names = [team.name for team in scenario.teams]
    return {"anonymous_teams": {
        "teams": [names[t] for t in anonymous_teams(game)],
        "interchangeable": [[names[t] for t in teams] for teams in interchangeable_teams(game)],
        "spread": spread}}


def _plan(scenario: Scenario, game: ReducedGame, master: Master, solution: MasterSolution,
          lower_bound: float, status: str, started: float, stats: NightlyStats) -> Plan:
    columns, x = support(solution)
    law = history_law(master, solution) if game.history_matters else {}
    success = reduced_success(game, columns, x, law)
    risk = sum(a.weight * success[a.name] for a in game.adversaries)
    chain = reduced_pairs(game, columns, x, law) if game.history_matters else None
    spread = choose_spread(game, columns, chain)
    nights, origin = export_nights(scenario, game, columns, x, spread)
    pairs = None if chain is None else export_pairs(chain, origin)
    site_probability = {site.name: 0.0 for site in scenario.sites}
    for night in nights:
        site_probability[night.site] += night.p
    # the bound is proven up to the LP's tolerances (~1e-9): never print it above the risk
    if lower_bound > risk + 1e-7:
        raise SolverError(f"lower bound {lower_bound} above the plan's risk {risk}: a bug")
    bound = min(lower_bound, risk)
    return Plan(
        risk=float(risk),
        adversaries=success,
        site_probability=site_probability,
        nights=tuple(nights),
        pairs=pairs,
        solver=SolverInfo(status=status, seconds=time.perf_counter() - started,
                          lower_bound=float(bound), method="nightly", iterations=stats.rounds),
        extra=_spread_section(scenario, game, spread),
    )
