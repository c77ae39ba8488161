"""The red team's findings: every figure with its confidence interval, and the verdict.

:func:`run_redteam` is the one entry point: it flattens the plan and the baselines
(:mod:`escolta.redteam.tables`, :mod:`escolta.redteam.baselines`), simulates
(:mod:`escolta.redteam.simulate`), and builds a :class:`RedTeamReport` whose
:meth:`RedTeamReport.to_dict` is what ``escolta redteam --json`` prints::

    {"adversaries": {name: {"success": x, "predicted": y, "ci": [lo, hi], ...}},
     "learners":    {name: {...}},
     "followers":   {team: {"success": x, "predicted": y, "blind": z, "gain": ...}},
     "baselines":   {name: {...}},
     "plan": {...}, "predictability": {...}, "verdict": {...}, "settings": {...}}

``predicted`` is, for an adversary, the plan's own figure (``plan.adversaries``); for a
learner, the exact success of a one-night watcher of the same view (what the plan's model
allows); for a baseline, the exact risk of the scenario's adversaries against it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from escolta.protect.phones import fold_tracker
from escolta.protect.plan import Plan
from escolta.protect.scenario import Scenario
from escolta.redteam.baselines import baseline_plans
from escolta.redteam.followers import FollowerOutcome, follow_every_team
from escolta.redteam.intervals import Estimate, batch_estimate
from escolta.redteam.learners import LONG_MEMORY
from escolta.redteam.predictability import entropy_from_counts, exact_site_entropy
from escolta.redteam.simulate import ENTROPY_ORDERS, Settings, Tally, learner_views, simulate
from escolta.redteam.tables import PlanTables, plan_tables
from escolta.redteam.verdict import MemoryVerdict, one_night_figures, strongest

LEVEL = 0.95


@dataclass(frozen=True)
class Outcome:
    """A simulated success rate, its interval, and the exact figure it is compared with."""

    success: Estimate
    predicted: float

    @property
    def agrees(self) -> bool:
        """The predicted figure lies inside the confidence interval."""
        return self.success.contains(self.predicted)

    def to_dict(self) -> dict[str, Any]:
        return {"success": self.success.rate, "predicted": float(self.predicted),
                "ci": [self.success.low, self.success.high]}


@dataclass(frozen=True)
class LearnerOutcome:
    """A learner on one plan: success, top-1 hit rate, and both over nights watched."""

    name: str
    view: str
    outcome: Outcome
    hits: Estimate
    chance: float
    bin_end: tuple[int, ...]
    hit_curve: tuple[float, ...]
    success_curve: tuple[float, ...]

    def to_dict(self) -> dict[str, Any]:
        return {**self.outcome.to_dict(), "view": self.view,
                "hit_rate": self.hits.rate, "hit_ci": [self.hits.low, self.hits.high],
                "chance": self.chance}


@dataclass(frozen=True)
class PlanOutcome:
    """Everything measured on one plan (the optimal one or a baseline)."""

    label: str
    risk: Outcome
    adversaries: dict[str, Outcome]
    exact: dict[str, float]
    learners: dict[str, LearnerOutcome]
    entropy: dict[int, float]
    exact_entropy: tuple[float, float]

    def predictability(self) -> dict[str, Any]:
        first = next(iter(self.learners.values()), None)
        return {
            "site_entropy_bits": {f"order_{k}": v for k, v in self.entropy.items()},
            "site_entropy_exact_bits": {"order_0": self.exact_entropy[0],
                                        "order_1": self.exact_entropy[1]},
            "hit_rate": {name: o.hits.rate for name, o in self.learners.items()},
            "hit_rate_over_time": {
                "nights_watched": list(first.bin_end) if first else [],
                **{name: list(o.hit_curve) for name, o in self.learners.items()}},
        }


@dataclass(frozen=True)
class RedTeamReport:
    """The red team's findings on a plan and its baselines (see the module docstring)."""

    plan: PlanOutcome
    baselines: dict[str, PlanOutcome]
    adversary_exact: dict[str, float]
    memory: tuple[MemoryVerdict, ...]
    settings: Settings
    #: a follower of each team (:mod:`escolta.redteam.followers`), by team name
    followers: dict[str, FollowerOutcome] = field(default_factory=dict)

    @property
    def disagreements(self) -> list[str]:
        """Adversaries whose simulated success does not cover the plan's figure."""
        return [name for name, o in self.plan.adversaries.items() if not o.agrees]

    def verdict_lines(self) -> list[str]:
        """The findings in plain sentences, the most important first."""
        lines = []
        winners = sorted((v for v in self.memory if v.beats), key=lambda v: -v.gain)
        if winners:
            lines.append(winners[0].sentence(self.settings.nights))
        if len(winners) > 1:
            lines.append("Other long-memory learners that beat it: " + ", ".join(
                f"{v.learner} ({100 * v.gain:+.2f} points)" for v in winners[1:]) + ".")
        best = strongest(list(self.memory))
        if not winners and best is not None:
            finding = best.sentence(self.settings.nights)
            lines.append("No learner with long memory beats the plan's one-night model. "
                         "The strongest: " + finding[:1].lower() + finding[1:])
        if not self.disagreements:
            lines.append("Every adversary of the scenario, played exactly as the plan's model "
                         "says, succeeds as often as the plan predicts (each figure inside "
                         "its 95% CI).")
        else:
            lines.append("Simulated success outside its 95% CI for: "
                         + ", ".join(self.disagreements)
                         + " (expect about 1 in 20 by chance; more means the plan's figure "
                         "is wrong).")
        if self.followers:
            top = max(self.followers.values(), key=lambda f: f.success.rate)
            lines.append(
                f"Following one team: the best to follow is {top.team} (with the principal on "
                f"{top.share_with_principal:.0%} of nights); its follower wins "
                f"{top.success.rate:.2%} of nights (95% CI {top.success.low:.2%}-"
                f"{top.success.high:.2%}; exact {top.predicted:.2%}), "
                f"{100 * top.gain:+.2f} points over an attacker who knows only the odds.")
        risk = self.plan.risk.success
        for name, baseline in self.baselines.items():
            b = baseline.risk.success
            note = ""
            if b.low > risk.high:
                lines.append(f"Against the {name} baseline{note} the scenario's adversaries "
                             f"succeed on {b.rate:.2%} of nights, against {risk.rate:.2%} "
                             f"with the plan: the plan cuts the risk by "
                             f"{1 - risk.rate / b.rate:.0%}.")
            elif b.high < risk.low:
                lines.append(f"The {name} baseline{note} does better than the plan "
                             f"({b.rate:.2%} against {risk.rate:.2%}).")
            else:
                lines.append(f"The {name} baseline{note} and the plan are not distinguishable "
                             f"here ({b.rate:.2%} against {risk.rate:.2%}).")
        return lines

    def to_dict(self) -> dict[str, Any]:
        plan = self.plan
        adversaries = {}
        for name, outcome in plan.adversaries.items():
            adversaries[name] = {**outcome.to_dict(), "exact": self.adversary_exact[name],
                                 "agrees": outcome.agrees}
        baselines = {}
        for name, b in self.baselines.items():
            best_learner = max(b.learners.values(), key=lambda o: o.outcome.success.rate,
                               default=None)
            baselines[name] = {
                **b.risk.to_dict(),
                "adversaries": {n: {**o.to_dict(), "predicted": b.exact[n]}
                                for n, o in b.adversaries.items()},
                "learners": {n: o.to_dict() for n, o in b.learners.items()},
                "best_learner": None if best_learner is None else best_learner.name,
            }
        return {
            "adversaries": adversaries,
            "learners": {name: o.to_dict() for name, o in plan.learners.items()},
            "followers": {name: f.to_dict() for name, f in self.followers.items()},
            "baselines": baselines,
            "plan": plan.risk.to_dict(),
            "predictability": {"plan": plan.predictability(),
                               **{name: b.predictability() for name, b in self.baselines.items()}},
            "verdict": {
                "long_memory": [
                    {"view": v.view, "learner": v.learner, "success": v.success.rate,
                     "ci": [v.success.low, v.success.high], "one_night": v.one_night,
                     "gain": v.gain, "beats": v.beats} for v in self.memory],
                "text": self.verdict_lines(),
            },
            "settings": {"nights": self.settings.nights, "runs": self.settings.runs,
                         "seed": self.settings.seed, "seeded": True, "confidence": LEVEL,
                         "ci_method": "wilson, effective sample size by batch means"},
        }


