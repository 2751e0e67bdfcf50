"""The curation inbox page: ranking, highlighted excerpts, filters, pages and query count."""

from __future__ import annotations

import re
from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import Connection, event, select
from sqlalchemy.orm import Session

from testimonials.curation import services
from testimonials.curation.tags import create_tag
from testimonials.db import utcnow
from testimonials.harvest.models import Channel, FeedbackItem
from tests import factories
from tests.conftest import Tenant
from tests.web.inbox.helpers import add_testimonial, card_ids, page_text


def test_inbox_ranks_best_first_and_highlights_the_excerpt_escaped(
    editor: FlaskClient, db: Session, tenant: Tenant
) -> None:
    low = add_testimonial(db, tenant, "Fine.", rank=0.1)
    high = add_testimonial(
        db,
        tenant,
        "We cut <b>onboarding</b> from 3 weeks to 4 days. Support is great.",
        rank=0.9,
        excerpt="from 3 weeks to 4 days",
        author_name="Ana <i>Ruiz</i>",
        verified=True,
    )
    html = page_text(editor, "/inbox")
    assert card_ids(html) == [high.id, low.id]
    assert "2 testimonials" in html
    assert (
        'We cut &lt;b&gt;onboarding&lt;/b&gt; <mark class="excerpt" title="The public excerpt">'
        "from 3 weeks to 4 days</mark>. Support is great." in html
    )
    assert "Ana &lt;i&gt;Ruiz&lt;/i&gt;" in html and "<i>Ruiz" not in html
    assert "consent: granted · v3" in html and "verified" in html
    assert "mentions a number or a time span" in html
    assert "0.70" in html and "specificity out of 1" in html


def test_filters_narrow_the_inbox(editor: FlaskClient, db: Session, tenant: Tenant) -> None:
    promoter = add_testimonial(db, tenant, "Saved us 10 hours a week", nps_score=10, language="en")
    detractor = add_testimonial(db, tenant, "Exports are slow", nps_score=3, language="de")
    rated = add_testimonial(
        db, tenant, "Five stars for support", rating=5, channel=Channel.IMPORT, source="G2"
    )
    flagged = add_testimonial(db, tenant, "BEST PRODUCT EVER buy now", suspicion=0.8)
    old = add_testimonial(db, tenant, "An old one", received_at=utcnow() - timedelta(days=90))
    tag = create_tag(db, tenant.workspace.id, "pricing page")
    services.set_tags(db, detractor, services.Actor(user_id=tenant.editor.id), [tag])
    db.commit()
    cases = {
        "group=promoter": {promoter.id},
        "group=detractor": {detractor.id},
        "rating=5": {rated.id},
        "channel=import": {rated.id},
        "source=G2": {rated.id},
        "language=de": {detractor.id},
        f"tag={tag.id}": {detractor.id},
        "flagged=yes": {flagged.id},
        "q=HOURS+week": {promoter.id},
        f"to={(utcnow() - timedelta(days=30)).date()}": {old.id},
    }
    for query, expected in cases.items():
        assert set(card_ids(page_text(editor, f"/inbox?{query}"))) == expected, query
    everything = set(card_ids(page_text(editor, "/inbox?flagged=no")))
    assert flagged.id not in everything and len(everything) == 4
    services.reject(db, old, services.Actor(user_id=tenant.editor.id))
    db.commit()
    assert card_ids(page_text(editor, "/inbox?status=rejected")) == [old.id]
    assert old.id not in card_ids(page_text(editor, "/inbox"))
    assert old.id in card_ids(page_text(editor, "/inbox?status=all"))
    # Nonsense filter values show everything instead of an error page.
    assert len(card_ids(page_text(editor, "/inbox?rating=9&channel=fax&from=soon"))) == 4


def test_pagination_25_per_page_with_totals(
    editor: FlaskClient, db: Session, tenant: Tenant
) -> None:
    made = [add_testimonial(db, tenant, f"Comment number {n}", rank=n / 100) for n in range(30)]
    first = page_text(editor, "/inbox")
    second = page_text(editor, "/inbox?page=2")
    assert "30 testimonials" in first and "page 1 of 2" in first
    assert len(card_ids(first)) == 25 and len(card_ids(second)) == 5
    assert set(card_ids(first)) | set(card_ids(second)) == {t.id for t in made}
    assert 'href="/inbox?page=2"' in first


