"""schema.org JSON-LD in the fragment, checked against Google's review-snippet rules.

The rules, as Google's structured-data documentation states them for review snippets:
- the reviewed item is of an eligible type, and never a business rating itself on its own
  site (Organization / LocalBusiness reviews by the business are "self-serving");
- the item has a name;
- an AggregateRating has a ratingValue within worstRating..bestRating (1..5 by default)
  and a ratingCount or reviewCount above zero;
- a Review has an author (a Person or Organization with a name under 100 characters) and a
  reviewRating whose ratingValue lies within its own range;
- what the markup states is visible on the page (same numbers, same words).
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.conftest import Tenant
from tests.widgets.helpers import make_widget, publish

ELIGIBLE = {
    "Book",
    "Course",
    "CreativeWorkSeason",
    "CreativeWorkSeries",
    "Episode",
    "Event",
    "Game",
    "HowTo",
    "MediaObject",
    "Movie",
    "MusicPlaylist",
    "MusicRecording",
    "Product",
    "Recipe",
    "SoftwareApplication",
}
SELF_SERVING = {"Organization", "LocalBusiness", "Corporation", "Store", "MedicalClinic"}


def _in_range(rating: dict[str, Any]) -> bool:
    best = float(rating.get("bestRating", 5))
    worst = float(rating.get("worstRating", 1))
    return worst <= float(rating["ratingValue"]) <= best


def review_snippet_problems(document: dict[str, Any]) -> list[str]:
    """Every way a JSON-LD document breaks the review-snippet rules above."""
    problems = []
    if document.get("@context") not in ("https://schema.org", "http://schema.org"):
        problems.append("@context is not schema.org")
    kind = document.get("@type")
    if kind in SELF_SERVING:
        problems.append(f"self-serving: a {kind} rating itself")
    elif kind not in ELIGIBLE:
        problems.append(f"{kind} is not eligible for review snippets")
    if not str(document.get("name", "")).strip():
        problems.append("the item has no name")
    aggregate = document.get("aggregateRating")
    if aggregate is not None:
        if aggregate.get("@type") != "AggregateRating":
            problems.append("aggregateRating is not an AggregateRating")
        if "ratingValue" not in aggregate or not _in_range(aggregate):
            problems.append("aggregate ratingValue missing or out of range")
        if int(aggregate.get("ratingCount", 0) or aggregate.get("reviewCount", 0)) <= 0:
            problems.append("aggregate has no ratingCount or reviewCount")
    for review in document.get("review", []):
        author = review.get("author") or {}
        name = str(author.get("name", ""))
        if author.get("@type") not in ("Person", "Organization") or not name.strip():
            problems.append("review without a named author")
        if len(name) >= 100:
            problems.append("author name of 100 characters or more")
        rating = review.get("reviewRating") or {}
        if "ratingValue" not in rating or not _in_range(rating):
            problems.append("review rating missing or out of range")
    if aggregate is None and not document.get("review"):
        problems.append("neither aggregateRating nor review")
    return problems


def json_ld_of(html: str) -> list[dict[str, Any]]:
    """The JSON-LD documents of a page."""
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def test_the_rules_catch_what_they_should() -> None:
    good = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Clinic Scheduler",
        "aggregateRating": {"@type": "AggregateRating", "ratingValue": "4.5", "ratingCount": 2},
    }
    assert review_snippet_problems(good) == []
    assert review_snippet_problems({**good, "@type": "LocalBusiness"})
    assert review_snippet_problems({**good, "name": ""})
    bad_value = {**good["aggregateRating"], "ratingValue": "7"}
    assert review_snippet_problems({**good, "aggregateRating": bad_value})
    no_count = {**good["aggregateRating"], "ratingCount": 0}
    assert review_snippet_problems({**good, "aggregateRating": no_count})
    anonymous = {"@type": "Review", "author": {"@type": "Person", "name": ""}}
    assert review_snippet_problems({**good, "review": [anonymous]})


def test_no_structured_data_unless_a_widget_opts_in(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    publish(db, tenant, "Five stars: 3 clinics on it in a week.", rating=5, author_name="Dana")
    key = make_widget(client, tenant)["public_key"]
    assert json_ld_of(client.get(f"/w/{key}/fragment").get_data(as_text=True)) == []


def test_self_serving_types_cannot_be_bound(client: FlaskClient, tenant: Tenant) -> None:
    for kind in ("Organization", "LocalBusiness"):
        response = client.post(
            "/api/v1/widgets",
            json={"name": "x", "kind": "rating", "structured_data": {"type": kind, "name": "Us"}},
            headers=tenant.headers("write"),
        )
        assert response.status_code == 422
        assert "structured_data" in response.get_json()["errors"]


def test_json_ld_follows_the_rules_and_states_exactly_what_is_shown(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    publish(db, tenant, "Scheduling is 4x faster than our old tool.", rating=5, author_name="Dana")
    publish(db, tenant, "Good, though exports are slow.", rating=4, author_name="Marco")
    publish(db, tenant, "Unapproved 1-star still counts.", rating=1, approve=False)
    publish(db, tenant, "No name and no rating: not a review snippet.")
    for kind in ("rating", "wall"):
        key = make_widget(
            client,
            tenant,
            kind=kind,
            structured_data={"type": "SoftwareApplication", "name": "Clinic Scheduler"},
        )["public_key"]
        html = client.get(f"/w/{key}/fragment").get_data(as_text=True)
        [document] = json_ld_of(html)
        assert review_snippet_problems(document) == []
        aggregate = document["aggregateRating"]
        # The average of ALL genuine ratings (5, 4, 1), as displayed.
        assert aggregate["ratingValue"] == "3.3" and aggregate["ratingCount"] == 3
        visible = re.sub(r'<script type="application/ld\+json">.*?</script>', "", html, flags=re.S)
        assert "3.3 out of 5" in visible or "3.3</span> out of 5" in visible
        assert re.search(r"\b3 (genuine )?ratings", visible)
        for review in document.get("review", []):
            assert review["reviewBody"] in visible
            assert review["author"]["name"] in visible
            assert f"Rated {review['reviewRating']['ratingValue']} out of 5" in visible
        if kind == "wall":
            assert {r["author"]["name"] for r in document["review"]} == {"Dana", "Marco"}
        # The Shadow DOM payload carries no JSON-LD: search engines read the host's HTML.
        assert "ld+json" not in client.get(f"/w/{key}/slot.json").get_data(as_text=True)


def test_customer_words_cannot_close_the_json_ld_script(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    publish(
        db, tenant, "Great </script><script>alert(1)</script> tool", rating=5, author_name="Eve"
    )
    key = make_widget(
        client, tenant, structured_data={"type": "Product", "name": "Clinic </script> Scheduler"}
    )["public_key"]
    html = client.get(f"/w/{key}/fragment").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    [document] = json_ld_of(html)
    assert document["name"] == "Clinic </script> Scheduler"
    assert "</script><script>alert(1)</script>" in document["review"][0]["reviewBody"]
