"""The widget's geometry, decided on the server: heights per breakpoint, known before render.

Every card has a fixed height (long quotes are clamped, the whole text stays in the page for
screen readers and search engines), so a widget's height depends only on its kind, its card
count and the page width. The same numbers go into the widget's own stylesheet and into the
placeholder's, so the space a page reserves is exactly the space the widget takes: no shift.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from testimonials.widgets.models import WidgetKind

# (name, minimum page width in px, columns)
BREAKPOINTS = (("phone", 0, 1), ("tablet", 640, 2), ("desktop", 1024, 3))
CAPTION = 24
CONTROLS = 44  # a 44 px target for buttons and the pause switch
AVATAR = 48
MAX_AVATARS = 8


@dataclass(frozen=True)
class Metrics:
    """Spacing and card sizes of one density."""

    padding: int
    gap: int
    card: int
    single: int
    marquee: int


DENSITIES = {
    "comfortable": Metrics(padding=20, gap=16, card=224, single=260, marquee=176),
    "compact": Metrics(padding=12, gap=10, card=184, single=220, marquee=148),
}


def metrics(density: str) -> Metrics:
    """The metrics of a density (comfortable unless compact is asked for)."""
    return DENSITIES.get(density, DENSITIES["comfortable"])


def body_height(kind: str, cards: int, columns: int, m: Metrics) -> int:
    """The height of everything below the caption."""
    if kind == WidgetKind.WALL:
        rows = math.ceil(cards / columns)
        return rows * m.card + (rows - 1) * m.gap
    if kind == WidgetKind.CAROUSEL:
        return m.card + m.gap + CONTROLS
    if kind == WidgetKind.SINGLE:
        return m.single
    if kind == WidgetKind.MARQUEE:
        return m.marquee + m.gap + CONTROLS
    if kind == WidgetKind.AVATARS:
        return AVATAR + m.gap + CAPTION
    return 2 * CAPTION + m.gap  # rating: the score line and its basis


def heights(kind: str, cards: int, density: str, has_content: bool) -> dict[str, int]:
    """Height in px per breakpoint name; 0 when there is nothing to show."""
    if not has_content:
        return {name: 0 for name, _, _ in BREAKPOINTS}
    m = metrics(density)
    return {
        name: 2 * m.padding + CAPTION + m.gap + body_height(kind, cards, columns, m)
        for name, _, columns in BREAKPOINTS
    }


def media_rules(selector: str, hints: dict[str, int], extra: str = "") -> str:
    """CSS giving `selector` its height at each breakpoint (mobile first)."""
    rules = []
    for name, min_width, columns in BREAKPOINTS:
        rule = f"{selector}{{height:{hints[name]}px;--tw-cols:{columns}{extra}}}"
        rules.append(rule if min_width == 0 else f"@media (min-width:{min_width}px){{{rule}}}")
    return "".join(rules)
