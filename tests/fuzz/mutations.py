"""Hypothesis strategies that damage a document (a scenario or a game) the way a careless or
hostile user would: keys deleted or added, values of the wrong type, extreme numbers,
unicode and markup, deep nesting, huge sizes; and text-level damage (alias bombs, huge
integer literals, truncation, garbage bytes, object tags).
"""

from __future__ import annotations

import copy
import json
from typing import Any

import yaml
from hypothesis import strategies as st

MARKUP_AND_UNICODE = ["[/bold]", "[link=file:///etc/passwd]x[/link]", "[red]", "\u202egnp.",
                      "名前", "\x00", "\t", "'; DROP TABLE scenarios; --", "%s%n", "..", "",
                      " ", "\ud7ff", "e\u0301", "🙂"]

EXTREME_NUMBERS = [0, -1, 1, 2, 3, 7, 31, 100, 101, 366, 367, 2**31, 2**63, 10**6, 10**9,
                   10**18, 10**100, 10**400, -(10**18), 0.5, -0.5, 1e-320, 1e308, 1.5e308,
                   float("inf"), float("-inf"), float("nan")]


def _deep(depth: int) -> Any:
    value: Any = 0
    for _ in range(depth):
        value = [value]
    return value


weird_values = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from(EXTREME_NUMBERS),
    st.integers(),
    st.floats(),
    st.sampled_from(MARKUP_AND_UNICODE),
    st.text(max_size=20),
    st.integers(min_value=101, max_value=200_000).map(lambda n: "x" * n),  # long names
    st.sampled_from([10, 40, 200]).map(_deep),  # nesting, below and past the limit
    st.lists(st.integers(-5, 5), max_size=5),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


def _parent(document: Any, path: tuple[Any, ...]) -> Any:
    node = document
    for step in path[:-1]:
        node = node[step]
    return node


@st.composite
def mutated_document(draw: st.DrawFn, document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with one to three structural mutations."""
    result = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(result)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _parent(result, path)
        key = path[-1]
        action = draw(st.sampled_from(["delete", "replace", "replace", "add_key", "grow",
                                       "duplicate"]))
        if action == "delete":
            del parent[key]
        elif action == "replace":
            parent[key] = draw(weird_values)
        elif action == "add_key" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "name", "rooms", "π", "[/bold]"]))] = \
                draw(weird_values)
        elif action == "grow" and isinstance(parent[key], list) and parent[key]:
            # a huge list: copies of its first item (dumped with YAML aliases)
            parent[key] = parent[key] + [parent[key][0]] * draw(
                st.sampled_from([1, 60, 1_000, 100_000]))
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
    return result


def _alias_bomb(levels: int = 9) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, levels + 1):
        items = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{items}]")
    lines.append(f"principal: *a{levels}")
    return "\n".join(lines) + "\n"


@st.composite
def damaged_text(draw: st.DrawFn, text: str) -> str:
    """``text`` damaged at the character level."""
    action = draw(st.sampled_from(["truncate", "garbage", "bomb", "deep", "bigint", "tag",
                                   "bom", "tabs", "huge"]))
    if action == "truncate":
        return text[: draw(st.integers(0, len(text)))]
    if action == "garbage":
        at = draw(st.integers(0, len(text)))
        return text[:at] + draw(st.text(min_size=1, max_size=30)) + text[at:]
    if action == "bomb":
        return _alias_bomb(draw(st.integers(3, 9))) + text
    if action == "deep":
        depth = draw(st.sampled_from([31, 33, 1_000, 100_000]))
        return "principal: " + "[" * depth + "]" * depth + "\n" + text
    if action == "bigint":
        digits = draw(st.sampled_from([20, 101, 4_301, 50_000]))
        return text.replace("1", "9" * digits, 1)
    if action == "tag":
        return "!!python/object/apply:os.system ['true']\n" + text
    if action == "bom":
        return "\ufeff" + text
    if action == "tabs":
        return text.replace("  ", "\t")
    return text + "\n# " + "x" * (2 << 20)  # past the file-size limit


def scenario_text(document: dict[str, Any]) -> str:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def game_text(document: dict[str, Any]) -> str:
    return json.dumps(document, allow_nan=True)
