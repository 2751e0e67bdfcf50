"""Intake: the one path by which every channel stores feedback.

Hosted and embedded surveys, the API, imports and webhooks all call `record_feedback` or
`record_feedback_batch`, so every item gets the same treatment: the original text kept
as received, a content hash and MinHash signature, personal data flagged, verified if its
author is on the workspace's known-customer list, a score with reasons (including
duplicates and bursts within the workspace), and a follow-up for detractors.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from testimonials import signals
from testimonials.db import utcnow
from testimonials.harvest.customers.matching import verify_known_customers
from testimonials.harvest.models import Channel, ConsentState, FeedbackItem, VerifiedBy
from testimonials.harvest.near_duplicates import find_duplicates, index_items
from testimonials.harvest.personal_data import detect_personal_data, email_domain
from testimonials.harvest.surveys.models import FollowUp
from testimonials.scoring import ItemInput, SubmissionRecord, detect_bursts
from testimonials.scoring.items import UNDETERMINED

if TYPE_CHECKING:
    from collections.abc import Callable

    from testimonials.scoring import Scorer

INTAKE_SCORER_KEY = "testimonials.intake_scorer"
BURST_WINDOW = timedelta(hours=1)
BURST_THRESHOLD = 5
# Channels where many items from one origin in an hour is a signal; an import or webhook
# delivering a backlog is not.
LIVE_CHANNELS = {Channel.HOSTED_SURVEY.value, Channel.EMBEDDED_SURVEY.value, Channel.API.value}
_SCORE_COLUMNS = (
    "specificity",
    "suspicion",
    "score_reasons",
    "suggested_excerpt",
    "scorer_version",
    "scored_at",
)


@dataclass(frozen=True)
class NewFeedback:
    """What a channel knows about one incoming item."""

    text: str
    channel: Channel
    source_name: str
    external_id: str | None = None
    title: str | None = None
    rating: int | None = None
    nps_score: int | None = None
    author_name: str | None = None
    author_email: str | None = None
    author_role: str | None = None
    author_company: str | None = None
    avatar_url: str | None = None
    location: str | None = None
    language: str | None = None
    country: str | None = None
    submitted_at: datetime | None = None
    received_at: datetime | None = None
    verified: bool = False
    verified_by: VerifiedBy | None = None
    consent_state: ConsentState = ConsentState.NOT_ASKED
    consent_text: str | None = None
    consent_version: str | None = None
    consent_at: datetime | None = None
    survey_id: int | None = None
    invitation_id: int | None = None
    import_id: int | None = None
    answers: dict | None = None
    client_fingerprint: str | None = None
    device_fingerprint: str | None = None
    follow_up_passives: bool = False


class IntakeScorer:
    """The scorer and the key that recognises known customers; holds no workspace state.

    Duplicates and bursts are looked up in the database (near_duplicates, _recent_bursts),
    so every web and worker process sees the same workspace at once.
    """

    def __init__(
        self, scorer: Scorer | Callable[[], Scorer], customer_key: bytes | None = None
    ) -> None:
        # Given a loader, the model (and numpy, ICU) loads when the first item is scored: a
        # worker that only serves reads never holds it.
        self._scorer = None if callable(scorer) else scorer
        self._load_scorer = scorer if callable(scorer) else None
        # Key of the known-customer hashes (personal_data.subject_key): with it, intake marks items
        # from listed customers as verified, which the score takes into account.
        self.customer_key = customer_key
        self._lock = threading.Lock()

    @property
    def scorer(self) -> Scorer:
        """The scorer, loaded on first use if a loader was given."""
        if self._scorer is None:
            with self._lock:
                if self._scorer is None:
                    assert self._load_scorer is not None
                    self._scorer = self._load_scorer()
        return self._scorer

    @property
    def version(self) -> str:
        return self.scorer.version


def intake_scorer_for(app: Any) -> IntakeScorer:
    """The app's IntakeScorer (views and CLI pass it to the services)."""
    return app.extensions[INTAKE_SCORER_KEY]


def item_values(
    workspace_id: int,
    new: NewFeedback,
    text_hash: str,
    signature: list[int] | None,
    pii_flags: dict[str, int] | None,
) -> dict[str, Any]:
    """Column values of a new item, before scoring (shared by the ORM and the bulk path)."""
    return {
        "workspace_id": workspace_id,
        "channel": new.channel.value,
        "source_name": new.source_name,
        "external_id": new.external_id,
        "content_hash": text_hash,
        "text": new.text,
        "title": new.title,
        "rating": new.rating,
        "nps_score": new.nps_score,
        "author_name": new.author_name,
        "author_email": new.author_email.strip().lower() if new.author_email else None,
        "author_role": new.author_role,
        "author_company": new.author_company,
        "avatar_url": new.avatar_url,
        "location": new.location,
        "language": new.language,
        "country": new.country.upper() if new.country else None,
        "submitted_at": new.submitted_at,
        "received_at": new.received_at or utcnow(),
        "verified": new.verified,
        "verified_by": new.verified_by.value if new.verified_by else None,
        "consent_state": new.consent_state.value,
        "consent_text": new.consent_text,
        "consent_version": new.consent_version,
        "consent_at": new.consent_at,
        "survey_id": new.survey_id,
        "invitation_id": new.invitation_id,
        "import_id": new.import_id,
        "answers": new.answers,
        "client_fingerprint": new.client_fingerprint,
        "device_fingerprint": new.device_fingerprint,
        "email_domain": email_domain(new.author_email),
        "pii_flags": pii_flags,
        "minhash": signature,
    }


