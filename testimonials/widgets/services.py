"""Use cases for widgets: define them, and decide what each may show (the honesty rules)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, case, func, literal_column, or_, select
from sqlalchemy.orm import Session, defer, joinedload

from testimonials.accounts.models import Workspace
from testimonials.curation.models import Disclosure, Tag, Testimonial, testimonial_tags
from testimonials.curation.models import publishable as curation_publishable
from testimonials.curation.services import SUSPICION_OVERRIDE_THRESHOLD
from testimonials.db import get_in_workspace
from testimonials.errors import InvalidInputError, NotFoundError
from testimonials.harvest.models import ConsentState, FeedbackItem
from testimonials.widgets.models import Widget, WidgetKind

# Highly suspicious items never appear, whatever a curator decided.
NEVER_SHOWN_SUSPICION = SUSPICION_OVERRIDE_THRESHOLD
# Excluded from a rating for a content-neutral reason, the same for every star count.
SUSPECTED_FAKE = "suspected fake or spam (scorer's suspicion at or above the threshold)"
# What a custom stylesheet may not contain: it would reach outside the widget or the origin.
_FORBIDDEN_CSS = re.compile(
    r"@import|@namespace|@charset|@font-face|url\s*\(|image-set|expression\s*\(|<|\\", re.I
)
EDITABLE = (
    "name",
    "kind",
    "selection",
    "theme",
    "fields",
    "custom_css",
    "caption",
    "structured_data",
    "allowed_origins",
    "language",
)


# --- definitions -------------------------------------------------------------------------


def widgets_query(workspace_id: int) -> Select[Widget]:
    """The workspace's widgets, by name."""
    return (
        select(Widget).where(Widget.workspace_id == workspace_id).order_by(Widget.name, Widget.id)
    )


def get_widget(session: Session, workspace_id: int, widget_id: int) -> Widget:
    """One widget of the workspace, or NotFoundError."""
    return get_in_workspace(session, Widget, workspace_id, widget_id)


def find_public_widget(session: Session, public_key: str) -> Widget:
    """The widget a public embed names, or NotFoundError (the key is all a page knows)."""
    widget = session.scalar(select(Widget).where(Widget.public_key == public_key))
    if widget is None:
        raise NotFoundError("No such widget: check the embed code.")
    return widget


def check_custom_css(css: str) -> str:
    """Custom CSS that stays inside the widget: balanced braces, nothing fetched, no escapes."""
    css = css.strip()
    problem = _FORBIDDEN_CSS.search(css)
    if problem:
        raise InvalidInputError(
            f"Custom CSS may not use {problem.group(0)!r}: widgets load nothing from other "
            "places and stay inside their own box.",
            {"custom_css": [f"Remove {problem.group(0)!r}."]},
        )
    depth = 0
    for char in re.sub(r"/\*.*?\*/|\"[^\"]*\"|'[^']*'", "", css, flags=re.S):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            break
    if depth != 0 or "/*" in re.sub(r"/\*.*?\*/", "", css, flags=re.S):
        raise InvalidInputError(
            "Custom CSS has unbalanced braces or an unclosed comment.",
            {"custom_css": ["Every { needs its }."]},
        )
    return css


def _check_ids(session: Session, workspace_id: int, changes: dict[str, Any]) -> None:
    """Tags and pinned testimonials must be the workspace's own."""
    selection = changes.get("selection") or {}
    tag_ids = set(selection.get("tag_ids") or ())
    if tag_ids:
        found = set(
            session.scalars(
                select(Tag.id).where(Tag.workspace_id == workspace_id, Tag.id.in_(tag_ids))
            )
        )
        if missing := sorted(tag_ids - found):
            raise InvalidInputError(
                f"No tag {missing[0]} in this workspace.",
                {"selection": {"tag_ids": [f"Unknown tags: {missing}."]}},
            )
    pinned = list(selection.get("pinned_ids") or ())
    if len(set(pinned)) != len(pinned):
        raise InvalidInputError(
            "A testimonial is pinned twice.", {"selection": {"pinned_ids": ["Duplicates."]}}
        )
    if pinned:
        found = set(
            session.scalars(
                select(Testimonial.id).where(
                    Testimonial.workspace_id == workspace_id, Testimonial.id.in_(pinned)
                )
            )
        )
        if missing := [i for i in pinned if i not in found]:
            raise InvalidInputError(
                f"No testimonial {missing[0]} in this workspace.",
                {"selection": {"pinned_ids": [f"Unknown testimonials: {missing}."]}},
            )


def create_widget(session: Session, workspace_id: int, values: dict[str, Any]) -> Widget:
    """A new widget from validated values."""
    values = {k: v for k, v in values.items() if k in EDITABLE}
    values["custom_css"] = check_custom_css(values.get("custom_css", ""))
    _check_ids(session, workspace_id, values)
    widget = Widget(workspace_id=workspace_id, **values)
    session.add(widget)
    session.flush()
    return widget


