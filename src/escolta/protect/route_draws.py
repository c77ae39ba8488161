"""The day's route, drawn with the night (docs/design.md §12).

When tonight's site b differs from yesterday's site a, the convoy drives a → b along a route
drawn from the plan's ``routes`` for that trip, with P(route | trip) — the plan's route
law conditioned on the pair. The draw uses the OS CSPRNG (:func:`csprng_uniform`); a seed
(simulation only) gives a reproducible, marked draw like the nights' own.

Examples
--------
>>> from escolta.protect.plan import Night
>>> plan_routes = [{"from": "a", "to": "b", "p": 0.5,
...                 "routes": [{"p": 1.0, "nodes": [1, 2, 3], "seconds": 30.0}]}]
>>> a, b = Night(1, "a", 1, {}), Night(1, "b", 1, {})
>>> draw_route(plan_routes, a, b, 0.3), draw_route(plan_routes, a, a, 0.3)
((1, 2, 3), None)
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from escolta.protect.draws import csprng_uniform
from escolta.protect.plan import Night, Plan


def draw_route(routes: Sequence[dict[str, Any]], yesterday: Night | None, tonight: Night,
               u: float) -> tuple[int, ...] | None:
    """The route of the trip yesterday → tonight for the uniform ``u`` in [0, 1), or
    ``None`` when the convoy does not drive (same site, no yesterday, no route exported:
    the sites share a road node)."""
    if yesterday is None or yesterday.site == tonight.site:
        return None
    for trip in routes:
        if trip["from"] == yesterday.site and trip["to"] == tonight.site:
            options = trip["routes"]
            cumulative, total = [], 0.0
            for option in options:
                total += float(option["p"])
                cumulative.append(total)
            k = bisect.bisect_right(cumulative, u * total)
            return tuple(int(n) for n in options[min(k, len(options) - 1)]["nodes"])
    return None


def with_routes(plan: Plan, nights: Sequence[Night], yesterday: Night | None,
                seed: int | None = None) -> list[Night]:
    """``nights`` (consecutive, after ``yesterday``) each with its drawn route."""
    routes = plan.extra.get("routes")
    if not routes:
        return list(nights)
    uniform: Callable[[], float] = (csprng_uniform if seed is None
                                    else random.Random(f"routes:{seed}").random)
    out, last = [], yesterday
    for night in nights:
        route = draw_route(routes, last, night, uniform())
        out.append(replace(night, route=route))
        last = night
    return out
