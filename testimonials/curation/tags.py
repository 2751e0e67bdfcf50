"""Tags and collections that widgets select testimonials from."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from testimonials.curation.models import Tag
from testimonials.db import get_in_workspace
from testimonials.errors import ConflictError, InvalidInputError
from testimonials.schemas import parse_id


def tag_slug(name: str) -> str:
    """A slug that keeps letters of every script ("日本" stays "日本", not a placeholder)."""
    return re.sub(r"[\W_]+", "-", name.casefold()).strip("-")[:60] or "tag"


def tags_query(workspace_id: int) -> Select[Tag]:
    """The workspace's tags, collections first, then by name."""
    return (
        select(Tag)
        .where(Tag.workspace_id == workspace_id)
        .order_by(Tag.is_collection.desc(), Tag.name)
    )


def create_tag(session: Session, workspace_id: int, name: str, is_collection: bool = False) -> Tag:
    """Create a tag (or a collection) with a unique slug in the workspace."""
    name = " ".join(name.split())
    if not name or len(name) > 60:
        raise InvalidInputError("A tag needs a name of 1 to 60 characters.", {"name": ["Length."]})
    slug = tag_slug(name)
    if session.scalar(select(Tag.id).where(Tag.workspace_id == workspace_id, Tag.slug == slug)):
        raise ConflictError(f"There is already a tag called {name!r}.")
    tag = Tag(workspace_id=workspace_id, name=name, slug=slug, is_collection=is_collection)
    session.add(tag)
    session.flush()
    return tag


def get_tag(session: Session, workspace_id: int, tag_id: int) -> Tag:
    """One tag of the workspace, or NotFoundError."""
    return get_in_workspace(session, Tag, workspace_id, tag_id)


def tags_by_id(session: Session, workspace_id: int, tag_ids: Sequence[int]) -> list[Tag]:
    """The workspace's tags with these ids; an id from elsewhere is an error, not ignored."""
    wanted = set(tag_ids)
    tags = list(
        session.scalars(select(Tag).where(Tag.workspace_id == workspace_id, Tag.id.in_(wanted)))
    )
    missing = wanted - {tag.id for tag in tags}
    if missing:
        raise InvalidInputError(
            "Unknown tags.",
            {"tag_ids": [f"No tag {i} in this workspace." for i in sorted(missing)]},
        )
    return tags


def delete_tag(session: Session, workspace_id: int, tag_id: int) -> None:
    """Delete a tag; testimonials keep everything else."""
    session.delete(get_tag(session, workspace_id, tag_id))
    session.flush()


def chosen_tags(
    session: Session, workspace_id: int, raw_ids: Sequence[str], new_name: str
) -> list[Tag]:
    """Chosen tags of the workspace, plus a new one created inline when named."""
    ids = [found for found in map(parse_id, raw_ids) if found]
    chosen = tags_by_id(session, workspace_id, ids) if ids else []
    name = " ".join(new_name.split())
    if name:
        existing = session.scalar(
            select(Tag).where(
                Tag.workspace_id == workspace_id, func.lower(Tag.name) == name.lower()
            )
        )
        chosen.append(existing or create_tag(session, workspace_id, name))
    return list({tag.id: tag for tag in chosen}.values())
