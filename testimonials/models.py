"""Every model of every feature, imported in one place for Alembic and the tests."""

from testimonials.accounts.models import ApiKey, Membership, User, Workspace
from testimonials.curation.models import AuditEntry, Tag, Testimonial, WorkspaceModel
from testimonials.db import Base
from testimonials.harvest.customers.models import KnownCustomer
from testimonials.harvest.models import (
    Erasure,
    FeedbackItem,
    FollowUp,
    ImportRun,
    Survey,
    SurveyInvitation,
    WebhookDelivery,
    WebhookSource,
)
from testimonials.tracking.models import Experiment, TrackingEvent, VisitorDaySalt

__all__ = [
    "ApiKey",
    "AuditEntry",
    "Base",
    "Erasure",
    "Experiment",
    "FeedbackItem",
    "FollowUp",
    "ImportRun",
    "KnownCustomer",
    "Membership",
    "Survey",
    "SurveyInvitation",
    "Tag",
    "Testimonial",
    "TrackingEvent",
    "User",
    "VisitorDaySalt",
    "WebhookDelivery",
    "WebhookSource",
    "Workspace",
    "WorkspaceModel",
]
