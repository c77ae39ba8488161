"""Draws follow the plan: goodness of fit, conditioning, and where the randomness comes from.

Every chi-square test uses a fixed seed and rejects at p < 1e-6, so an honest sampler would
fail with probability about one in a million for an arbitrary seed. Expected frequencies come
from the hand-made plans in ``conftest.py`` (the stationary law ``p`` and the transition
``pairs[i, j] / p_i``), never from the sampler.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chisquare

from escolta.errors import InputError
from escolta.protect import draws as draws_module
from escolta.protect.draws import csprng_uniform, draw_nights, night_from_record, simulate_indices
from escolta.protect.plan import Night, Pair, Plan, SolverInfo

ALPHA = 1e-6


def _expected_transitions(plan: Plan) -> np.ndarray:
    """``pairs[i, j] / p_i`` computed directly from the plan's lists."""
    p = np.array([n.p for n in plan.nights])
    joint = np.zeros((len(p), len(p)))
    for pair in plan.pairs or ():
        joint[pair.yesterday, pair.tonight] = pair.p
    return joint / p[:, None]


def _assert_fits(observed: np.ndarray, probabilities: np.ndarray) -> None:
    support = probabilities > 0
    assert observed[~support].sum() == 0, "drew something of probability zero"
    total = observed.sum()
    if support.sum() == 1:  # one possible outcome: the zero check above is the whole test
        return
    result = chisquare(observed[support], total * probabilities[support])
    assert result.pvalue > ALPHA, (observed, probabilities, result)


def _assert_transitions_fit(indices: np.ndarray, plan: Plan) -> None:
    expected = _expected_transitions(plan)
    counts = np.zeros_like(expected)
    np.add.at(counts, (indices[:-1], indices[1:]), 1)
    for i in range(len(expected)):
        _assert_fits(counts[i], expected[i])


def test_independent_nights_follow_the_stationary_law(independent_plan: Plan) -> None:
    indices = simulate_indices(independent_plan, 200_000, np.random.default_rng(1))
    _assert_fits(np.bincount(indices, minlength=4), independent_plan.night_probabilities)


def _four_site_chain() -> Plan:
    """A chain with no deterministic row: a symmetric joint (so its row and column sums, the
    stationary law, agree) that never repeats a site (nights 0 and 1 are both at a)."""
    joint = np.array([[0.00, 0.00, 0.10, 0.15],
                      [0.00, 0.00, 0.05, 0.10],
                      [0.10, 0.05, 0.00, 0.15],
                      [0.15, 0.10, 0.15, 0.00]]) / 1.1
    p = joint.sum(axis=1)
    nights = tuple(Night(float(p[i]), site, room, {})
                   for i, (site, room) in enumerate([("a", 1), ("a", 2), ("b", 1), ("c", 1)]))
    pairs = tuple(Pair(i, j, float(joint[i, j])) for i in range(4) for j in range(4)
                  if joint[i, j] > 0)
    return Plan(0.0, {}, {}, nights, pairs, SolverInfo("optimal", 0.0, 0.0))


@pytest.mark.parametrize("which", ["three-nights", "four-sites"])
def test_chain_transitions_follow_the_pairs(chain_plan: Plan, which: str) -> None:
    plan = chain_plan if which == "three-nights" else _four_site_chain()
    indices = simulate_indices(plan, 200_000, np.random.default_rng(2))
    _assert_transitions_fit(indices, plan)
    # the chain's long-run frequencies approach the stationary law (a loose check: the
    # samples are dependent, so no chi-square here)
    frequencies = np.bincount(indices, minlength=len(plan.nights)) / len(indices)
    assert np.allclose(frequencies, plan.night_probabilities, atol=0.01)


@pytest.mark.parametrize("which", ["three-nights", "four-sites"])
def test_operational_draws_follow_the_pairs(chain_plan: Plan, which: str) -> None:
    plan = chain_plan if which == "three-nights" else _four_site_chain()
    drawn = draw_nights(plan, 60_000, seed=3)
    _assert_transitions_fit(np.array(drawn.indices), plan)


