"""Personal data spotted inside comments (flagged for the marketer, never silently dropped)."""

from __future__ import annotations

import pytest

from testimonials.harvest.personal_data import detect_personal_data, email_domain


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("WhatsApp me on +1 415 555 0199.", {"phones": 1}),
        ("Mail jo@example.org or call (030) 1234-5678", {"emails": 1, "phones": 1}),
        ("See https://acme.example/pricing and www.acme.io", {"urls": 2}),
        ("Cut no-shows from 14% to 6% in 2024; 3,400 records; 12.5 hours", None),
        ("", None),
    ],
)
def test_detect_personal_data(text: str, expected: dict | None) -> None:
    assert detect_personal_data(text) == expected


def test_email_domain() -> None:
    assert email_domain("Ann@Shop.Example") == "shop.example"
    assert email_domain("not-an-email") is None
