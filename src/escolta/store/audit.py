"""The audit chain (docs/design.md §11): every sign-in, read and change, chained by HMAC.

Each entry holds ``seq, timestamp, actor, action, target, outcome``; its ``mac`` is
``HMAC-SHA256(key, prev_mac || canonical JSON of those six fields)`` where ``prev_mac`` is
the previous entry's mac (64 zeros for the first). The key lives outside the record
(:mod:`escolta.security.keyfile`), so whoever can write the database cannot forge an entry.
Verification recomputes the chain: an edited entry fails its own mac, a deleted or reordered
one breaks the link or the sequence, and the first such entry is named.

:func:`append` runs inside the caller's transaction, so an action and its entry are committed
together or not at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from escolta.store.models import AuditEntryRow

GENESIS = "0" * 64
SHOW_LIMIT = 10_000  # entries returned at most by one read of the log


@dataclass(frozen=True)
class AuditEntry:
    """One entry of the chain, as stored."""

    seq: int
    timestamp: str
    actor: str
    action: str
    target: str
    outcome: str
    prev_mac: str
    mac: str

    def to_dict(self) -> dict[str, object]:
        return {"seq": self.seq, "timestamp": self.timestamp, "actor": self.actor,
                "action": self.action, "target": self.target, "outcome": self.outcome,
                "prev_mac": self.prev_mac, "mac": self.mac}


@dataclass(frozen=True)
class Verification:
    """The result of checking the chain: intact, or the first bad entry and why."""

    entries: int
    intact: bool
    first_bad_seq: int | None = None
    reason: str = ""


def canonical(seq: int, timestamp: str, actor: str, action: str, target: str,
              outcome: str) -> bytes:
    """The bytes an entry's mac covers (sorted keys, no spaces, UTF-8).

    Examples
    --------
    >>> canonical(1, "t", "ana", "signin", "", "ok")
    b'{"action":"signin","actor":"ana","outcome":"ok","seq":1,"target":"","timestamp":"t"}'
    """
    body = {"seq": seq, "timestamp": timestamp, "actor": actor, "action": action,
            "target": target, "outcome": outcome}
    return json.dumps(body, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def entry_mac(key: bytes, prev_mac: str, body: bytes) -> str:
    """HMAC-SHA256(key, prev_mac || body), hex."""
    return hmac.new(key, prev_mac.encode("ascii") + body, hashlib.sha256).hexdigest()


def _entry(row: AuditEntryRow) -> AuditEntry:
    return AuditEntry(row.seq, row.timestamp, row.actor, row.action, row.target, row.outcome,
                      row.prev_mac, row.mac)


def append(session: Session, key: bytes, *, actor: str, action: str, target: str = "",
           outcome: str = "ok", now: dt.datetime | None = None) -> AuditEntry:
    """Add an entry at the end of the chain, in the caller's transaction.

    The record's transactions begin with ``BEGIN IMMEDIATE``, so two writers never read the
    same last entry.
    """
    # the link alone (seq, mac): not the sealed target, which would be opened for nothing
    last = session.execute(select(AuditEntryRow.seq, AuditEntryRow.mac)
                           .order_by(AuditEntryRow.seq.desc()).limit(1)).first()
    seq = 1 if last is None else last.seq + 1
    prev_mac = GENESIS if last is None else last.mac
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    timestamp = moment.isoformat(timespec="microseconds")
    body = canonical(seq, timestamp, actor, action, target, outcome)
    entry = AuditEntry(seq, timestamp, actor, action, target, outcome, prev_mac,
                       entry_mac(key, prev_mac, body))
    # one INSERT, without the unit of work's bookkeeping (the web appends one a request)
    session.execute(insert(AuditEntryRow), [{
        "seq": entry.seq, "timestamp": entry.timestamp, "actor": entry.actor,
        "action": entry.action, "target": entry.target, "outcome": entry.outcome,
        "prev_mac": entry.prev_mac, "mac": entry.mac}])
    return entry


def entries(session: Session, limit: int = SHOW_LIMIT) -> list[AuditEntry]:
    """The last ``limit`` entries, oldest first, in the order they are stored (by row id)."""
    rows = session.scalars(select(AuditEntryRow).order_by(AuditEntryRow.id.desc())
                           .limit(limit)).all()
    return [_entry(row) for row in reversed(rows)]


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntryRow)) or 0


def verify(session: Session, key: bytes) -> Verification:
    """Recompute the chain in storage order and name the first entry that breaks it.

    An entry is bad when its mac does not cover its own fields (edited), when its
    ``prev_mac`` is not the mac of the entry before it or its ``seq`` is not one more
    (an entry before it was deleted, or entries were reordered), or when the first entry
    does not start at seq 1 from the genesis value (the head was cut off).
    """
    rows = session.scalars(select(AuditEntryRow).order_by(AuditEntryRow.id)).all()
    seqs = {row.seq for row in rows}
    prev_mac, expected_seq = GENESIS, 1
    for row in rows:
        body = canonical(row.seq, row.timestamp, row.actor, row.action, row.target,
                         row.outcome)
        if not hmac.compare_digest(entry_mac(key, row.prev_mac, body), row.mac):
            return Verification(len(rows), False, row.seq,
                                "edited: its mac does not match its contents")
        if row.seq != expected_seq or not hmac.compare_digest(row.prev_mac, prev_mac):
            if row.seq != expected_seq and expected_seq in seqs:
                what = f"reordered: entry {expected_seq} is stored after it"
            elif row.seq > expected_seq:
                what = (f"entry {expected_seq}" if row.seq == expected_seq + 1 else
                        f"entries {expected_seq} to {row.seq - 1}") + " before it deleted"
            else:
                what = "its link to the entry before it is broken"
            return Verification(len(rows), False, row.seq, what)
        prev_mac, expected_seq = row.mac, row.seq + 1
    return Verification(len(rows), True)
