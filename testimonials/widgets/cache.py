"""Rendered widgets, kept until something they show changes.

A widget's rendering is cached under its workspace's *content version*. Any change that
could alter what a workspace's widgets show (a signal from curation or harvest, a widget
saved) bumps the version; the next request renders afresh. Versions live in process memory
in Redis when `WIDGET_CACHE_URL` names one, so every worker of every machine sees a bump
at once; rendered bodies stay in each process, keyed by version, so a warm request costs
one Redis round trip and no query.

Without Redis the versions live in process memory. The process that made a change sees it
at once; other worker processes cannot, so in that mode a rendering is also kept for
MEMORY_TTL seconds at most: several workers without Redis still converge within seconds.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any, Protocol, cast

MAX_ENTRIES = 2048
MEMORY_TTL = 2.0


class VersionStore(Protocol):
    """Where the content version of each workspace is kept."""

    def current(self, workspace_id: int) -> int: ...

    def bump(self, workspace_id: int) -> None: ...


class MemoryVersions:
    """Versions in this process (the embedded default runs one process)."""

    def __init__(self) -> None:
        self._versions: dict[int, int] = {}
        self._lock = threading.Lock()

    def current(self, workspace_id: int) -> int:
        return self._versions.get(workspace_id, 0)

    def bump(self, workspace_id: int) -> None:
        with self._lock:
            self._versions[workspace_id] = self._versions.get(workspace_id, 0) + 1


class RedisVersions:
    """Versions in Redis, shared by every process."""

    def __init__(self, url: str) -> None:
        import redis  # optional dependency: the `redis` extra

        self._redis = redis.Redis.from_url(url)

    def _key(self, workspace_id: int) -> str:
        return f"testimonials:widgets:version:{workspace_id}"

    def current(self, workspace_id: int) -> int:
        return int(cast("bytes | None", self._redis.get(self._key(workspace_id))) or 0)

    def bump(self, workspace_id: int) -> None:
        self._redis.incr(self._key(workspace_id))


class WidgetCache:
    """Rendered widgets by public key, valid while their workspace's version holds."""

    def __init__(self, versions: VersionStore, ttl: float | None = None) -> None:
        self.versions = versions
        self.ttl = ttl
        # key -> (workspace id, version, kept at (monotonic seconds), rendering)
        self._entries: OrderedDict[str, tuple[int, int, float, Any]] = OrderedDict()
        # Which workspace a public key belongs to never changes: remembered, not queried.
        self._workspaces: dict[str, int] = {}
        self._lock = threading.Lock()

    def workspace_of(self, public_key: str) -> int | None:
        """The workspace of a widget key seen before, if any."""
        return self._workspaces.get(public_key)

    def get(self, public_key: str) -> Any | None:
        """The cached rendering, if its workspace has not changed since."""
        workspace_id = self._workspaces.get(public_key)
        if workspace_id is None:
            return None
        entry = self._entries.get(public_key)
        if entry is None or entry[1] != self.versions.current(workspace_id):
            return None
        if self.ttl is not None and time.monotonic() - entry[2] > self.ttl:
            return None
        return entry[3]

    def version(self, workspace_id: int) -> int:
        """The workspace's content version now (read before rendering, stored with it)."""
        return self.versions.current(workspace_id)

    def put(self, public_key: str, workspace_id: int, version: int, rendered: Any) -> None:
        """Keep a rendering made at `version` (a bump meanwhile makes it stale at once)."""
        with self._lock:
            self._workspaces[public_key] = workspace_id
            self._entries[public_key] = (workspace_id, version, time.monotonic(), rendered)
            self._entries.move_to_end(public_key)
            while len(self._entries) > MAX_ENTRIES:
                self._entries.popitem(last=False)

    def invalidate(self, workspace_id: int) -> None:
        """Everything a workspace's widgets show may have changed."""
        self.versions.bump(workspace_id)


def cache_for_url(url: str | None) -> WidgetCache:
    """A cache whose versions live in Redis for a redis:// URL, else in this process."""
    if url and url.startswith(("redis://", "rediss://", "unix://")):
        return WidgetCache(RedisVersions(url))
    return WidgetCache(MemoryVersions(), ttl=MEMORY_TTL)
