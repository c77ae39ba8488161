"""Frequency, Markov and Active LeZi predictors: hand-worked traces and a brute-force check."""

from collections import Counter, defaultdict

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from escolta.errors import InputError
from escolta.redteam.learners import learner_predictions
from escolta.redteam.lezi import active_lezi_predictions
from escolta.redteam.markov import markov_predictions


def brute_force_markov(sequence, alphabet, order):
    """The order-k learner written as a plain loop: the independent second method."""
    predictions = []
    for t in range(len(sequence)):
        guess = 0
        for k in range(0, order + 1):
            if t < k:
                break
            context = tuple(sequence[t - k: t])
            followers = Counter(sequence[i + k] for i in range(0, t - k)
                                if tuple(sequence[i: i + k]) == context)
            if followers:
                best = max(followers.values())
                guess = min(a for a, c in followers.items() if c == best)
        predictions.append(guess)
    return predictions


@pytest.mark.parametrize(("sequence", "alphabet", "order", "expected"), [
    # Most frequent so far, ties to the smaller symbol: [] -> 0; {1} -> 1; {1,1} -> 1; ...
    pytest.param([1, 1, 0, 0, 0], 2, 0, [0, 1, 1, 1, 0], id="frequency"),
    # Rotation 0,1,2: order 1 knows nothing until a symbol has been followed once; from
    # t = 4 on, 0 -> 1, 1 -> 2, 2 -> 0 have each been seen.
    pytest.param([0, 1, 2, 0, 1, 2, 0], 3, 1, [0, 0, 0, 0, 1, 2, 0], id="markov-1-rotation"),
    # 0,0,1,0,0,1: order 2 context (0,0) was followed by 1 at t = 2, so t = 5 predicts 1;
    # t = 3: context (0,1) unseen -> order 1: 1 -> ? unseen -> order 0: counts {0:2,1:1} -> 0;
    # t = 4: context (1,0) unseen -> order 1: 0 was followed by 0 once and by 1 once -> 0.
    pytest.param([0, 0, 1, 0, 0, 1], 2, 2, [0, 0, 0, 0, 0, 1], id="markov-2-backoff"),
])
def test_markov_by_hand(sequence, alphabet, order, expected):
    assert markov_predictions(np.array(sequence), alphabet, order).tolist() == expected


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 4).flatmap(lambda a: st.tuples(
    st.just(a), st.lists(st.integers(0, a - 1), max_size=40), st.integers(0, 3))))
def test_markov_matches_brute_force(case):
    alphabet, sequence, order = case
    vectorized = markov_predictions(np.array(sequence, dtype=np.int64), alphabet, order)
    assert vectorized.tolist() == brute_force_markov(sequence, alphabet, order)


def test_active_lezi_hand_trace():
    # Gopalratnam & Cook's algorithm on 0,1,2,0,1,2,0,1,2,0, traced by hand:
    # LZ78 phrases 0 | 1 | 2 | 01 | 20 | 12 ...: the window stays 1 symbol until t = 4, so the
    # trie only holds single symbols and the blend falls to order 0 (counts, ties to 0) up to
    # t = 6. At t = 7 the window is [2, 0] (phrase "20" made the longest phrase 2): context
    # "20" has no children (escape 1); context "0" occurred 3 times, once followed by 1
    # (P(1) = 1/3, escape 2/3); order 0 counts {0: 3, 1: 2, 2: 2} over 7 give
    # P(0) = 2/3 * 3/7 = 0.29 and P(1) = 1/3 + 2/3 * 2/7 = 0.52 -> predicts 1. From there the
    # rotation is followed.
    got = active_lezi_predictions([0, 1, 2, 0, 1, 2, 0, 1, 2, 0], alphabet=3)
    assert got.tolist() == [0, 0, 0, 0, 0, 0, 0, 1, 2, 0]


def brute_force_alz_counts(sequence, window_cap):
    """Context counts of Active LeZi recomputed from scratch: every substring of each window."""
    counts = defaultdict(int)
    phrases, phrase, longest = {()}, (), 0
    window = []
    for v in sequence:
        if phrase + (v,) in phrases:
            phrase = phrase + (v,)
        else:
            phrases.add(phrase + (v,))
            longest = max(longest, len(phrase) + 1)
            phrase = ()
        window.append(v)
        size = min(longest, window_cap)
        window = window[-size:]
        for i in range(len(window)):
            counts[tuple(window[i:])] += 1
    return counts, window


def test_active_lezi_prediction_uses_the_blended_counts():
    # Recompute the PPM blend from brute-force counts and compare the argmax at every step.
    rng = np.random.default_rng(3)
    sequence = rng.integers(0, 3, size=60).tolist()
    got = active_lezi_predictions(sequence, alphabet=3, max_window=4)
    for t in range(1, len(sequence)):
        counts, window = brute_force_alz_counts(sequence[:t], 4)
        probability = [0.0] * 3
        escape = 1.0
        for i in range(len(window) + 1):
            context = tuple(window[i:])
            total = counts[context] if context else t
            if total == 0:
                continue
            children = sum(counts[context + (a,)] for a in range(3))
            for a in range(3):
                probability[a] += escape * counts[context + (a,)] / total
            escape *= (total - children) / total
        assert probability[got[t]] == pytest.approx(max(probability))


@pytest.mark.parametrize("kind", ["frequency", "markov-1", "markov-2", "markov-3", "lempel-ziv"])
def test_constant_sequence_is_learned_at_once(kind):
    guesses = learner_predictions(np.full(20, 2), 3, (kind,))[kind]
    assert guesses[1:].tolist() == [2] * 19


def test_unknown_learner_is_an_input_error():
    with pytest.raises(InputError) as error:
        learner_predictions(np.array([0, 1]), 2, ("oracle",))
    assert error.value.field == "learners"
