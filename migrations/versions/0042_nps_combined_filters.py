"""NPS report with two or more filters: the answers it reads are found by an index

Revision ID: 0042
Revises: 0044
Create Date: 2026-12-05 01:40:00

A report narrowed by two or more of survey, channel, country (and tag) has no slice in
nps_counts and is computed from the answers. The one index it had,
ix_feedback_items_workspace_nps_report (workspace, score, survey, channel, country,
dates), led with the score, so every such report read all the workspace's answers (1.1 s
at a million on PostgreSQL). Three partial indexes of the scored answers replace it, each
leading with a different dimension after the workspace so that every pair of survey,
channel and country is a prefix of one of them (channel-country, survey-channel,
country-survey): a combined filter reads only its own answers. Each covers the columns
the report reads (dates, score, the three dimensions, and the id the tag segments join
on), so neither database visits the table. Rows without an NPS score are in none of them:
star-rated reviews and most imports write fewer index entries than before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0042"
down_revision: str | None = "0044"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCORED = sa.text("nps_score IS NOT NULL")
COVERED = ["nps_score", "submitted_at", "received_at", "id"]
# Name and leading dimensions of each index; every pair of dimensions leads one of them.
INDEXES = (
    ("ix_feedback_items_nps_channel", ["channel", "country", "survey_id"]),
    ("ix_feedback_items_nps_survey", ["survey_id", "channel", "country"]),
    ("ix_feedback_items_nps_country", ["country", "survey_id", "channel"]),
)


def upgrade() -> None:
    for name, dimensions in INDEXES:
        op.create_index(
            name,
            "feedback_items",
            ["workspace_id", *dimensions, *COVERED],
            sqlite_where=SCORED,
            postgresql_where=SCORED,
        )
    op.drop_index("ix_feedback_items_workspace_nps_report", table_name="feedback_items")


def downgrade() -> None:
    op.create_index(
        "ix_feedback_items_workspace_nps_report",
        "feedback_items",
        [
            "workspace_id",
            "nps_score",
            "survey_id",
            "channel",
            "country",
            "submitted_at",
            "received_at",
        ],
    )
    for name, _ in INDEXES:
        op.drop_index(name, table_name="feedback_items")
