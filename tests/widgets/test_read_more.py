"""A quote the card may cut gets "Read more": a popover with the whole quote, escaped, in
every delivery mode's markup; a quote that fits does not."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from testimonials.widgets.layout import quote_capacity, text_width
from tests.conftest import Tenant
from tests.widgets.helpers import make_widget, publish

LONG = (
    "We moved all 14 clinics onto the booking system in one week. Before, patients waited "
    "on hold for 20 minutes; now most book online in under 2 minutes, and the reminders cut "
    "our no-shows from 11% to 4% within the first quarter. <b>Support</b> answered every "
    "question the same day."
)
SHORT = "Booking took 2 minutes instead of 20."


def test_widths_count_wide_characters_twice_and_marks_not_at_all() -> None:
    assert text_width("abc") == 3
    assert text_width("予約") == 4  # CJK: two half-ems each
    khmer = "ការណាត់ជួប"  # consonants with vowel signs and a subscript mark
    assert text_width(khmer) < len(khmer)
    # A marquee's short card cuts sooner than a wall's.
    assert quote_capacity("marquee", "comfortable") < quote_capacity("wall", "comfortable")
    assert quote_capacity("wall", "compact") < quote_capacity("wall", "comfortable")


def test_only_a_quote_the_card_may_cut_offers_the_whole_of_it(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    long_id = publish(db, tenant, LONG)
    short_id = publish(db, tenant, SHORT)
    key = make_widget(client, tenant)["public_key"]
    for mode in ("fragment", ""):
        html = client.get(f"/w/{key}/{mode}".rstrip("/")).get_data(as_text=True)
        buttons = dict(
            re.findall(
                r'<button type="button" class="tw-more" popovertarget="([^"]+)"([^>]*)>', html
            )
        )
        assert set(buttons) == {f"tw-{key}-q{long_id}", f"tw-{key}-q{short_id}"}, mode
        assert "hidden" not in buttons[f"tw-{key}-q{long_id}"], mode
        assert "hidden" in buttons[f"tw-{key}-q{short_id}"], mode
        popover = re.search(rf'<div popover id="tw-{key}-q{long_id}"[^>]*>(.*?)</div>', html, re.S)
        assert popover, mode
        assert "&lt;b&gt;Support&lt;/b&gt; answered every question the same day." in popover[1]
        assert "<b>" not in html, mode


def test_the_marquee_copy_keeps_its_controls_out_of_the_tab_order(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    publish(db, tenant, LONG)
    key = make_widget(client, tenant, kind="marquee")["public_key"]
    html = client.get(f"/w/{key}/fragment").get_data(as_text=True)
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids)) == 2  # the popover of each run, named apart
    copy = html[html.index('<ul class="tw-list" role="list" aria-hidden="true">') :]
    assert copy.count('tabindex="-1"') == 2  # its "Read more" and its "Close"


def test_a_card_without_stars_has_room_for_a_line_more(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    rated = publish(db, tenant, LONG, rating=5)
    unrated = publish(db, tenant, LONG.replace("We moved", "They moved"))
    key = make_widget(client, tenant)["public_key"]
    html = client.get(f"/w/{key}/fragment").get_data(as_text=True)
    lines = dict(
        (int(id_), int(n))
        for n, id_ in re.findall(r'class="tw-card tw-l(\d)[^"]*" data-testimonial="(\d+)"', html)
    )
    assert lines == {rated: 5, unrated: 6}  # the wall's comfortable card, 224 px
