"""Webhook intake: out-of-order events upsert one item, also when they arrive in parallel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.harvest.models import FeedbackItem
from testimonials.harvest.surveys.models import FollowUp
from testimonials.harvest.webhooks.models import WebhookDelivery
from testimonials.privacy.services import erase_respondent
from testimonials.scoring import content_hash
from tests.api.webhooks.helpers import COMMENT, T0, Source, _count, _event, _item, _send
from tests.conftest import Tenant

# --- Order-tolerant upserts -----------------------------------------------------------


def test_score_first_then_comment_makes_one_item_with_both_scored(
    client: FlaskClient, db: Session, source: Source
) -> None:
    created = _send(client, source, _event("created", "evt_1", T0, score=10))
    item = _item(db)
    assert item is not None and item.text == "" and item.specificity is None
    comment = COMMENT + " Write to me at dana@example.com."
    updated = _send(
        client, source, _event("updated", "evt_2", T0 + timedelta(minutes=2), comment=comment)
    )
    assert updated.json["item_id"] == created.json["item_id"]
    item = _item(db)
    assert item is not None and _count(db, FeedbackItem) == 1
    assert (item.text, item.nps_score) == (comment, 10)
    assert item.content_hash == content_hash(comment)
    assert item.minhash and item.pii_flags == {"emails": 1}
    assert item.specificity is not None and item.scored_at is not None
    assert item.source_updated_at == T0 + timedelta(minutes=2)


def test_update_arriving_before_its_create_ends_in_the_same_state(
    client: FlaskClient, db: Session, source: Source
) -> None:
    later = T0 + timedelta(minutes=2)
    _send(client, source, _event("updated", "evt_2", later, comment=COMMENT, name="Dana R."))
    response = _send(client, source, _event("created", "evt_1", T0, score=4, name="Dana"))
    assert response.json["status"] == "accepted"
    item = _item(db)
    assert item is not None and _count(db, FeedbackItem) == 1
    # The older create filled the missing score but did not overwrite the newer name.
    assert (item.text, item.nps_score, item.author_name) == (COMMENT, 4, "Dana R.")
    assert item.source_updated_at == later
    assert item.specificity is not None
    # The score arrived after creation: the detractor still gets a follow-up.
    assert db.scalar(select(FollowUp).where(FollowUp.item_id == item.id)) is not None


def test_an_older_event_never_overwrites_newer_data(
    client: FlaskClient, db: Session, source: Source
) -> None:
    newer = T0 + timedelta(hours=1)
    _send(client, source, _event("updated", "evt_new", newer, score=10, company="Northwind"))
    _send(client, source, _event("updated", "evt_old", T0, score=2, company="Old Co"))
    item = _item(db)
    assert item is not None
    assert (item.nps_score, item.author_company, item.source_updated_at) == (10, "Northwind", newer)
    assert _count(db, FollowUp) == 0  # the stale score 2 never counted


def test_a_newer_score_replaces_the_old_one_and_rescored(
    client: FlaskClient, db: Session, source: Source
) -> None:
    _send(client, source, _event("created", "evt_1", T0, score=9, comment=COMMENT))
    _send(client, source, _event("updated", "evt_2", T0 + timedelta(minutes=5), score=5))
    item = _item(db)
    assert item is not None and item.nps_score == 5 and item.text == COMMENT
    assert db.scalar(select(FollowUp).where(FollowUp.item_id == item.id)) is not None


def test_text_is_immutable_and_a_later_edit_is_kept_beside_it(
    client: FlaskClient, db: Session, source: Source
) -> None:
    _send(client, source, _event("created", "evt_1", T0, score=9, comment=COMMENT))
    edited = "Actually it was three taps."
    _send(client, source, _event("updated", "evt_2", T0 + timedelta(minutes=1), comment=edited))
    item = _item(db)
    assert item is not None and item.text == COMMENT
    assert item.answers == {"later_comment": edited}


def test_deleted_response_is_withdrawn_not_removed(
    client: FlaskClient, db: Session, source: Source
) -> None:
    consent = {"granted": True, "text": "You may quote me", "version": "v2"}
    _send(client, source, _event("created", "evt_1", T0, score=9, comment=COMMENT, consent=consent))
    assert _item(db).consent_state == "granted"  # type: ignore[union-attr]
    deleted = _send(client, source, _event("deleted", "evt_2", T0 + timedelta(minutes=3)))
    assert deleted.json["status"] == "accepted"
    # A late, older update must not bring consent back.
    _send(client, source, _event("updated", "evt_3", T0 + timedelta(minutes=1), consent=consent))
    item = _item(db)
    assert item is not None and item.text == COMMENT
    assert item.consent_state == "revoked" and item.consent_revoked_at is not None


def test_events_after_a_withdrawal_we_never_stored_are_ignored(
    client: FlaskClient, db: Session, source: Source
) -> None:
    deleted = _send(client, source, _event("deleted", "evt_9", T0 + timedelta(minutes=3)))
    late = _send(client, source, _event("created", "evt_1", T0, score=9, comment=COMMENT))
    assert deleted.json == {"status": "ignored", "item_id": None}
    assert late.json == {"status": "ignored", "item_id": None}
    assert _item(db) is None


def test_events_for_an_erased_respondent_do_not_bring_data_back(
    client: FlaskClient, db: Session, tenant: Tenant, source: Source
) -> None:
    _send(client, source, _event(score=9, comment=COMMENT, email="dana@example.com", name="Dana"))
    erase_respondent(db, tenant.workspace.id, "dana@example.com", b"k", None)
    db.commit()
    again = _send(
        client, source, _event("updated", "evt_2", T0 + timedelta(hours=1), name="Dana", score=1)
    )
    assert again.json["status"] == "ignored"
    item = _item(db)
    assert item is not None and item.author_name is None and item.text == "[erased]"


# --- Concurrency ----------------------------------------------------------------------


def test_parallel_deliveries_for_one_response_make_one_item_and_no_errors(
    empty_database_url: Callable[[str], str], tmp_path: Any
) -> None:
    import threading

    from testimonials import migrate
    from testimonials.accounts import services as accounts
    from testimonials.db import database_for
    from testimonials.harvest.webhooks import services as webhooks
    from tests.conftest import make_app

    url = empty_database_url("webhooks_race")
    migrate.upgrade(url)
    app = make_app(url, tmp_path)
    with database_for(app).sessionmaker() as session:
        workspace = accounts.create_workspace(session, "Racing Co")
        issued = webhooks.create_source(session, workspace.id, "Tool", app.config["SECRET_KEY"])
        session.commit()
        source = Source(issued.id, issued.token, issued.secret, "")
    comments = [None, COMMENT, None, "Second thoughts.", None, None]
    barrier = threading.Barrier(len(comments))
    statuses: list[int] = []

    def deliver(n: int) -> None:
        event = _event(
            "created" if n == 0 else "updated",
            f"evt_{n}",
            T0 + timedelta(minutes=n),
            score=n + 3,
            comment=comments[n],
        )
        client = app.test_client()
        barrier.wait()
        statuses.append(_send(client, source, event).status_code)

    threads = [threading.Thread(target=deliver, args=(n,)) for n in range(len(comments))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # One source's deliveries apply one at a time: no lock errors, no lost events.
    assert statuses == [200] * len(comments)
    with database_for(app).sessionmaker() as session:
        items = session.scalars(select(FeedbackItem)).all()
        assert len(items) == 1
        assert items[0].text in (COMMENT, "Second thoughts.")
        assert items[0].nps_score == 8  # the newest event's score, whatever the arrival order
        assert _count(session, WebhookDelivery) == len(comments)
    database_for(app).engine.dispose()


def test_a_fresh_process_scores_comments_after_score_only_responses(
    client: FlaskClient, app: Flask, db: Session, tenant: Tenant, source: Source
) -> None:
    from testimonials.harvest.intake import intake_scorer_for

    for n in (1, 2):
        _send(client, source, _event("created", f"c{n}", T0, f"resp_{n}", score=9))
    # Another worker process may answer: nothing of the workspace is held in this one.
    intake_scorer_for(app)
    response = _send(
        client,
        source,
        _event("updated", "u1", T0 + timedelta(minutes=1), "resp_1", comment=COMMENT),
    )
    assert response.status_code == 200
    item = _item(db, "resp_1")
    assert item is not None and item.text == COMMENT and item.specificity is not None
