"""The inbox past its counting cap: same pages as the full query, an honest "1,000+" total.

At a million items the inbox counts matches only up to `TOTAL_CAP` and walks a common
search's matches in rank order, checking each row's words. Here the cap is lowered so a
small random inbox crosses it, and every page of every filter and sort must hold exactly
the items, in exactly the order, of a brute-force answer worked out in Python from every
row of the workspace (and of the whole query, `inbox_query`, which the page replaces).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import insert, select
from sqlalchemy.orm import Session, joinedload, selectinload

from testimonials.curation import inbox
from testimonials.curation.inbox import InboxFilters, inbox_page, inbox_query
from testimonials.curation.models import Status, is_publishable, testimonial_tags
from testimonials.curation.models import Testimonial as Curated
from testimonials.curation.pages import source_names
from testimonials.curation.services import SUSPICION_OVERRIDE_THRESHOLD
from testimonials.curation.tags import create_tag
from testimonials.harvest.models import Channel, NpsGroup
from testimonials.harvest.search import search_words
from tests import factories
from tests.conftest import Tenant, login

CAP = 10
PER_PAGE = 7
# "服小王" and "客服小" together hold every gram of "客服小王" (PostgreSQL's candidates).
WORDS = ["booking", "Réactive", "客服小王", "großartig", "front desk", "ok", "ចូលចិត្ត", "服小王"]
WORDS += ["客服小"]
LANGUAGES = ["en", "de", "fr", "zh", "km"]
SOURCES = [(Channel.API, "Zapier"), (Channel.IMPORT, "G2"), (Channel.HOSTED_SURVEY, "NPS")]
START = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(params=["walk", "gather"])
def capped(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inbox, "TOTAL_CAP", CAP)
    # SQLite: a search past the cap walks the inbox's order, or gathers every match from
    # the text index when they are estimated few; each way in turn, for every search.
    monkeypatch.setattr(inbox, "GATHER_AT_MOST", 0 if request.param == "walk" else 10**9)


def random_inbox(db: Session, workspace_id: int, count: int, seed: int) -> list[int]:
    """`count` random testimonials (ties in rank and date included); the tags' ids."""
    rng = random.Random(seed)
    tags = [create_tag(db, workspace_id, name).id for name in ("alpha", "beta")]
    for n in range(count):
        channel, source = rng.choice(SOURCES)
        text = " ".join([*rng.sample(WORDS, rng.randint(0, 3)), f"item {n}"])
        testimonial = factories.scored_testimonial(
            db,
            workspace_id,
            text,
            specificity=rng.choice([0.2, 0.5, 0.8]),
            suspicion=rng.choice([0.05, 0.1, 0.9]),
            rank=rng.choice([0.1, 0.5, 0.5, 0.9]),
            channel=channel,
            source_name=source,
            language=rng.choice(LANGUAGES),
            rating=rng.randint(1, 5) if channel is Channel.IMPORT else None,
            nps_score=rng.randint(0, 10) if channel is Channel.HOSTED_SURVEY else None,
            # "王" after a text's "客服小" is no "客服小王" (each field's runs kept apart).
            author_name=rng.choice(["Dana", "GROSSARTIG Ltd", None, "王", "客服小王"]),
            received_at=START + timedelta(days=rng.choice([0, 10, 10, 40, 90])),
        )
        status = rng.choice([Status.PENDING, Status.PENDING, Status.APPROVED, Status.SNOOZED])
        testimonial.status = status.value
        if status is Status.SNOOZED:
            testimonial.snoozed_until = datetime.now(UTC) + timedelta(days=rng.choice([-1, 9]))
        db.flush()
        chosen = rng.sample(tags, rng.randint(0, 2))
        if chosen:
            db.execute(
                insert(testimonial_tags),
                [{"testimonial_id": testimonial.id, "tag_id": tag} for tag in chosen],
            )
    db.commit()
    return tags


