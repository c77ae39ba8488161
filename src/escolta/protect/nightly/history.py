"""The history variables ``J(y, f)``, priced implicitly over classes × features.

``J(y, f)`` is the law of (yesterday's class y, tonight's feature f) in the reduced LP
(:mod:`.master`, docs/nightly.md §2). Its column is a formula of ``(y, f)``: +1 in the row
of class y, +1 in the row of feature f, and ``−loss_θ(f)`` in the best-response row
``(θ, σ_θ(y), site(f))`` of every weighted lead-1 adversary θ (plus, for the route game's
cuts, ``−π_k(site(y), site(f))`` in cut row k: :mod:`.roads_hook`). So nothing needs to
hold all ``|Y|·|F|`` of them (12 million at 100 sites × 30 teams with a lead-1 insider,
whose classes are site × post): :class:`HistoryIndex` keeps the formula's parts as arrays,
scans every ``(y, f)`` for its reduced cost in compiled code (:func:`_scan`: the least
reduced cost over all of them, for the Lagrangian bound, and the best feature of each class
and the best class of each feature, the entering candidates), and builds the columns of
only those that enter (docs/nightly.md §3c).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numba
import numpy as np
import scipy.sparse as sp

from escolta.protect.nightly.reduce import Feature, ReducedGame


@numba.njit(cache=True)
def _scan(duals, class_rows, feature_rows, class_site, feature_site, no_repeat, signals,
          losses, lead_rows, pair_rows, pair_coef, best_f, best_f_value, best_y,
          best_y_value):  # pragma: no cover
    """Reduced cost ``rc(y, f) = −π_y − π_f + Σ_θ loss_θ(f) π_(θ, σ_θ(y), s(f))
    + Σ_k coef_k(s(y), s(f)) π_k`` of every allowed ``J(y, f)``; writes the best feature
    of each class and the best class of each feature; returns the least ``rc``."""
    n_classes = class_rows.shape[0]
    n_features = feature_rows.shape[0]
    n_lead = signals.shape[0]
    n_pairs = pair_rows.shape[0]
    n_sites = lead_rows.shape[2] if n_lead > 0 else pair_coef.shape[2]
    for f in range(n_features):
        best_y[f] = -1
        best_y_value[f] = np.inf
    pf = np.empty(n_features)
    for f in range(n_features):
        pf[f] = duals[feature_rows[f]]
    w = np.zeros((max(n_lead, 1), max(n_sites, 1)))
    least = np.inf
    for y in range(n_classes):
        for t in range(n_lead):
            for a in range(n_sites):
                w[t, a] = duals[lead_rows[t, signals[t, y], a]]
        cs = class_site[y]
        base = -duals[class_rows[y]]
        best_f[y] = -1
        best_f_value[y] = np.inf
        for f in range(n_features):
            fs = feature_site[f]
            if no_repeat and cs == fs:
                continue
            value = base - pf[f]
            for t in range(n_lead):
                value += losses[t, f] * w[t, fs]
            for k in range(n_pairs):
                value += pair_coef[k, cs, fs] * duals[pair_rows[k]]
            if value < best_f_value[y]:
                best_f_value[y] = value
                best_f[y] = f
            if value < best_y_value[f]:
                best_y_value[f] = value
                best_y[f] = y
        if best_f_value[y] < least:
            least = best_f_value[y]
    return least


@dataclass(frozen=True)
class HistoryPricing:
    """One scan: the least reduced cost of any J, and the J (flat ids ``y·|F| + f``) with
    negative reduced cost that are the best of their class or of their feature, most
    negative first."""

    least: float
    entering: np.ndarray
    #: the least reduced cost of a J leaving each class (``inf`` for none allowed)
    class_least: np.ndarray
    #: the least reduced cost of a J entering each feature (``inf`` for none allowed)
    feature_least: np.ndarray


class HistoryIndex:
    """Every allowed ``J(y, f)`` as a formula over (class, feature); see the module doc.

    Parameters
    ----------
    game
        The reduced game.
    classes, features
        The master's classes and features, in row order.
    rows
        The master's row index by key (class, feature and lead-1 best-response rows).
    """

    def __init__(self, game: ReducedGame, classes: Sequence[Hashable],
                 features: Sequence[Feature], rows: dict[Hashable, int]) -> None:
        self.game = game
        self.classes = tuple(classes)
        self.features = tuple(features)
        S = game.n_sites
        self.class_rows = np.array([rows[("class", y)] for y in self.classes], dtype=np.int64)
        self.feature_rows = np.array([rows[("feature", f)] for f in self.features],
                                     dtype=np.int64)
        # a class's site is its last part under no_repeat (the route game's cuts need it)
        self.class_site = np.array([int(y[-1]) if game.no_repeat else -1  # type: ignore[index]
                                    for y in self.classes], dtype=np.int64)
        self.feature_site = np.array([int(f[0]) for f in self.features], dtype=np.int64)
        lead = [(i, a) for i, a in enumerate(game.adversaries)
                if a.role == "lead1" and a.weight > 0.0]
        n_signals = 1
        signal_ids: list[dict[Hashable, int]] = []
        for _, adversary in lead:
            position = game.lead1.index(adversary)
            ids = {s: n for n, s in enumerate(dict.fromkeys(
                y[position] for y in self.classes))}  # type: ignore[index]
            signal_ids.append(ids)
            n_signals = max(n_signals, len(ids))
        self.signals = np.zeros((len(lead), len(self.classes)), dtype=np.int64)
        self.losses = np.zeros((len(lead), len(self.features)))
        self.lead_rows = np.zeros((len(lead), n_signals, S), dtype=np.int64)
        for t, (i, adversary) in enumerate(lead):
            position = game.lead1.index(adversary)
            ids = signal_ids[t]
            self.signals[t] = [ids[y[position]] for y in self.classes]  # type: ignore[index]
            self.losses[t] = [game.feature_loss(adversary, f) for f in self.features]
            for sigma, n in ids.items():
                self.lead_rows[t, n] = [rows[("lead1", i, sigma, a)] for a in range(S)]
        # rows whose J coefficient depends on (site of y, site of f) only: the route game's
        # cuts (:meth:`add_pair_term`); each with its place among the pricing duals and its
        # row in the model
        self.pair_rows = np.zeros(0, dtype=np.int64)
        self.pair_model_rows = np.zeros(0, dtype=np.int64)
        self.pair_coef = np.zeros((0, S, S))
        self.feature_index = {f: n for n, f in enumerate(self.features)}
        self.class_index = {y: n for n, y in enumerate(self.classes)}

    def add_pair_term(self, dual_position: int, model_row: int,
                      coefficient: np.ndarray) -> None:
        """A row in which J(y, f) has the entry −coefficient[site of y, site of f] (0 where
        the two sites are one): ``dual_position`` is its place in the duals :meth:`price` is
        given, ``model_row`` its row in the master's model."""
        S = self.game.n_sites
        coefficient = np.asarray(coefficient, dtype=float).reshape(1, S, S)
        self.pair_rows = np.append(self.pair_rows, np.int64(dual_position))
        self.pair_model_rows = np.append(self.pair_model_rows, np.int64(model_row))
        self.pair_coef = np.concatenate([self.pair_coef, coefficient])

    def pair_entries(self, ids: Sequence[int], term: int) -> list[tuple[int, float]]:
        """(position in ``ids``, entry) of the J columns ``ids`` in pair term ``term``."""
        n_f = len(self.features)
        out = []
        for c, j in enumerate(ids):
            y, f = divmod(int(j), n_f)
            cs, fs = int(self.class_site[y]), int(self.feature_site[f])
            value = float(self.pair_coef[term, cs, fs]) if cs >= 0 else 0.0
            if value != 0.0:
                out.append((c, -value))
        return out

    @property
    def size(self) -> int:
        """Classes × features (an upper bound on the allowed J)."""
        return len(self.classes) * len(self.features)

    def allowed(self, y: int, f: int) -> bool:
        return not (self.game.no_repeat and self.class_site[y] == self.feature_site[f])

    def key(self, j: int) -> tuple[Hashable, Feature]:
        y, f = divmod(int(j), len(self.features))
        return self.classes[y], self.features[f]

    def every(self) -> list[int]:
        """Every allowed J, as flat ids."""
        n_f = len(self.features)
        return [y * n_f + f for y in range(len(self.classes)) for f in range(n_f)
                if self.allowed(y, f)]

    def between(self, classes: Sequence[Hashable], features: Sequence[Feature]) -> list[int]:
        """The allowed J between the given classes and features, as flat ids."""
        n_f = len(self.features)
        if not self.classes:  # no history in this game
            return []
        ys = [self.class_index[y] for y in dict.fromkeys(classes)]
        fs = [self.feature_index[f] for f in dict.fromkeys(features)]
        return [y * n_f + f for y in ys for f in fs if self.allowed(y, f)]

    def columns(self, ids: Sequence[int], n_rows: int) -> sp.csc_matrix:
        """The model columns of the given J (flat ids), ``n_rows`` tall."""
        n_f = len(self.features)
        rows_, cols_, vals_ = [], [], []
        for c, j in enumerate(ids):
            y, f = divmod(int(j), n_f)
            fs = int(self.feature_site[f])
            rows_ += [int(self.class_rows[y]), int(self.feature_rows[f])]
            vals_ += [1.0, 1.0]
            cols_ += [c, c]
            for t in range(self.signals.shape[0]):
                loss = float(self.losses[t, f])
                if loss > 0.0:
                    rows_.append(int(self.lead_rows[t, self.signals[t, y], fs]))
                    vals_.append(-loss)
                    cols_.append(c)
            cs = int(self.class_site[y])
            for k in range(len(self.pair_rows)):
                value = float(self.pair_coef[k, cs, fs]) if cs >= 0 else 0.0
                if value != 0.0:
                    rows_.append(int(self.pair_model_rows[k]))
                    vals_.append(-value)
                    cols_.append(c)
        return sp.csc_matrix((vals_, (rows_, cols_)), shape=(n_rows, len(ids)))

    def price(self, duals: np.ndarray, tolerance: float, most: int) -> HistoryPricing:
        """Scan every allowed J at ``duals`` (the static rows', then the pair terms' at their
        ``dual_position``): the least reduced cost, and at
        most ``most`` entering J (reduced cost below ``−tolerance``), most negative first."""
        n_y, n_f = len(self.classes), len(self.features)
        if n_y == 0 or n_f == 0:
            return HistoryPricing(np.inf, np.zeros(0, dtype=np.int64), np.full(n_y, np.inf),
                                  np.full(n_f, np.inf))
        best_f = np.empty(n_y, dtype=np.int64)
        best_f_value = np.empty(n_y)
        best_y = np.empty(n_f, dtype=np.int64)
        best_y_value = np.empty(n_f)
        least = _scan(np.ascontiguousarray(duals, dtype=float), self.class_rows,
                      self.feature_rows, self.class_site, self.feature_site,
                      self.game.no_repeat, self.signals, self.losses, self.lead_rows,
                      self.pair_rows, self.pair_coef, best_f, best_f_value, best_y,
                      best_y_value)
        by_class = np.flatnonzero(best_f_value < -tolerance)
        by_feature = np.flatnonzero(best_y_value < -tolerance)
        ids = np.concatenate([by_class * n_f + best_f[by_class],
                              best_y[by_feature] * n_f + by_feature])
        values = np.concatenate([best_f_value[by_class], best_y_value[by_feature]])
        ids, first = np.unique(ids, return_index=True)
        values = values[first]
        order = np.argsort(values, kind="stable")[:most]
        return HistoryPricing(float(least), ids[order], best_f_value, best_y_value)
