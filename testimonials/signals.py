"""Domain events between features (blinker, as Flask ships it).

A lower layer announces what happened; a higher layer subscribes (in its `receivers.py`,
connected by its `init_app`). So harvest never imports curation, and curation never imports
widgets or tracking. Receivers run synchronously inside the sender's unit of work: they get
the sender's `session` as a keyword argument, only `flush()`, and must not commit.

Every signal is sent with the workspace id as the sender, so a receiver may subscribe to
one workspace if it ever needs to (`signal.connect(fn, sender=workspace_id)`).
"""

from __future__ import annotations

from blinker import Namespace

_events = Namespace()

# harvest → curation, widgets, tracking
feedback_recorded = _events.signal(
    "feedback-recorded",
    doc="New feedback items were stored. Keywords: session, items (FeedbackItem list).",
)
feedback_imported = _events.signal(
    "feedback-imported",
    doc=(
        "A backlog (an import) was stored in bulk, without ORM objects. Keywords: session, "
        "rows (list of (item id, stored column values))."
    ),
)
photo_received = _events.signal(
    "photo-received",
    doc=(
        "An author sent a photo with their answer and consented to its use. Keywords: "
        "session, item (FeedbackItem), photo (harvest.photos.ProcessedPhoto)."
    ),
)
feedback_verified = _events.signal(
    "feedback-verified",
    doc="Items became verified (e.g. a known customer). Keywords: session, items.",
)
feedback_rescored = _events.signal(
    "feedback-rescored",
    doc="Items got new scores. Keywords: session, items.",
)
feedback_erased = _events.signal(
    "feedback-erased",
    doc="Items' personal data was erased. Keywords: session, item_ids, now.",
)
consent_revoked = _events.signal(
    "consent-revoked",
    doc="Publishing consent was withdrawn for items. Keywords: session, item_ids.",
)
consent_changed = _events.signal(
    "consent-changed",
    doc=(
        "Publishing consent was granted or declined later, for items already stored "
        "(withdrawal sends consent_revoked). Keywords: session, item_ids."
    ),
)

# curation → widgets, tracking
testimonials_changed = _events.signal(
    "testimonials-changed",
    doc=(
        "What the public may see of testimonials changed (approved, un-approved, edited, "
        "tags or photo changed). Keywords: session, testimonial_ids."
    ),
)

# tracking → widgets
experiments_changed = _events.signal(
    "experiments-changed",
    doc=(
        "An experiment started or stopped, so its widget's slot is decided per visitor or no "
        "longer is. Keywords: session, widget_key."
    ),
)
