"""The one renderer behind every delivery mode: HTML, its stylesheet, JSON-LD and JSON."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from jinja2 import Environment
from jinja2.utils import htmlsafe_json_dumps

from testimonials.locales import (
    DEFAULT_LANGUAGE,
    direction,
    format_day,
    format_number,
    localizable,
    speaking,
    supported,
    translate,
)
from testimonials.slots import SlotPlan
from testimonials.widgets.layout import (
    MAX_AVATARS,
    heights,
    quote_capacity,
    quote_lines,
    text_width,
)
from testimonials.widgets.models import WidgetKind
from testimonials.widgets.services import Card, WidgetContent
from testimonials.widgets.styles import slot_stylesheet, widget_stylesheet

# The widget's accessible name (and its frame's title), per kind.
KIND_LABELS = {
    WidgetKind.WALL: "Testimonials from customers of %(company)s",
    WidgetKind.CAROUSEL: "Testimonials from customers of %(company)s",
    WidgetKind.SINGLE: "Testimonial from customers of %(company)s",
    WidgetKind.MARQUEE: "Testimonials from customers of %(company)s",
    WidgetKind.AVATARS: "Our customers from customers of %(company)s",
    WidgetKind.RATING: "Customer rating from customers of %(company)s",
}
DEFAULT_CAPTION = "Selected by {company}"
# For the catalogs' extraction: the labels above and the default caption are translated.
_EXTRACTED = (
    localizable("Testimonials from customers of %(company)s", company=""),
    localizable("Testimonial from customers of %(company)s", company=""),
    localizable("Our customers from customers of %(company)s", company=""),
    localizable("Customer rating from customers of %(company)s", company=""),
    localizable("Selected by {company}"),
)


@dataclass(frozen=True)
class RenderedWidget:
    """A widget rendered once, for every mode: markup, styles and reserved heights."""

    key: str
    html: str
    css: str
    slot_css: str
    heights: dict[str, int]
    data: dict[str, Any]
    json_ld_html: str
    title: str
    allowed_origins: tuple[str, ...]
    # Per-mode response bodies and their ETags, filled on first use.
    bodies: dict[str, tuple[bytes, str, list[tuple[str, str]]]] = field(default_factory=dict)
    # A running experiment decides this widget's slot per visitor (None: same for everyone).
    plan: SlotPlan | None = None
    # The testimonials a randomised treatment draws from (shown ones first), and how many
    # it shows; `html_of` renders the markup for a chosen list of them, in that order.
    pool: tuple[int, ...] = ()
    shown: int = 0
    html_of: Callable[[Sequence[int]], str] | None = None
    # The visitors' language (testimonials.locales): the frame page's `lang`, and the
    # answers' Content-Language when it is not English.
    language: str = DEFAULT_LANGUAGE


def initials(name: str) -> str:
    """Up to two initials of a display name, in any script."""
    parts = [p for p in name.split() if p[:1].isalnum()]
    return "".join(p[0] for p in parts[:2]).upper() or "?"


def has_content(content: WidgetContent) -> bool:
    """Whether there is anything to show (an empty widget takes no space at all)."""
    if content.widget.kind == WidgetKind.RATING:
        return content.rating is not None and content.rating.count > 0
    return bool(content.cards)


def caption_text(content: WidgetContent) -> str:
    """The "selected by {company}" caption that curated widgets always carry (the default
    wording in the widget's language; a marketer's own caption as written)."""
    caption = content.widget.caption or DEFAULT_CAPTION
    if caption == DEFAULT_CAPTION:
        caption = translate(language_of(content), DEFAULT_CAPTION)
    return caption.replace("{company}", content.company)


def language_of(content: WidgetContent) -> str:
    """The language the widget's visitors read (English for a widget that names none)."""
    return supported(getattr(content.widget, "language", None))


def shows_rating_summary(content: WidgetContent) -> bool:
    """Whether the aggregate rating is visible (JSON-LD may only state what is visible)."""
    return content.rating is not None and content.rating.count > 0


def json_ld(content: WidgetContent) -> dict[str, Any] | None:
    """schema.org data for an eligible item bound to the widget, equal to what is shown."""
    bound = content.widget.structured_data
    if not bound or not has_content(content):
        return None
    document: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": bound["type"],
        "name": bound["name"],
    }
    rating = content.rating
    if rating is not None and rating.count > 0:
        document["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": rating.shown_average,
            "bestRating": "5",
            "worstRating": "1",
            "ratingCount": rating.count,
        }
    fields = content.widget.fields or {}
    reviews = [
        {
            "@type": "Review",
            "reviewBody": card.quote,
            "author": {"@type": "Person", "name": card.name},
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": str(card.rating),
                "bestRating": "5",
                "worstRating": "1",
            },
            **({"datePublished": card.date.date().isoformat()} if card.date else {}),
            **({"inLanguage": card.language} if card.language else {}),
        }
        for card in content.cards
        # A review snippet needs a named author and a visible rating of its own.
        if card.rating and card.name != "A customer" and fields.get("rating", True)
    ]
    if reviews:
        document["review"] = reviews
    if "aggregateRating" not in document and "review" not in document:
        return None
    return document