def test_inbox_query_count_does_not_grow_with_items(
    editor: FlaskClient, db: Session, tenant: Tenant, connection: Connection
) -> None:
    tag = create_tag(db, tenant.workspace.id, "homepage")

    def statements_for_inbox() -> int:
        seen: list[str] = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(connection, "before_cursor_execute", listener)
        try:
            page_text(editor, "/inbox")
        finally:
            event.remove(connection, "before_cursor_execute", listener)
        return len(seen)

    for n in range(3):
        services.set_tags(db, add_testimonial(db, tenant, f"Item {n}"), services.Actor(), [tag])
    few = statements_for_inbox()
    for n in range(20):
        services.set_tags(db, add_testimonial(db, tenant, f"More {n}"), services.Actor(), [tag])
    db.commit()
    # 12 before server-side sessions (one lookup per request) and the needs-fix count; one
    # more for the workspace's languages (the Language list).
    assert statements_for_inbox() == few <= 15
    assert db.scalar(select(FeedbackItem.id).limit(1)) is not None


def test_the_language_filter_lists_the_workspaces_languages_by_name(
    editor: FlaskClient, db: Session, tenant: Tenant, make_tenant
) -> None:
    khmer = add_testimonial(db, tenant, "ប្រព័ន្ធកក់ពេលនេះងាយស្រួលណាស់", language="km")
    brazil = add_testimonial(db, tenant, "Ótimo atendimento", language="pt-BR")
    english = add_testimonial(db, tenant, "Saved us 10 hours a week", language="en")
    add_testimonial(db, tenant, "No language known")
    other = make_tenant("Other Co")
    add_testimonial(db, other, "Sehr gut", language="de")  # another workspace's language

    html = page_text(editor, "/inbox")
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', _select(html))
    assert options == [
        ("", "Any"),
        ("en", "English (en)"),
        ("km", "Khmer (km)"),
        ("pt-BR", "Portuguese (Brazil) (pt-BR)"),
    ]
    assert set(card_ids(page_text(editor, "/inbox?language=km"))) == {khmer.id}
    assert set(card_ids(page_text(editor, "/inbox?language=pt-BR"))) == {brazil.id}
    chosen = page_text(editor, "/inbox?language=EN")  # a hand-typed URL, any case
    assert set(card_ids(chosen)) == {english.id}
    assert '<option value="en" selected>' in _select(chosen)

    for unknown in ("de", "<b>xx</b>"):
        response = editor.get("/inbox", query_string={"language": unknown})
        text = response.get_data(as_text=True)
        assert response.status_code == 200
        assert 'data-role="language-problem"' in text, unknown
        assert "English, Khmer, Portuguese (Brazil)" in text and "<b>xx" not in text
        assert len(card_ids(text)) == 4  # every language, said so; never an empty page


def _select(html: str) -> str:
    match = re.search(r'<select name="language">(.*?)</select>', html, re.S)
    assert match, "no language list"
    return match.group(1)


def test_an_empty_tab_names_the_tabs_its_filters_find_testimonials_in(
    editor: FlaskClient, db: Session, tenant: Tenant
) -> None:
    approved = add_testimonial(db, tenant, "Harbor Physio cut no-shows by half")
    rejected = add_testimonial(db, tenant, "Harbor Physio, great")
    add_testimonial(db, tenant, "Another clinic, pending")
    approved.status, rejected.status = "approved", "rejected"
    neighbour = factories.workspace(db, "Neighbour Co")
    factories.scored_testimonial(db, neighbour.id, "Harbor Physio elsewhere")  # not counted
    db.commit()

    html = page_text(editor, "/inbox?q=Harbor&language=")
    assert card_ids(html) == []
    hint = re.search(r'<span data-role="elsewhere">(.*?)</span>', html, re.S)
    assert hint is not None
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', hint.group(1))
    assert [text for _href, text in links] == ["1 approved", "1 rejected"]
    for href, _text in links:  # each link keeps the filters and opens that tab
        followed = page_text(editor, href.replace("&amp;", "&"))
        assert "q=Harbor" in href and len(card_ids(followed)) == 1

    # Nothing in any tab (a word no one wrote): no hint, and the tab still says so.
    html = page_text(editor, "/inbox?q=zanzibar")
    assert "Nothing here with these filters" in html and 'data-role="elsewhere"' not in html
    # The All tab has no other tab to point to.
    assert 'data-role="elsewhere"' not in page_text(editor, "/inbox?q=zanzibar&status=all")
