"""An independent evaluator of exported plans (docs/design.md §5).

It reads only the plan's JSON (``nights``, ``pairs``) and the scenario as a plain dict, and
recomputes each adversary's success and the risk straight from the text of design.md
sections 3 and 4. It deliberately imports nothing from ``escolta``: it is the second opinion
against which every exported plan in the tests is checked.

Semantics restated (docs/design.md §4):

- A night is (site, room, posts). An adversary attacks one (site, room) or nothing. Success is
  ``success_site[k_eff]`` when the principal is in that room that night, else 0; k_eff is the
  number of teams posted at the site, less one for a sabotaging insider whose team is there. A
  short ``success`` list repeats its last value.
- It knows the plan's odds and its signal: ``nothing``; ``posture`` (number of teams at each
  site); ``site``; ``room`` (site and room); ``{team: T}`` (where T stands and whether the
  principal is there); ``{chain: C}`` (the same for every team C reaches: C commands it, or
  its ``mix`` names C, or it has no ``mix``; with sabotage every team C holds -- commands,
  with a ``mix`` naming no other chain -- counts for nothing at the attacked site) -- about
  tonight (lead 0) or last night (lead 1).
- Given its signal it attacks the target with the largest probability of success; its success
  is the sum over signals of those largest values. Risk = Σ normalized weight · success.
- ``nights[i].p`` is the stationary law; ``pairs`` the law of (yesterday, tonight) by index.
- Roads (docs/design.md §12): the convoy drives a -> b when yesterday's site a differs from
  tonight's b, with probability q_ab from ``pairs``, along ``routes[..].routes[r].nodes``
  with P(route | trip) ``p``. An ``attacks: roads`` adversary holds one segment (two nodes,
  either direction); success on it = its ``success`` or the segment's own. ``sees: nothing``:
  max over segments of success · P(pass); ``sees: trip``: Σ_ab max over segments of
  success · P(trip ab and pass). A route's ``checkpoints`` (segments as node pairs) are
  guarded: on them the success is halved (``roads.checkpoints``).
"""

from __future__ import annotations

from typing import Any


def _success_at(site: dict[str, Any], k: int) -> float:
    values = site["success"]
    return float(values[max(0, min(k, len(values) - 1))])


def _what_it_sees(adversary: dict[str, Any], sites: list[str], night: dict[str, Any],
                  scenario: dict[str, Any]) -> Any:
    sees = adversary.get("sees", "nothing")
    if sees == "nothing":
        return "-"
    if sees == "posture":
        return tuple(sum(1 for post in night["posts"].values() if post == name)
                     for name in sites)
    if sees == "site":
        return night["site"]
    if sees == "room":
        return (night["site"], night["room"])
    if "chain" in sees:  # every team the chain reaches: (post, principal there?)
        return tuple((night["posts"][team], night["posts"][team] == night["site"])
                     for team in _reached(scenario, sees["chain"]))
    team_post = night["posts"][sees["team"]]
    return (team_post, team_post == night["site"])


def _reached(scenario: dict[str, Any], chain: str) -> list[str]:
    """Teams whose crew may hold a member of ``chain``: it commands them, or their ``mix``
    names it, or they have no ``mix`` (docs/design.md §9)."""
    return [team["name"] for team in scenario.get("teams", [])
            if team["chain"] == chain or team.get("mix") is None or chain in team["mix"]]


def _held(scenario: dict[str, Any], chain: str) -> list[str]:
    """Teams ``chain`` commands whose ``mix`` names no other chain."""
    return [team["name"] for team in scenario.get("teams", [])
            if team["chain"] == chain and all(c == chain for c in team.get("mix") or {})]


