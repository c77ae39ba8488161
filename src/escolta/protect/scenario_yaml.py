"""The YAML loader of scenario files: safe, strict about keys, bounded in size.

:class:`ScenarioLoader` is PyYAML's ``SafeLoader`` (no object tags) with four guards, all
applied while the text is parsed, before pydantic sees a value:

- a key given twice in one mapping is refused (PyYAML would keep the last one silently,
  hiding e.g. a second ``rules:`` block);
- nesting deeper than :data:`~escolta.untrusted.MAX_NESTING` is refused as the parser
  enters it (PyYAML's composer would otherwise recurse until ``RecursionError``);
- aliases may repeat a node, but the document *as expanded* may hold at most
  :data:`MAX_EXPANDED_NODES` nodes: an alias bomb ("billion laughs", nine lists of nine
  aliases of the previous one) is refused while composing, before anything walks it;
- an integer literal longer than :data:`~escolta.untrusted.MAX_INTEGER_DIGITS` is refused.
"""

from __future__ import annotations

from typing import Any

import yaml

from escolta.untrusted import MAX_INTEGER_DIGITS, MAX_NESTING

MAX_EXPANDED_NODES = 100_000
"""The most nodes a scenario may hold once its aliases are expanded (capital20, the largest
example, holds about 400)."""


class ScenarioLoader(yaml.SafeLoader):
    """A safe YAML loader with the guards of this module's docstring."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._depth = 0
        self._expanded: dict[int, int] = {}  # id(node) -> nodes under it, aliases expanded

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_NESTING:
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(
                    None, None, f"nesting deeper than the limit of {MAX_NESTING}", mark)
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if node is not None:
            self._count(node)
        return node

    def _count(self, node: yaml.Node) -> None:
        """Record the expanded size of ``node``; its children are already counted (a
        composed child, or an alias of an earlier node, is always counted before its parent)."""
        key = id(node)
        if key in self._expanded:
            size = self._expanded[key]  # an alias: counted again where it is used
        else:
            size = 1
            if isinstance(node, yaml.SequenceNode):
                size += sum(self._expanded.get(id(child), 1) for child in node.value)
            elif isinstance(node, yaml.MappingNode):
                size += sum(self._expanded.get(id(k), 1) + self._expanded.get(id(v), 1)
                            for k, v in node.value)
            self._expanded[key] = size
        if size > MAX_EXPANDED_NODES:
            raise yaml.composer.ComposerError(
                None, None,
                f"more than {MAX_EXPANDED_NODES:,} values once aliases are expanded "
                "(an alias bomb?)", node.start_mark)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in seen
            except TypeError:  # an unhashable key: let PyYAML report it
                continue
            if duplicate:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        digits = sum(ch.isdigit() for ch in str(node.value))
        if digits > MAX_INTEGER_DIGITS:
            raise yaml.constructor.ConstructorError(
                None, None,
                f"an integer of {digits} digits, more than the limit of {MAX_INTEGER_DIGITS}",
                node.start_mark)
        return super().construct_yaml_int(node)


ScenarioLoader.add_constructor("tag:yaml.org,2002:int", ScenarioLoader.construct_yaml_int)