def every_filter(tag_id: int) -> list[InboxFilters]:
    base = [
        InboxFilters(),
        InboxFilters(status=None),
        InboxFilters(status=Status.APPROVED),
        InboxFilters(status=Status.SNOOZED),
        InboxFilters(channel=Channel.IMPORT),
        InboxFilters(source="Zapier"),
        InboxFilters(group=NpsGroup.PROMOTER, status=None),
        InboxFilters(rating=5, status=None),
        InboxFilters(tag_id=tag_id),
        InboxFilters(language="de"),
        InboxFilters(received_from=date(2026, 1, 11), received_to=date(2026, 2, 9)),
        # One language over a date range: one range of (workspace, language, received).
        InboxFilters(language="fr", received_from=date(2026, 1, 11), status=None),
        InboxFilters(language="en", received_to=date(2026, 2, 9), flagged=False),
        InboxFilters(flagged=True),
        InboxFilters(flagged=True, search="item", status=None),
        InboxFilters(flagged=False),
        InboxFilters(needs_fix=False),
        *(InboxFilters(search=word, status=None) for word in WORDS),
        InboxFilters(search="BOOKING item"),
        InboxFilters(search="réactive dana", status=None),
        InboxFilters(search="grossartig", status=None),
        InboxFilters(search="o", status=None),
        InboxFilters(search="客服", status=None),  # two characters: no trigram
        InboxFilters(search="王 item"),
        # One character, and a short word of each kind (grams and a plain scan) together.
        InboxFilters(search="王", status=None),
        InboxFilters(search="服小 ok", status=None),
        InboxFilters(search="zanzibar"),
        InboxFilters(search="booking", tag_id=tag_id, language="en", status=None),
    ]
    return [
        InboxFilters(**{**vars(filters), "sort": sort})
        for filters in base
        for sort in ("rank", "newest", "oldest")
    ]


def brute_force(db: Session, workspace_id: int, filters: InboxFilters) -> list[int]:
    """The inbox's ids for `filters`, every row read and tested in Python (no SQL filter)."""
    now = datetime.now(UTC)
    every = db.scalars(
        select(Curated)
        .where(Curated.workspace_id == workspace_id)
        .options(joinedload(Curated.item), selectinload(Curated.tags))
    ).all()

    def status_is(t: Curated, status: Status) -> bool:
        woke_up = t.status == Status.SNOOZED.value and t.snoozed_until is not None
        woke_up = woke_up and t.snoozed_until <= now
        if status is Status.PENDING:
            return t.status == Status.PENDING.value or woke_up
        if status is Status.SNOOZED:
            return t.status == Status.SNOOZED.value and not woke_up
        if status is Status.APPROVED:
            return is_publishable(t.status, t.honesty_problem)
        return t.status == status.value

    def kept(t: Curated) -> bool:
        item = t.item
        received = item.received_at
        words = f"{item.text}\n{item.author_name or ''}".lower()
        tests = [
            filters.status is None or status_is(t, filters.status),
            filters.needs_fix is None or (t.honesty_problem is not None) == filters.needs_fix,
            filters.channel is None or item.channel == filters.channel.value,
            not filters.source or item.source_name == filters.source,
            filters.group is None
            or (item.nps_score is not None and NpsGroup.of(item.nps_score) is filters.group),
            filters.rating is None or item.rating == filters.rating,
            filters.tag_id is None or filters.tag_id in {tag.id for tag in t.tags},
            not filters.language or item.language == filters.language,
            filters.received_from is None
            or received >= datetime.combine(filters.received_from, time.min, tzinfo=UTC),
            filters.received_to is None or received.date() <= filters.received_to,
            filters.flagged is None
            or ((item.suspicion or 0) >= SUSPICION_OVERRIDE_THRESHOLD) == filters.flagged,
            all(word.lower() in words for word in search_words(filters.search or "")),
        ]
        return all(tests)

    found = [t for t in every if kept(t)]
    if filters.sort == "rank":
        found.sort(key=lambda t: (t.rank_score, t.id), reverse=True)
    else:
        found.sort(key=lambda t: (t.item.received_at, t.id), reverse=filters.sort == "newest")
    return [t.id for t in found]