def _attack_pays(adversary: dict[str, Any], site: dict[str, Any],
                 night: dict[str, Any], scenario: dict[str, Any]) -> float:
    """Success of attacking the principal's own room on ``night``."""
    at_site = [team for team, post in night["posts"].items() if post == night["site"]]
    k = len(at_site)
    sees = adversary.get("sees", "nothing")
    if adversary.get("sabotage") and isinstance(sees, dict):
        if "chain" in sees:  # every held team there counts for nothing
            k -= sum(1 for team in _held(scenario, sees["chain"]) if team in at_site)
        elif sees["team"] in at_site:
            k -= 1
    return _success_at(site, k)


def listed_pairs(pairs: Any) -> list[dict[str, Any]]:
    """The pairs of a plan's JSON, written out from blocks when it has them (docs/design.md
    §5: each block's p spread evenly over the pairs between two runs of nights)."""
    if not isinstance(pairs, dict):
        return list(pairs)
    first, runs = 0, []
    for size in pairs["block_sizes"]:
        runs.append(range(first, first + size))
        first += size
    return [{"yesterday": a, "tonight": b,
             "p": q["p"] / (len(runs[q["yesterday"]]) * len(runs[q["tonight"]]))}
            for q in pairs["blocks"] for a in runs[q["yesterday"]] for b in runs[q["tonight"]]]


def evaluate(plan: dict[str, Any], scenario: dict[str, Any]) -> dict[str, Any]:
    """Recompute ``{"risk": r, "adversaries": {name: success}}`` from the plan's JSON."""
    sites = {site["name"]: site for site in scenario["sites"]}
    site_names = [site["name"] for site in scenario["sites"]]
    nights = plan["nights"]
    if "pairs" in plan and plan["pairs"] is not None:
        pairs = [(q["yesterday"], q["tonight"], q["p"]) for q in listed_pairs(plan["pairs"])]
    else:  # no history: yesterday and tonight independent
        pairs = [(i, j, a["p"] * b["p"]) for i, a in enumerate(nights)
                 for j, b in enumerate(nights)]
    total_weight = sum(a["weight"] for a in scenario["adversaries"])
    out: dict[str, float] = {}
    risk = 0.0
    trips = _trips(plan, nights, pairs)
    for adversary in scenario["adversaries"]:
        if adversary.get("attacks", "nights") == "roads":
            success = _road_success(adversary, trips)
            out[adversary["name"]] = success
            risk += adversary["weight"] / total_weight * success
            continue
        # value[signal][(site, room)] = P(signal, principal there) * success
        value: dict[Any, dict[tuple[str, int], float]] = {}
        if adversary.get("lead", 0) == 0:
            observations = [(night, night, night["p"]) for night in nights]
        else:
            observations = [(nights[i], nights[j], p) for i, j, p in pairs]
        for watched, tonight, p in observations:
            signal = _what_it_sees(adversary, site_names, watched, scenario)
            target = (tonight["site"], tonight["room"])
            gain = p * _attack_pays(adversary, sites[tonight["site"]], tonight, scenario)
            per_target = value.setdefault(signal, {})
            per_target[target] = per_target.get(target, 0.0) + gain
        success = sum(max([0.0, *per_target.values()]) for per_target in value.values())
        out[adversary["name"]] = success
        risk += adversary["weight"] / total_weight * success
    return {"risk": risk, "adversaries": out}


def _trips(plan: dict[str, Any], nights: list[dict[str, Any]], pairs: list[Any]
           ) -> list[tuple[str, str, float, list[dict[str, Any]]]]:
    """(a, b, q_ab from the pairs, routes) for every trip the export routes."""
    q: dict[tuple[str, str], float] = {}
    for i, j, p in pairs:
        a, b = nights[i]["site"], nights[j]["site"]
        if a != b:
            q[(a, b)] = q.get((a, b), 0.0) + p
    out = []
    for trip in plan.get("routes", []):
        assert abs(sum(r["p"] for r in trip["routes"]) - 1.0) < 1e-7, trip["from"]
        out.append((trip["from"], trip["to"], q.get((trip["from"], trip["to"]), 0.0),
                    trip["routes"]))
    return out


