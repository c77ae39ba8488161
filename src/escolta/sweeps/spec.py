"""The sweep file (YAML): a scenario and the axes along which to vary it.

```yaml
scenario: capital.yaml          # relative to this file
axes:
  teams: [3, 4, 5, 6]           # keep the first k teams (extra teams past the scenario's own)
  closed_sites: [[], [lakeside-villa], [lakeside-villa, family-farm]]
  announce_hours: [0, 2, 24]    # appearances notice (needs an appearances section)
  per_month: [5, 15, 30]        # phone budget (needs a phones section)
  weights: {street-lookouts: [1, 3, 6]}   # an adversary's weight
```

Every combination of the axes' values (their Cartesian product) is one variant. Limits,
checked before any solving: at most :data:`MAX_VALUES` values on one axis and
:data:`MAX_VARIANTS` variants in all.

Examples
--------
>>> spec = parse_spec({"scenario": "s.yaml", "axes": {"teams": [1, 2], "per_month": [5]}},
...                   origin="sweep.yaml")
>>> spec.variant_count, [a.name for a in spec.axes]
(2, ['teams', 'per_month'])
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from escolta.errors import InputError

MAX_VALUES = 200
MAX_VARIANTS = 10_000
#: The axes a sweep may vary (docs/sweeps.md).
AXES = ("teams", "closed_sites", "announce_hours", "per_month", "weights")


@dataclass(frozen=True)
class Axis:
    """One axis: its name (``weights:NAME`` for an adversary's weight) and its values."""

    name: str
    values: tuple[Any, ...]


@dataclass(frozen=True)
class SweepSpec:
    """A validated sweep: the scenario file and the axes."""

    scenario: Path
    axes: tuple[Axis, ...]

    @property
    def variant_count(self) -> int:
        return math.prod(len(a.values) for a in self.axes)

    def settings(self) -> Iterator[dict[str, Any]]:
        """Each variant's setting of every axis, in the order of the product."""
        names = [a.name for a in self.axes]
        for values in itertools.product(*(a.values for a in self.axes)):
            yield dict(zip(names, values, strict=True))


def _number(value: Any, field: str, *, integer: bool, low: float, high: float) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(field, value, "must be a number")
    if integer and not isinstance(value, int):
        raise InputError(field, value, "must be a whole number")
    if not (math.isfinite(value) and low <= value <= high):
        raise InputError(field, value, f"must lie in [{low:g}, {high:g}]")
    return value


def _values(raw: Any, field: str) -> list[Any]:
    if not isinstance(raw, list) or not raw:
        raise InputError(field, raw, "must be a non-empty list of values")
    if len(raw) > MAX_VALUES:
        raise InputError(field, f"{len(raw)} values", f"at most {MAX_VALUES} values per axis")
    return raw


def _axis(name: str, raw: Any) -> list[Axis]:
    field = f"axes.{name}"
    if name == "teams":
        return [Axis(name, tuple(_number(v, f"{field}[{i}]", integer=True, low=0, high=64)
                                 for i, v in enumerate(_values(raw, field))))]
    if name == "announce_hours":
        return [Axis(name, tuple(_number(v, f"{field}[{i}]", integer=False, low=0, high=10_000)
                                 for i, v in enumerate(_values(raw, field))))]
    if name == "per_month":
        return [Axis(name, tuple(_number(v, f"{field}[{i}]", integer=True, low=1, high=10_000)
                                 for i, v in enumerate(_values(raw, field))))]
    if name == "closed_sites":
        closed = []
        for i, value in enumerate(_values(raw, field)):
            if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
                raise InputError(f"{field}[{i}]", value, "must be a list of site names")
            closed.append(tuple(value))
        return [Axis(name, tuple(closed))]
    if name == "weights":
        if not isinstance(raw, Mapping) or not raw:
            raise InputError(field, raw, "must map adversary names to lists of weights")
        return [Axis(f"weights:{adversary}", tuple(
            _number(v, f"{field}.{adversary}[{i}]", integer=False, low=0, high=1e9)
            for i, v in enumerate(_values(values, f"{field}.{adversary}"))))
            for adversary, values in raw.items()]
    raise InputError(field, name, f"unknown axis (axes: {', '.join(AXES)})")


def parse_spec(data: Any, origin: str | Path) -> SweepSpec:
    """Validate a sweep given as a mapping; ``scenario`` is relative to ``origin``'s folder."""
    if not isinstance(data, Mapping):
        raise InputError("sweep", type(data).__name__, "must be a mapping of fields")
    unknown = set(data) - {"scenario", "axes"}
    if unknown:
        raise InputError(sorted(unknown)[0], data[sorted(unknown)[0]], "unknown field")
    scenario = data.get("scenario")
    if not isinstance(scenario, str) or not scenario:
        raise InputError("scenario", scenario, "must name the scenario file")
    axes_raw = data.get("axes")
    if not isinstance(axes_raw, Mapping) or not axes_raw:
        raise InputError("axes", axes_raw, "must map at least one axis to its values")
    axes = [axis for name, raw in axes_raw.items() for axis in _axis(str(name), raw)]
    spec = SweepSpec(Path(origin).parent / scenario, tuple(axes))
    if spec.variant_count > MAX_VARIANTS:
        raise InputError("axes", f"{spec.variant_count:,} variants",
                         f"a sweep may hold at most {MAX_VARIANTS:,} variants")
    return spec


def load_spec(path: str | Path) -> SweepSpec:
    """Read and validate a sweep file (YAML, parsed with the scenario's safe loader)."""
    from escolta.protect.scenario import read_scenario_text, yaml_data

    text = read_scenario_text(path)
    return parse_spec(yaml_data(text, origin=str(path)), origin=path)
