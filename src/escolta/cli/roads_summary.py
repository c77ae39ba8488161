"""The roads part of ``escolta plan``'s summary: the most exposed road segments."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from escolta.protect.plan import Plan

#: Segments the summary names.
SHOWN = 5


def print_roads_summary(console: Console, plan: Plan) -> None:
    """The segments the convoy passes most often (what a blind ambusher weighs)."""
    if not plan.extra.get("routes"):
        return
    from escolta.protect.roads_joint import segment_exposure

    table = Table(title="Most exposed road segments")
    for column in ("segment (road nodes)", "P(convoy passes on a day)"):
        table.add_column(column, justify="right")
    for u, v, p in segment_exposure(plan)[:SHOWN]:
        table.add_row(f"{u} - {v}", f"{100 * p:.2f}%")
    console.print(table)
    trips = len(plan.extra["routes"])
    routes = sum(len(t["routes"]) for t in plan.extra["routes"])
    console.print(f"{routes} routes over {trips} trips between sites")
