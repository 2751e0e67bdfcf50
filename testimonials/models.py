"""Every model of every feature, imported in one place for Alembic and the tests."""

from testimonials.accounts.models import ApiKey, Membership, SignInSession, User, Workspace
from testimonials.curation.models import AuditEntry, Tag, Testimonial, WorkspaceModel
from testimonials.db import Base
from testimonials.harvest.customers.models import KnownCustomer
from testimonials.harvest.imports.models import ImportRun
from testimonials.harvest.models import FeedbackItem
from testimonials.harvest.surveys.models import FollowUp, Survey, SurveyInvitation
from testimonials.harvest.webhooks.models import WebhookDelivery, WebhookSource
from testimonials.privacy.models import Erasure

__all__ = [
    "ApiKey",
    "AuditEntry",
    "Base",
    "Erasure",
    "FeedbackItem",
    "FollowUp",
    "ImportRun",
    "KnownCustomer",
    "Membership",
    "SignInSession",
    "Survey",
    "SurveyInvitation",
    "Tag",
    "Testimonial",
    "User",
    "WebhookDelivery",
    "WebhookSource",
    "Workspace",
    "WorkspaceModel",
]