def _build_item(workspace_id: int, new: NewFeedback) -> FeedbackItem:
    from testimonials.scoring import content_hash, minhash_signature  # numpy: see IntakeScorer

    values = item_values(
        workspace_id,
        new,
        content_hash(new.text),
        minhash_signature(new.text) or None,
        detect_personal_data(new.text),
    )
    return FeedbackItem(**values)


def needs_follow_up(nps_score: int | None, include_passives: bool) -> bool:
    """Detractors always, passives when the survey asks for it."""
    if nps_score is None:
        return False
    return nps_score <= 6 or (include_passives and nps_score <= 8)


def record_feedback(
    session: Session, workspace_id: int, new: NewFeedback, scorer: IntakeScorer | None = None
) -> FeedbackItem:
    """Store one item exactly as received, scored and checked against the workspace."""
    return record_feedback_batch(session, workspace_id, [new], scorer)[0]


def record_feedback_batch(
    session: Session,
    workspace_id: int,
    batch: Sequence[NewFeedback],
    scorer: IntakeScorer | None = None,
) -> list[FeedbackItem]:
    """Store many items in one flush; score them (with duplicates across the batch too)."""
    items = [_build_item(workspace_id, new) for new in batch]
    if scorer is not None:
        verify_known_customers(session, workspace_id, items, scorer.customer_key)
    session.add_all(items)
    session.flush()
    index_items(session, workspace_id, [(item.id, item.minhash) for item in items])
    for new, item in zip(batch, items, strict=True):
        if needs_follow_up(new.nps_score, new.follow_up_passives):
            session.add(FollowUp(workspace_id=workspace_id, item_id=item.id))
    if scorer is not None:
        score_items(session, workspace_id, items, scorer)
    signals.feedback_recorded.send(workspace_id, session=session, items=items)
    return items


def score_items(
    session: Session, workspace_id: int, items: Sequence[FeedbackItem], scorer: IntakeScorer
) -> None:
    """Score items and combine with duplicate and burst findings from the workspace."""
    from testimonials.scoring import combine_suspicion  # numpy: see IntakeScorer

    to_score = [item for item in items if item.text.strip() and item.erased_at is None]
    if not to_score:
        return
    scores = scorer.scorer.score_batch(
        [ItemInput(i.text, i.rating, i.nps_score, i.verified) for i in to_score]
    )
    # Items without words (no signature) duplicate nothing, as in the in-memory index.
    duplicates = find_duplicates(
        session,
        workspace_id,
        [(i.minhash, i.content_hash if i.minhash else None, i.id) for i in to_score],
    )
    bursts = _recent_bursts(session, workspace_id, to_score)
    now = utcnow()
    for item, score, matches in zip(to_score, scores, duplicates, strict=True):
        combined = combine_suspicion(score, matches, bursts, item_id=item.id)
        item.specificity = combined.specificity
        item.suspicion = combined.suspicion
        item.score_reasons = [
            {"code": r.code, "message": r.message, "kind": r.kind, "weight": r.weight}
            for r in combined.reasons
        ]
        item.suggested_excerpt = combined.excerpt
        # What the source did not say, the scorer tells: the inbox and widgets filter by it.
        if item.language is None and score.language != UNDETERMINED:
            item.language = score.language
        item.scorer_version = scorer.version
        item.scored_at = now


def _recent_bursts(session: Session, workspace_id: int, items: Sequence[FeedbackItem]) -> list:
    """Bursts that the live items belong to, from what every process has stored.

    Only items sharing an origin with these are read: every group one of them belongs to is
    read whole, so its bursts are the same as over the whole window, and a busy workspace's
    hour costs no more than the few origins asked about.
    """
    live = [i for i in items if i.channel in LIVE_CHANNELS]
    if not live:
        return []
    since = min(i.received_at for i in live) - BURST_WINDOW
    origins = [
        column.in_(values)
        for column, values in (
            (FeedbackItem.client_fingerprint, {i.client_fingerprint for i in live} - {None}),
            (FeedbackItem.email_domain, {i.email_domain for i in live} - {None}),
            (FeedbackItem.device_fingerprint, {i.device_fingerprint for i in live} - {None}),
        )
        if values
    ]
    if not origins:
        return []
    rows = session.execute(
        select(
            FeedbackItem.id,
            FeedbackItem.received_at,
            FeedbackItem.client_fingerprint,
            FeedbackItem.email_domain,
            FeedbackItem.device_fingerprint,
        ).where(
            FeedbackItem.workspace_id == workspace_id,
            FeedbackItem.received_at >= since,
            FeedbackItem.channel.in_(LIVE_CHANNELS),
            or_(*origins),
        )
    ).all()
    records = [
        SubmissionRecord(
            row.id,
            row.received_at,
            row.client_fingerprint,
            row.email_domain,
            row.device_fingerprint,
        )
        for row in rows
    ]
    return detect_bursts(
        records, BURST_WINDOW, BURST_THRESHOLD, keys=("ip", "email_domain", "device")
    )
