"""CP-SAT rosters against brute force, the HiGHS MILP and the independent checker."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from roster_cases import START, brute_force, nights, person, random_problem, team

from escolta.detail.check import check_roster, exposure
from escolta.detail.milp import milp_exposure
from escolta.detail.problem import Assignment, RosterProblem
from escolta.detail.roster import Roster, solve_roster
from escolta.errors import InputError
from escolta.protect.detail import RosterRules

FAST = {"time_limit": 20.0, "num_workers": 4, "random_seed": 1}


def solve_checked(problem: RosterProblem, **options) -> Roster:
    """Solve and run the independent checker on the roster (every test goes through here)."""
    roster = solve_roster(problem, **{**FAST, **options})
    assert check_roster(problem, roster.assignments) == []
    assert exposure(problem, roster.assignments) == pytest.approx(roster.objective, abs=1e-9)
    assert roster.bound <= roster.objective + 1e-9
    return roster


ALL_RULES = RosterRules(max_nights_in_a_row=2, min_nights_off_per_7=2,
                        max_with_principal_per_14=2, max_together_per_28=1)


@dataclasses.dataclass(frozen=True)
class Tiny:
    problem: RosterProblem
    why: str


TINY = [
    pytest.param(Tiny(random_problem(1, 4, 1, 3), "no rules"), id="4p-1t-3n"),
    pytest.param(Tiny(random_problem(2, 5, 1, 3, rules=ALL_RULES), "all rules"), id="5p-all"),
    pytest.param(Tiny(random_problem(3, 4, 2, 2, rules=ALL_RULES), "two teams"), id="4p-2t"),
    pytest.param(Tiny(random_problem(4, 6, 1, 3, rules=RosterRules(
        max_with_principal_per_14=1, max_nights_in_a_row=1)), "tight"), id="6p-tight"),
]


STAGED = [pytest.param(True, id="staged"), pytest.param(False, id="full")]


@pytest.mark.parametrize("staged", STAGED)
@pytest.mark.parametrize("case", TINY)
def test_cp_sat_matches_brute_force_on_tiny_rosters(case: Tiny, staged: bool) -> None:
    expected = brute_force(case.problem)
    if expected is None:
        with pytest.raises(InputError):
            solve_roster(case.problem, **FAST, staged=staged)
        return
    roster = solve_checked(case.problem, staged=staged)
    assert roster.status == "optimal"
    assert roster.objective == pytest.approx(expected, abs=1e-9)
    assert roster.bound == pytest.approx(expected, abs=1e-9)


SMALL = [
    pytest.param(random_problem(11, 10, 2, 7, crew=3, rules=RosterRules(
        max_nights_in_a_row=3, min_nights_off_per_7=2, max_with_principal_per_14=4,
        max_together_per_28=3)), id="10p-2t-7n"),
    pytest.param(random_problem(13, 14, 3, 5, crew=3, rules=RosterRules(
        max_nights_in_a_row=3, max_together_per_28=3)), id="14p-3t-5n"),
    pytest.param(random_problem(14, 9, 2, 6, rules=RosterRules(
        max_nights_in_a_row=2, max_with_principal_per_14=3, max_together_per_28=2)),
        id="9p-2t-6n"),
]


@pytest.mark.parametrize("staged", STAGED)
@pytest.mark.parametrize("problem", SMALL)
def test_cp_sat_matches_the_highs_milp_on_small_rosters(problem: RosterProblem,
                                                        staged: bool) -> None:
    expected = milp_exposure(problem, time_limit=60)
    assert expected is not None
    roster = solve_checked(problem, staged=staged)
    assert roster.status == "optimal"
    assert roster.objective == pytest.approx(expected, abs=1e-9)


def test_the_least_trusted_stay_away_from_the_principal() -> None:
    # one post with the principal, one away, two nights: the 0.5-trust person must be away
    problem = RosterProblem(
        nights([{"near": "home", "far": "away"}] * 2),
        (team("near", {"agent": 1}), team("far", {"agent": 1})),
        (person("sure"), person("doubt", trust=0.5)), RosterRules())
    roster = solve_checked(problem)
    assert {a.person for a in roster.assignments if a.team == "near"} == {"sure"}
    assert roster.objective == 0.0


def test_trust_is_exact_in_millionths() -> None:
    # 3 nights with the principal, one person of trust 0.999999: exposure 3e-6 exactly
    problem = RosterProblem(nights([{"t": "home"}] * 3), (team("t", {"agent": 1}),),
                            (person("only", trust=0.999999),), RosterRules())
    assert solve_checked(problem).objective == pytest.approx(3e-6, abs=1e-15)


def test_windows_continue_across_two_rosters() -> None:
    rules = RosterRules(max_nights_in_a_row=2, max_with_principal_per_14=3)
    staff = (person("a"), person("b", trust=0.5), person("c", trust=0.9))
    crews = (team("t", {"agent": 1}),)
    first = RosterProblem(nights([{"t": "home"}] * 3), crews, staff, rules)
    one = solve_checked(first)
    history = one.assignments
    second = RosterProblem(nights([{"t": "home"}] * 3, start=START + dt.timedelta(days=3)),
                           crews, staff, rules, history)
    two = solve_checked(second)
    # a stood twice with the principal and may stand once more in 14 nights: the checker
    # over both rosters together finds no broken window
    both = RosterProblem(first.nights + second.nights, crews, staff, rules)
    assert check_roster(both, history + two.assignments) == []
    # the seam matters: without the history, the second roster would be cheaper
    alone = solve_checked(dataclasses.replace(second, history=()))
    assert alone.objective < two.objective


def test_history_after_the_roster_also_counts() -> None:
    rules = RosterRules(max_nights_in_a_row=1)
    staff = (person("a"), person("b", trust=0.5))
    crews = (team("t", {"agent": 1}),)
    later = Assignment(START + dt.timedelta(days=1), "t", "agent", "agent", "a", True)
    problem = RosterProblem(nights([{"t": "home"}]), crews, staff, rules, (later,))
    roster = solve_checked(problem)
    assert [a.person for a in roster.assignments] == ["b"]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), people=st.integers(5, 9), days=st.integers(1, 6),
       in_a_row=st.integers(1, 4), principal=st.integers(1, 6), together=st.integers(1, 6))
def test_a_roster_never_breaks_a_rule(seed: int, people: int, days: int, in_a_row: int,
                                      principal: int, together: int) -> None:
    rules = RosterRules(max_nights_in_a_row=in_a_row, min_nights_off_per_7=1,
                        max_with_principal_per_14=principal, max_together_per_28=together)
    problem = random_problem(seed, people, 2, days, rules=rules)
    try:
        roster = solve_roster(problem, **{**FAST, "time_limit": 5.0, "balance": False})
    except InputError as error:  # infeasible: the message names a rule, never a bare word
        assert "cannot be met" in str(error) or "in time" in str(error)
        return
    assert check_roster(problem, roster.assignments) == []


def test_cp_sat_and_the_milp_agree_a_roster_is_impossible() -> None:
    problem = random_problem(12, 12, 3, 5, crew=3, rules=RosterRules(
        max_nights_in_a_row=2, max_together_per_28=2))
    assert milp_exposure(problem) is None
    with pytest.raises(InputError, match=r"^roster\.max_nights_in_a_row: cannot be met for "
                       r"teams? t\d(, t\d)*( \(posted with the principal\))? on 2026-12-0\d"):
        solve_roster(problem, **FAST)


INFEASIBLE = [
    pytest.param(
        RosterProblem(nights([{"t": "home"}] * 2), (team("t", {"lead": 1}),),
                      (person("a", roles=("lead",), days_off=(START,)),), RosterRules()),
        r"^teams\[t\]\.crew\.lead: cannot be met for team t on 2026-12-01: no one in staff "
        r"with the role lead is free", id="day-off-leaves-a-role-empty"),
    pytest.param(
        RosterProblem(nights([{"t": "home"}] * 3), (team("t", {"agent": 2}, {"b": 2}),),
                      (person("a", "a"), person("b1", "b"), person("b2", "b", days_off=(
                          START + dt.timedelta(days=2),))), RosterRules()),
        r"^teams\[t\]\.mix: cannot be met for team t on 2026-12-03", id="mix-on-a-day-off"),
    pytest.param(
        RosterProblem(nights([{"t": "home"}] * 3), (team("t", {"agent": 1}),),
                      (person("a"), person("b")), RosterRules(min_nights_off_per_7=6)),
        r"^roster\.min_nights_off_per_7: cannot be met for team t on 2026-12-0\d by ",
        id="nights-off"),
    pytest.param(
        RosterProblem(nights([{"t": "home"}] * 2), (team("t", {"agent": 1}),),
                      (person("a"),), RosterRules(max_with_principal_per_14=1)),
        r"^roster\.max_with_principal_per_14: cannot be met for team t on 2026-12-0\d by a ",
        id="with-principal"),
    pytest.param(
        RosterProblem(nights([{"t": "home"}] * 2), (team("t", {"agent": 2}),),
                      (person("a"), person("b"), person("c")), RosterRules(
                          max_together_per_28=0)),
        r"^roster\.max_together_per_28: cannot be met for team t on 2026-12-0\d by ",
        id="together"),
]


@pytest.mark.parametrize(("problem", "message"), INFEASIBLE)
def test_an_impossible_rule_is_named_with_its_date_and_team(problem: RosterProblem,
                                                             message: str) -> None:
    with pytest.raises(InputError, match=message) as error:
        solve_roster(problem, **FAST)
    assert "\n" not in str(error.value)
    assert brute_force(problem) is None  # and it is impossible indeed


def test_without_a_core_in_time_the_rule_and_night_come_by_deletion() -> None:
    # three nights, one post with the principal, two people who may each stand there once in
    # 14: the third night is the first by which max_with_principal_per_14 cannot hold
    from escolta.detail.explain import explain_by_deletion

    problem = RosterProblem(nights([{"t": "home"}] * 3), (team("t", {"agent": 1}),),
                            (person("a"), person("b")),
                            RosterRules(max_with_principal_per_14=1, max_nights_in_a_row=3))
    assert brute_force(problem) is None
    error = explain_by_deletion(problem, 10.0, grouped=False, principal_only=False)
    assert str(error) == ("roster.max_with_principal_per_14: cannot be met for teams t (posted "
                          "with the principal) on 2026-12-03, with the staff and the other "
                          "rules (got 1)")
