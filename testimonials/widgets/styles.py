"""The widget's stylesheet: one base, the widget's theme and geometry, and its custom CSS.

Every rule hangs off `.tw-k-<key>` or a `.tw-` class, so in the server-rendered fragment
nothing reaches the host page; in the Shadow DOM the root keeps the host's styles out too.
"""

from __future__ import annotations

from testimonials.widgets.layout import DENSITIES, media_rules, metrics

BASE = """
.tw-root{box-sizing:border-box;overflow:hidden;padding:var(--tw-pad);background:var(--tw-bg);
color:var(--tw-fg);border-radius:var(--tw-radius);font-family:var(--tw-font);font-size:15px;
line-height:1.45;text-align:start}
[data-testimonials-frame] body{margin:0}
.tw-root *,.tw-root *::before,.tw-root *::after{box-sizing:border-box}
.tw-root p,.tw-root ul,.tw-root figure,.tw-root blockquote{margin:0;padding:0}
.tw-caption{height:24px;margin:0 0 var(--tw-gap)!important;font-size:13px;color:var(--tw-muted);
white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.tw-list{list-style:none;display:grid;gap:var(--tw-gap);
grid-template-columns:repeat(var(--tw-cols),minmax(0,1fr))}
.tw-card{height:var(--tw-card);overflow:hidden;display:flex;flex-direction:column;gap:8px;
padding:14px 16px;background:var(--tw-card-bg);border:1px solid var(--tw-border);
border-radius:var(--tw-radius)}
.tw-card figure{display:flex;flex-direction:column;gap:10px;flex:1;min-height:0}
.tw-card figure blockquote{flex:1;min-height:0;overflow:hidden}
.tw-card figure blockquote p{display:-webkit-box;-webkit-box-orient:vertical;
overflow:hidden;unicode-bidi:plaintext}
.tw-big figure blockquote p{font-size:18px}
.tw-card figcaption{display:flex;align-items:center;gap:10px;height:40px;flex:none}
.tw-avatar{flex:none;width:40px;height:40px;border-radius:50%;display:inline-flex;
align-items:center;
justify-content:center;background:var(--tw-accent);color:var(--tw-on-accent);font-weight:600;
font-size:14px;object-fit:cover}
.tw-who{display:flex;flex-direction:column;min-width:0}
.tw-name{font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.tw-meta{font-size:13px;color:var(--tw-muted);white-space:nowrap;overflow:hidden;
text-overflow:ellipsis}
.tw-more{flex:none;margin-inline-start:auto;min-height:32px;padding:0 10px;
border:1px solid var(--tw-border);border-radius:var(--tw-radius);background:var(--tw-bg);
color:var(--tw-fg);font:inherit;font-size:13px;cursor:pointer;white-space:nowrap}
.tw-more[hidden]{display:none}
.tw-full{box-sizing:border-box;width:min(36rem,calc(100vw - 32px));
max-height:calc(100vh - 32px);overflow:auto;margin:auto;padding:20px 24px;
border:1px solid var(--tw-border);border-radius:var(--tw-radius);background:var(--tw-bg);
color:var(--tw-fg);font-family:var(--tw-font);font-size:16px;line-height:1.5}
.tw-full::backdrop{background:rgb(0 0 0 / .45)}
.tw-full blockquote p{unicode-bidi:plaintext}
.tw-full .tw-full-who{margin-top:12px;font-weight:600}
.tw-close{margin-top:16px;min-height:36px;padding:0 14px;border:1px solid var(--tw-border);
border-radius:var(--tw-radius);background:var(--tw-card-bg);color:var(--tw-fg);font:inherit;
font-size:14px;cursor:pointer}
.tw-stars{flex:none;height:20px;font-size:14px;color:var(--tw-star)}
.tw-disclosure{flex:none;height:20px;font-size:12px;color:var(--tw-muted);overflow:hidden;
white-space:nowrap}
.tw-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.tw-carousel .tw-track{grid-auto-flow:column;grid-template-columns:none;
grid-auto-columns:calc((100% - (var(--tw-cols) - 1) * var(--tw-gap)) / var(--tw-cols));
overflow-x:auto;scroll-snap-type:x mandatory;scroll-behavior:smooth;overscroll-behavior-x:contain}
.tw-carousel .tw-card{scroll-snap-align:start}
.tw-controls{height:44px;margin-top:var(--tw-gap);display:flex;gap:8px;justify-content:flex-end}
.tw-root:not(.tw-js) .tw-prev,.tw-root:not(.tw-js) .tw-next{visibility:hidden}
.tw-controls button,.tw-pause{min-width:44px;height:44px;border:1px solid var(--tw-border);
border-radius:var(--tw-radius);background:var(--tw-card-bg);color:var(--tw-fg);font:inherit;
font-size:20px;cursor:pointer}
.tw-pause{display:inline-flex;align-items:center;gap:6px;padding:0 12px;font-size:14px}
.tw-root :focus-visible{outline:3px solid var(--tw-focus);outline-offset:2px}
.tw-viewport{overflow:hidden;height:var(--tw-marquee)}
.tw-marquee .tw-track{display:flex;gap:var(--tw-gap);width:max-content;
animation:tw-scroll var(--tw-speed) linear infinite}
.tw-marquee .tw-list{display:flex;gap:var(--tw-gap)}
.tw-marquee .tw-card{width:300px;height:var(--tw-marquee)}
.tw-viewport:hover .tw-track,.tw-viewport:focus-within .tw-track,
.tw-root:has(.tw-pause-input:checked) .tw-track{animation-play-state:paused}
@keyframes tw-scroll{to{transform:translateX(calc(-50% - var(--tw-gap) / 2))}}
@media (prefers-reduced-motion:reduce){.tw-marquee .tw-track{animation:none}
.tw-viewport{overflow-x:auto}.tw-carousel .tw-track{scroll-behavior:auto}}
.tw-faces{list-style:none;display:flex;gap:0;height:48px}
.tw-faces li+li{margin-inline-start:-10px}
.tw-faces .tw-avatar{width:48px;height:48px;border:2px solid var(--tw-bg)}
.tw-count{height:24px;margin-top:var(--tw-gap)!important;font-weight:600}
.tw-score{height:24px;font-size:18px}
.tw-value{font-weight:700}
.tw-stars-inline{color:var(--tw-star);margin-inline-start:6px}
.tw-basis{height:24px;margin-top:var(--tw-gap)!important;font-size:14px;color:var(--tw-muted)}
"""