def test_the_first_night_of_a_chain_follows_the_stationary_law(chain_plan: Plan) -> None:
    rng = np.random.default_rng(4)
    first = [int(simulate_indices(chain_plan, 1, rng)[0]) for _ in range(10_000)]
    _assert_fits(np.bincount(first, minlength=3), chain_plan.night_probabilities)


def test_a_night_in_the_support_conditions_on_its_row(chain_plan: Plan) -> None:
    last = night_from_record("b", 2, {"t": "b"})  # night 2: always followed by night 0
    drawn = draw_nights(chain_plan, 1, last=last, seed=5)
    assert drawn.conditioned_on == "night" and drawn.indices == (0,)
    firsts = [simulate_indices(chain_plan, 1, np.random.default_rng(s), start=0)[0]
              for s in range(2_000)]
    _assert_fits(np.bincount(firsts, minlength=3), _expected_transitions(chain_plan)[0])


@pytest.mark.parametrize(
    ("last", "conditioned_on", "expected"),
    [
        # posts differ from every night at (b, 1): condition on "yesterday was (b, 1)"
        pytest.param(Night(0, "b", 1, {"t": "a"}), "site and room", [1.0, 0.0, 0.0],
                     id="same-site-and-room"),
        # room 3 is nowhere in the plan: condition on "yesterday was at b" (nights 1, 2)
        pytest.param(Night(0, "b", 3, {}), "site", [1.0, 0.0, 0.0], id="same-site"),
        # site a, room 2: nights at a are night 0 only: its row (0, 0.6, 0.4) -- no_repeat
        pytest.param(Night(0, "a", 2, {}), "site", [0.0, 0.6, 0.4], id="no-repeat-kept"),
        pytest.param(Night(0, "z", 1, {}), "stationary", [0.5, 0.3, 0.2], id="unknown-site"),
        pytest.param(None, "stationary", [0.5, 0.3, 0.2], id="no-last-night"),
    ],
)
def test_a_last_night_outside_the_support_uses_the_nearest_information(
    chain_plan: Plan, last: Night | None, conditioned_on: str, expected: list[float]
) -> None:
    firsts = []
    for seed in range(3_000):
        drawn = draw_nights(chain_plan, 1, last=last, seed=seed)
        assert drawn.conditioned_on == conditioned_on
        firsts.append(drawn.indices[0])
    _assert_fits(np.bincount(firsts, minlength=3), np.array(expected))


