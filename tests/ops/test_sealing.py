"""Sealing at rest: AES-256-GCM blobs opened by an independent reading of their layout.

The layout (version, key id, nonce, ciphertext+tag, associated data ``escolta:TABLE.COLUMN``)
is decoded here by hand and decrypted with ``cryptography``'s AESGCM directly, not with
the code under test; a moved, edited or foreign-key value must be refused.
"""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import given
from hypothesis import strategies as st

from escolta.errors import StoreError
from escolta.security.keyfile import Keyring
from escolta.security.sealing import key_id, seal, unseal

RING = Keyring(b"a" * 32, 7, {3: b"o" * 32, 7: b"k" * 32})


def _by_hand(value: str, key: bytes, where: str) -> tuple[int, int, str]:
    assert value.startswith("=1=")
    blob = bytes.fromhex(value[3:])
    version, number, nonce, body = blob[0], int.from_bytes(blob[1:5], "big"), blob[5:17], blob[17:]
    plain = AESGCM(key).decrypt(nonce, body, f"escolta:{where}".encode())
    return version, number, plain.decode("utf-8")


@given(st.text(max_size=300))
def test_a_sealed_value_is_aes_gcm_under_the_current_key(plain: str) -> None:
    sealed = seal(RING, plain, "spent_nights.site")
    assert _by_hand(sealed, b"k" * 32, "spent_nights.site") == (1, 7, plain)
    assert unseal(RING, sealed, "spent_nights.site") == plain
    assert set(sealed[3:]) <= set("0123456789abcdef")


def test_two_seals_of_one_value_differ_and_both_open() -> None:
    first, second = (seal(RING, "ana", "users.person") for _ in range(2))
    assert first != second  # a fresh nonce each time: equal names do not look equal
    assert unseal(RING, first, "users.person") == unseal(RING, second, "users.person") == "ana"


def test_an_older_key_of_the_ring_still_opens() -> None:
    old = Keyring(b"a" * 32, 3, {3: b"o" * 32})
    sealed = seal(old, "lakeside-villa", "spent_nights.site")
    assert key_id(sealed) == 3 and unseal(RING, sealed, "spent_nights.site") == "lakeside-villa"


def _flip(value: str, position: int) -> str:
    position %= len(value)
    digit = value[position]
    return value[:position] + ("0" if digit != "0" else "1") + value[position + 1:]


@pytest.mark.parametrize(("mangle", "where", "message"), [
    pytest.param(lambda v: v, "roster_assignments.person", "authentication",
                 id="moved-to-another-column"),
    pytest.param(lambda v: _flip(v, -1), "spent_nights.site", "authentication",
                 id="tag-edited"),
    pytest.param(lambda v: _flip(v, 40), "spent_nights.site", "authentication",
                 id="nonce-edited"),
    pytest.param(lambda v: "army-barracks", "spent_nights.site", "not sealed",
                 id="plaintext-written-by-hand"),
    pytest.param(lambda v: v[:20], "spent_nights.site", "not sealed", id="truncated"),
    pytest.param(lambda v: "=1=0100000000" + v[13:], "spent_nights.site", "key 0",
                 id="unknown-key"),
])
def test_a_value_not_sealed_for_its_column_is_refused(mangle, where: str, message: str) -> None:
    sealed = seal(RING, "army-barracks", "spent_nights.site")
    with pytest.raises(StoreError, match=message):
        unseal(RING, mangle(sealed), where)
