"""The Active LeZi predictor (Gopalratnam & Cook 2007, *IEEE Intelligent Systems* 22(1):52),
a Lempel–Ziv (LZ78, Ziv & Lempel 1978) learner of the next symbol.

LZ78 parses the sequence into phrases, each a known phrase plus one new symbol; the length of
the longest phrase sets the window of recent symbols Active LeZi keeps. After each symbol,
every suffix of the window (every context that ends with it) has its count raised in a trie.
The next symbol is predicted by blending orders as in PPM: from the longest context down to
the empty one, ``P(a) += escape · count(context·a) / count(context)`` and the escape
probability is the share of the context's occurrences that were not yet followed by anything
(``(count(context) − Σ children) / count(context)``, the paper's "null endings").

The window is capped at ``max_window`` symbols (default 8): on a fixed routine the LZ78 phrases
grow like ``√(2n)`` and an uncapped window makes each step that long. Each night costs
``O(max_window · A)``.

Examples
--------
>>> active_lezi_predictions([0, 1, 2, 0, 1, 2, 0, 1, 2, 0], alphabet=3).tolist()
[0, 0, 0, 0, 0, 0, 0, 1, 2, 0]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from escolta.errors import InputError


def active_lezi_predictions(
    sequence: Sequence[int] | np.ndarray, alphabet: int, max_window: int = 8
) -> np.ndarray:
    """Online top-1 predictions of Active LeZi: ``prediction[t]`` guesses ``sequence[t]``.

    Parameters
    ----------
    sequence
        Symbols ``0 … alphabet-1`` in the order they are observed.
    alphabet
        Number of distinct symbols.
    max_window
        Upper bound on the window (the longest context used), at least 1.
    """
    if alphabet < 1:
        raise InputError("alphabet", alphabet, "must be at least 1")
    if max_window < 1:
        raise InputError("max_window", max_window, "must be at least 1")
    symbols = [int(v) for v in np.asarray(sequence, dtype=np.int64).tolist()]
    if symbols and (min(symbols) < 0 or max(symbols) >= alphabet):
        raise InputError("sequence", max(symbols), f"symbols must lie in 0..{alphabet - 1}")

    # Frequency trie: node 0 is the empty context. Plain lists and local names: this loop
    # is the learner's whole cost.
    count: list[int] = [0]
    child_total: list[int] = [0]
    children: list[dict[int, int]] = [{}]
    # LZ78 dictionary trie, only to measure the longest phrase.
    phrase_children: list[dict[int, int]] = [{}]
    phrase, phrase_length, longest = 0, 0, 0
    contexts: list[int] = [0]  # trie nodes of the window's suffixes, longest first, then root
    symbol_range = range(alphabet)

    predictions = np.zeros(len(symbols), dtype=np.int64)
    for t, v in enumerate(symbols):
        if t:
            # PPM blend from the longest context down to the empty one.
            probability = [0.0] * alphabet
            escape = 1.0
            for node in contexts:
                total = count[node]
                share = escape / total
                for symbol, kid in children[node].items():
                    probability[symbol] += share * count[kid]
                escape *= (total - child_total[node]) / total
                if escape <= 0.0:
                    break
            best, best_p = 0, probability[0]
            for symbol in symbol_range:
                if probability[symbol] > best_p:
                    best, best_p = symbol, probability[symbol]
            predictions[t] = best

        following = phrase_children[phrase].get(v)
        if following is None:
            phrase_children[phrase][v] = len(phrase_children)
            phrase_children.append({})
            if phrase_length + 1 > longest:
                longest = phrase_length + 1
            phrase, phrase_length = 0, 0
        else:
            phrase, phrase_length = following, phrase_length + 1

        # The new window's suffixes extend the old ones (and the root) by v; keep the last
        # min(longest, max_window) of them.
        size = longest if longest < max_window else max_window
        parents = contexts[-size:] if len(contexts) > size else contexts
        new_contexts = []
        for parent in parents:
            node = children[parent].get(v)
            if node is None:
                node = len(count)
                children[parent][v] = node
                count.append(0)
                child_total.append(0)
                children.append({})
            count[node] += 1
            child_total[parent] += 1
            new_contexts.append(node)
        count[0] += 1
        new_contexts.append(0)
        contexts = new_contexts
    return predictions


