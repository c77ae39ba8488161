"""Benchmark: CP-SAT rosters at the scale of issue 12 (docs/design.md §9).

120 people from two chains, 8 teams of 4 to 6 positions, 28 nights, every rule
(max_nights_in_a_row 4, min_nights_off_per_7 2, max_with_principal_per_14 6,
max_together_per_28 10), each team mixing both chains; trust in five vetting levels. Prints
people, teams, nights, workers, status, objective, bound, gap, lazy rounds and seconds, for
8 workers and then 2 (``--workers 8`` alone with ``BENCH_ROSTER_QUICK=1``). Every roster is
run through the independent checker.

Run: ``.venv/bin/python benchmarks/bench_roster.py`` (about 2 minutes on an idle 2-core box).
"""

from __future__ import annotations

import datetime as dt
import os
import random

from rich.console import Console
from rich.table import Table

from escolta.detail.check import check_roster
from escolta.detail.problem import RosterNight, RosterProblem, TeamCrew
from escolta.detail.roster import solve_roster
from escolta.protect.detail import RosterRules, StaffMember, team_positions

TIME_LIMIT = 60.0
TRUST = [1.0, 1.0, 0.99, 0.99, 0.98, 0.98, 0.97, 0.95, 0.95, 0.9]
RULES = RosterRules(max_nights_in_a_row=4, min_nights_off_per_7=2,
                    max_with_principal_per_14=6, max_together_per_28=10)


def capital_scale(people: int = 120, teams: int = 8, nights: int = 28,
                  seed: int = 12) -> RosterProblem:
    """The issue's instance: ``people`` from two chains, ``teams`` of 4-6, ``nights``."""
    rng = random.Random(seed)
    chains = ("guard", "army")
    staff = []
    for i in range(people):
        k = i // 2
        roles = (["lead", "agent"] if k % 6 == 0 else ["driver", "agent"] if k % 6 == 1
                 else ["driver"] if k % 12 == 3 else ["agent"])
        start = dt.date(2027, 1, 1)
        off = ([start + dt.timedelta(days=rng.randrange(nights))] if rng.random() < 0.2
               else [])
        staff.append(StaffMember(name=f"{chains[i % 2]}-{k:03d}", chain=chains[i % 2],
                                 roles=roles, trust=TRUST[k % len(TRUST)], days_off=off))
    crews = []
    for j in range(teams):
        size = 4 + j % 3
        crew = {"lead": 1, "agent": size - 2, "driver": 1}
        own, other = chains[j % 2], chains[1 - j % 2]
        crews.append(TeamCrew(f"team-{j}", tuple(team_positions(crew)), {own: 2, other: 1}))
    sites = ["palace", "villa", "barracks", "lodge"]
    drawn = []
    for d in range(nights):
        site = rng.choice(sites)
        posts = {t.name: site if rng.random() < 0.35 else rng.choice(sites) for t in crews}
        drawn.append(RosterNight(dt.date(2027, 1, 1) + dt.timedelta(days=d), site, posts))
    return RosterProblem(tuple(drawn), tuple(crews), tuple(staff), RULES)


def main() -> None:
    problem = capital_scale()
    workers = [8] if os.environ.get("BENCH_ROSTER_QUICK") else [8, 2]
    table = Table(title=f"CP-SAT rosters, time limit {TIME_LIMIT:g} s")
    for column in ("people", "teams", "positions", "nights", "workers", "status", "objective",
                   "bound", "gap", "lazy rounds", "pairs", "balanced", "seconds", "checker"):
        table.add_column(column, justify="right")
    positions = sum(len(t.positions) for t in problem.teams)
    for n in workers:
        roster = solve_roster(problem, time_limit=TIME_LIMIT, num_workers=n)
        broken = check_roster(problem, roster.assignments)
        table.add_row(str(len(problem.staff)), str(len(problem.teams)), str(positions),
                      str(len(problem.nights)), str(n), roster.status,
                      f"{roster.objective:.6f}", f"{roster.bound:.6f}", f"{roster.gap:.2%}",
                      str(roster.lazy_rounds), str(roster.pairs_added),
                      "yes" if roster.balanced else "no", f"{roster.seconds:.1f}",
                      "ok" if not broken else f"{len(broken)} broken")
    Console(width=160).print(table)


if __name__ == "__main__":
    main()
