"""Every size that drives the planner's time or memory has a stated ceiling, checked while
the scenario is read and refused in one line naming the field, the value and the limit
(issue 17; docs/scenario.md "Limits").

The inputs are the ones that hung or ended in a traceback in the issue. Each limit is also
checked at its edge: the ceiling itself is accepted, one more is refused.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from escolta.errors import InputError
from escolta.protect import limits
from escolta.protect.scenario import load_scenario, parse_scenario, parse_scenario_text
from escolta.protect.scenario_yaml import MAX_EXPANDED_NODES
from escolta.untrusted import MAX_INTEGER_DIGITS, MAX_NESTING, MAX_SCENARIO_BYTES

BASE: dict[str, Any] = {
    "principal": "P",
    "sites": [{"name": "palace", "rooms": 3, "success": [0.6, 0.3, 0.1]},
              {"name": "villa", "rooms": 1, "success": [0.9, 0.5, 0.25]}],
    "teams": [{"name": "inner", "chain": "guard"}, {"name": "outer", "chain": "army"}],
    "adversaries": [{"name": "lookout", "weight": 3, "sees": "posture"},
                    {"name": "mole", "weight": 1, "sees": {"team": "outer"}}],
}
PHONES = {"leak_per_day": 0.1, "per_month": 3}
SLOT = {"venue": "v", "day": "mon", "start": "10:00", "success": 0.5}


def _with(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data.update(changes)
    return data


def _sites(n: int) -> list[dict[str, Any]]:
    return [{"name": f"s{i}", "success": [0.5]} for i in range(n)]


def _slots(n: int) -> list[dict[str, Any]]:
    return [{**SLOT, "start": f"{i // 60 % 24:02d}:{i % 60:02d}",
             "day": ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[i // 1440 % 7]}
            for i in range(n)]


REFUSED = [
    pytest.param(_with(sites=[{"name": "a", "rooms": 10**6, "success": [0.5]}]),
                 "sites[0].rooms", "100", id="rooms-1e6"),
    pytest.param(_with(sites=[{"name": "a", "rooms": 10**18, "success": [0.5]}]),
                 "sites[0].rooms", "100", id="rooms-1e18"),
    pytest.param(_with(sites=_sites(1_000)), "sites", "50", id="sites-1000"),
    pytest.param(_with(sites=_sites(100_000)), "sites", "50", id="sites-100000"),
    pytest.param(_with(adversaries=[{"name": f"a{i}", "weight": 1} for i in range(10_000)]),
                 "adversaries", "32", id="adversaries-10000"),
    pytest.param(_with(principal="x" * 10**6), "principal", "100", id="name-1e6"),
    pytest.param(_with(phones={**PHONES, "max_days": 10**9}), "phones.max_days", "366",
                 id="phone-days-1e9"),
    pytest.param(_with(appearances={"per_week": 20, "slots": _slots(200)}),
                 "appearances.per_week", "14", id="per-week-20"),
    pytest.param(_with(appearances={"per_week": 2, "slots": _slots(600)}),
                 "appearances.slots", "500", id="slots-600"),
    pytest.param(_with(sites=_sites(1_000), adversaries=[{"name": "x", "weight": 1}]),
                 "sites", "250", id="sites-1000"),
]


@pytest.mark.parametrize(("data", "field", "limit"), REFUSED)
def test_a_size_past_its_limit_is_refused_in_one_line(data: dict[str, Any], field: str,
                                                       limit: str) -> None:
    with pytest.raises(InputError) as error:
        parse_scenario(data)
    assert error.value.field == field
    assert limit in error.value.reason
    assert "\n" not in str(error.value) and len(str(error.value)) < 300


EDGES = [
    pytest.param(lambda n: _with(sites=[{"name": "a", "rooms": n, "success": [0.5]}]),
                 limits.MAX_ROOMS, id="rooms"),
    pytest.param(lambda n: _with(principal="p" * n), limits.MAX_NAME_LENGTH, id="name"),
    pytest.param(lambda n: _with(sites=_sites(n), teams=[], adversaries=[
        {"name": "x", "weight": 1}]), limits.MAX_SITES, id="sites"),
    pytest.param(lambda n: _with(adversaries=[{"name": f"a{i}", "weight": 1}
                                              for i in range(n)]),
                 limits.MAX_ADVERSARIES, id="adversaries"),
    pytest.param(lambda n: _with(phones={**PHONES, "max_days": n}), limits.MAX_PHONE_DAYS,
                 id="phone-days"),
    pytest.param(lambda n: _with(appearances={"per_week": 2, "slots": _slots(n)}),
                 limits.MAX_SLOTS, id="slots"),
]


@pytest.mark.parametrize(("build", "limit"), EDGES)
def test_the_limit_itself_is_accepted_and_one_more_refused(build: Any, limit: int) -> None:
    parse_scenario(build(limit))
    with pytest.raises(InputError):
        parse_scenario(build(limit + 1))


def test_a_national_service_is_within_the_scenario_limits() -> None:
    # 200 sites and 50 teams (the national-scale benchmark) are a scenario; whether the nightly
    # solver can hold them is its own check (tests/protect/test_knapsack.py)
    assert limits.MAX_SITES >= 200 and limits.MAX_TEAMS >= 50
    load_scenario(Path(__file__).parents[2] / "examples" / "capital20.yaml")


def _alias_bomb(levels: int) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{k}: &a{k} [" + ", ".join([f"*a{k - 1}"] * 9) + "]"
              for k in range(1, levels + 1)]
    return "\n".join(lines) + f"\nprincipal: *a{levels}\n"


YAML_REFUSED = [
    pytest.param(_alias_bomb(9), "alias bomb", id="billion-laughs"),
    pytest.param("principal: " + "[" * 1_000 + "]" * 1_000, f"limit of {MAX_NESTING}",
                 id="nesting-1000"),
    pytest.param("principal: " + "[" * (MAX_NESTING + 1) + "]" * (MAX_NESTING + 1),
                 f"limit of {MAX_NESTING}", id="nesting-edge"),
    pytest.param("principal: P\nsites: " + "9" * 4_301, f"limit of {MAX_INTEGER_DIGITS}",
                 id="integer-4301-digits"),
    pytest.param("principal: " + "x" * (MAX_SCENARIO_BYTES + 1), "limit of 1,048,576",
                 id="text-size"),
]


@pytest.mark.parametrize(("text", "reason"), YAML_REFUSED)
def test_hostile_yaml_is_refused_while_parsing(text: str, reason: str) -> None:
    with pytest.raises(InputError) as error:
        parse_scenario_text(text)
    assert reason in str(error.value)
    assert "\n" not in str(error.value)


def test_aliases_that_stay_small_are_still_allowed() -> None:
    # the bomb's count of expanded nodes, worked out by hand: 9**4 lols + the lists over them
    text = _alias_bomb(3).replace("principal: *a3", "principal: P\nextra_ignored: *a3")
    nodes = 9**4 + 9**3 + 9**2 + 9 + 1
    assert nodes < MAX_EXPANDED_NODES
    with pytest.raises(InputError) as error:
        parse_scenario_text(text)
    assert error.value.field != "scenario"  # parsed fine; refused later by pydantic, on a key


def test_a_file_past_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with open(path, "wb") as handle:
        handle.truncate(MAX_SCENARIO_BYTES + 1)  # sparse: nothing to read
    with pytest.raises(InputError, match="more than the limit"):
        load_scenario(path)


def test_every_limit_is_in_the_docs_table() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "scenario.md").read_text(encoding="utf-8")
    section = docs[docs.index("## Limits"):]
    for name in dir(limits):
        if name.startswith("MAX_"):
            assert f"`{name}`" in section, name


def test_every_appearance_benchmark_week_is_within_the_limits() -> None:
    # make bench stopped at its first benchmark when MAX_SLOTS (100) was set below the weeks
    # it measures (up to 200 slots): every size it builds must be a valid week
    import importlib.util

    path = Path(__file__).parents[2] / "benchmarks" / "bench_appearances.py"
    spec = importlib.util.spec_from_file_location("bench_appearances", path)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    for n, per_week, gap, mix in bench.SIZES:
        week = bench.random_week(n, per_week, gap, n * 10 + per_week, mix)
        assert len(week.slots) == n
