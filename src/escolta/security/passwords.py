"""Passwords: Argon2id hashes (RFC 9106), fresh passwords from the OS CSPRNG.

argon2-cffi is imported when a password is hashed or checked, not when the CLI starts.
"""

from __future__ import annotations

import secrets

# RFC 9106 section 4, the second recommended option ("low memory"): Argon2id, t=3,
# m=64 MiB, p=4 (argon2-cffi's default profile, spelled out so an upgrade cannot change it).
TIME_COST, MEMORY_KIB, PARALLELISM = 3, 65536, 4
MIN_LENGTH = 12
MAX_LENGTH = 1024  # Argon2 hashes any length; a limit keeps a sign-in bounded in time


def _hasher():  # type: ignore[no-untyped-def]
    from argon2 import PasswordHasher, Type

    return PasswordHasher(time_cost=TIME_COST, memory_cost=MEMORY_KIB,
                          parallelism=PARALLELISM, type=Type.ID)


def hash_password(password: str) -> str:
    """The Argon2id hash of ``password`` (PHC string, salt included)."""
    return _hasher().hash(password)


def check_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches; a malformed hash or a too long password is False."""
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    if len(password) > MAX_LENGTH:
        return False
    try:
        return bool(_hasher().verify(password_hash, password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def fresh_password() -> str:
    """A random password of 20 URL-safe characters (120 bits) from ``secrets``."""
    return secrets.token_urlsafe(15)


# A hash of a random password, checked when a name is unknown, so that a sign-in with an
# unknown name takes as long as one with a wrong password.
_DUMMY: list[str] = []


def dummy_check(password: str) -> None:
    if not _DUMMY:
        _DUMMY.append(hash_password(fresh_password()))
    check_password(_DUMMY[0], password[:MAX_LENGTH])
