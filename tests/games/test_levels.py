"""levels: exact Bayesian security games by branch and bound over the attackers' levels.

Every reference value comes from an independent check, never from ``levels`` itself: the
brute force of ``game_cases`` (one SciPy LP per response profile over explicit pure
assignments, Conitzer & Sandholm, EC 2006), the big-M MILP of :mod:`escolta.games.milp` (a
different formulation solved by HiGHS's branch and cut), ``hbgs`` (branch and bound on the
strong formulation), ORIGAMI for one type (Kiekintveld et al., AAMAS 2009), and the value of
random feasible coverages (no coverage may beat the optimum).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

import numpy as np
import pytest
from game_cases import (
    TOLERANCE,
    TWO_TYPES_JSON,
    assert_claims_hold,
    brute_force_security,
    random_security_game,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from escolta.cli.main import main
from escolta.errors import InputError
from escolta.games.evaluate import security_responses, security_value
from escolta.games.hbgs import hbgs_solve
from escolta.games.levels import check_levels_game, levels_solve
from escolta.games.milp import milp_solve
from escolta.games.model import AttackerType, SecurityGame
from escolta.games.origami import origami_solve
from escolta.games.random_games import kiekintveld_game
from escolta.games.solve import LEVELS_MAX_TYPES, choose_method, solve


@dataclass(frozen=True)
class Case:
    n_targets: int
    resources: int
    types: int
    seed: int
    integer: bool = True


def _strict_game(case: Case) -> SecurityGame:
    """``random_security_game(standard=True)`` draws attacker covered in [-10, 0] and
    uncovered in [0, 10]: integer draws can tie at 0, which ``levels`` rejects. Redraw from the
    same generator until every target is strict."""
    rng = np.random.default_rng(case.seed)
    while True:
        game = random_security_game(rng, case.n_targets, case.resources, case.types,
                                    standard=True, integer=case.integer)
        if all(np.all(a.attacker_covered < a.attacker_uncovered) for a in game.attacker_types):
            return game


def _solve(game: SecurityGame, **kwargs: object):
    return levels_solve(game, progress=False, **kwargs)


BRUTE_CASES = [
    pytest.param(Case(3, 1, 1, 1), id="3t-1r-1type"),
    pytest.param(Case(3, 1, 2, 2), id="3t-1r-2types"),
    pytest.param(Case(4, 1, 2, 3), id="4t-1r-2types"),
    pytest.param(Case(4, 2, 3, 4), id="4t-2r-3types"),
    pytest.param(Case(5, 2, 2, 5), id="5t-2r-2types"),
    pytest.param(Case(5, 2, 3, 6), id="5t-2r-3types"),
    pytest.param(Case(4, 1, 4, 7), id="4t-1r-4types"),
    pytest.param(Case(6, 3, 2, 8), id="6t-3r-2types"),
    pytest.param(Case(6, 2, 3, 9), id="6t-2r-3types"),
    pytest.param(Case(4, 1, 3, 10, integer=False), id="4t-1r-3types-real"),
    pytest.param(Case(5, 2, 3, 11, integer=False), id="5t-2r-3types-real"),
    pytest.param(Case(6, 3, 2, 12, integer=False), id="6t-3r-2types-real"),
]


@pytest.mark.parametrize("case", BRUTE_CASES)
def test_matches_brute_force_over_response_profiles(case: Case) -> None:
    game = _strict_game(case)
    solution = _solve(game)
    assert solution.method == "levels"
    assert solution.status == "optimal"
    assert solution.defender_value == pytest.approx(brute_force_security(game), abs=TOLERANCE)
    assert_claims_hold(game, solution)


def test_generator_can_tie_attacker_payoffs_so_cases_are_redrawn() -> None:
    """The redraw in :func:`_strict_game` is needed: some integer draw ties at 0."""
    rng = np.random.default_rng(0)
    tied = False
    for _ in range(50):
        game = random_security_game(rng, 6, 2, 3, standard=True, integer=True)
        covered, uncovered = game.stacked("attacker_covered"), game.stacked("attacker_uncovered")
        assert np.all(covered <= uncovered)
        tied = tied or bool(np.any(covered == uncovered))
    assert tied


KIEKINTVELD_CASES = (
    [pytest.param(8, 2, 3, s, id=f"8t-2r-3types-seed{s}") for s in range(3)]
    + [pytest.param(10, 3, 4, 11, id="10t-3r-4types"),
       pytest.param(12, 4, 2, 12, id="12t-4r-2types")]
    + [pytest.param(15, 4, 4, s, id=f"15t-4r-4types-seed{s}") for s in range(3)]
)


@pytest.mark.parametrize("n_targets, resources, types, seed", KIEKINTVELD_CASES)
def test_matches_big_m_milp_and_hbgs(n_targets: int, resources: int, types: int,
                                     seed: int) -> None:
    game = kiekintveld_game(n_targets, resources, types, seed)
    ours, milp, hbgs = _solve(game), milp_solve(game), hbgs_solve(game, progress=False)
    assert milp.status == "optimal" and hbgs.status == "optimal"
    assert ours.status == "optimal"
    assert ours.defender_value == pytest.approx(milp.defender_value, abs=TOLERANCE)
    assert ours.defender_value == pytest.approx(hbgs.defender_value, abs=TOLERANCE)
    assert ours.bound == pytest.approx(ours.defender_value)


def test_reported_strategy_is_what_it_claims() -> None:
    game = kiekintveld_game(10, 3, 3, seed=5)
    solution = _solve(game)
    assert_claims_hold(game, solution)
    assert solution.status == "optimal"
    assert solution.bound == pytest.approx(solution.defender_value)
    assert set(solution.params) == {"boxes", "profile_lps", "root_bound"}
    # the root bound is a bound: no less than the optimum (hbgs's value)
    assert solution.params["root_bound"] >= hbgs_solve(game, progress=False).defender_value - 1e-9


# ---------------------------------------------------------------------------------------
# Degenerate games


def _kind(name: str, prior: float, dc, du, ac, au) -> AttackerType:
    return AttackerType(name, prior, np.array(dc, dtype=float), np.array(du, dtype=float),
                        np.array(ac, dtype=float), np.array(au, dtype=float))


def _game_of(resources: int, *types: AttackerType) -> SecurityGame:
    n = len(types[0].attacker_covered)
    return SecurityGame(targets=tuple(f"t{i}" for i in range(n)), resources=resources,
                        attacker_types=tuple(types))


def _identical_types() -> SecurityGame:
    base = _strict_game(Case(5, 2, 1, 21)).attacker_types[0]
    payoffs = (base.defender_covered, base.defender_uncovered, base.attacker_covered,
               base.attacker_uncovered)
    return _game_of(2, _kind("a", 0.5, *payoffs), _kind("b", 0.5, *payoffs))


def _shared_best_target() -> SecurityGame:
    """Both types value target 0 most (9 vs at most 5 elsewhere), defenders differ."""
    return _game_of(
        1,
        _kind("x", 0.6, [3, 1, 2, 4], [-8, -2, -1, -3], [-5, -1, -2, -3], [9, 5, 3, 4]),
        _kind("y", 0.4, [1, 6, 2, 2], [-2, -7, -4, -1], [-1, -4, -3, -2], [9, 2, 5, 1]),
    )


def _full_ties() -> SecurityGame:
    """Every target alike for every type: only the budget matters."""
    same = ([5.0] * 4, [-5.0] * 4, [-5.0] * 4, [5.0] * 4)
    return _game_of(1, _kind("x", 0.3, *same), _kind("y", 0.7, *same))


def _full_ties_three_types() -> SecurityGame:
    same = ([2.0] * 5, [-3.0] * 5, [-1.0] * 5, [4.0] * 5)
    return _game_of(2, _kind("x", 0.2, *same), _kind("y", 0.3, *same), _kind("z", 0.5, *same))


def _resources_cover_all() -> SecurityGame:
    game = _strict_game(Case(3, 3, 2, 22))
    return game


def _more_resources_than_targets() -> SecurityGame:
    game = _strict_game(Case(3, 3, 3, 23))
    return SecurityGame(targets=game.targets, resources=5, attacker_types=game.attacker_types)


def _one_target() -> SecurityGame:
    return _game_of(1, _kind("x", 0.5, [4], [-6], [-2], [3]),
                    _kind("y", 0.5, [1], [-1], [-7], [8]))


def _one_target_no_resource_needed() -> SecurityGame:
    game = _strict_game(Case(1, 2, 3, 24))
    return game


def _zero_prior_type() -> SecurityGame:
    """A type with prior 0 (the loader allows priors >= 0) must change nothing."""
    game = _strict_game(Case(4, 1, 2, 25))
    ghost = _strict_game(Case(4, 1, 1, 26)).attacker_types[0]
    ghost = _kind("ghost", 0.0, ghost.defender_covered, ghost.defender_uncovered,
                  ghost.attacker_covered, ghost.attacker_uncovered)
    return SecurityGame(targets=game.targets, resources=1,
                        attacker_types=(game.attacker_types[0], ghost, game.attacker_types[1]))


DEGENERATE = [
    pytest.param(_identical_types, id="two-identical-types"),
    pytest.param(_shared_best_target, id="types-share-best-target"),
    pytest.param(_full_ties, id="all-payoffs-equal-2types"),
    pytest.param(_full_ties_three_types, id="all-payoffs-equal-3types"),
    pytest.param(_resources_cover_all, id="resources-equal-targets"),
    pytest.param(_more_resources_than_targets, id="resources-exceed-targets"),
    pytest.param(_one_target, id="one-target"),
    pytest.param(_one_target_no_resource_needed, id="one-target-3types-2r"),
    pytest.param(_zero_prior_type, id="type-with-prior-0"),
]


@pytest.mark.parametrize("build", DEGENERATE)
def test_degenerate_games_match_brute_force(build) -> None:
    game = build()
    solution = _solve(game, time_limit=10.0)  # a stalled search would end "time_limit"
    assert solution.status == "optimal"
    assert solution.defender_value == pytest.approx(brute_force_security(game), abs=TOLERANCE)
    assert_claims_hold(game, solution)


def test_zero_prior_type_changes_nothing() -> None:
    game = _zero_prior_type()
    without = SecurityGame(targets=game.targets, resources=game.resources,
                           attacker_types=(game.attacker_types[0], game.attacker_types[2]))
    assert _solve(game).defender_value == pytest.approx(
        brute_force_security(without), abs=TOLERANCE)


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"seed{s}") for s in range(4)])
def test_one_type_matches_origami(seed: int) -> None:
    game = kiekintveld_game(12, 3, 1, seed)
    ours, origami = _solve(game), origami_solve(game)
    assert ours.status == "optimal"
    assert ours.defender_value == pytest.approx(origami.defender_value, abs=TOLERANCE)


# ---------------------------------------------------------------------------------------
# Properties


@st.composite
def small_games(draw) -> SecurityGame:
    """Integer payoffs (ties), attacker covered < uncovered by at least 1, priors that may
    be 0 for some types."""
    n = draw(st.integers(1, 4))
    m = draw(st.integers(1, 3))
    k = draw(st.integers(1, 3))
    ints = lambda lo, hi: st.lists(st.integers(lo, hi), min_size=n, max_size=n)  # noqa: E731
    weights = draw(st.lists(st.integers(0, 4), min_size=k, max_size=k).filter(any))
    types = []
    for i in range(k):
        dc, du = draw(ints(-5, 10)), draw(ints(-10, 5))
        ac, gap = draw(ints(-10, 5)), draw(ints(1, 10))
        au = [a + g for a, g in zip(ac, gap, strict=True)]
        types.append(_kind(f"k{i}", weights[i] / sum(weights), dc, du, ac, au))
    return _game_of(m, *types)


@settings(max_examples=60, deadline=None)
@given(game=small_games(), seed=st.integers(0, 2**32 - 1))
def test_property_optimal_against_brute_force_and_random_coverages(game: SecurityGame,
                                                                  seed: int) -> None:
    solution = _solve(game)
    assert solution.status == "optimal"
    assert solution.defender_value == pytest.approx(brute_force_security(game), abs=TOLERANCE)
    assert_claims_hold(game, solution)
    rng = np.random.default_rng(seed)
    n, m = game.n_targets, game.resources
    for _ in range(50):
        u = rng.uniform(0.0, 1.0, n)
        coverage = u * min(1.0, m / u.sum()) if u.sum() > 0 else u
        if rng.random() < 0.3:  # a vertex: m targets fully covered
            coverage = np.zeros(n)
            coverage[rng.choice(n, size=min(m, n), replace=False)] = 1.0
        value = security_value(game, coverage, security_responses(game, coverage))
        assert solution.defender_value >= value - TOLERANCE


# ---------------------------------------------------------------------------------------
# Time limit, closing rule


def test_time_limit_returns_incumbent_and_a_true_bound() -> None:
    """kiekintveld_game(20, 5, 10, 0) takes levels 0.5-0.9 s unrestricted (measured on the
    2-core test machine), so 0.05 s stops it; hbgs solves it to optimality in about a second.
    The call returns soon after the limit (the clock is read every few thousand boxes)."""
    game = kiekintveld_game(20, 5, 10, seed=0)
    _solve(kiekintveld_game(4, 1, 2, seed=0))  # the kernels compiled before timing
    started = time.perf_counter()
    solution = _solve(game, time_limit=0.05)
    assert time.perf_counter() - started < 3.0
    assert solution.status == "time_limit"
    assert_claims_hold(game, solution)
    assert solution.bound is not None and solution.bound >= solution.defender_value - 1e-9
    optimum = hbgs_solve(game, progress=False)
    assert optimum.status == "optimal"
    assert solution.bound >= optimum.defender_value - TOLERANCE
    assert solution.defender_value <= optimum.defender_value + TOLERANCE


CLOSE_GAMES = [
    pytest.param(lambda: kiekintveld_game(10, 3, 4, 11), id="kiekintveld-10t-3r-4types"),
    pytest.param(lambda: kiekintveld_game(8, 2, 3, 1), id="kiekintveld-8t-2r-3types"),
    pytest.param(lambda: _strict_game(Case(5, 2, 3, 6)), id="integer-5t-2r-3types"),
    pytest.param(_full_ties_three_types, id="all-payoffs-equal"),
]


@pytest.mark.parametrize("build", CLOSE_GAMES)
def test_closing_rule_changes_the_search_not_the_answer(build) -> None:
    game = build()
    reference = milp_solve(game)
    assert reference.status == "optimal"
    for close_at in (1, 2, 16):
        solution = _solve(game, close_at=close_at)
        assert solution.status == "optimal"
        assert solution.defender_value == pytest.approx(reference.defender_value,
                                                        abs=TOLERANCE), close_at


def _close_at_one_stalls() -> SecurityGame:
    """Drawn by ``random_security_game`` (4 targets, 1 resource, 2 integer types); the optimum
    1.535198... (brute force) has type0 tied between targets, so no box around it ever narrows
    to one profile."""
    return _game_of(
        1,
        _kind("type0", 0.6530786687498871, [8, 0, 10, 2], [-2, 0, -10, -5], [-5, -8, -8, -8],
              [9, 7, 4, 3]),
        _kind("type1", 0.346921331250113, [6, 3, 3, 8], [-1, -10, -2, -9], [-10, -7, -8, -8],
              [10, 1, 6, 6]),
    )


def test_close_at_one_finishes_on_a_tie_at_the_optimum() -> None:
    game = _close_at_one_stalls()
    solution = _solve(game, close_at=1, time_limit=1.0)
    assert solution.status == "optimal"
    assert solution.defender_value == pytest.approx(brute_force_security(game), abs=TOLERANCE)


def test_close_at_two_solves_the_game_close_at_one_stalls_on() -> None:
    game = _close_at_one_stalls()
    solution = _solve(game, time_limit=5.0)
    assert solution.status == "optimal"
    assert solution.defender_value == pytest.approx(brute_force_security(game), abs=TOLERANCE)


def _nearly_flat_target_two_types() -> SecurityGame:
    """type0 loses only 1e-6 when t3 is covered (U_a^c = 4.999999 < U_a^u = 5): brute force
    (and hbgs) 1.0641766 with type0 attacking t0 under coverage ~(1/6, 0, 1.7e-7, 5/6)."""
    return _game_of(
        1,
        _kind("type0", 0.9330565774046355, [10, 8, 2, 1], [0, -6, -1, -2], [-5, 0, 0, 4.999999],
              [7, 4, 5, 5]),
        _kind("type1", 0.06694342259536441, [6, 5, 4, 6], [-10, -4, -6, -6], [-7, -9, -5, 0],
              [9, 3, 5, 5]),
    )


def _nearly_flat_target_one_type() -> SecurityGame:
    """Covering t0 costs the attacker only 1e-6 (8.999999 < 9): brute force 5.9999995."""
    return _game_of(1, _kind("x", 1.0, [6, 2], [-1, -9], [8.999999, -6], [9, 9]))


def test_nearly_flat_target_two_types_matches_brute_force() -> None:
    game = _nearly_flat_target_two_types()
    solution = _solve(game)
    # the LP optimum's coverage does not realise its profile within the evaluator's tolerance:
    # levels says so and hands the game to hbgs
    assert solution.method == "hbgs" and "levels" in solution.params["handed_over"]
    assert solution.defender_value == pytest.approx(brute_force_security(game), abs=TOLERANCE)


def _gap_1e3_three_types() -> SecurityGame:
    """Three types, targets where covering costs an attacker 1e-3 or 1e-4: brute force
    0.48831511 (milp agrees)."""
    return _game_of(
        1,
        _kind("type0", 0.37726121846315847, [2, 6, 3, 0], [-7, -9, 0, -8], [-9, 5.999, -2, -4],
              [2, 6, 8, 6]),
        _kind("type1", 0.13035672886246816, [0, 7, 6, 2], [-7, -7, -2, -9], [-1, 5.9999, 0, -4],
              [3, 6, 10, 1]),
        _kind("type2", 0.49238205267437335, [7, 0, 6, 4], [-2, -1, -3, -5], [5.999, -4, -2, -7],
              [6, 9, 9, 0]),
    )


@pytest.mark.parametrize("build", [
    pytest.param(_nearly_flat_target_one_type, id="one-type-gap-1e-6"),
    pytest.param(_gap_1e3_three_types, id="three-types-gap-1e-3"),
])
def test_nearly_flat_target_does_not_overspend(build) -> None:
    game = build()
    solution = _solve(game)
    assert solution.status == "optimal"
    assert solution.defender_value == pytest.approx(brute_force_security(game), abs=TOLERANCE)
    assert_claims_hold(game, solution)


def test_nearly_flat_one_type_reference_values_agree() -> None:
    """The reference for the pinned one-type game: brute force and ORIGAMI agree."""
    game = _nearly_flat_target_one_type()
    assert origami_solve(game).defender_value == pytest.approx(brute_force_security(game),
                                                               abs=TOLERANCE)


# ---------------------------------------------------------------------------------------
# Rejections


def test_rejects_schedules() -> None:
    game = kiekintveld_game(4, 1, 2, seed=0, schedules=((0, 1), (2, 3)))
    with pytest.raises(InputError, match="levels") as raised:
        levels_solve(game, progress=False)
    assert raised.value.field == "method"
    assert "schedules" in str(raised.value)


@pytest.mark.parametrize("covered", [pytest.param(3.0, id="equal"),
                                     pytest.param(4.0, id="covered-above")])
def test_rejects_attacker_not_hurt_by_coverage(covered: float) -> None:
    game = SecurityGame(
        targets=("gate", "vault", "lobby"), resources=1,
        attacker_types=(
            _kind("x", 0.5, [1, 1, 1], [-1, -1, -1], [-1, -1, -1], [2, 2, 2]),
            _kind("y", 0.5, [1, 1, 1], [-1, -1, -1], [-1, covered, -1], [2, 3, 2]),
        ),
    )
    with pytest.raises(InputError) as raised:
        check_levels_game(game)
    assert raised.value.field == "method"
    assert "'vault'" in str(raised.value)
    assert "attacker_types[1]" in str(raised.value)
    with pytest.raises(InputError, match="vault"):
        levels_solve(game, progress=False)


def test_cli_rejects_unfit_game_in_one_line(tmp_path, capsys) -> None:
    game = {"kind": "security", "resources": 1, "targets": ["gate", "vault"],
            "attacker_types": [
                {"name": "x", "prior": 1.0,
                 "defender": {"covered": [1, 1], "uncovered": [-1, -1]},
                 "attacker": {"covered": [-1, 2], "uncovered": [2, 2]}}]}
    path = tmp_path / "flat.json"
    path.write_text(json.dumps(game))
    with pytest.raises(SystemExit) as stopped:
        main(["solve", str(path), "--method", "levels"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "levels" in err and "unknown method" not in err
    assert "covered < uncovered" in err


def test_cli_solves_with_levels(tmp_path, capsys) -> None:
    path = tmp_path / "bayes.json"
    path.write_text(json.dumps(TWO_TYPES_JSON))
    with pytest.raises(SystemExit) as stopped:
        main(["solve", str(path), "--method", "levels", "--json"])
    assert stopped.value.code in (0, None)
    out = json.loads(capsys.readouterr().out)
    assert out["method"] == "levels"
    assert out["status"] == "optimal"
    assert out["defender_value"] == pytest.approx(milp_solve(_loaded(path)).defender_value,
                                                  abs=TOLERANCE)


def _loaded(path) -> SecurityGame:
    from escolta.games.loader import load

    return load(path)


def test_auto_uses_levels_for_a_few_types_and_hbgs_beyond() -> None:
    few = kiekintveld_game(6, 2, 3, seed=0)
    assert choose_method(few) == "levels"
    solution = solve(few)
    assert solution.method == "levels"
    assert solution.defender_value == pytest.approx(milp_solve(few).defender_value,
                                                    abs=TOLERANCE)
    assert choose_method(kiekintveld_game(6, 2, LEVELS_MAX_TYPES, seed=0)) == "levels"
    assert choose_method(kiekintveld_game(6, 2, LEVELS_MAX_TYPES + 1, seed=0)) == "hbgs"
    flat = _strict_game(Case(4, 1, 2, 3))
    broken = _kind("flat", 0.0, [1] * 4, [-1] * 4, [0] * 4, [0] * 4)
    assert choose_method(SecurityGame(targets=flat.targets, resources=1,
                                      attacker_types=(*flat.attacker_types, broken))) == "hbgs"


# ---------------------------------------------------------------------------------------
# Found in review: searches that did not end


def test_defender_indifferent_to_coverage_does_not_split_forever() -> None:
    """Covering changes no defender payoff (covered == uncovered for every type), so no type's
    bound varies across a box; the search once halved one type's levels down to a point and
    then pushed copies of the box forever. Reference: brute force (0.97699)."""
    game = _game_of(
        2,
        _kind("type0", 0.0230, [0, 0, -3, -1], [0, 0, -3, -1], [2, -1, 0, 2], [3, 0, 3, 3]),
        _kind("type1", 0.4528, [-2, 2, 1, 0], [-2, 2, 1, 0], [-3, -2, -1, 0], [0, 0, 2, 1]),
        _kind("type2", 0.5242, [1, -2, -2, 3], [1, -2, -2, 3], [-2, 0, 0, -3], [1, 3, 1, 0]),
    )
    solution = _solve(game, time_limit=20.0)
    assert solution.status == "optimal"
    assert solution.defender_value == pytest.approx(brute_force_security(game), abs=TOLERANCE)
    assert_claims_hold(game, solution)


def test_many_tied_profiles_are_handed_to_hbgs() -> None:
    """Ten identical targets, four guards, five identical types: every target ties for every
    type, so a narrow box keeps 10^5 response profiles. levels hands the game to hbgs instead of
    solving them one by one. By symmetry the defender covers each target 0.4 and gets
    5 * 0.4 - 5 * 0.6 = -1 (hbgs agrees)."""
    n, types = 10, 5
    game = SecurityGame(
        targets=tuple(f"x{i}" for i in range(n)), resources=4,
        attacker_types=tuple(_kind(f"k{j}", 1 / types, [5.0] * n, [-5.0] * n, [-3.0] * n,
                                   [4.0] * n) for j in range(types)),
    )
    solution = _solve(game, time_limit=20.0)
    assert solution.status == "optimal"
    assert solution.defender_value == pytest.approx(-1.0, abs=TOLERANCE)
    assert solution.method == "hbgs" and "profiles tie" in solution.params["handed_over"]


def _stalled_split_games() -> list:
    """Games where some defender payoffs do not move with coverage (covered == uncovered), so a
    type's bound never varies across its levels: the search once split the other types for
    ever around an optimum that needs an LP (found by fuzzing, brute force as reference)."""
    repro_2 = _game_of(
        1,
        _kind("t0", 0.4413728731242577, [0, -1, 0, 2, -1, -3], [0, -1, 0, 2, -3, -3],
              [-1, 2, -1, -3, -1, 2], [2, 3, 2, 0, 0, 3]),
        _kind("t1", 0.4344095647572149, [-3, 2, -2, 1, -1, 2], [-3, 3, -2, 1, -2, 2],
              [-3, 2, 2, -3, 0, -5], [-1, 3, 3, -1, 2, -3]),
        _kind("t2", 0.1242175621185274, [-3, -3, 2, -1, 1, -2], [-3, -1, -1, -1, 1, 1],
              [-4, -4, -4, -5, -3, -6], [-1, -2, -2, -2, -2, -3]),
    )
    every_target_coverable = _game_of(
        3,
        _kind("t0", 0.16224230688727917, [-2, -3, 0], [-2, 2, -1], [-3, -2, -6], [0, -1, -3]),
        _kind("t1", 0.01868608009570666, [2, 1, 2], [-3, -2, 3], [-3, 1, -3], [0, 2, -2]),
        _kind("t2", 0.7539472192073245, [-2, -2, -1], [-2, 3, -1], [-1, -3, -6], [0, -1, -3]),
        _kind("t3", 0.06512439380968968, [-1, -2, 1], [3, 2, 3], [0, -6, -6], [3, -3, -3]),
    )
    flat_type = _game_of(
        2,
        _kind("t0", 0.3159268095443955, [2, 3, -3, -1, -1, 1], [0, 0, -3, -3, 2, 1],
              [-3, -3, -6, 1, 1, -1], [0, -1, -3, 2, 2, 0]),
        _kind("t1", 0.3053434681408507, [-1, -3, -3, 3, 0, 3], [-1, -3, -3, 3, 0, 3],
              [-3, -4, 0, -3, -6, -1], [0, -3, 3, 0, -3, 2]),
        _kind("t2", 0.37872972231475394, [-1, 0, 3, -3, 1, -2], [0, 2, -3, -3, -3, 0],
              [-2, 0, -2, 1, 1, -5], [1, 2, 1, 2, 3, -3]),
    )
    two_flat_types = _game_of(
        2,
        _kind("t0", 0.21329372088510712, [-1, 3], [-3, -3], [-5, -1], [-2, 1]),
        _kind("t1", 0.3786902219047648, [-1, 2], [-1, 2], [0, 0], [3, 3]),
        _kind("t2", 0.08377283486278186, [-1, 0], [-1, 0], [-5, -4], [-2, -2]),
        _kind("t3", 0.3242432223473462, [-2, -1], [0, -1], [0, 1], [2, 3]),
    )
    return [pytest.param(repro_2, id="6t-3types"),
            pytest.param(two_flat_types, id="2t-2r-two-flat-types"),
            pytest.param(every_target_coverable, id="3t-3r-4types"),
            pytest.param(flat_type, id="6t-2r-flat-type")]


@pytest.mark.parametrize("game", _stalled_split_games())
def test_types_whose_bound_never_varies_do_not_stall_the_search(game: SecurityGame) -> None:
    solution = _solve(game, time_limit=20.0)
    assert solution.status == "optimal"
    assert solution.defender_value == pytest.approx(brute_force_security(game), abs=TOLERANCE)
    assert_claims_hold(game, solution)
