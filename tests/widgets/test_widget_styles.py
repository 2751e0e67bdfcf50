"""The widget's stylesheet: readable text on any accent, heights from one place."""

from __future__ import annotations

from testimonials.widgets.layout import heights
from testimonials.widgets.styles import _luminance, on_accent, widget_stylesheet


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_text_on_any_accent_meets_wcag_aa() -> None:
    # Black or white always reaches 4.5:1 on some side; the worst case is a mid grey.
    for grey in range(256):
        accent = f"#{grey:02x}{grey:02x}{grey:02x}"
        assert contrast(accent, on_accent(accent)) >= 4.5, accent
    for accent in ("#2457d6", "#ffd400", "#00ff00", "#aa3300", "#ff00ff"):
        assert contrast(accent, on_accent(accent)) >= 4.5, accent


def test_empty_widgets_take_no_space_and_css_carries_the_same_heights() -> None:
    assert set(heights("wall", 0, "comfortable", False).values()) == {0}
    hints = heights("wall", 7, "compact", True)
    css = widget_stylesheet("k", {"mode": "auto"}, hints, ".tw-card{color:red}")
    for value in hints.values():
        assert f"height:{value}px" in css
    assert "@scope (.tw-k-k){.tw-card{color:red}}" in css
    assert "prefers-color-scheme:dark" in css
