"""Each variant of a sweep: the scenario with one value set on every axis.

- ``teams: k`` keeps the first k teams, adding teams of chains of their own past the
  scenario's (:func:`escolta.reports.sweep.with_teams`, the team sweep of ``escolta plan``);
- ``closed_sites: [A, B]`` removes those sites (and every team post there is then
  impossible, so teams stand elsewhere);
- ``announce_hours: h`` sets the appearances' notice;
- ``per_month: n`` sets the phone budget (handsets per 30 days);
- ``weights:NAME: w`` sets that adversary's weight.

Examples
--------
>>> from escolta.protect.scenario import parse_scenario
>>> base = parse_scenario({"principal": "P", "sites": [{"name": "a", "success": [0.5]},
...     {"name": "b", "success": [0.4]}], "teams": [{"name": "t", "chain": "c"}],
...     "adversaries": [{"name": "x", "weight": 1}]})
>>> v = variant(base, {"closed_sites": ("b",), "weights:x": 2.0})
>>> [s.name for s in v.sites], v.adversaries[0].weight
(['a'], 2.0)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from escolta.errors import InputError
from escolta.protect.scenario import Scenario, parse_scenario
from escolta.reports.sweep import with_teams


def _close_sites(data: dict[str, Any], closed: tuple[str, ...]) -> None:
    names = [site["name"] for site in data["sites"]]
    for name in closed:
        if name not in names:
            raise InputError("axes.closed_sites", name, "no such site in the scenario")
    data["sites"] = [site for site in data["sites"] if site["name"] not in closed]
    if not data["sites"]:
        raise InputError("axes.closed_sites", list(closed), "closes every site")


def variant(scenario: Scenario, setting: Mapping[str, Any]) -> Scenario:
    """The scenario with each axis of ``setting`` applied (validated like any scenario)."""
    base = scenario
    if "teams" in setting:
        base = with_teams(base, int(setting["teams"]))
    data = base.model_dump(mode="json", exclude_none=True)
    for name, value in setting.items():
        if name == "closed_sites":
            _close_sites(data, tuple(value))
        elif name == "announce_hours":
            if "appearances" not in data:
                raise InputError("axes.announce_hours", value, "the scenario has no appearances")
            data["appearances"]["announce_hours"] = value
        elif name == "per_month":
            if "phones" not in data:
                raise InputError("axes.per_month", value, "the scenario has no phones section")
            data["phones"]["per_month"] = value
            data["phones"].pop("max_days", None)  # the budget sets the cycle (docs/design.md §4b)
        elif name.startswith("weights:"):
            adversary = name.removeprefix("weights:")
            matches = [a for a in data["adversaries"] if a["name"] == adversary]
            if not matches:
                raise InputError("axes.weights", adversary, "no such adversary in the scenario")
            matches[0]["weight"] = value
        elif name != "teams":
            raise InputError("axes", name, "unknown axis")
    return parse_scenario(data)


def variant_key(scenario: Scenario) -> str:
    """A variant's identity: the SHA-256 of its canonical JSON (what a result is filed under,
    so a resumed sweep recognises the variants it has already solved)."""
    text = json.dumps(scenario.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
