"""Every model of every feature, imported in one place for Alembic and the tests."""

from testimonials.accounts.models import ApiKey, Membership, SignInSession, User, Workspace
from testimonials.curation.models import AuditEntry, Tag, Testimonial, WorkspaceModel
from testimonials.db import Base
from testimonials.harvest.customers.models import KnownCustomer
from testimonials.harvest.imports.models import ImportRun
from testimonials.harvest.models import FeedbackItem
from testimonials.harvest.near_duplicates import NearDuplicateKey, RecentNearDuplicateKey
from testimonials.harvest.surveys.models import FollowUp, Survey, SurveyInvitation
from testimonials.harvest.webhooks.models import WebhookDelivery, WebhookSource
from testimonials.privacy.models import Erasure
from testimonials.report.models import NpsCount
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
    "NearDuplicateKey",
    "NpsCount",
    "RecentNearDuplicateKey",
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
