"""Every model of every feature, imported in one place for Alembic and the tests."""

from testimonials.accounts.models import ApiKey, Membership, SignInSession, User, Workspace
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
from testimonials.widgets.models import Widget
from testimonials.widgets.share.models import ShareImage, SharePage

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
    "ShareImage",
    "SharePage",
    "SignInSession",
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
    "Widget",
    "Workspace",
    "WorkspaceModel",
]
