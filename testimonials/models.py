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
from testimonials.tracking.models import (
    ArmDay,
    Experiment,
    TrackingEvent,
    UnitDay,
    VisitorDaySalt,
)

__all__ = [
    "ApiKey",
    "ArmDay",
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
    "UnitDay",
    "User",
    "VisitorDaySalt",
    "WebhookDelivery",
    "WebhookSource",
    "Workspace",
    "WorkspaceModel",
]