def public_data(content: WidgetContent, photo_url: Callable[[Card], str]) -> dict[str, Any]:
    """The read-only JSON for headless sites: what the widget shows, nothing more."""
    widget = content.widget
    fields = widget.fields or {}
    rating = content.rating
    return {
        "widget": {"key": widget.public_key, "kind": widget.kind, "caption": caption_text(content)},
        "testimonials": [
            {
                "id": card.id,
                "quote": card.quote,
                "name": card.name,
                "role": card.role if fields.get("role", True) else None,
                "company": card.company if fields.get("company", True) else None,
                "language": card.language,
                "rating": card.rating if fields.get("rating", True) else None,
                "date": card.date.date().isoformat() if card.date and fields.get("date") else None,
                "source": card.source if fields.get("source") else None,
                "photo_url": photo_url(card)
                if card.has_photo and fields.get("photo", True)
                else None,
                "disclosure": card.disclosure,
            }
            for card in content.cards
        ],
        "rating": None
        if rating is None or rating.count == 0
        else {"average": rating.shown_average, "count": rating.count, "best": 5, "worst": 1},
        "published_count": content.published_count if widget.kind == WidgetKind.AVATARS else None,
    }


def render_widget(
    env: Environment,
    content: WidgetContent,
    photo_url: Callable[[Card], str],
    shown: int | None = None,
    plan: SlotPlan | None = None,
) -> RenderedWidget:
    """Render a widget once; every delivery mode serves pieces of this.

    `content.cards` may hold more than the widget shows (`shown`): the rest is the pool a
    randomised experiment draws from; every shared mode shows the first `shown`.
    """
    pool = {card.id: card for card in content.cards}
    shown = len(content.cards) if shown is None else shown
    content = replace(content, cards=content.cards[:shown])
    widget = content.widget
    theme = widget.theme or {}
    showing = has_content(content)
    hints = heights(widget.kind, len(content.cards), theme.get("density", "comfortable"), showing)
    fields = {"photo": True, "role": True, "company": True, "rating": True, **(widget.fields or {})}
    template = env.get_template("widgets/_widget.html")
    language = language_of(content)
    label = translate(
        language, localizable(KIND_LABELS[WidgetKind(widget.kind)], company=content.company)
    )
    density = theme.get("density", "comfortable")

    def rows_under_name(card: Card) -> int:  # the stars and the disclosure, when shown
        return int(bool(fields["rating"] and card.rating)) + int(bool(card.disclosure))

    context = dict(
        has_content=showing,
        kind=widget.kind,
        key=widget.public_key,
        label=label,
        caption=caption_text(content),
        rating=content.rating if shows_rating_summary(content) else None,
        company=content.company,
        published_count=content.published_count,
        show=fields,
        photo_url=photo_url,
        initials=initials,
        lang=language,
        dir=direction(language),
        number=lambda value, decimals=0: format_number(value, language, decimals),
        day=lambda moment: format_day(moment, language),
        max_avatars=MAX_AVATARS,
        quote_lines=lambda card: quote_lines(widget.kind, density, rows_under_name(card)),
        may_be_cut=lambda card: (
            text_width(card.quote) > quote_capacity(widget.kind, density, rows_under_name(card))
        ),
    )
    with speaking(language):
        html = template.render(**context, cards=content.cards)

    def html_of(ids: Sequence[int]) -> str:
        with speaking(language):
            return template.render(**context, cards=[pool[i] for i in ids if i in pool])

    structured = json_ld(content)
    # htmlsafe: <, >, & and ' are escaped inside the JSON, so no text can close the script.
    json_ld_html = (
        f'<script type="application/ld+json">{htmlsafe_json_dumps(structured)}</script>'
        if structured
        else ""
    )
    css = widget_stylesheet(
        widget.public_key,
        theme,
        hints,
        widget.custom_css or "",
        rtl=direction(language) == "rtl",
        translated=language != DEFAULT_LANGUAGE,
    )
    return RenderedWidget(
        key=widget.public_key,
        html=html,
        css=css,
        slot_css=slot_stylesheet(widget.public_key, hints),
        heights=hints,
        data=public_data(content, photo_url),
        json_ld_html=json_ld_html,
        title=label,
        allowed_origins=tuple(o.lower() for o in widget.allowed_origins or ()),
        plan=plan,
        pool=tuple(pool),
        shown=len(content.cards),
        html_of=html_of,
        language=language,
    )
