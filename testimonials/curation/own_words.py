"""Holding a testimonial's curated words to the honest-excerpt rule (see docs/excerpts.md)."""

from __future__ import annotations

from typing import Any

from testimonials.curation.excerpts import check_display_name, check_excerpt
from testimonials.curation.honesty import honesty_problem_of
from testimonials.curation.models import Testimonial
from testimonials.errors import InvalidInputError

CURATED_WORDS = ("excerpt", "display_name")


def check_own_words(testimonial: Testimonial, changes: dict[str, Any]) -> None:
    """Refuse an excerpt or display name that is not the customer's own (both reasons at once)."""
    problems: dict[str, list[str]] = {}
    if changes.get("excerpt"):
        verdict = check_excerpt(testimonial.item.text, changes["excerpt"])
        if verdict.problem:
            problems["excerpt"] = [verdict.problem]
    if isinstance(changes.get("display_name"), str) and changes["display_name"].strip():
        problem = check_display_name(testimonial.item.author_name, changes["display_name"])
        if problem:
            problems["display_name"] = [problem]
    if problems:
        raise InvalidInputError(next(iter(problems.values()))[0], problems)


def current_honesty_problem(testimonial: Testimonial) -> str | None:
    """Why the curated words are not the customer's own, recomputed from the current state."""
    item = testimonial.item
    if item.erased_at is not None:
        return None  # nothing of theirs is left to misquote, and it can never be published
    return honesty_problem_of(
        item.text, testimonial.excerpt, item.author_name, testimonial.display_name
    )


def refresh_honesty_problem(testimonial: Testimonial, before: dict[str, Any]) -> None:
    """Recompute the flag when the curated words changed (an edit, or an undo bringing old ones)."""
    if any(before.get(name) != getattr(testimonial, name) for name in CURATED_WORDS):
        testimonial.honesty_problem = current_honesty_problem(testimonial)
