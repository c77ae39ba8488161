"""The routine baseline, worked out by hand; which baselines a scenario allows."""

import pytest

from escolta.protect.scenario import load_scenario
from escolta.redteam.baselines import baseline_plans, routine_plan, weekly_rotation


def _scenario(n_sites, no_repeat=False, teams=1):
    return load_scenario({
        "principal": "P",
        "sites": [{"name": f"s{i}", "rooms": 2, "success": [0.5, 0.2]} for i in range(n_sites)],
        "teams": [{"name": f"t{i}", "chain": "guard"} for i in range(teams)],
        "rules": {"no_repeat": no_repeat},
        "adversaries": [{"name": "x", "weight": 1, "sees": "site", "lead": 1}]})


@pytest.mark.parametrize(("n_sites", "no_repeat", "days"), [
    pytest.param(3, False, [0, 1, 2, 0, 1, 2, 0], id="3-sites-week"),
    pytest.param(4, True, [0, 1, 2, 3, 0, 1, 2], id="4-sites-no-repeat-week-is-legal"),
    # 3 sites: Sunday (0) then Monday (0) would repeat, so a plain 3-day cycle
    pytest.param(3, True, [0, 1, 2], id="3-sites-no-repeat-cycle"),
    pytest.param(2, True, [0, 1], id="2-sites-no-repeat-cycle"),
])
def test_weekly_rotation(n_sites, no_repeat, days):
    assert weekly_rotation(_scenario(n_sites, no_repeat)) == days


def test_routine_is_a_deterministic_cycle_with_every_team_beside_the_principal():
    scenario = _scenario(3, teams=2)
    plan = routine_plan(scenario)
    assert [n.site for n in plan.nights] == ["s0", "s1", "s2", "s0", "s1", "s2", "s0"]
    assert all(set(n.posts.values()) == {n.site} and n.room == 1 for n in plan.nights)
    t = plan.transition_matrix()
    assert t.max(axis=1).tolist() == [1.0] * 7
    # The watcher sees yesterday's site. After s1 always s2 and after s2 always s0 (success
    # 0.2 with both teams, room 1 always): 2/7 * 0.2 each. After s0 (3/7 of days): s1 twice,
    # s0 once (Sunday -> Monday), so it attacks s1: 2/7 * 0.2. Total 6/7 * 0.2.
    assert plan.adversaries["x"] == pytest.approx(6 / 7 * 0.2)


@pytest.mark.parametrize(("no_repeat", "names"), [
    pytest.param(False, ["routine", "uniform", "fortress"], id="all"),
    pytest.param(True, ["routine", "uniform"], id="no-fortress-under-no-repeat"),
])
def test_baselines_allowed(no_repeat, names):
    assert list(baseline_plans(_scenario(3, no_repeat))) == names
