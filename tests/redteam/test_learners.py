"""Learners against routines (they learn them), i.i.d. plans (they cannot beat chance), and a
plan whose site sequence has a longer memory than one night (long memory beats the model)."""

import json
from pathlib import Path

import numpy as np
import pytest

from escolta.protect.plan import Night, Pair, Plan, SolverInfo
from escolta.protect.scenario import load_scenario
from escolta.redteam.baselines import routine_plan, uniform_plan
from escolta.redteam.intervals import estimate
from escolta.redteam.learners import LEARNERS, learner_predictions
from escolta.redteam.report import run_redteam
from escolta.redteam.simulate import Settings

WEEK = 7


def _hits_per_week(sequence, alphabet, kind):
    guesses = learner_predictions(np.array(sequence), alphabet, (kind,))[kind]
    return (guesses == np.array(sequence)).reshape(-1, WEEK).mean(axis=1)


@pytest.mark.parametrize("kind", ["markov-1", "markov-2", "markov-3", "lempel-ziv"])
def test_seven_site_rotation_is_learned_within_a_few_weeks(kind):
    # Every site once a week: after one full week each site has been followed by the next
    # once, so Markov learners hit every night from week 2 on; Active LeZi's window first has
    # to grow past one symbol (its second LZ78 phrase), so from week 3.
    weekly = _hits_per_week(np.tile(np.arange(WEEK), 20), WEEK, kind)
    assert weekly[2:].tolist() == [1.0] * 18


# Three sites in a 7-day week: 0 1 2 0 1 2 0 | 0 1 2 ... By hand, asymptotically:
# - frequency predicts 0 (3 days in 7): 3/7;
# - markov-1: 0 is followed by 1 twice a week and by 0 once, so it predicts 1 and misses
#   only Sunday -> Monday: 6/7;
# - markov-2 and markov-3: the contexts (2, 0) and (1, 2, 0) occur twice a week, followed
#   once by 1 (Thursday) and once by 0 (Monday); with the counts tied at Thursday (-> 0) and
#   one ahead for 1 at Monday (-> 1) both are missed: 5/7;
# - Active LeZi's window grows to 8 > 5, the context length that tells the two apart: 1.
ROUTINE_OF_THREE = [
    pytest.param("frequency", 3 / 7, id="frequency"),
    pytest.param("markov-1", 6 / 7, id="markov-1"),
    pytest.param("markov-2", 5 / 7, id="markov-2"),
    pytest.param("markov-3", 5 / 7, id="markov-3"),
    pytest.param("lempel-ziv", 1.0, id="lempel-ziv"),
]


@pytest.mark.parametrize(("kind", "rate"), ROUTINE_OF_THREE)
def test_weekly_routine_of_three_sites(kind, rate):
    weekly = _hits_per_week(np.tile([0, 1, 2, 0, 1, 2, 0], 40), 3, kind)
    assert weekly[20:] == pytest.approx(rate)


def test_learners_learn_the_routine_baseline_in_simulation():
    # The engine end to end: a 7-site routine, learners watching the site. Hit rate in the
    # last time bin (nights ~1000-2000) is 1 for every Markov learner and Lempel-Ziv.
    scenario = load_scenario({
        "principal": "P", "sites": [{"name": f"s{i}", "success": [0.5]} for i in range(7)],
        "adversaries": [{"name": "x", "weight": 1, "sees": "site", "lead": 1}]})
    settings = Settings(nights=2000, runs=2, seed=1, workers=1, bins=10)
    report = run_redteam(scenario, routine_plan(scenario), settings, baselines=False)
    for kind in ("markov-1", "markov-2", "markov-3", "lempel-ziv"):
        learner = report.plan.learners[f"{kind}/site"]
        assert learner.hit_curve[-1] == 1.0
        assert learner.hits.rate > 0.99


