"""Review imports: one row per file imported, with its report."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from testimonials.db import Base, UTCDateTime, utcnow


class ImportRun(Base):
    """One file import and its report: what was added, skipped as duplicate, or invalid."""

    __label__ = "import"
    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    file_format: Mapped[str] = mapped_column(String(10))
    source_name: Mapped[str] = mapped_column(String(120))
    layout: Mapped[str | None] = mapped_column(String(40))
    mapping: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    rows_total: Mapped[int] = mapped_column(default=0)
    rows_added: Mapped[int] = mapped_column(default=0)
    rows_duplicate: Mapped[int] = mapped_column(default=0)
    rows_invalid: Mapped[int] = mapped_column(default=0)
    # [{"row": 7, "reason": "rating 9 is outside 1-5"}], capped; counts above are exact.
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
