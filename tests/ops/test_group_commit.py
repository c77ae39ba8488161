"""Group commit (escolta.store.group_commit): many callers' writes in one transaction, each
caller answered only after its write is committed, a failing job rolled back alone, the audit
chain in submission order. The checks read the record back through a connection of its own
and recompute the chain with :func:`escolta.store.audit.verify`.
"""

from __future__ import annotations

import asyncio
import threading

import pytest
from sqlalchemy import select

from escolta.security.keyfile import load_key
from escolta.store import audit, open_store
from escolta.store.group_commit import GroupCommit
from escolta.store.models import AuditEntryRow
from escolta.store.record import save_scenario


@pytest.fixture
def store(store_db: str):  # type: ignore[no-untyped-def]
    with open_store(store_db) as opened:
        yield opened


def _append(key: bytes, actor: str, action: str):  # type: ignore[no-untyped-def]
    return lambda session: audit.append(session, key, actor=actor, action=action)


def _targets(store) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with store.reading() as session:
        return [(e.actor, e.action) for e in audit.entries(session)]


def test_every_thread_s_entries_commit_in_the_order_each_submitted_them(store) -> None:  # type: ignore[no-untyped-def]
    key = load_key(store.path)
    writer = GroupCommit(store)
    threads, per_thread = 8, 25

    def caller(k: int) -> None:
        for n in range(per_thread):
            writer.run(_append(key, f"t{k}", f"n{n:02d}"))

    workers = [threading.Thread(target=caller, args=(k,)) for k in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    writer.close()
    entries = _targets(store)
    assert len(entries) == threads * per_thread
    for k in range(threads):
        mine = [action for actor, action in entries if actor == f"t{k}"]
        assert mine == [f"n{n:02d}" for n in range(per_thread)]
    with store.reading() as session:
        check = audit.verify(session, key)
    assert (check.intact, check.entries) == (True, threads * per_thread)


def _holding(writer: GroupCommit, then=lambda session: None):  # type: ignore[no-untyped-def]
    """Submit a job that keeps the writer busy until the returned event is set."""
    started, release = threading.Event(), threading.Event()

    def hold(session):  # type: ignore[no-untyped-def]
        started.set()
        release.wait(10)
        return then(session)

    future = writer.submit(hold)
    started.wait(10)
    return future, release


def test_writes_waiting_together_commit_in_one_transaction(store) -> None:  # type: ignore[no-untyped-def]
    key = load_key(store.path)
    writer = GroupCommit(store)
    first, release = _holding(writer, _append(key, "slow", "first"))
    waiting = [writer.submit(_append(key, "quick", f"n{n}")) for n in range(10)]
    release.set()
    assert first.result(10).seq == 1
    assert [f.result(10).seq for f in waiting] == list(range(2, 12))
    writer.close()
    assert (writer.groups, writer.jobs) == (2, 11)  # the slow one alone, then the ten


def test_a_caller_is_answered_only_once_its_write_is_committed(store) -> None:  # type: ignore[no-untyped-def]
    key = load_key(store.path)
    writer = GroupCommit(store)
    seen: list[int] = []

    def when_answered(_future) -> None:  # type: ignore[no-untyped-def]
        with store.reading() as session:  # another connection: only committed rows
            seen.append(len(session.scalars(select(AuditEntryRow.id)).all()))

    future = writer.submit(_append(key, "ana", "orders.mine"))
    future.add_done_callback(when_answered)
    future.result(10)
    writer.close()
    assert seen == [1]


def test_a_failing_job_is_rolled_back_alone(store) -> None:  # type: ignore[no-untyped-def]
    key = load_key(store.path)
    writer = GroupCommit(store)

    def half_then_fail(session):  # type: ignore[no-untyped-def]
        save_scenario(session, "principal: P\n", "half")
        audit.append(session, key, actor="bad", action="half")
        raise ValueError("the job's own mistake")

    _, release = _holding(writer)
    before = writer.submit(_append(key, "good", "before"))
    failing = writer.submit(half_then_fail)
    after = writer.submit(_append(key, "good", "after"))
    release.set()
    with pytest.raises(ValueError, match="own mistake"):
        failing.result(10)
    assert (before.result(10).seq, after.result(10).seq) == (1, 2)
    writer.close()
    assert _targets(store) == [("good", "before"), ("good", "after")]
    from escolta.store.models import ScenarioRow

    with store.reading() as session:
        assert session.scalars(select(ScenarioRow)).all() == []


def test_reading_refuses_to_write(store) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy.exc import DBAPIError

    with pytest.raises(DBAPIError), store.reading() as session:
        audit.append(session, load_key(store.path), actor="x", action="y")
    assert _targets(store) == []


def test_waiting_in_the_event_loop_is_refused(store) -> None:  # type: ignore[no-untyped-def]
    writer = GroupCommit(store)

    async def blocking() -> None:
        writer.run(lambda session: None)

    with pytest.raises(RuntimeError, match="event loop"):
        asyncio.run(blocking())
    assert asyncio.run(writer.run_async(lambda session: 42)) == 42
    writer.close()
    with pytest.raises(RuntimeError, match="closed"):
        writer.submit(lambda session: None)
