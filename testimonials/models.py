"""Every model of every feature, imported in one place for Alembic and the tests."""

from testimonials.accounts.models import ApiKey, Membership, User, Workspace
from testimonials.db import Base
from testimonials.harvest.models import FeedbackItem

__all__ = ["ApiKey", "Base", "FeedbackItem", "Membership", "User", "Workspace"]