@pytest.mark.usefixtures("capped")
def test_every_page_of_every_filter_and_sort_equals_the_whole_query(
    db: Session, tenant: Tenant
) -> None:
    workspace_id = tenant.workspace.id
    tags = random_inbox(db, workspace_id, 60, seed=14)
    neighbour = factories.workspace(db, "Neighbour Co")
    random_inbox(db, neighbour.id, 20, seed=15)
    crossed = searched_past_cap = deep = 0
    for filters in every_filter(tags[0]):
        whole = brute_force(db, workspace_id, filters)
        query = inbox_query(workspace_id, filters).with_only_columns(Curated.id)
        assert list(db.scalars(query)) == whole, filters
        pages = max(1, -(-len(whole) // PER_PAGE))
        for number in range(1, pages + 2):  # and one past the end
            page = inbox_page(db, workspace_id, filters, number, PER_PAGE)
            offset = (number - 1) * PER_PAGE
            assert [t.id for t in page.items] == whole[offset : offset + PER_PAGE], filters
            cap = max(CAP, offset + PER_PAGE)
            assert page.more == (len(whole) > cap), filters
            assert page.total == min(len(whole), cap), filters
            assert page.has_next == (offset + PER_PAGE < len(whole)), filters
            deep += offset + PER_PAGE > CAP and bool(page.items)
        crossed += len(whole) > CAP
        searched_past_cap += bool(filters.search) and len(whole) > CAP
    # The random inbox does reach the capped paths (else this test proves nothing).
    assert crossed > 20
    assert searched_past_cap > 5
    # Pages past the cap (read in one walk, counted only when past the end) are reached.
    assert deep > 50


def test_the_page_says_how_many_at_least_past_the_cap(
    client: FlaskClient, db: Session, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inbox, "TOTAL_CAP", 30)  # the page shows 25 a page
    for n in range(34):
        factories.scored_testimonial(db, tenant.workspace.id, f"Booking number {n} was quick")
    factories.scored_testimonial(db, tenant.workspace.id, "Lovely staff")
    db.commit()
    login(client, tenant.editor.email)

    capped_page = client.get("/inbox?q=booking").get_data(as_text=True)
    assert "30+ testimonials" in capped_page
    assert "Page 1 of 2+" in capped_page
    assert 'rel="next"' in capped_page

    last = client.get("/inbox?q=booking&page=2").get_data(as_text=True)
    assert "34 testimonials" in last  # counted to the end of the deeper page
    assert 'rel="next"' not in last

    exact = client.get("/inbox?q=lovely").get_data(as_text=True)
    assert "1 testimonial<" in exact


def test_a_word_in_any_script_found_row_by_row_as_through_the_index(
    db: Session, tenant: Tenant
) -> None:
    workspace_id = tenant.workspace.id
    texts = [
        "我们团队用了三个月，客服小王总是在一小时内回复。",
        "予約が3分で終わりました。受付の田中さんが親切でした。",
        "ខ្ញុំចូលចិត្តសេវាកម្មនេះណាស់",
        "Die Buchung dauerte nur zwei Minuten, großartig!",
        "Réservation en deux minutes, équipe très réactive",
        "Booking took 2 minutes; Dana at the front desk was great.",
    ]
    for text in texts:
        factories.scored_testimonial(db, workspace_id, text)
    db.commit()
    for word in ("客服小王", "客服", "田中さん", "ចូលចិត្ត", "Großartig", "RÉACTIVE", "FRONT desk"):
        filters = InboxFilters(search=word)
        indexed = inbox_query(workspace_id, filters).with_only_columns(Curated.id)
        per_row = inbox_query(workspace_id, filters, per_row_search=True)
        found = list(db.scalars(indexed))
        assert len(found) == 1, word
        assert list(db.scalars(per_row.with_only_columns(Curated.id))) == found, word


def test_row_by_row_folds_case_as_the_text_index_does(db: Session, tenant: Tenant) -> None:
    # Letters where Python's lower() and FTS5's folding part ways (final sigma, long s,
    # micro sign, Cherokee, which FTS5 does not fold): each way finds the same items.
    workspace_id = tenant.workspace.id
    texts = ["Η ΣΟΦΊΑ της ομάδας", "σοφίας και υπομονής", "ſtill 5 µm", "ᏣᎳᎩ ᎦᏬᏂᎯᏍᏗ", "ꮳꮃꭹ"]
    for text in texts:
        factories.scored_testimonial(db, workspace_id, text)
    db.commit()
    for word in ("σοφίας", "ΣΟΦΊΑΣ", "σοφια", "STILL", "ſTILL", "5 μm", "ᏣᎳᎩ", "ꮳꮃꭹ", "Ꮳꮃꭹ"):
        filters = InboxFilters(search=word)
        indexed = inbox_query(workspace_id, filters).with_only_columns(Curated.id)
        per_row = inbox_query(workspace_id, filters, per_row_search=True)
        found = sorted(db.scalars(indexed))
        assert sorted(db.scalars(per_row.with_only_columns(Curated.id))) == found, word


def test_the_source_choices_are_the_workspaces_own_names_in_order(
    db: Session, tenant: Tenant, make_tenant
) -> None:
    assert source_names(db, tenant.workspace.id) == []
    for source in ("Zapier", "G2", "Typeform", "G2", "Zapier"):
        factories.feedback(db, tenant.workspace.id, f"Fine via {source}", source_name=source)
    factories.feedback(db, make_tenant("Other Co").workspace.id, "Hi", source_name="Capterra")
    db.commit()

    assert source_names(db, tenant.workspace.id) == ["G2", "Typeform", "Zapier"]