def test_unseeded_draws_use_the_os_csprng(
    chain_plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = draws_module.secrets.randbits

    def spy(bits: int) -> int:
        calls.append(bits)
        return real(bits)

    def forbidden(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("an operational draw must not use numpy's generator")

    monkeypatch.setattr(draws_module.secrets, "randbits", spy)
    monkeypatch.setattr(draws_module.np.random, "default_rng", forbidden)
    drawn = draw_nights(chain_plan, 5)
    assert calls == [53] * 5
    assert not drawn.seeded


def test_seeded_draws_are_marked_and_reproducible(chain_plan: Plan) -> None:
    first = draw_nights(chain_plan, 20, seed=11)
    again = draw_nights(chain_plan, 20, seed=11)
    assert first.seeded and again.seeded
    assert first.indices == again.indices


def test_csprng_uniforms_are_in_the_unit_interval() -> None:
    values = [csprng_uniform() for _ in range(1_000)]
    assert all(0.0 <= v < 1.0 for v in values)
    assert len(set(values)) == len(values)


def test_bad_counts_and_starts_are_named(chain_plan: Plan) -> None:
    with pytest.raises(InputError, match="count"):
        draw_nights(chain_plan, -1)
    with pytest.raises(InputError, match="start"):
        simulate_indices(chain_plan, 3, np.random.default_rng(0), start=7)


@st.composite
def _plans(draw: st.DrawFn) -> Plan:
    """Random stationary chains: a symmetric joint with zeros has equal row/column sums."""
    n = draw(st.integers(1, 5))
    weights = draw(st.lists(st.lists(st.sampled_from([0.0, 0.5, 1.0, 3.0]), min_size=n,
                                     max_size=n), min_size=n, max_size=n))
    joint = np.array(weights) + np.array(weights).T
    if joint.sum() == 0:
        joint[0, 0] = 1.0
    joint /= joint.sum()
    p = joint.sum(axis=1)
    nights = tuple(Night(float(p[i]), f"s{i}", 1, {}) for i in range(n))
    pairs = tuple(Pair(i, j, float(joint[i, j])) for i in range(n) for j in range(n)
                  if joint[i, j] > 0)
    return Plan(0.0, {}, {}, nights, pairs, SolverInfo("optimal", 0.0, 0.0))


@settings(max_examples=60, deadline=None)
@given(plan=_plans(), seed=st.integers(0, 2**32 - 1))
def test_a_chain_never_takes_an_impossible_step(plan: Plan, seed: int) -> None:
    indices = simulate_indices(plan, 500, np.random.default_rng(seed))
    allowed = {(pair.yesterday, pair.tonight) for pair in plan.pairs or ()}
    assert all(plan.nights[i].p > 0 for i in indices)
    assert all((int(a), int(b)) in allowed for a, b in zip(indices[:-1], indices[1:],
                                                            strict=True))


def test_the_fit_test_catches_a_sampler_off_by_two_points(independent_plan: Plan) -> None:
    """Power check: draws from (0.42, 0.28, 0.2, 0.1) instead of the plan's (0.4, 0.3, 0.2,
    0.1) fail the same test at the same sample size, so passing it means something."""
    rng = np.random.default_rng(1)
    wrong = rng.choice(4, size=200_000, p=[0.42, 0.28, 0.2, 0.1])
    observed = np.bincount(wrong, minlength=4)
    expected = 200_000 * independent_plan.night_probabilities
    assert chisquare(observed, expected).pvalue < ALPHA


def _mixing_plan() -> Plan:
    """Three nights, every transition possible: a joint with equal row and column sums."""
    joint = np.array([[0.10, 0.15, 0.05], [0.05, 0.10, 0.20], [0.15, 0.10, 0.10]])
    p = joint.sum(axis=1)
    assert np.allclose(p, joint.sum(axis=0))
    nights = tuple(Night(float(p[i]), site, 1, {"t": site}) for i, site in enumerate("abc"))
    pairs = tuple(Pair(i, j, float(joint[i, j])) for i in range(3) for j in range(3))
    return Plan(risk=0.1, adversaries={"x": 0.1}, site_probability=dict(zip("abc", p, strict=True)),
                nights=nights, pairs=pairs, solver=SolverInfo("optimal", 0.01, 0.1, "lp"))


def test_a_run_before_a_drawn_night_is_a_markov_bridge() -> None:
    """Two nights after night 0 and before night 2: the law of the pair is
    T(0, x) T(x, y) T(y, 2) normalized, enumerated here over all nine pairs."""
    plan = _mixing_plan()
    joint = np.zeros((3, 3))
    for pair in plan.pairs:
        joint[pair.yesterday, pair.tonight] = pair.p
    transition = joint / joint.sum(axis=1, keepdims=True)
    exact = np.array([transition[0, x] * transition[x, y] * transition[y, 2]
                      for x in range(3) for y in range(3)])
    exact /= exact.sum()
    counts = np.zeros(9)
    for seed in range(4000):
        draws = draw_nights(plan, 2, last=plan.nights[0], then=plan.nights[2], seed=seed)
        x, y = draws.indices
        counts[3 * x + y] += 1
    assert "bridged" in draws.conditioned_on
    _assert_fits(counts, exact)


def test_no_repeat_holds_across_the_seam_with_a_night_drawn_later(chain_plan) -> None:
    """The chain plan alternates a and b; two nights after a b-night and before an a-night
    must be a then b, whatever the seed (plain forward draws could not end at b for sure)."""
    for seed in range(200):
        draws = draw_nights(chain_plan, 2, last=chain_plan.nights[1], then=chain_plan.nights[0],
                            seed=seed)
        assert [n.site for n in draws.nights] == ["a", "b"]
        assert "bridged" in draws.conditioned_on


def test_a_night_after_the_run_that_cannot_follow_it_is_said(chain_plan) -> None:
    """Three nights from b alternate to b, a, ... and cannot end before an a-night (a, b, a
    then a): the run is drawn forward and says it was not bridged."""
    draws = draw_nights(chain_plan, 3, last=chain_plan.nights[1], then=chain_plan.nights[0],
                        seed=1)
    assert "not bridged" in draws.conditioned_on
