"""A plan flattened into arrays indexed by night, so that a whole run is played with numpy.

For every night ``i`` of the plan's support: the principal's site, room and *location* (the
(site, room) pair numbered across sites), the number of teams beside the principal, and, for
every adversary of the scenario, its signal (as an integer) and its success if it attacks the
principal's room that night (docs/design.md §4, :func:`escolta.protect.nights.night_success`).
Each adversary's exact best response to every signal comes from
:func:`escolta.protect.evaluate.evaluate_plan`; ties are kept, and the simulation picks one of
them at random each night (any choice earns the same expected success).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from escolta.protect.evaluate import evaluate_plan
from escolta.protect.nights import night_success, observed, state_of
from escolta.protect.plan import Plan
from escolta.protect.scenario import Scenario


@dataclass(frozen=True)
class AdversaryTable:
    """One §4 adversary against one plan, as arrays.

    Attributes
    ----------
    name, weight, lead
        As in the scenario (weight normalized).
    signal
        ``signal[i]``: the integer id of what the adversary sees of night ``i``.
    success
        ``success[i]``: its success if it attacks the principal's room on night ``i``.
    targets
        ``targets[σ, j]``: the location of its ``j``-th tied best response to signal ``σ``.
    ties
        ``ties[σ]``: how many tied best responses (0: it does not attack).
    exact
        Its exact success against the plan (the evaluator's figure).
    """

    name: str
    weight: float
    lead: int
    signal: np.ndarray
    success: np.ndarray
    targets: np.ndarray
    ties: np.ndarray
    exact: float


@dataclass(frozen=True)
class PlanTables:
    """A plan's nights as arrays, plus its adversaries' tables (see the module docstring)."""

    label: str
    plan_json: dict[str, Any]
    site: np.ndarray
    room: np.ndarray
    location: np.ndarray
    rooms: np.ndarray
    success_full: np.ndarray
    adversaries: tuple[AdversaryTable, ...]
    site_names: tuple[str, ...]

    @property
    def n_sites(self) -> int:
        return len(self.rooms)

    @property
    def n_locations(self) -> int:
        return int(self.rooms.sum())

    @property
    def plan(self) -> Plan:
        """The plan itself (kept as its JSON form so the tables can go to worker processes)."""
        return Plan.from_dict(self.plan_json)

    @property
    def stationary(self) -> np.ndarray:
        """The stationary probability of each night, normalized."""
        p = np.array([night["p"] for night in self.plan_json["nights"]], dtype=float)
        return p / p.sum()

    @property
    def exact_risk(self) -> float:
        return float(sum(a.weight * a.exact for a in self.adversaries))


def location_offsets(scenario: Scenario) -> np.ndarray:
    """``offset[s]``: the location number of room 1 of site ``s``."""
    rooms = np.array([site.rooms for site in scenario.sites], dtype=np.int64)
    return np.concatenate([[0], np.cumsum(rooms)[:-1]])


def plan_tables(scenario: Scenario, plan: Plan, label: str = "plan") -> PlanTables:
    """Flatten ``plan`` for the simulation (see the module docstring)."""
    states = [state_of(scenario, night) for night in plan.nights]
    offsets = location_offsets(scenario)
    site = np.array([s.site for s in states], dtype=np.int64)
    room = np.array([s.room for s in states], dtype=np.int64)
    location = offsets[site] + room - 1
    success_full = np.array(
        [scenario.sites[s.site].success_at(s.teams_at(s.site)) for s in states], dtype=float)
    evaluation = evaluate_plan(scenario, plan)
    weights = scenario.weights
    tables = []
    for adversary in scenario.adversaries:
        if adversary.attacks == "roads":
            continue  # docs/design.md §12: the convoy's ambushers are not simulated over nights
        seen = [observed(scenario, adversary, state) for state in states]
        ids: dict[object, int] = {}
        signal = np.array([ids.setdefault(sigma, len(ids)) for sigma in seen], dtype=np.int64)
        responses = evaluation.adversaries[adversary.name].responses
        width = max([len(r.targets) for r in responses.values()] + [1])
        targets = np.full((len(ids), width), -1, dtype=np.int64)
        ties = np.zeros(len(ids), dtype=np.int64)
        for sigma, k in ids.items():
            chosen = responses[sigma].targets
            ties[k] = len(chosen)
            for j, (s, r) in enumerate(chosen):
                targets[k, j] = offsets[s] + r - 1
        tables.append(AdversaryTable(
            name=adversary.name,
            weight=weights[adversary.name],
            lead=adversary.lead,
            signal=signal,
            success=np.array([night_success(scenario, adversary, state) for state in states]),
            targets=targets,
            ties=ties,
            exact=evaluation.adversaries[adversary.name].success,
        ))
    return PlanTables(
        label=label,
        plan_json=plan.to_dict(),
        site=site,
        room=room,
        location=location,
        rooms=np.array([s.rooms for s in scenario.sites], dtype=np.int64),
        success_full=success_full,
        adversaries=tuple(tables),
        site_names=tuple(s.name for s in scenario.sites),
    )
