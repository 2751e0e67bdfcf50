"""Use cases for share images and share pages: what may be shared, rendered once, cached."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from testimonials.accounts.models import Workspace
from testimonials.curation.models import Status, Testimonial
from testimonials.curation.services import SUSPICION_OVERRIDE_THRESHOLD
from testimonials.db import get_in_workspace
from testimonials.errors import ConflictError, InvalidInputError, NotFoundError
from testimonials.harvest.models import ConsentState
from testimonials.widgets.share.models import ShareImage, SharePage
from testimonials.widgets.share.render import (
    DEFAULT_BRAND_COLOR,
    ShareContent,
    ShareFormat,
    render_share_image,
)

BRAND_COLOR = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass(frozen=True)
class RenderedImage:
    """A share image ready to serve: its bytes (None when only revalidating) and version."""

    version: str
    png: bytes | None


def why_not_shareable(testimonial: Testimonial) -> str | None:
    """The reason a testimonial may not be shown publicly, or None when it may."""
    item = testimonial.item
    if testimonial.status != Status.APPROVED.value:
        return "Only approved testimonials can be shared."
    if testimonial.honesty_problem is not None:
        return "Its excerpt is not the customer's own words; fix it first."
    if item.erased_at is not None:
        return "This respondent's data was erased."
    if item.consent_state != ConsentState.GRANTED.value:
        return "The author has not agreed to be quoted publicly."
    if (item.suspicion or 0.0) >= SUSPICION_OVERRIDE_THRESHOLD:
        # Highly suspicious items never go public, whatever a curator decided.
        return "This testimonial looks suspicious, so it is never shown publicly."
    return None


def check_shareable(testimonial: Testimonial) -> None:
    """Raise ConflictError unless the testimonial may be shown publicly."""
    reason = why_not_shareable(testimonial)
    if reason:
        raise ConflictError(reason)


def share_content(workspace: Workspace, testimonial: Testimonial) -> ShareContent:
    """What a share image of this testimonial shows: the public excerpt and the author."""
    item = testimonial.item
    return ShareContent(
        quote=testimonial.public_excerpt,
        name=testimonial.display_name or item.author_name or "",
        role=testimonial.display_role or item.author_role or "",
        company=testimonial.display_company or item.author_company or "",
        workspace_name=workspace.name,
        brand_color=workspace.brand_color or DEFAULT_BRAND_COLOR,
        language=item.language,
        photo=testimonial.photo,
        photo_etag=testimonial.photo_etag,
    )


def _cached(session: Session, testimonial_id: int, share_format: ShareFormat) -> ShareImage | None:
    return session.scalar(
        select(ShareImage).where(
            ShareImage.testimonial_id == testimonial_id,
            ShareImage.format == share_format.value,
        )
    )


def share_image(
    session: Session,
    testimonial: Testimonial,
    share_format: ShareFormat,
    *,
    known_version: str | None = None,
) -> RenderedImage:
    """The image, from the cache while its version matches, else drawn and cached.

    With `known_version` equal to the current version (the client's ETag) nothing is
    read or drawn: the caller answers 304.
    """
    check_shareable(testimonial)
    workspace = session.get_one(Workspace, testimonial.workspace_id)
    content = share_content(workspace, testimonial)
    version = content.version(share_format)
    if known_version == version:
        return RenderedImage(version, None)
    cached = _cached(session, testimonial.id, share_format)
    if cached is not None and cached.version == version:
        return RenderedImage(version, cached.png)
    png = render_share_image(content, share_format)
    if cached is not None:
        cached.version, cached.png = version, png
        session.flush()
        return RenderedImage(version, png)
    try:
        # Two requests may draw the same new image at once; the second one's row loses.
        with session.begin_nested():
            session.add(
                ShareImage(
                    workspace_id=testimonial.workspace_id,
                    testimonial_id=testimonial.id,
                    format=share_format.value,
                    version=version,
                    png=png,
                )
            )
    except IntegrityError:
        pass
    return RenderedImage(version, png)


def forget_images(session: Session, testimonial_ids: Iterable[int]) -> None:
    """Drop cached images (they show a name and a photo: erasure must not leave them)."""
    ids = list(testimonial_ids)
    if ids:
        session.execute(delete(ShareImage).where(ShareImage.testimonial_id.in_(ids)))
        session.flush()


def forget_images_of_items(session: Session, item_ids: Iterable[int]) -> None:
    """Drop cached images of the testimonials of these feedback items."""
    ids = list(item_ids)
    if ids:
        forget_images(
            session, session.scalars(select(Testimonial.id).where(Testimonial.item_id.in_(ids)))
        )


def share_page_of(session: Session, testimonial: Testimonial) -> SharePage | None:
    """The testimonial's open share page, if any."""
    return session.scalar(select(SharePage).where(SharePage.testimonial_id == testimonial.id))


def open_share_page(session: Session, testimonial: Testimonial) -> SharePage:
    """Open (or return the already open) public page of a shareable testimonial."""
    check_shareable(testimonial)
    page = share_page_of(session, testimonial)
    if page is None:
        page = SharePage(workspace_id=testimonial.workspace_id, testimonial_id=testimonial.id)
        session.add(page)
        session.flush()
    return page


def close_share_page(session: Session, testimonial: Testimonial) -> None:
    """Close the public page; opening it again gives a new link (the old one stays dead)."""
    page = share_page_of(session, testimonial)
    if page is not None:
        session.delete(page)
        session.flush()


def shared_testimonial(session: Session, token: str) -> Testimonial:
    """The testimonial behind a public link, or NotFoundError when it may no longer be seen."""
    page = session.scalar(select(SharePage).where(SharePage.token == token))
    if page is None:
        raise NotFoundError("No such page.")
    testimonial = session.get_one(Testimonial, page.testimonial_id)
    if why_not_shareable(testimonial):
        # Revoked, erased, un-approved: the page is gone, and we do not say why.
        raise NotFoundError("No such page.")
    return testimonial


def get_shareable(session: Session, workspace_id: int, testimonial_id: int) -> Testimonial:
    """One testimonial of the workspace (NotFoundError for another workspace's ids)."""
    return get_in_workspace(session, Testimonial, workspace_id, testimonial_id)


def set_brand_color(session: Session, workspace: Workspace, color: str | None) -> Workspace:
    """Set the workspace's brand colour ("#rrggbb"), or clear it back to the default."""
    value = (color or "").strip() or None
    if value is not None and not BRAND_COLOR.fullmatch(value):
        raise InvalidInputError(
            "A brand colour is written as # and six hexadecimal digits, e.g. #4f46e5.",
            {"brand_color": [f"{value!r} is not a colour like #4f46e5."]},
        )
    workspace.brand_color = value.lower() if value else None
    session.flush()
    return workspace