# A card's quote shows the whole lines its card holds (`layout.quote_lines`, given per card
# as the class tw-l<n>: the rows under its name differ from card to card).
LINE_CLAMPS = "".join(
    f".tw-l{n} figure blockquote p{{-webkit-line-clamp:{n}}}"
    for n in range(1, max(m.lines for m in DENSITIES.values()) + 1)
)

LIGHT = (
    "--tw-bg:#fff;--tw-fg:#1b1f24;--tw-muted:#4a5360;--tw-card-bg:#f6f7f9;"
    "--tw-border:#d5dae1;--tw-star:#8a5a00;--tw-focus:#1b1f24"
)
DARK = (
    "--tw-bg:#14171c;--tw-fg:#f1f3f5;--tw-muted:#b8c0cc;--tw-card-bg:#1f242b;"
    "--tw-border:#3a424d;--tw-star:#ffc53d;--tw-focus:#f1f3f5"
)
FONTS = {
    "inherit": "inherit",
    "sans": "system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif",
    "serif": "Georgia,'Noto Serif',serif",
}


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def on_accent(accent: str) -> str:
    """Black or white, whichever reads better on the accent colour (WCAG contrast)."""
    light = _luminance(accent)
    return "#000000" if (light + 0.05) / 0.05 >= 1.05 / (light + 0.05) else "#ffffff"


def theme_rules(scope: str, theme: dict, density: str) -> str:
    """CSS custom properties for the widget's theme, light/dark/auto."""
    m = metrics(density)
    common = (
        f"--tw-accent:{theme.get('accent', '#2457d6')};"
        f"--tw-radius:{int(theme.get('radius', 12))}px;"
        f"--tw-font:{FONTS.get(theme.get('font', 'inherit'), 'inherit')};--tw-pad:{m.padding}px;"
        f"--tw-gap:{m.gap}px;--tw-card:{m.card}px;--tw-marquee:{m.marquee}px;"
        f"--tw-on-accent:{on_accent(theme.get('accent', '#2457d6'))};--tw-speed:60s"
    )
    mode = theme.get("mode", "light")
    css = f"{scope}{{{common};{DARK if mode == 'dark' else LIGHT}}}"
    if mode == "auto":
        css += f"@media (prefers-color-scheme:dark){{{scope}{{{DARK}}}}}"
    return css


# Translated wording runs longer than English: the one-line summaries stay one line (cut
# with an ellipsis, like the caption) rather than wrap into room the slot did not reserve.
# English widgets keep their stylesheet byte for byte.
TRANSLATED = (
    ".tw-count,.tw-basis,.tw-score{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}"
)
# Right to left (Arabic): the grid, the controls' order and text already follow `dir`; the
# marquee runs the other way and the arrows point the way they move.
RIGHT_TO_LEFT = (
    "@media (prefers-reduced-motion:no-preference){.tw-marquee[dir=rtl] .tw-track"
    "{animation-name:tw-scroll-rtl}}"
    "@keyframes tw-scroll-rtl{to{transform:translateX(calc(50% + var(--tw-gap) / 2))}}"
    ".tw-root[dir=rtl] .tw-prev,.tw-root[dir=rtl] .tw-next{transform:scaleX(-1)}"
)


def widget_stylesheet(
    key: str,
    theme: dict,
    hints: dict[str, int],
    custom_css: str,
    rtl: bool = False,
    translated: bool = False,
) -> str:
    """The complete stylesheet of one widget (with the rules of translated and of
    right-to-left wording when asked)."""
    scope = f".tw-k-{key}"
    density = theme.get("density", "comfortable")
    css = BASE.replace("\n", "") + LINE_CLAMPS + theme_rules(scope, theme, density)
    if translated:
        css += TRANSLATED
    if rtl:
        css += RIGHT_TO_LEFT
    css += media_rules(scope, hints)
    single = metrics(density).single
    css += f"{scope} .tw-big{{height:{single}px}}"
    if custom_css:
        # @scope keeps every selector of the marketer's CSS inside this widget.
        css += f"@scope ({scope}){{{custom_css}}}"
    return css


def slot_stylesheet(key: str, hints: dict[str, int]) -> str:
    """The host page's placeholder: the widget's exact height reserved before it arrives."""
    selector = f'[data-testimonials-widget="{key}"]'
    return f"{selector}{{display:block;width:100%;border:0;overflow:hidden}}" + media_rules(
        selector, hints
    )
