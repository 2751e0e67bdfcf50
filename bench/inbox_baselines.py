"""The baselines bench_inbox.py times beside today's inbox_page: the inbox before the
counting cap, or `inbox_page` as any git revision wrote it (loaded from git beside today's)."""

from __future__ import annotations

import re
import subprocess
import sys
import types
from collections.abc import Callable
from pathlib import Path

from testimonials.curation.inbox import InboxFilters, _page_of, inbox_query
from testimonials.curation.models import Testimonial
from testimonials.db import Page, counted_page

REPO = Path(__file__).resolve().parents[1]


def previous_inbox_page(
    session, workspace_id: int, filters: InboxFilters, page_number: int, per_page: int
) -> Page:
    """The BASELINE: inbox_page before the counting cap (a window count of every match,
    every search through the text index, then sorted)."""
    ranked = inbox_query(workspace_id, filters).with_only_columns(Testimonial.id)
    rows, total = counted_page(session, ranked, (page_number - 1) * per_page, per_page)
    ids = [row.id for row in rows]
    return _page_of(session, ids, total, False, page_number, per_page)


def _module_at(ref: str, path: str, name: str, renamed: dict[str, str]) -> types.ModuleType:
    """The module at `path` as git revision `ref` wrote it, loaded beside today's as `name`
    (imports of the `renamed` modules point at their loaded copies)."""
    source = subprocess.run(
        ["git", "-C", str(REPO), "show", f"{ref}:{path}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    for today, loaded in renamed.items():
        source = source.replace(f"from {today} import", f"from {loaded} import")
    module = types.ModuleType(name)
    sys.modules[module.__name__] = module  # its dataclasses look their module up
    exec(compile(source, f"{ref}:{path}", "exec"), module.__dict__)
    return module


def inbox_page_at(ref: str) -> Callable[..., Page]:
    """`inbox_page` as the git revision `ref` wrote it (its module, and the text search it
    compiles with the character grams it reads, loaded from git beside today's), for a
    baseline timed in the same run as the code checked out."""
    suffix = re.sub(r"\W", "_", ref)
    search = f"search_at_{suffix}"
    renamed = {}
    if _exists_at(ref, GRAMS):  # which words the grams answer alone is the revision's own
        renamed["testimonials.harvest.grams"] = f"grams_at_{suffix}"
        _module_at(ref, GRAMS, renamed["testimonials.harvest.grams"], {})
    _module_at(ref, "testimonials/harvest/search.py", search, renamed)
    renamed = {"testimonials.harvest.search": search}
    module = _module_at(ref, "testimonials/curation/inbox.py", f"inbox_at_{suffix}", renamed)
    return module.inbox_page


GRAMS = "testimonials/harvest/grams.py"


def _exists_at(ref: str, path: str) -> bool:
    shown = ["git", "-C", str(REPO), "cat-file", "-e", f"{ref}:{path}"]
    return subprocess.run(shown, check=False, capture_output=True).returncode == 0
