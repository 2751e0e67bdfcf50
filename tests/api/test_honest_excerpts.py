"""Honest excerpts through the API: fabrications refused, flagged words never published."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.curation.models import Testimonial as Curated
from testimonials.curation.models import publishable
from tests.api.curation_helpers import API, add, assert_problem, ids
from tests.conftest import Tenant

REVIEW = "Booking took 2 minutes instead of 20. I would not recommend our old tool to anyone."


def test_a_fabricated_excerpt_is_refused_with_a_field_error_and_nothing_changes(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    tid = add(db, tenant, REVIEW, author_name="Sokha Chan")
    write = tenant.headers("write")
    for excerpt, why in [
        ("Best booking tool ever, 10/10", "not what the customer wrote"),
        ("I would recommend our old tool to anyone.", "“not”"),
        ("… recommend our old tool to anyone", "“not”"),
        ("Booking took 2 minutes instead of 30.", "Numbers"),
    ]:
        problem = assert_problem(
            client.patch(f"{API}/testimonials/{tid}", json={"excerpt": excerpt}, headers=write),
            422,
        )
        assert why in problem["detail"] and why in problem["errors"]["excerpt"][0]
    name = assert_problem(
        client.patch(f"{API}/testimonials/{tid}", json={"display_name": "Dara"}, headers=write),
        422,
    )
    assert "not the author's name" in name["errors"]["display_name"][0]
    body = client.get(f"{API}/testimonials/{tid}", headers=write).json
    assert body["custom_excerpt"] is None and body["author"]["name"] == "Sokha Chan"
    assert client.get(f"{API}/audit", headers=write).json["total"] == 0

    fixed = client.patch(
        f"{API}/testimonials/{tid}",
        json={"excerpt": "booking took 2 minuts instead of 20 … ", "display_name": "Sokha C."},
        headers=write,
    )
    assert fixed.status_code == 200, fixed.json
    assert fixed.json["honesty_problem"] is None
    assert fixed.json["author"]["name"] == "Sokha C."


def test_flagged_words_cannot_be_approved_nor_listed_as_approved_until_fixed(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    write = tenant.headers("write")
    honest = add(db, tenant, "The reminders cut our no-shows by 40% in two months.")
    legacy = add(db, tenant, REVIEW)
    # As migration 0010 leaves a record saved before the rule: approved, with made-up words.
    row = db.get(Curated, legacy)
    row.excerpt, row.status = "Best booking tool ever, 10/10", "approved"
    row.honesty_problem = "Excerpt: “Best booking tool ever, 10/10” is not what the customer wrote."
    db.commit()
    assert client.post(f"{API}/testimonials/{honest}/approve", headers=write).status_code == 200

    assert ids(client.get(f"{API}/testimonials?status=approved", headers=write)) == [honest]
    assert ids(client.get(f"{API}/testimonials?status=all&needs_fix=true", headers=write)) == [
        legacy
    ]
    body = client.get(f"{API}/testimonials/{legacy}", headers=write).json
    assert body["publishable"] is False and "not what the customer wrote" in body["honesty_problem"]
    assert list(db.scalars(select(Curated.id).where(publishable()))) == [honest]

    refused = assert_problem(
        client.post(f"{API}/testimonials/{legacy}/approve", headers=write), 409
    )
    assert "not what the customer wrote" in refused["detail"]
    bulk = client.post(
        f"{API}/testimonials/bulk", json={"ids": [legacy], "action": "approve"}, headers=write
    ).json
    assert bulk["done"] == [] and "wording" in bulk["skipped"][str(legacy)]

    # Fixing the words clears the flag; the audit log keeps the made-up words as "before".
    fixed = client.patch(
        f"{API}/testimonials/{legacy}",
        json={"excerpt": "Booking took 2 minutes instead of 20."},
        headers=write,
    ).json
    assert fixed["honesty_problem"] is None and fixed["publishable"] is True
    approved = ids(client.get(f"{API}/testimonials?status=approved", headers=write))
    assert sorted(approved) == sorted([honest, legacy])
    [entry, *_] = client.get(f"{API}/audit?testimonial_id={legacy}", headers=write).json["items"]
    assert entry["before"]["excerpt"] == "Best booking tool ever, 10/10"
    assert entry["after"]["excerpt"] == "Booking took 2 minutes instead of 20."

    # Undo brings the old words back, and with them the flag: still never published.
    client.post(f"{API}/testimonials/undo", headers=write)
    assert client.get(f"{API}/testimonials/{legacy}", headers=write).json["publishable"] is False