def update_widget(session: Session, widget: Widget, changes: dict[str, Any]) -> Widget:
    """Change some of a widget's settings (nested settings are replaced whole)."""
    changes = {k: v for k, v in changes.items() if k in EDITABLE}
    if "custom_css" in changes:
        changes["custom_css"] = check_custom_css(changes["custom_css"])
    _check_ids(session, widget.workspace_id, changes)
    for name, value in changes.items():
        setattr(widget, name, value)
    session.flush()
    return widget


def delete_widget(session: Session, widget: Widget) -> None:
    """Delete a widget; pages that embed it show nothing from the next request on."""
    session.delete(widget)
    session.flush()


# --- what a widget shows -----------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    """One testimonial as every delivery mode shows it (plain text, escaped where rendered)."""

    id: int
    quote: str
    name: str
    role: str | None
    company: str | None
    language: str | None
    rating: int | None
    date: datetime | None
    source: str
    has_photo: bool
    photo_etag: str | None
    disclosure: str | None


@dataclass(frozen=True)
class RatingSummary:
    """The average rating of all genuine reviews, and what was left out and why."""

    average: float | None
    count: int
    distribution: dict[int, int]
    exclusions: dict[str, int] = field(default_factory=dict)

    @property
    def shown_average(self) -> str:
        """The average exactly as displayed (and as JSON-LD states it): one decimal."""
        return "" if self.average is None else f"{self.average:.1f}"


@dataclass(frozen=True)
class WidgetContent:
    """Everything a renderer needs: the widget's settings, its cards and the rating."""

    widget: Widget
    company: str
    cards: list[Card]
    rating: RatingSummary | None
    published_count: int


def publishable() -> Any:
    """The SQL condition for a testimonial anyone may see: the one place to extend.

    Curation's rule (approved, public words the customer's own) plus what serving adds:
    publishing consent, not erased, not highly suspicious.
    """
    return (
        curation_publishable()
        & (FeedbackItem.consent_state == ConsentState.GRANTED.value)
        & FeedbackItem.erased_at.is_(None)
        & or_(FeedbackItem.suspicion.is_(None), FeedbackItem.suspicion < NEVER_SHOWN_SUSPICION)
    )


def publishable_testimonials(workspace_id: int) -> Select[Testimonial]:
    """Approved, consented, not erased, not highly suspicious testimonials of a workspace."""
    return (
        select(Testimonial)
        .join(Testimonial.item)
        .where(Testimonial.workspace_id == workspace_id, publishable())
        .options(
            defer(Testimonial.photo),
            joinedload(Testimonial.item).defer(FeedbackItem.minhash).defer(FeedbackItem.answers),
        )
    )


DISCLOSURE_LABELS = {
    Disclosure.EMPLOYEE: "Works for {company}",
    Disclosure.FAMILY: "Friend or family of the {company} team",
    Disclosure.PARTNER: "Business partner of {company}",
    Disclosure.INCENTIVISED: "Received an incentive for this review",
}


def disclosure_label(testimonial: Testimonial, company: str) -> str | None:
    """The disclosure a card must carry: set by a curator, or an incentive the scorer found."""
    if testimonial.disclosure:
        return DISCLOSURE_LABELS[Disclosure(testimonial.disclosure)].format(company=company)
    reasons = testimonial.item.score_reasons or []
    if any(r.get("code") == "incentivised" for r in reasons if isinstance(r, dict)):
        return DISCLOSURE_LABELS[Disclosure.INCENTIVISED]
    return None


def _card(testimonial: Testimonial, company: str) -> Card:
    item = testimonial.item
    return Card(
        id=testimonial.id,
        quote=testimonial.public_excerpt,
        name=testimonial.display_name or item.author_name or "A customer",
        role=testimonial.display_role or item.author_role,
        company=testimonial.display_company or item.author_company,
        language=item.language,
        rating=item.rating,
        date=item.submitted_at or item.received_at,
        source=item.source_name,
        has_photo=testimonial.photo_etag is not None,
        photo_etag=testimonial.photo_etag,
        disclosure=disclosure_label(testimonial, company),
    )


def _selected(workspace_id: int, selection: dict[str, Any]) -> Select[Testimonial]:
    query = publishable_testimonials(workspace_id)
    if selection.get("tag_ids"):
        tagged = select(testimonial_tags.c.testimonial_id).where(
            testimonial_tags.c.tag_id.in_(selection["tag_ids"])
        )
        query = query.where(Testimonial.id.in_(tagged))
    if selection.get("languages"):
        wanted = [lang.lower() for lang in selection["languages"]]
        language = func.lower(FeedbackItem.language)
        # "pt" takes "pt-BR" too; "pt-BR" takes only itself.
        query = query.where(
            or_(language.in_(wanted), *[language.like(f"{lang}-%") for lang in wanted])
        )
    if selection.get("channels"):
        query = query.where(FeedbackItem.channel.in_(selection["channels"]))
    if selection.get("min_specificity"):
        query = query.where(FeedbackItem.specificity >= selection["min_specificity"])
    return query


