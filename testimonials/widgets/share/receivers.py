"""Signal receivers: cached share images go when what they show changes or must vanish."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from testimonials import signals

# The services (and the renderer under them) are imported when a signal first needs them:
# a web worker that never changes a testimonial never loads them (docs/performance.md).


def _testimonials_changed(_workspace_id: Any, *, session: Session, testimonial_ids: Any) -> None:
    from testimonials.widgets.share import services

    services.forget_images(session, testimonial_ids)


def _items_withdrawn(_workspace_id: Any, *, session: Session, item_ids: Any, **_: Any) -> None:
    # Revoked or erased: the image shows the author's words, name and photo; drop it now.
    from testimonials.widgets.share import services

    services.forget_images_of_items(session, item_ids)


def connect() -> None:
    """Subscribe to the domain signals (weakly held functions live at module level)."""
    signals.testimonials_changed.connect(_testimonials_changed)
    signals.consent_revoked.connect(_items_withdrawn)
    signals.feedback_erased.connect(_items_withdrawn)
