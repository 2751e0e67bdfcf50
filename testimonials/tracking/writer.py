"""Group commit: many beacons' events in one transaction, each acknowledged after its commit.

A beacon's request thread hands its rows to the process's writer thread and waits. The
writer takes everything that is waiting (up to MAX_GROUP_ROWS), stores it in one
transaction (COPY on PostgreSQL) and wakes each waiting request with how many of its own
events were new. While one group commits the next one gathers, so the commit cost is
shared by every request of a group and throughput grows with load instead of queueing.

Durable when acknowledged: a request answers 200 only after the commit that holds its
events returned. Nothing lives only in this process beyond the group in flight: a crash
loses unacknowledged requests, which the page retries (same event ids, so no duplicates).
The embedded default (SQLite) writes each request inline, with simple inserts.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Connection, Engine, PoolProxiedConnection
from sqlalchemy.orm import Session, sessionmaker

from testimonials.errors import ServiceError

if TYPE_CHECKING:  # psycopg is loaded where the database is PostgreSQL, not on SQLite
    import psycopg
from testimonials.tracking.events import EventKey, event_key, store_new_events
from testimonials.tracking.storage import copy_events, copy_new_events, driver_of

MAX_GROUP_ROWS = 8_000
ACK_TIMEOUT_SECONDS = 10.0
log = logging.getLogger(__name__)


class StorageUnavailableError(ServiceError):
    """The events could not be committed now; nothing was acknowledged, the page retries."""

    status = 503
    title = "Service unavailable"


@dataclass(eq=False)
class _Waiting:
    rows: Sequence[dict[str, Any]]
    done: threading.Event = field(default_factory=threading.Event)
    stored: int = 0
    failed: bool = False


class EventWriter:
    """Stores rows of events for request threads: grouped by a writer thread, or inline."""

    def __init__(self, sessions: sessionmaker[Session], grouped: bool) -> None:
        self._sessions = sessions
        self._grouped = grouped
        self._own: PoolProxiedConnection | None = None  # the writer thread's, kept open
        self._lock = threading.Lock()
        self._queue: queue.SimpleQueue[_Waiting] = queue.SimpleQueue()
        self._owner_pid: int | None = None

    def store(self, rows: Sequence[dict[str, Any]]) -> int:
        """Store `rows` durably; how many were new. Raises StorageUnavailableError."""
        waiting = _Waiting(rows)
        if not self._grouped:
            self._write_inline(waiting)
        else:
            self._ensure_thread()
            self._queue.put(waiting)
            if not waiting.done.wait(ACK_TIMEOUT_SECONDS):
                # The group may still commit; the page's retry is then a duplicate, not a loss.
                raise StorageUnavailableError("Events are not being stored right now; retry.")
        if waiting.failed:
            raise StorageUnavailableError("Events could not be stored right now; retry.")
        return waiting.stored

    def _ensure_thread(self) -> None:
        # gunicorn forks workers after the app may have been built: one thread per process.
        if self._owner_pid == os.getpid():
            return
        with self._lock:
            if self._owner_pid != os.getpid():
                self._queue = queue.SimpleQueue()
                self._own = None  # never share a connection across a fork
                threading.Thread(target=self._run, name="event-writer", daemon=True).start()
                self._owner_pid = os.getpid()

    def _run(self) -> None:
        pending = self._queue
        while True:
            group = [pending.get()]
            rows = len(group[0].rows)
            while rows < MAX_GROUP_ROWS:
                try:
                    waiting = pending.get_nowait()
                except queue.Empty:
                    break
                group.append(waiting)
                rows += len(waiting.rows)
            self._write(group)

    def _write(self, group: list[_Waiting]) -> None:
        try:
            stored = self._store_group([row for waiting in group for row in waiting.rows])
            _share_out(group, stored)
        except Exception:
            log.exception("could not store a group of %d beacons", len(group))
            if self._own is not None:
                self._own.invalidate()  # reconnect for the next group
                self._own = None
            for waiting in group:
                waiting.failed = True
        finally:
            for waiting in group:
                waiting.done.set()

    def _store_group(self, rows: list[dict[str, Any]]) -> set[EventKey]:
        """Store the group's rows in one transaction; the keys of those new.

        Usually every event is new: one COPY straight into the table, committed by
        itself (two round trips). If any was stored before (a page's retry), that COPY
        fails whole and the group goes through the staging table, which skips those.
        When the app's sessions are bound to a connection rather than an engine (a
        test's rolled-back transaction), each attempt is a savepoint on it instead.
        """
        bind = self._sessions.kw.get("bind")
        keys = {event_key(row) for row in rows}
        direct: Callable[[], AbstractContextManager[Any]]
        staged: Callable[[], AbstractContextManager[Any]]
        if isinstance(bind, Connection):
            driver = driver_of(bind)
            direct = staged = bind.begin_nested
        else:
            driver = self._own_driver(cast(Engine, bind))
            direct = nullcontext  # autocommit: the COPY commits by itself
            staged = driver.transaction
        if len(keys) == len(rows):  # no event twice in the group: maybe all new
            from psycopg.errors import UniqueViolation  # COPY: PostgreSQL, psycopg loaded

            try:
                with direct():
                    copy_events(driver, rows)
                return keys
            except UniqueViolation:
                pass
        with staged():
            return copy_new_events(driver, rows)

    def _own_driver(self, engine: Engine) -> psycopg.Connection[Any]:
        # The writer keeps one connection, in autocommit (no check-out, ping or BEGIN per
        # group): a lone COPY is its own transaction, the staging path opens one.
        if self._own is None:
            self._own = engine.raw_connection()
            driver = cast("psycopg.Connection[Any]", self._own.driver_connection)
            driver.autocommit = True
        return cast("psycopg.Connection[Any]", self._own.driver_connection)

    def _write_inline(self, waiting: _Waiting) -> None:
        try:
            _share_out([waiting], self._store_alone(waiting.rows))
        except Exception:
            log.exception("could not store a beacon")
            waiting.failed = True

    def _store_alone(self, rows: Sequence[dict[str, Any]]) -> set[EventKey]:
        """Store one beacon's rows in a transaction of its own (SQLite); the keys of new ones."""
        with self._sessions() as session:
            stored = store_new_events(session.connection(), rows)
            session.commit()
        return stored


def _share_out(group: list[_Waiting], stored: set[EventKey]) -> None:
    """Credit each new event to the first request of the group that carried it."""
    for waiting in group:
        for row in waiting.rows:
            key = event_key(row)
            if key in stored:
                stored.discard(key)
                waiting.stored += 1