def _chance(tables: PlanTables, view: str) -> float:
    """The best top-1 hit rate without memory: the most likely site (or location)."""
    symbols = tables.site if view == "site" else tables.location
    size = tables.n_sites if view == "site" else tables.n_locations
    return float(np.bincount(symbols, weights=tables.stationary, minlength=size).max())


def _plan_outcome(tables: PlanTables, tally: Tally, one_night: dict[str, float],
                  predicted: dict[str, float]) -> PlanOutcome:
    nights = tally.nights
    batches = tally.batches
    adversaries = {
        a.name: Outcome(batch_estimate(tally.adversary_successes[i], nights,
                                       tally.adversary_batch[i], batches, LEVEL),
                        predicted.get(a.name, a.exact))
        for i, a in enumerate(tables.adversaries)}
    risk_predicted = sum(a.weight * predicted.get(a.name, a.exact) for a in tables.adversaries)
    mean = tally.weighted_sum / nights
    night_variance = max(tally.weighted_sq / nights - mean * mean, 0.0)
    risk = Outcome(batch_estimate(tally.weighted_sum, nights, tally.weighted_batch, batches,
                                  LEVEL, night_variance=night_variance), risk_predicted)
    bin_end = tuple(int(x) for x in np.cumsum(tally.bin_nights / tally.runs))
    learners = {}
    for i, name in enumerate(tally.learners):
        view = name.split("/")[1]
        learners[name] = LearnerOutcome(
            name=name,
            view=view,
            outcome=Outcome(batch_estimate(tally.learner_successes[i], nights,
                                           tally.learner_successes_batch[i], batches, LEVEL),
                            one_night[view]),
            hits=batch_estimate(tally.learner_hits[i], nights, tally.learner_hits_batch[i],
                                batches, LEVEL),
            chance=_chance(tables, view),
            bin_end=bin_end,
            hit_curve=tuple(float(x) for x in tally.bin_hits[i] / tally.bin_nights),
            success_curve=tuple(float(x) for x in tally.bin_successes[i] / tally.bin_nights),
        )
    entropy = {k: entropy_from_counts(c) for k, c in zip(ENTROPY_ORDERS, tally.site_ngrams,
                                                          strict=True) if c is not None}
    plan = tables.plan
    exact_entropy = exact_site_entropy(tables.site, tables.stationary, plan.transition_matrix(),
                                       tables.n_sites)
    return PlanOutcome(tables.label, risk, adversaries, {a.name: a.exact
                                                         for a in tables.adversaries},
                       learners, entropy, exact_entropy)