def _road_success(adversary: dict[str, Any], trips: list[Any]) -> float:
    own = {frozenset((e["from"], e["to"])): e["success"]
           for e in adversary.get("segments", [])}
    total: dict[frozenset[int], float] = {}
    informed = 0.0
    for _, _, q, routes in trips:
        load: dict[frozenset[int], float] = {}
        for route in routes:
            nodes = route["nodes"]
            guarded = {frozenset(pair) for pair in route.get("checkpoints", [])}
            for u, v in zip(nodes, nodes[1:], strict=False):
                key = frozenset((u, v))
                half = 0.5 if key in guarded else 1.0
                load[key] = load.get(key, 0.0) + q * route["p"] * half
        for key, p in load.items():
            total[key] = total.get(key, 0.0) + p
        informed += max([0.0, *(own.get(k, adversary["success"]) * p
                                for k, p in load.items())])
    if adversary.get("sees", "nothing") == "trip":
        return informed
    return max([0.0, *(own.get(k, adversary["success"]) * p for k, p in total.items())])


def check_export(plan: dict[str, Any], scenario: dict[str, Any], tol: float = 1e-7) -> None:
    """Assert the export is a well-formed stationary plan whose figures recompute.

    Checks: probabilities ≥ 0 summing to 1; rooms from 1 and within the site; every team
    posted at a known site, with at least ``min_teams_with_principal`` at the principal's site;
    pairs are present when history matters, have both marginals equal to ``nights`` and
    never repeat a site under ``no_repeat``; ``site_probability`` sums the nights; and
    ``risk`` and every adversary's success agree with :func:`evaluate`.
    """
    sites = {site["name"]: site for site in scenario["sites"]}
    teams = [team["name"] for team in scenario.get("teams", [])]
    rules = scenario.get("rules", {}) or {}
    min_teams = rules.get("min_teams_with_principal")
    if min_teams is None:
        min_teams = 1 if teams else 0
    nights = plan["nights"]
    assert all(night["p"] >= 0 for night in nights)
    assert abs(sum(night["p"] for night in nights) - 1.0) < tol
    for night in nights:
        assert night["site"] in sites
        assert 1 <= night["room"] <= sites[night["site"]].get("rooms", 1)
        assert sorted(night["posts"]) == sorted(teams)
        assert all(post in sites for post in night["posts"].values())
        assert sum(1 for post in night["posts"].values() if post == night["site"]) >= min_teams
    by_site = {name: 0.0 for name in sites}
    for night in nights:
        by_site[night["site"]] += night["p"]
    for name, p in by_site.items():
        assert abs(plan["site_probability"].get(name, 0.0) - p) < tol, name
    # History matters under no_repeat or with a lead-1 adversary who sees something (a blind
    # one sees the same yesterday as today, so a plan may omit pairs for it).
    history = rules.get("no_repeat", False) or any(
        (a.get("lead", 0) == 1 and a.get("sees", "nothing") != "nothing")
        or a.get("attacks") == "roads" for a in scenario["adversaries"])
    if history:
        assert "pairs" in plan, "history matters, so the export must give pairs"
    if plan.get("pairs") is not None:
        rows = [0.0] * len(nights)
        cols = [0.0] * len(nights)
        for q in listed_pairs(plan["pairs"]):
            assert q["p"] >= 0
            rows[q["yesterday"]] += q["p"]
            cols[q["tonight"]] += q["p"]
            if rules.get("no_repeat", False) and q["p"] > tol:
                assert nights[q["yesterday"]]["site"] != nights[q["tonight"]]["site"]
        for i, night in enumerate(nights):
            assert abs(rows[i] - night["p"]) < tol, ("yesterday marginal", i)
            assert abs(cols[i] - night["p"]) < tol, ("tonight marginal", i)
    recomputed = evaluate(plan, scenario)
    assert abs(recomputed["risk"] - plan["risk"]) < tol, (recomputed["risk"], plan["risk"])
    for name, success in recomputed["adversaries"].items():
        assert abs(plan["adversaries"][name] - success) < tol, (name, success)