def shown_count(widget: Widget) -> int:
    """How many cards the widget shows at most."""
    return (
        1
        if widget.kind == WidgetKind.SINGLE
        else int((widget.selection or {}).get("max_items") or 12)
    )


def widget_cards(
    session: Session, widget: Widget, company: str, limit: int | None = None
) -> list[Card]:
    """The cards a widget shows: pinned ones first in their order, then the best ranked.

    `limit` reads further down the same ranking (the pool a randomised experiment draws from).
    """
    selection = widget.selection or {}
    limit = limit or shown_count(widget)
    pinned_ids = list(selection.get("pinned_ids") or ())[:limit]
    pinned: list[Testimonial] = []
    if pinned_ids:
        # Pinned means "show this one": the selection filters don't apply, publishing rules do.
        found = {
            t.id: t
            for t in session.scalars(
                publishable_testimonials(widget.workspace_id).where(Testimonial.id.in_(pinned_ids))
            ).unique()
        }
        pinned = [found[i] for i in pinned_ids if i in found]
    rest: list[Testimonial] = []
    if len(pinned) < limit:
        query = _selected(widget.workspace_id, selection)
        if pinned_ids:
            query = query.where(Testimonial.id.not_in(pinned_ids))
        query = query.order_by(Testimonial.rank_score.desc(), Testimonial.id.desc())
        rest = list(session.scalars(query.limit(limit - len(pinned))).unique())
    return [_card(t, company) for t in [*pinned, *rest]]


def rating_summary(session: Session, workspace_id: int) -> RatingSummary:
    """The average of ALL genuine ratings of the workspace, approved or not, quoted or not.

    Only content-neutral reasons exclude a rating (today: the scorer suspects a fake or
    spam), applied the same to one star as to five, and every exclusion is counted by
    reason so the dashboard can show what was left out.
    """
    suspected = FeedbackItem.suspicion >= NEVER_SHOWN_SUSPICION
    # Grouped by the output name: repeating the expression would bind its parameters twice,
    # which PostgreSQL does not recognise as the same grouping.
    reason = case((suspected, 1), else_=0).label("excluded")
    rows: Sequence[tuple[Any, ...]] = session.execute(
        select(reason, FeedbackItem.rating, func.count())
        .where(FeedbackItem.workspace_id == workspace_id, FeedbackItem.rating.is_not(None))
        .group_by(literal_column("excluded"), FeedbackItem.rating)
    ).all()
    distribution = {stars: 0 for stars in range(1, 6)}
    exclusions: dict[str, int] = {}
    for why, stars, count in rows:
        if why:
            exclusions[SUSPECTED_FAKE] = exclusions.get(SUSPECTED_FAKE, 0) + count
        else:
            distribution[int(stars)] += count
    total = sum(distribution.values())
    average = sum(s * n for s, n in distribution.items()) / total if total else None
    return RatingSummary(average, total, distribution, exclusions)


def widget_content(session: Session, widget: Widget, pool: int | None = None) -> WidgetContent:
    """What a widget shows right now (rendering and caching happen above this).

    With `pool`, `cards` holds up to that many (what it shows, then the next best ranked).
    """
    company = session.scalar(select(Workspace.name).where(Workspace.id == widget.workspace_id))
    fields = widget.fields or {}
    rating = None
    if widget.kind == WidgetKind.RATING or (widget.structured_data and fields.get("rating", True)):
        rating = rating_summary(session, widget.workspace_id)
    cards: list[Card] = []
    published = 0
    if widget.kind != WidgetKind.RATING:
        cards = widget_cards(session, widget, company or "us", pool)
    if widget.kind == WidgetKind.AVATARS:
        published = (
            session.scalar(
                select(func.count())
                .select_from(Testimonial)
                .join(Testimonial.item)
                .where(Testimonial.workspace_id == widget.workspace_id, publishable())
            )
            or 0
        )
    return WidgetContent(widget, company or "", cards, rating, published)


def pinned_choices(session: Session, workspace_id: int, ids: Sequence[int]) -> list[Testimonial]:
    """Testimonials by id, for showing what is pinned in the dashboard."""
    if not ids:
        return []
    found = {
        t.id: t
        for t in session.scalars(
            select(Testimonial).where(
                Testimonial.workspace_id == workspace_id, Testimonial.id.in_(ids)
            )
        )
    }
    return [found[i] for i in ids if i in found]
