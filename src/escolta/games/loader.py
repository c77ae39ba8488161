"""Read and validate the game exchange format of docs/design.md §2.

:func:`load` accepts a path to a JSON file, JSON text, or the same structure as a Python
dict (where any list may also be a NumPy array) and returns a :class:`SecurityGame` or a
:class:`NormalFormGame`. Every mistake raises :class:`escolta.errors.InputError` naming the
dotted field (``attacker_types[1].defender.covered[2]``) and the offending value.
"""

from __future__ import annotations

import json
import math
import numbers
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from escolta.errors import InputError
from escolta.games.model import (
    AttackerModel,
    AttackerType,
    FollowerType,
    Game,
    NormalFormGame,
    ResourceType,
    SecurityGame,
)
from escolta.untrusted import (
    MAX_GAME_BYTES,
    check_integer_literal,
    check_text_size,
    read_bounded_text,
)

PRIOR_TOLERANCE = 1e-9
"""How far the priors may sum away from 1."""

KINDS = ("security", "normal_form")
_METADATA = ("name", "description", "source")
_SECURITY_FIELDS = ("kind", "resources", "targets", "schedules", "attacker_types",
                    "resource_types", "attacker_model", *_METADATA)
ATTACKER_MODELS = ("quantal", "suqr")
_NORMAL_FORM_FIELDS = ("kind", "followers", *_METADATA)


def load(source: str | Path | Mapping[str, object]) -> Game:
    """Load and validate a game.

    Parameters
    ----------
    source
        A path (``str`` or :class:`~pathlib.Path`) to a JSON file, a string of JSON text
        (starting with ``{``), or the decoded dict itself. Lists may be NumPy arrays.

    Returns
    -------
    SecurityGame or NormalFormGame
        Immutable, float64 payoffs.

    Raises
    ------
    InputError
        The file is missing or not JSON, or any field is invalid; the message names the
        dotted field and the value.

    Examples
    --------
    >>> game = load({"kind": "normal_form", "followers": [{"name": "f", "prior": 1.0,
    ...     "leader": [[2, 4], [1, 3]], "follower": [[1, 0], [0, 1]]}]})
    >>> game.kind, game.followers[0].leader.shape
    ('normal_form', (2, 2))
    >>> load({"kind": "security", "resources": 0, "targets": ["a"], "attacker_types": []})
    Traceback (most recent call last):
    ...
    escolta.errors.InputError: resources: must be an integer of at least 1 (got 0)
    """
    document = _read(source)
    if not isinstance(document, Mapping):
        raise InputError("(document)", _kind_name(document), "must be a JSON object")
    kind = document.get("kind")
    if kind == "security":
        return _security(document)
    if kind == "normal_form":
        return _normal_form(document)
    if "kind" not in document:
        raise InputError("kind", None, f"is required, one of {', '.join(KINDS)}")
    raise InputError("kind", kind, f"unknown game kind, expected one of {', '.join(KINDS)}")


def _read(source: object) -> object:
    if isinstance(source, Mapping):
        return source
    if isinstance(source, str) and source.lstrip().startswith("{"):
        check_text_size(source, "json", MAX_GAME_BYTES)
        return _parse(source, "(json)")
    if isinstance(source, str | Path):
        path = Path(source)
        return _parse(read_bounded_text(path, "file", MAX_GAME_BYTES), str(path))
    return source  # not a mapping: load() names it as the document


def _parse(text: str, where: str) -> object:
    field = "file" if where != "(json)" else "json"
    try:
        return json.loads(text, parse_constant=_reject_constant, parse_int=_bounded_int)
    except RecursionError:
        raise InputError(field, where, "nests lists or objects too deeply") from None
    except json.JSONDecodeError as error:
        raise InputError(
            "file" if where != "(json)" else "json",
            where,
            f"malformed JSON at line {error.lineno} column {error.colno}: {error.msg}",
        ) from None


def _bounded_int(digits: str) -> int:
    check_integer_literal(digits, "number")  # int() refuses past 4,300 digits, with a traceback
    return int(digits)


def _reject_constant(name: str) -> float:
    # JSON has no NaN/Infinity; Python's json accepts them, we keep them so the payoff check
    # can name the field.
    return float(name.replace("Infinity", "inf"))


def _kind_name(value: object) -> str:
    return type(value).__name__


def _check_fields(document: Mapping[str, object], allowed: Sequence[str], prefix: str) -> None:
    for key in document:
        if key not in allowed:
            where = f"{prefix}.{key}" if prefix else str(key)
            raise InputError(where, document[key], f"unknown field, expected {', '.join(allowed)}")


def _require(document: Mapping[str, object], key: str, prefix: str = "") -> object:
    where = f"{prefix}.{key}" if prefix else key
    if key not in document:
        raise InputError(where, None, "is required")
    return document[key]


