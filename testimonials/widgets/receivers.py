"""What widgets do when something below changes: forget what they rendered for the workspace.

The version is bumped at once (so the sender's own next request already renders afresh)
and again after the sender's transaction commits, so a rendering made from the old rows
while the change was still uncommitted is never served afterwards.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from testimonials import signals

CACHE_INFO_KEY = "widget_cache"


def invalidate_workspace(workspace_id: int, *, session: Session, **_: Any) -> None:
    """Receiver: drop the workspace's rendered widgets now and when the change commits."""
    cache = session.info.get(CACHE_INFO_KEY)
    if cache is None:
        return
    cache.invalidate(workspace_id)
    event.listen(session, "after_commit", lambda _s: cache.invalidate(workspace_id), once=True)


def connect() -> None:
    """Subscribe to every change that can alter what a public widget shows."""
    for signal in (
        signals.testimonials_changed,
        signals.consent_revoked,
        signals.consent_changed,  # a newer answer may decline what an older one granted
        signals.feedback_erased,
        signals.feedback_rescored,
        signals.experiments_changed,  # a slot starts or stops being decided per visitor
    ):
        signal.connect(invalidate_workspace)
