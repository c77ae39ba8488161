"""Sealing a value at rest: AES-256-GCM under a key of the record's keyring.

A sealed value is the text ``=1=`` followed by the lowercase hex of the blob
``version (1 byte, 1) || key id (4 bytes, big-endian) || nonce (12 random bytes) ||
ciphertext and tag``. The associated data is ``escolta:TABLE.COLUMN``, so a ciphertext moved
to another column fails to open; the key id says which key of the keyring opens it, so a
rotation can re-seal values one by one and a value sealed under a retired key is named.
Hex, not base64: its alphabet (0-9, a-f) cannot spell a name with any other letter, so
the test that greps the file for every site and person name cannot be fooled by chance.

``cryptography`` is imported when a value is first sealed or opened, not at startup.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from escolta.errors import StoreError

if TYPE_CHECKING:
    from escolta.security.keyfile import Keyring

PREFIX = "=1="
VERSION = 1
NONCE_BYTES = 12
_HEADER = 1 + 4 + NONCE_BYTES


def _aad(where: str) -> bytes:
    return f"escolta:{where}".encode()


def is_sealed(value: str) -> bool:
    """Whether a stored value is sealed (else it is plaintext of an older release)."""
    return value.startswith(PREFIX)


def _blob(value: str, where: str) -> bytes:
    try:
        blob = bytes.fromhex(value[len(PREFIX):])
    except ValueError:
        blob = b""
    if not is_sealed(value) or len(blob) < _HEADER + 16 or blob[0] != VERSION:
        raise StoreError(f"record: a value of {where} is not sealed by this release "
                         "(damaged or written by hand)")
    return blob


def key_id(value: str, where: str = "?") -> int:
    """The id of the key a sealed value was sealed under."""
    return int.from_bytes(_blob(value, where)[1:5], "big")


def seal_with(key_number: int, key: bytes, plaintext: str, where: str) -> str:
    """Seal ``plaintext`` for column ``where`` (``table.column``) under one key."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = secrets.token_bytes(NONCE_BYTES)
    body = AESGCM(key).encrypt(nonce, plaintext.encode("utf-8"), _aad(where))
    blob = bytes([VERSION]) + key_number.to_bytes(4, "big") + nonce + body
    return PREFIX + blob.hex()


def seal(keyring: Keyring, plaintext: str, where: str) -> str:
    """Seal ``plaintext`` for column ``where`` under the keyring's current key.

    Examples
    --------
    >>> from escolta.security.keyfile import Keyring
    >>> ring = Keyring(b"a" * 32, 1, {1: b"k" * 32})
    >>> sealed = seal(ring, "Casa Rosada", "spent_nights.site")
    >>> sealed.startswith("=1=") and "Casa" not in sealed
    True
    >>> unseal(ring, sealed, "spent_nights.site")
    'Casa Rosada'
    """
    return seal_with(keyring.current, keyring.current_key(), plaintext, where)


def unseal(keyring: Keyring, value: str, where: str) -> str:
    """Open a sealed value of column ``where``.

    Raises
    ------
    StoreError
        The value is not sealed, its key is not in the keyring, or it fails authentication
        (tampered, or moved from another column).
    """
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    blob = _blob(value, where)
    number = int.from_bytes(blob[1:5], "big")
    key = keyring.seal.get(number)
    if key is None:
        raise StoreError(f"record: a value of {where} is sealed under key {number}, which "
                         f"the key file does not hold (it has {keyring.ids()}); use the key "
                         "file that went with this record")
    try:
        plain = AESGCM(key).decrypt(blob[5:_HEADER], blob[_HEADER:], _aad(where))
    except InvalidTag:
        raise StoreError(f"record: a value of {where} fails its authentication (tampered, "
                         "or moved from another column)") from None
    return plain.decode("utf-8")