def run_redteam(
    scenario: Scenario,
    plan: Plan,
    settings: Settings,
    advance: Callable[[int], None] | None = None,
    baselines: bool = True,
) -> RedTeamReport:
    """Simulate the scenario's adversaries, the learners and the baselines against ``plan``.

    Parameters
    ----------
    scenario
        The scenario the plan is for. With phones, the tracker is played as the two
        adversaries of docs/design.md §4b (``phone-tracker (known)`` / ``(unknown)``).
    plan
        The plan to test (``escolta.protect.solve.solve_plan``), or any plan of the scenario.
    settings
        Nights, runs, seed, learners, processes.
    advance
        Progress callback, called with the nights simulated after each run.
    baselines
        Also play the baselines of :mod:`escolta.redteam.baselines`.
    """
    # With phones the tracker plays as its two §4b adversaries (known / unknown phone).
    scenario, _ = fold_tracker(scenario)
    contests = [plan_tables(scenario, plan, "plan")]
    others = baseline_plans(scenario) if baselines else {}
    contests += [plan_tables(scenario, p, name) for name, p in others.items()]
    tallies = simulate(contests, settings, advance)
    views = learner_views(contests[0])
    outcomes = {}
    for tables in contests:
        source = plan if tables.label == "plan" else others[tables.label]
        one_night = one_night_figures(scenario, source, views)
        predicted = dict(plan.adversaries) if tables.label == "plan" else {}
        outcomes[tables.label] = _plan_outcome(tables, tallies[tables.label], one_night,
                                               predicted)
    main = outcomes.pop("plan")
    memory = tuple(
        MemoryVerdict(view=o.view, learner=name, success=o.outcome.success,
                      one_night=o.outcome.predicted)
        for name, o in main.learners.items() if name.split("/")[0] in LONG_MEMORY)
    followers = follow_every_team(scenario, plan, nights=settings.nights,
                                  runs=settings.runs, seed=settings.seed)
    return RedTeamReport(
        plan=main,
        baselines=outcomes,
        adversary_exact={a.name: a.exact for a in contests[0].adversaries},
        memory=memory,
        settings=settings,
        followers=followers,
    )
