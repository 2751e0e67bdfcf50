"""The API read bench's ORM floor: the same rows as api_floor_core_app.py through two mapped
classes, a Session per request and tags loaded with the rows (selectinload), which is what
any app on Flask + SQLAlchemy's ORM loads; bench/bench_api_read.py measures its worker's
memory beside the Core floor's. Reads BENCH_DATABASE_URL and BENCH_WORKSPACE_ID.
"""

import json
import os
from datetime import datetime
from typing import Any

from flask import Flask, Response
from sqlalchemy import JSON, Column, ForeignKey, Table, create_engine, select
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    mapped_column,
    relationship,
    selectinload,
)

engine = create_engine(os.environ["BENCH_DATABASE_URL"])
app = Flask(__name__)
WORKSPACE = int(os.environ["BENCH_WORKSPACE_ID"])


class Base(DeclarativeBase):
    pass


links = Table(
    "testimonial_tags",
    Base.metadata,
    Column("testimonial_id", ForeignKey("testimonials.id"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id"), primary_key=True),
)


class Tag(Base):
    __tablename__ = "tags"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]


class Item(Base):
    __tablename__ = "feedback_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    suggested_excerpt: Mapped[str | None]
    text: Mapped[str]
    title: Mapped[str | None]
    language: Mapped[str | None]
    specificity: Mapped[float | None]
    suspicion: Mapped[float | None]
    rating: Mapped[int | None]
    nps_score: Mapped[int | None]
    author_name: Mapped[str | None]
    author_role: Mapped[str | None]
    author_company: Mapped[str | None]
    score_reasons: Mapped[Any] = mapped_column(JSON)
    channel: Mapped[str]
    source_name: Mapped[str]
    consent_state: Mapped[str]
    verified: Mapped[bool]
    verified_by: Mapped[str | None]


class Testimonial(Base):
    __tablename__ = "testimonials"
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int]
    item_id: Mapped[int] = mapped_column(ForeignKey("feedback_items.id"))
    status: Mapped[str]
    rank_score: Mapped[float]
    excerpt: Mapped[str | None]
    display_name: Mapped[str | None]
    display_role: Mapped[str | None]
    display_company: Mapped[str | None]
    decided_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]
    item: Mapped[Item] = relationship(lazy="joined", innerjoin=True)
    tags: Mapped[list[Tag]] = relationship(secondary=links)


ITEM_FIELDS = [c.key for c in Item.__table__.columns if c.key != "id"]


@app.get("/api/v1/testimonials")
def testimonials():
    with Session(engine) as session:
        found = session.scalars(
            select(Testimonial)
            .where(Testimonial.workspace_id == WORKSPACE, Testimonial.status == "approved")
            .order_by(Testimonial.rank_score.desc(), Testimonial.id)
            .limit(20)
            .options(selectinload(Testimonial.tags))
        ).all()
        rows = [
            {
                "id": t.id,
                "status": t.status,
                "rank_score": t.rank_score,
                "excerpt": t.excerpt,
                "display_name": t.display_name,
                "display_role": t.display_role,
                "display_company": t.display_company,
                "decided_at": t.decided_at and t.decided_at.isoformat(),
                "updated_at": t.updated_at.isoformat(),
                **{name: getattr(t.item, name) for name in ITEM_FIELDS},
                "tags": [{"id": g.id, "name": g.name} for g in t.tags],
            }
            for t in found
        ]
    body = json.dumps({"items": rows, "total": len(rows), "page": 1, "per_page": 20})
    return Response(body, mimetype="application/json")
