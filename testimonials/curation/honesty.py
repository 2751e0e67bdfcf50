"""The honesty flag of a testimonial: the one place the excerpt and name rules are combined.

Pure (plain values in, a readable reason out), so migration 0010 flags existing rows with
exactly the rule every service applies.
"""

from __future__ import annotations

from testimonials.curation.excerpts import check_display_name, check_excerpt

MAX_PROBLEM_LENGTH = 500


def honesty_problem_of(
    text: str, excerpt: str | None, author_name: str | None, display_name: str | None
) -> str | None:
    """Why a curated excerpt or display name is not the customer's own, or None."""
    problem = None
    if excerpt is not None:
        verdict = check_excerpt(text, excerpt)
        problem = f"Excerpt: {verdict.problem}" if verdict.problem else None
    if problem is None and display_name is not None:
        name_problem = check_display_name(author_name, display_name)
        problem = f"Name: {name_problem}" if name_problem else None
    if problem and len(problem) > MAX_PROBLEM_LENGTH:
        problem = problem[: MAX_PROBLEM_LENGTH - 1] + "…"
    return problem