def test_no_learner_beats_chance_against_an_iid_uniform_plan():
    # Independent uniform nights over 3 sites: whatever a learner predicts from the past, it
    # is right with probability exactly 1/3. Each learner's interval is taken at the
    # Bonferroni level 1 - 0.05/5 so that the family fails by chance at most 5% of the time.
    scenario = load_scenario({
        "principal": "P", "sites": [{"name": f"s{i}", "success": [0.5]} for i in range(3)],
        "adversaries": [{"name": "x", "weight": 1, "sees": "site", "lead": 1}]})
    settings = Settings(nights=20000, runs=2, seed=2, workers=1)
    report = run_redteam(scenario, uniform_plan(scenario), settings, baselines=False)
    assert set(report.plan.learners) == {f"{kind}/site" for kind in LEARNERS}
    for name, learner in report.plan.learners.items():
        hits = estimate(learner.hits.successes, learner.hits.trials, 1 - 0.05 / len(LEARNERS))
        assert hits.low <= 1 / 3 <= hits.high, name  # exactly chance: not below it either
        assert learner.chance == pytest.approx(1 / 3)
    assert not any(v.beats for v in report.memory)


def _two_and_two():
    """A hand-made plan: a, a, b, b, a, a, b, b, ... as a 4-night deterministic cycle."""
    scenario = load_scenario({
        "principal": "P",
        "sites": [{"name": "a", "success": [0.5]}, {"name": "b", "success": [0.5]}],
        "adversaries": [{"name": "informant", "weight": 1, "sees": "site", "lead": 1}]})
    sites = ["a", "a", "b", "b"]
    plan = Plan(risk=0.25, adversaries={"informant": 0.25},
                site_probability={"a": 0.5, "b": 0.5},
                nights=tuple(Night(0.25, s, 1, {}) for s in sites),
                pairs=tuple(Pair(i, (i + 1) % 4, 0.25) for i in range(4)),
                solver=SolverInfo("given", 0.0, 0.0))
    return scenario, plan


def test_long_memory_beats_the_one_night_model_and_the_report_says_so():
    # a a b b repeated. Knowing only last night's site, tonight is the same site or the other
    # with probability 1/2 each: the informant's exact success is 1/2 * 0.5 = 0.25. Two
    # nights of memory determine tonight ((a,a) -> b, (a,b) -> b, ...): success 0.5 every
    # night, a gain of 25 points, twice as often.
    scenario, plan = _two_and_two()
    report = run_redteam(scenario, plan, Settings(nights=3000, runs=2, seed=3, workers=1),
                         baselines=False)
    assert report.adversary_exact["informant"] == pytest.approx(0.25)
    markov2 = next(v for v in report.memory if v.learner == "markov-2/site")
    assert markov2.one_night == pytest.approx(0.25)
    assert markov2.beats
    assert markov2.gain == pytest.approx(0.25, abs=0.03)
    text = report.verdict_lines()[0]
    assert "LONG MEMORY BEATS THE PLAN'S ONE-NIGHT MODEL" in text
    assert "allows 25.00%" in text


def test_a_solved_plan_that_leaks_to_long_memory():
    # tests/redteam/long_memory.yaml with an optimal plan of the reference LP, frozen as
    # JSON: optimal against one-night memories (the maid's 4.55% is the evaluator's figure,
    # and a room watcher with one night of memory is that maid), yet the room sequence, a
    # function of a chain whose state also holds where t1 stands, tells more over three
    # nights than over one. Seen with 20000 x 8 nights: markov-3/room 5.50% [5.39, 5.62].
    here = Path(__file__).parent
    scenario = load_scenario(here / "long_memory.yaml")
    plan = Plan.from_dict(json.loads((here / "long_memory_plan.json").read_text()))
    settings = Settings(nights=20000, runs=2, seed=5, workers=1, learners=("markov-3",))
    report = run_redteam(scenario, plan, settings, baselines=False)
    watcher = next(v for v in report.memory if v.learner == "markov-3/room")
    assert watcher.one_night == pytest.approx(plan.adversaries["maid"])
    assert watcher.beats
    assert "LONG MEMORY BEATS" in report.verdict_lines()[0]
