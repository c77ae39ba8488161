"""The classic Stackelberg games of docs/design.md §2, as immutable values.

Arrays are float64 and read-only; build games with :func:`escolta.games.load` (which
validates) rather than by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


def _frozen(values: object) -> np.ndarray:
    array = np.array(values, dtype=float)
    array.setflags(write=False)
    return array


@dataclass(frozen=True)
class AttackerType:
    """One attacker type of a security game: its prior and its four payoff vectors."""

    name: str
    prior: float
    defender_covered: np.ndarray
    defender_uncovered: np.ndarray
    attacker_covered: np.ndarray
    attacker_uncovered: np.ndarray

    def __post_init__(self) -> None:
        for name in ("defender_covered", "defender_uncovered", "attacker_covered",
                     "attacker_uncovered"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))

    def defender_utility(self, coverage: np.ndarray) -> np.ndarray:
        """U_d(t, c) for every target t."""
        return coverage * self.defender_covered + (1.0 - coverage) * self.defender_uncovered

    def attacker_utility(self, coverage: np.ndarray) -> np.ndarray:
        """U_a(t, c) for every target t."""
        return coverage * self.attacker_covered + (1.0 - coverage) * self.attacker_uncovered


@dataclass(frozen=True)
class ResourceType:
    """A kind of defender resource in a game with schedules: how many there are and which
    schedules (indices into ``SecurityGame.schedules``) one of them can run (ERASER-C,
    Kiekintveld et al. 2009)."""

    name: str
    count: int
    schedules: tuple[int, ...]


@dataclass(frozen=True)
class AttackerModel:
    """A boundedly rational attacker (docs/design.md §2 extension, issue 3).

    ``kind`` is ``"quantal"`` (quantal response with rationality ``lam``: attack probability
    proportional to ``exp(lam * U_a(t, c))``, McKelvey & Palfrey 1995; Yang et al. 2012) or
    ``"suqr"`` (subjective utility quantal response, Nguyen et al. AAAI 2013: proportional to
    ``exp(w1 * c_t + w2 * R_t + w3 * P_t)`` with R/P the attacker's uncovered/covered
    payoffs).
    """

    kind: str
    lam: float = 1.0
    weights: tuple[float, float, float] = (0.0, 0.0, 0.0)


@dataclass(frozen=True)
class SecurityGame:
    """A compact security game (docs/design.md §2).

    ``schedules`` is ``None`` when each resource covers any single target; otherwise each
    resource is assigned one schedule, a tuple of target indices. ``resource_types``
    (optional, with schedules) splits the ``resources`` into kinds that may run only some
    schedules. ``attacker_model`` (optional) replaces the perfectly rational attacker by a
    quantal-response one (solved by ``pasaq``).
    """

    targets: tuple[str, ...]
    resources: int
    attacker_types: tuple[AttackerType, ...]
    schedules: tuple[tuple[int, ...], ...] | None = None
    resource_types: tuple[ResourceType, ...] | None = None
    attacker_model: AttackerModel | None = None

    kind = "security"

    @property
    def n_targets(self) -> int:
        return len(self.targets)

    @property
    def priors(self) -> np.ndarray:
        return np.array([t.prior for t in self.attacker_types])

    def stacked(self, name: str) -> np.ndarray:
        """One payoff vector per type as a (types, targets) array, e.g. ``"attacker_covered"``."""
        return np.stack([getattr(t, name) for t in self.attacker_types])

    @property
    def is_zero_sum(self) -> bool:
        """Whether every attacker type's payoffs are exactly the negatives of the defender's."""
        return all(
            np.array_equal(t.defender_covered, -t.attacker_covered)
            and np.array_equal(t.defender_uncovered, -t.attacker_uncovered)
            for t in self.attacker_types
        )


@dataclass(frozen=True)
class FollowerType:
    """One follower type of a normal-form game: prior, leader and follower payoff matrices
    (rows are the leader's pure strategies, columns the follower's)."""

    name: str
    prior: float
    leader: np.ndarray
    follower: np.ndarray

    def __post_init__(self) -> None:
        object.__setattr__(self, "leader", _frozen(self.leader))
        object.__setattr__(self, "follower", _frozen(self.follower))


@dataclass(frozen=True)
class NormalFormGame:
    """A (Bayesian) normal-form Stackelberg game (docs/design.md §2)."""

    followers: tuple[FollowerType, ...]

    kind = "normal_form"

    @property
    def n_leader_actions(self) -> int:
        return self.followers[0].leader.shape[0]

    @property
    def priors(self) -> np.ndarray:
        return np.array([f.prior for f in self.followers])

    @property
    def is_zero_sum(self) -> bool:
        """Whether every follower type's payoffs are exactly the negatives of the leader's
        (then each type's responses all give the leader the same payoff, and the SSE value is
        the maximin value with one level per type)."""
        return all(np.array_equal(f.leader, -f.follower) for f in self.followers)


Game = SecurityGame | NormalFormGame


@dataclass(frozen=True)
class Solution:
    """What a solver returns (docs/design.md §2, "Solution").

    Exactly one of ``coverage`` (security games) and ``leader_strategy`` (normal form) is
    set. ``responses`` maps each attacker/follower type's name to the target/action index it
    chooses. ``bound`` is the best proven bound on ``defender_value`` (equal to it when
    ``status == "optimal"``). ``mixed_strategy`` lists ``(probability, schedule indices per
    resource)`` when a game with schedules is solved as a mix of assignments.
    """

    defender_value: float
    responses: dict[str, int]
    method: str
    seconds: float
    status: str = "optimal"
    coverage: np.ndarray | None = None
    leader_strategy: np.ndarray | None = None
    bound: float | None = None
    mixed_strategy: tuple[tuple[float, tuple[int, ...]], ...] | None = None
    params: dict[str, object] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        """The exchange form printed by ``escolta solve --json``."""
        out: dict[str, object] = {"defender_value": float(self.defender_value)}
        if self.coverage is not None:
            out["coverage"] = [float(c) for c in self.coverage]
        if self.leader_strategy is not None:
            out["leader_strategy"] = [float(x) for x in self.leader_strategy]
        out["responses"] = {name: int(idx) for name, idx in self.responses.items()}
        out["method"] = self.method
        out["seconds"] = float(self.seconds)
        out["status"] = self.status
        if self.bound is not None:
            out["bound"] = float(self.bound)
        if self.mixed_strategy is not None:
            out["mixed_strategy"] = [
                {"p": float(p), "schedules": [int(s) for s in assignment]}
                for p, assignment in self.mixed_strategy
            ]
        if self.params:
            out["params"] = dict(self.params)
        return out
