"""Group commit: one writer thread commits the writes of many callers in one transaction.

Every request of the operations centre writes: at least its audit entry (docs/design.md §11),
each in a transaction of its own that ends in an fsync (``synchronous=FULL``). Run one at a
time, those fsyncs queue requests behind each other. :class:`GroupCommit` instead takes every
write waiting when it becomes free and runs them, in the order they were submitted, in one
:meth:`~escolta.store.database.Store.transaction` (``BEGIN IMMEDIATE``, the same as every
other writer of the record, so it still waits for a command running beside it):

- each job runs in its own savepoint: a job that raises is rolled back alone and its caller
  gets the exception; the others are kept;
- a caller's future is resolved only after the transaction committed, so a request that
  waited for its job answers only once its write (and its audit entry) is durable;
- when the commit itself fails, every job of the group fails with that error (none of them
  is durable);
- the audit chain's order is the order jobs were submitted, since one thread appends them.

Durability is not traded for speed: the commit is the record's usual ``synchronous=FULL``
one; what is saved is the number of commits (one per group instead of one per request).
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future, InvalidStateError
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from escolta.store.database import Store

T = TypeVar("T")
Job = Callable[["Session"], Any]

GROUP_LIMIT = 256  # jobs committed together at most (a longer queue is taken in turns)


class GroupCommit:
    """The one writer of a long-running process (the web server) over ``store``.

    The thread starts on the first :meth:`submit` and stops at :meth:`close`, after the
    jobs already submitted.
    """

    def __init__(self, store: Store, limit: int = GROUP_LIMIT) -> None:
        if limit < 1:
            raise ValueError(f"limit: must be at least 1 (got {limit})")
        self.store = store
        self.limit = limit
        self.groups = 0  # transactions committed so far (the bench reports jobs per group)
        self.jobs = 0
        self._queue: queue.SimpleQueue[tuple[Job, Future[Any]] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._closed = False
        self._guard = threading.Lock()

    def submit(self, job: Callable[[Session], T]) -> Future[T]:
        """Queue ``job(session)``; its future is resolved once the job's group committed."""
        future: Future[T] = Future()
        with self._guard:
            if self._closed:
                raise RuntimeError("the record's writer is closed")
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="escolta-writer",
                                                daemon=True)
                self._thread.start()
            self._queue.put((job, future))
        return future

    def run(self, job: Callable[[Session], T]) -> T:
        """Submit ``job`` and wait for it: from a worker thread, never the event loop."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return self.submit(job).result()
        raise RuntimeError("GroupCommit.run would block the event loop: await run_async")

    async def run_async(self, job: Callable[[Session], T]) -> T:
        """Submit ``job`` and await it. A cancelled caller stops waiting, never the write
        (the job still runs: a read that was answered is audited all the same)."""
        return await asyncio.shield(asyncio.wrap_future(self.submit(job)))

    def close(self) -> None:
        """Commit what was submitted, then stop the thread."""
        with self._guard:
            if self._closed:
                return
            self._closed = True
            thread = self._thread
            if thread is not None:
                self._queue.put(None)
        if thread is not None:
            thread.join()

    def _run(self) -> None:
        stopping = False
        while not stopping:
            item = self._queue.get()
            if item is None:
                return
            group = [item]
            while len(group) < self.limit:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    stopping = True
                    break
                group.append(item)
            self._commit(group)

    def _commit(self, group: list[tuple[Job, Future[Any]]]) -> None:
        outcomes: list[tuple[bool, Any]] = []
        try:
            with self.store.transaction() as session:
                for job, _future in group:
                    try:
                        with session.begin_nested():
                            outcomes.append((True, job(session)))
                    except BaseException as error:  # noqa: BLE001 - the caller gets it
                        outcomes.append((False, error))
        except BaseException as error:  # noqa: BLE001 - nothing of the group is durable
            for _job, future in group:
                _settle(future, False, error)
            return
        self.groups += 1
        self.jobs += len(group)
        for (_job, future), (ok, value) in zip(group, outcomes, strict=True):
            _settle(future, ok, value)


def _settle(future: Future[Any], ok: bool, value: Any) -> None:
    try:
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)
    except InvalidStateError:  # the caller cancelled its wait; the write stands
        pass
