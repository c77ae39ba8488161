"""The verdict in plain words: does a learner with long memory beat the plan's one-night model?

The plan is optimal against adversaries that remember one night (docs/design.md §4). A
*watcher* that learns each morning where the principal slept is, with one night of memory,
exactly a ``sees: site`` (or ``room``), ``lead: 1`` adversary: its success against the plan is
computed exactly by :func:`escolta.protect.evaluate.evaluate_states` — the *one-night
figure*. A learner with long memory (Markov order 2 or 3, Lempel–Ziv) beats the model when the
lower end of its success's confidence interval lies above that figure; the gain is the
difference, in percentage points of nights, and as a ratio.
"""

from __future__ import annotations

from dataclasses import dataclass

from escolta.protect.evaluate import evaluate_states
from escolta.protect.nights import state_of
from escolta.protect.plan import Plan
from escolta.protect.scenario import Adversary, Scenario
from escolta.redteam.intervals import Estimate


def one_night_figures(scenario: Scenario, plan: Plan, views: tuple[str, ...]) -> dict[str, float]:
    """Exact success against ``plan`` of a one-night watcher of each view (``site``/``room``).

    The watcher is the §4 adversary ``sees: <view>, lead: 1``; the scenario's own adversaries
    are replaced by these watchers only for this evaluation.
    """
    # Without pairs the nights are independent: last night tells nothing, and the watcher is
    # worth exactly a `sees: nothing` adversary (cheaper to evaluate: no n² pairs).
    independent = plan.pairs is None
    watchers = [Adversary(name=f"watch-{view}", weight=1.0,
                          sees="nothing" if independent else view, lead=0 if independent else 1)
                for view in views]
    watched = scenario.model_copy(update={"adversaries": watchers})
    states = [state_of(scenario, night) for night in plan.nights]
    pairs = None if plan.pairs is None else plan.pairs.triples()
    evaluation = evaluate_states(watched, states, [night.p for night in plan.nights], pairs)
    return {view: evaluation.adversaries[f"watch-{view}"].success for view in views}


@dataclass(frozen=True)
class MemoryVerdict:
    """One long-memory learner against the one-night figure of its view."""

    view: str
    learner: str
    success: Estimate
    one_night: float

    @property
    def beats(self) -> bool:
        """The whole confidence interval lies above the one-night figure."""
        return self.success.low > self.one_night

    @property
    def gain(self) -> float:
        """Success minus the one-night figure (a fraction of nights)."""
        return self.success.rate - self.one_night

    def sentence(self, nights: int) -> str:
        """The finding in one plain sentence."""
        watcher = ("where the principal slept" if self.view == "site"
                   else "where the principal slept (down to the room)")
        rate = self.success
        head = (f"A watcher who learns each morning {watcher} and remembers {nights} nights "
                f"({self.learner}) succeeds on {rate.rate:.2%} of nights "
                f"(95% CI {rate.low:.2%}–{rate.high:.2%})")
        if self.beats:
            ratio = (f", {rate.rate / self.one_night:.2f} times as often"
                     if self.one_night > 0 else "")
            return (f"{head}: LONG MEMORY BEATS THE PLAN'S ONE-NIGHT MODEL, which allows "
                    f"{self.one_night:.2%} — {100 * self.gain:+.2f} percentage points{ratio}.")
        return (f"{head}; the plan's one-night model allows {self.one_night:.2%}, so long "
                f"memory gains nothing measurable here.")


def strongest(verdicts: list[MemoryVerdict]) -> MemoryVerdict | None:
    """The verdict with the largest gain (the one to report first)."""
    return max(verdicts, key=lambda v: (v.beats, v.gain), default=None)