def _is_sequence(value: object) -> bool:
    return isinstance(value, Sequence | np.ndarray) and not isinstance(value, str | bytes)


def _integer(value: object, field: str, reason: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InputError(field, value, reason)
    try:
        number = float(value)
    except OverflowError:  # an integer beyond the float range
        raise InputError(field, value, reason + ", within the float range") from None
    if not math.isfinite(number) or number != int(value) or int(value) < minimum:
        raise InputError(field, value, reason)
    return int(value)


def _probability(value: object, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InputError(field, value, "must be a number")
    try:
        prior = float(value)
    except OverflowError:
        prior = math.inf
    if not math.isfinite(prior) or prior < 0.0:
        raise InputError(field, value, "must be a finite number of at least 0")
    return prior


def _check_priors(priors: list[float], field: str) -> None:
    total = math.fsum(priors)
    if abs(total - 1.0) > PRIOR_TOLERANCE:
        raise InputError(field, total, "priors must sum to 1")


def _name(value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(field, value, "must be a non-empty string")
    return value


def _unique_names(names: Sequence[str], field: str, suffix: str = "") -> None:
    seen: dict[str, int] = {}
    for index, name in enumerate(names):
        if name in seen:
            raise InputError(
                f"{field}[{index}]{suffix}", name, f"duplicate of {field}[{seen[name]}]{suffix}"
            )
        seen[name] = index


def _payoffs(value: object, field: str, shape: tuple[int, ...] | None, ndim: int) -> np.ndarray:
    """A finite float64 array of ``ndim`` dimensions (and ``shape`` if given)."""
    if not _is_sequence(value):
        raise InputError(field, value, f"must be a {_dims(ndim)} of numbers")
    if ndim == 2 and not isinstance(value, np.ndarray):
        if len(value) == 0:
            raise InputError(field, value, "must not be empty")
        widths = set()
        for row_index, row in enumerate(value):
            if not _is_sequence(row):
                raise InputError(f"{field}[{row_index}]", row, "must be a list of numbers")
            widths.add(len(row))
        if len(widths) > 1:
            lengths = [len(row) for row in value]
            bad = next(i for i, n in enumerate(lengths) if n != lengths[0])
            raise InputError(
                f"{field}[{bad}]", value[bad],
                f"ragged matrix: row has {lengths[bad]} entries, row 0 has {lengths[0]}",
            )
    for index, entry in _flat_entries(value):
        if isinstance(entry, bool) or not isinstance(entry, numbers.Real | np.number):
            raise InputError(f"{field}{index}", entry, "must be a number")
    try:
        array = np.asarray(value, dtype=float)
    except OverflowError:
        raise InputError(field, "an integer beyond the float range", "must be finite") from None
    except (TypeError, ValueError):
        raise InputError(field, value, f"must be a {_dims(ndim)} of numbers") from None
    if array.ndim != ndim:
        raise InputError(field, value, f"must be a {_dims(ndim)} of numbers (ragged?)")
    if array.size == 0:
        raise InputError(field, value, "must not be empty")
    bad = np.argwhere(~np.isfinite(array))
    if len(bad):
        position = tuple(int(i) for i in bad[0])
        index = "".join(f"[{i}]" for i in position)
        raise InputError(f"{field}{index}", float(array[position]), "must be finite")
    if shape is not None and array.shape != shape:
        if ndim == 1:
            raise InputError(
                field, f"{array.shape[0]} entries", f"needs one entry per target ({shape[0]})"
            )
        raise InputError(
            field, f"shape {array.shape}", f"must have the leader matrix's shape {shape}"
        )
    return array


def _flat_entries(value: object):
    """(index suffix, entry) for the entries of a list or list of lists (skips arrays)."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biuf":
            for position in np.ndindex(value.shape):
                entry = value[position]
                if isinstance(entry, np.generic):
                    entry = entry.item()
                yield "".join(f"[{i}]" for i in position), entry
        return
    for i, entry in enumerate(value):
        if _is_sequence(entry):
            for j, inner in enumerate(entry):
                yield f"[{i}][{j}]", inner
        else:
            yield f"[{i}]", entry


def _dims(ndim: int) -> str:
    return "list" if ndim == 1 else "list of lists (matrix)"


def _security(document: Mapping[str, object]) -> SecurityGame:
    _check_fields(document, _SECURITY_FIELDS, "")
    resources = _integer(
        _require(document, "resources"), "resources", "must be an integer of at least 1", 1
    )
    raw_types = _require(document, "attacker_types")
    if not _is_sequence(raw_types) or len(raw_types) == 0:
        raise InputError("attacker_types", raw_types, "must be a non-empty list of attacker types")

    raw_targets = document.get("targets")
    n_targets: int | None = None
    if raw_targets is not None:
        if not _is_sequence(raw_targets) or len(raw_targets) == 0:
            raise InputError("targets", raw_targets, "must be a non-empty list of names")
        targets = tuple(_name(t, f"targets[{i}]") for i, t in enumerate(raw_targets))
        _unique_names(targets, "targets")
        n_targets = len(targets)

    types: list[AttackerType] = []
    for index, raw in enumerate(raw_types):
        field = f"attacker_types[{index}]"
        attacker_type = _attacker_type(raw, field, n_targets, single=len(raw_types) == 1)
        n_targets = len(attacker_type.defender_covered)
        types.append(attacker_type)
    _unique_names([t.name for t in types], "attacker_types", ".name")
    _check_priors([t.prior for t in types], "attacker_types[*].prior")
    if raw_targets is None:
        targets = tuple(f"t{i}" for i in range(n_targets or 0))

    schedules = None
    if document.get("schedules") is not None:
        schedules = _schedules(document["schedules"], len(targets))
    resource_types = None
    if document.get("resource_types") is not None:
        resource_types = _resource_types(document["resource_types"], schedules, resources)
    attacker_model = None
    if document.get("attacker_model") is not None:
        attacker_model = _attacker_model(document["attacker_model"])
    return SecurityGame(
        targets=targets, resources=resources, attacker_types=tuple(types), schedules=schedules,
        resource_types=resource_types, attacker_model=attacker_model,
    )


def _resource_types(
    raw: object, schedules: tuple[tuple[int, ...], ...] | None, resources: int
) -> tuple[ResourceType, ...]:
    """``[{"name", "count", "schedules": [schedule indices]}]``; counts sum to ``resources``."""
    if schedules is None:
        raise InputError("resource_types", raw, "needs schedules (the schedules each type runs)")
    if not _is_sequence(raw) or len(raw) == 0:
        raise InputError("resource_types", raw, "must be a non-empty list of resource types")
    kinds = []
    for i, item in enumerate(raw):
        field = f"resource_types[{i}]"
        if not isinstance(item, Mapping):
            raise InputError(field, item, "must be an object with name, count, schedules")
        _check_fields(item, ("name", "count", "schedules"), field)
        name = _name(item.get("name", f"resource{i}"), f"{field}.name")
        count = _integer(_require(item, "count", field), f"{field}.count",
                         "must be an integer of at least 1", 1)
        allowed = _require(item, "schedules", field)
        if not _is_sequence(allowed) or len(allowed) == 0:
            raise InputError(f"{field}.schedules", allowed, "must be a non-empty list of indices")
        members = []
        for j, index in enumerate(allowed):
            if isinstance(index, np.integer):
                index = int(index)
            if isinstance(index, bool) or not isinstance(index, int) or not (
                0 <= index < len(schedules)
            ):
                raise InputError(f"{field}.schedules[{j}]", index,
                                 f"must be a schedule index 0..{len(schedules) - 1}")
            members.append(index)
        kinds.append(ResourceType(name, count, tuple(sorted(set(members)))))
    _unique_names([k.name for k in kinds], "resource_types", ".name")
    total = sum(k.count for k in kinds)
    if total != resources:
        raise InputError("resource_types[*].count", total,
                         f"must sum to resources ({resources})")
    return tuple(kinds)


def _attacker_model(raw: object) -> AttackerModel:
    """``{"kind": "quantal", "lambda": λ}`` or ``{"kind": "suqr", "weights": [w1, w2, w3]}``."""
    if not isinstance(raw, Mapping):
        raise InputError("attacker_model", raw, "must be an object with a kind")
    kind = raw.get("kind")
    if kind not in ATTACKER_MODELS:
        raise InputError("attacker_model.kind", kind,
                         f"must be one of {', '.join(ATTACKER_MODELS)}")
    if kind == "quantal":
        _check_fields(raw, ("kind", "lambda"), "attacker_model")
        lam = _require(raw, "lambda", "attacker_model")
        if isinstance(lam, bool) or not isinstance(lam, numbers.Real) or not (
            math.isfinite(lam) and lam >= 0
        ):
            raise InputError("attacker_model.lambda", lam, "must be a finite number >= 0")
        return AttackerModel("quantal", lam=float(lam))
    _check_fields(raw, ("kind", "weights"), "attacker_model")
    weights = _require(raw, "weights", "attacker_model")
    if not _is_sequence(weights) or len(weights) != 3:
        raise InputError("attacker_model.weights", weights, "must be three numbers [w1, w2, w3]")
    for j, w in enumerate(weights):
        if isinstance(w, bool) or not isinstance(w, numbers.Real) or not math.isfinite(w):
            raise InputError(f"attacker_model.weights[{j}]", w, "must be a finite number")
    return AttackerModel("suqr", weights=(float(weights[0]), float(weights[1]),
                                          float(weights[2])))


def _attacker_type(raw: object, field: str, n_targets: int | None, single: bool) -> AttackerType:
    if not isinstance(raw, Mapping):
        raise InputError(field, raw, "must be an object with name, prior, defender, attacker")
    _check_fields(raw, ("name", "prior", "defender", "attacker"), field)
    name = _name(raw.get("name", field.replace("attacker_types", "type")), f"{field}.name")
    if "prior" not in raw and not single:
        raise InputError(f"{field}.prior", None, "is required when there are several types")
    prior = _probability(raw.get("prior", 1.0), f"{field}.prior")
    shape = None if n_targets is None else (n_targets,)
    vectors: dict[str, np.ndarray] = {}
    for side in ("defender", "attacker"):
        payoffs = _require(raw, side, field)
        if not isinstance(payoffs, Mapping):
            raise InputError(f"{field}.{side}", payoffs, "must be an object {covered, uncovered}")
        _check_fields(payoffs, ("covered", "uncovered"), f"{field}.{side}")
        for outcome in ("covered", "uncovered"):
            where = f"{field}.{side}.{outcome}"
            vector = _payoffs(_require(payoffs, outcome, f"{field}.{side}"), where, shape, 1)
            if shape is None:
                shape = vector.shape
            elif vector.shape != shape:
                raise InputError(
                    where, f"{vector.shape[0]} entries", f"needs one entry per target ({shape[0]})"
                )
            vectors[f"{side}_{outcome}"] = vector
    return AttackerType(name=name, prior=prior, **vectors)


def _schedules(raw: object, n_targets: int) -> tuple[tuple[int, ...], ...]:
    if not _is_sequence(raw) or len(raw) == 0:
        raise InputError("schedules", raw, "must be a non-empty list of lists of target indices")
    schedules = []
    for i, schedule in enumerate(raw):
        field = f"schedules[{i}]"
        if not _is_sequence(schedule) or len(schedule) == 0:
            raise InputError(field, schedule, "must be a non-empty list of target indices")
        members = []
        for j, target in enumerate(schedule):
            if isinstance(target, np.integer):
                target = int(target)
            if isinstance(target, bool) or not isinstance(target, int):
                raise InputError(f"{field}[{j}]", target, "must be a target index (integer)")
            if not 0 <= target < n_targets:
                raise InputError(
                    f"{field}[{j}]", target, f"no such target (indices are 0..{n_targets - 1})"
                )
            if target in members:
                raise InputError(f"{field}[{j}]", target, "target listed twice in one schedule")
            members.append(target)
        schedules.append(tuple(members))
    return tuple(schedules)


def _normal_form(document: Mapping[str, object]) -> NormalFormGame:
    _check_fields(document, _NORMAL_FORM_FIELDS, "")
    raw_followers = _require(document, "followers")
    if not _is_sequence(raw_followers) or len(raw_followers) == 0:
        raise InputError("followers", raw_followers, "must be a non-empty list of follower types")
    followers: list[FollowerType] = []
    n_leader: int | None = None
    for index, raw in enumerate(raw_followers):
        field = f"followers[{index}]"
        if not isinstance(raw, Mapping):
            raise InputError(field, raw, "must be an object with name, prior, leader, follower")
        _check_fields(raw, ("name", "prior", "leader", "follower"), field)
        name = _name(raw.get("name", f"follower{index}"), f"{field}.name")
        if "prior" not in raw and len(raw_followers) > 1:
            raise InputError(f"{field}.prior", None, "is required when there are several types")
        prior = _probability(raw.get("prior", 1.0), f"{field}.prior")
        leader = _payoffs(_require(raw, "leader", field), f"{field}.leader", None, 2)
        follower = _payoffs(_require(raw, "follower", field), f"{field}.follower", leader.shape, 2)
        if n_leader is not None and leader.shape[0] != n_leader:
            raise InputError(
                f"{field}.leader",
                f"{leader.shape[0]} rows",
                f"every type needs one row per leader strategy ({n_leader})",
            )
        if followers and leader.shape[1] != followers[0].leader.shape[1]:
            raise InputError(
                f"{field}.leader",
                f"{leader.shape[1]} columns",
                "every type needs one column per follower action "
                f"({followers[0].leader.shape[1]}, as followers[0])",
            )
        n_leader = leader.shape[0]
        followers.append(FollowerType(name=name, prior=prior, leader=leader, follower=follower))
    _unique_names([f.name for f in followers], "followers", ".name")
    _check_priors([f.prior for f in followers], "followers[*].prior")
    return NormalFormGame(followers=tuple(followers))
