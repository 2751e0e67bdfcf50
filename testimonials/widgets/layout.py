"""The widget's geometry, decided on the server: heights per breakpoint, known before render.

Every card has a fixed height (long quotes are clamped, the whole text stays in the page for
screen readers and search engines), so a widget's height depends only on its kind, its card
count and the page width. The same numbers go into the widget's own stylesheet and into the
placeholder's, so the space a page reserves is exactly the space the widget takes: no shift.
"""

from __future__ import annotations

import math
import unicodedata
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
    lines: int  # a quote is clamped after this many lines (fewer where the card is shorter)


DENSITIES = {
    "comfortable": Metrics(padding=20, gap=16, card=224, single=260, marquee=176, lines=6),
    "compact": Metrics(padding=12, gap=10, card=184, single=220, marquee=148, lines=5),
}
# What a card holds beside its quote (px): its padding and border, the name line and the
# gap above it; each further row (the stars, a disclosure) takes CARD_ROW more. A quote
# line is its font size times LINE_HEIGHT.
CARD_CHROME = 28 + 2 + 40 + 10
CARD_ROW = 20 + 8
LINE_HEIGHT = 1.45
# The narrowest a card's text gets: a phone's single column, or a marquee's 300 px card.
NARROWEST_TEXT = 246
NARROWEST_MARQUEE_TEXT = 266


def metrics(density: str) -> Metrics:
    """The metrics of a density (comfortable unless compact is asked for)."""
    return DENSITIES.get(density, DENSITIES["comfortable"])


def _quote_box(kind: str, m: Metrics) -> tuple[int, int]:
    """A card's height and its quote's font size, in px."""
    if kind == WidgetKind.MARQUEE:
        return m.marquee, 15
    if kind == WidgetKind.SINGLE:
        return m.single, 18
    return m.card, 15


def quote_lines(kind: str, density: str, rows: int = 0) -> int:
    """How many whole lines of quote a card with `rows` rows under its name line (stars,
    disclosure) shows: its clamp, so that no line is cut in half at the card's edge (at
    most the density's `lines`)."""
    m = metrics(density)
    height, font = _quote_box(kind, m)
    room = height - CARD_CHROME - rows * CARD_ROW
    return max(1, min(m.lines, int(room // (font * LINE_HEIGHT))))


def quote_capacity(kind: str, density: str, rows: int = 0) -> int:
    """Roughly how much quote such a card shows before it is cut, in half-em units (a Latin
    letter is about one, a CJK character two, a combining mark none), on its narrowest
    width. A quote beyond it gets a "Read more" control; in the script and iframe modes
    the loader then shows it only where the quote really is cut."""
    _height, font = _quote_box(kind, metrics(density))
    width = NARROWEST_MARQUEE_TEXT if kind == WidgetKind.MARQUEE else NARROWEST_TEXT
    # 80% of a full line: words wrap before the edge.
    return int(quote_lines(kind, density, rows) * width / (font / 2) * 0.8)


def text_width(text: str) -> int:
    """A text's width in half-em units (`quote_capacity`)."""
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


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
