"""A widget's slot under a running experiment: decided per visitor, exposure in both arms,
an empty zero-height holdout, per-unit randomised testimonials, goal URLs."""

from __future__ import annotations

import json
import re

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.tracking.models import TrackingEvent
from testimonials.tracking.slots import featured_order
from tests.api.test_tracking import API, BROWSER, beacon, started_experiment
from tests.conftest import Tenant
from tests.widgets.helpers import make_widget, publish


def visit(client: FlaskClient, key: str, tail: str, n: int):
    """One visitor (its own /24 network) asking for a slot answer."""
    return client.get(
        f"/w/{key}/{tail}", headers=BROWSER, environ_base={"REMOTE_ADDR": f"198.51.{n}.7"}
    )


def exposures(db: Session, experiment: dict) -> list[TrackingEvent]:
    db.expire_all()
    return list(
        db.scalars(
            select(TrackingEvent)
            .where(
                TrackingEvent.experiment_id == experiment["id"], TrackingEvent.kind == "exposure"
            )
            .order_by(TrackingEvent.id)
        )
    )


def card_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-testimonial="(\d+)"', html)]


def test_a_running_experiment_decides_the_slot_per_visitor_and_counts_both_arms(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    for n in range(3):
        publish(db, tenant, f"Booking took {n + 2} minutes instead of 20 at clinic {n}.")
    key = make_widget(client, tenant)["public_key"]
    cached = client.get(f"/w/{key}/slot.json")
    assert "public" in cached.headers["Cache-Control"] and "experiment" not in cached.get_json()
    experiment = started_experiment(client, tenant, widget_key=key, holdout_share=0.5)

    arms: dict[str, list[int]] = {"holdout": [], "treatment": []}
    for n in range(40):
        answer = visit(client, key, "slot.json", n)
        again = visit(client, key, "slot.json", n)  # warm: must not come from the shared cache
        for response in (answer, again):
            assert response.status_code == 200
            assert response.headers["Cache-Control"] == "private, no-store"
            assert "ETag" not in response.headers and "Set-Cookie" not in response.headers
            assert response.headers["Access-Control-Allow-Origin"] == "*"
        body = answer.get_json()
        assert again.get_json() == body  # deterministic per unit
        arms[body["experiment"]["arm"]].append(n)
        assert body["experiment"]["key"] == experiment["public_key"]
        if body["experiment"]["arm"] == "holdout":
            assert body["html"] == "" and set(body["heights"].values()) == {0}
            assert "height:0px" in body["css"] and ".tw-" not in body["css"]
        else:
            assert card_ids(body["html"]) and min(body["heights"].values()) > 0
    assert arms["holdout"] and arms["treatment"]
    stored = exposures(db, experiment)
    assert len(stored) == 80  # every slot request, both arms
    assert {e.arm for e in stored} == {"holdout", "treatment"}
    assert all((e.testimonial_ids is None) == (e.arm == "holdout") for e in stored)

    # The host's reservation follows the arm: nothing reserved for the holdout, so no hole.
    holdout_css = visit(client, key, "slot.css", arms["holdout"][0])
    treatment_css = visit(client, key, "slot.css", arms["treatment"][0])
    assert holdout_css.headers["Cache-Control"] == "private, no-store"
    heights = set(re.findall(r"height:(\d+)px", holdout_css.get_data(as_text=True)))
    assert heights == {"0"}
    assert "0" not in set(re.findall(r"height:(\d+)px", treatment_css.get_data(as_text=True)))
    assert len(exposures(db, experiment)) == 80  # styles record nothing

    # Stopped: everyone sees the widget again, from the shared cache.
    client.post(f"{API}/experiments/{experiment['id']}/stop", headers=tenant.headers("write"))
    after = visit(client, key, "slot.json", arms["holdout"][0])
    assert "public" in after.headers["Cache-Control"] and after.get_json()["html"]
    assert "experiment" not in after.get_json()
    visit(client, key, "slot.json", arms["holdout"][0])
    assert len(exposures(db, experiment)) == 80


def test_randomised_treatment_features_testimonials_per_unit_and_records_them(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    ids = [
        publish(db, tenant, f"We saved {n + 2} hours a week on reports, team {n}.")
        for n in range(6)
    ]
    key = make_widget(client, tenant, selection={"max_items": 3})["public_key"]
    experiment = started_experiment(
        client, tenant, widget_key=key, holdout_share=0.1, randomise_testimonials=True
    )
    seen_sets, seen_first = set(), set()
    for n in range(60):
        body = visit(client, key, "slot.json", n).get_json()
        if body["experiment"]["arm"] == "holdout":
            continue
        shown = card_ids(body["html"])
        assert len(shown) == 3 and set(shown) <= set(ids)
        assert card_ids(visit(client, key, "slot.json", n).get_json()["html"]) == shown
        seen_sets.add(frozenset(shown))
        seen_first.add(shown[0])
        unit = body["experiment"]["unit"]
        assert shown == featured_order(experiment["key"], unit, sorted(ids, reverse=True), 3)
        recorded = [e for e in exposures(db, experiment) if e.unit_key == unit]
        assert {e.testimonial_ids for e in recorded} == {",".join(map(str, shown))}
    assert len(seen_sets) > 5 and seen_first == set(ids)  # every one gets its turn first
    # The shared modes still show the plain best-ranked three, the same for everyone.
    fragment = client.get(f"/w/{key}/fragment").get_data(as_text=True)
    assert len(card_ids(fragment)) == 3


def test_featured_order_is_a_uniform_permutation_per_unit() -> None:
    pool = list(range(1, 7))
    counts = {i: 0 for i in pool}
    for n in range(6000):
        counts[featured_order("exp-1", f"unit-{n}", pool, 3)[0]] += 1
    assert all(900 < c < 1100 for c in counts.values()), counts
    assert featured_order("exp-1", "u", pool, 3) == featured_order("exp-1", "u", pool[::-1], 3)


def test_goal_urls_are_validated_and_given_to_pages_of_a_running_experiment(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    for bad in (["thank-you"], ["/a b"], ["https://*.example.com/x"], ["ftp://x/y"], ["/x#a#b"]):
        made = client.post(
            f"{API}/experiments",
            json={"name": "x", "widget_key": "hero", "goal_urls": bad},
            headers=tenant.headers("write"),
        )
        assert made.status_code == 422 and "goal_urls" in made.get_json()["errors"], bad
    too_many = [f"/p{n}" for n in range(11)]
    made = client.post(
        f"{API}/experiments",
        json={"name": "x", "widget_key": "hero", "goal_urls": too_many},
        headers=tenant.headers("write"),
    )
    assert made.status_code == 422
    goals = ["/thank-you*", "https://shop.example.com/orders/*/done?paid=1", "/#/done*"]
    experiment = started_experiment(client, tenant, goal_urls=goals)
    assert experiment["goal_urls"] == goals
    answer = client.get(f"{API}/track/goals", query_string={"experiment": experiment["public_key"]})
    assert answer.get_json() == {"goals": goals}
    assert answer.headers["Cache-Control"] == "public, max-age=60"
    assert "Set-Cookie" not in answer.headers
    unknown = client.get(f"{API}/track/goals", query_string={"experiment": "nope"})
    assert unknown.get_json() == {"goals": []}


def test_one_running_experiment_per_widget_and_interactions_name_their_card(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    experiment = started_experiment(client, tenant, widget_key="hero")
    second = client.post(
        f"{API}/experiments",
        json={"name": "y", "widget_key": "hero"},
        headers=tenant.headers("write"),
    ).get_json()
    refused = client.post(
        f"{API}/experiments/{second['id']}/start", headers=tenant.headers("write")
    )
    assert refused.status_code == 409 and "already running" in refused.get_json()["detail"]
    body = {
        "experiment": experiment["public_key"],
        "events": [
            {"id": "card-click-01", "type": "interaction", "name": "expand", "testimonial": 42}
        ],
    }
    assert beacon(client, body).get_json() == {"accepted": 1, "duplicates": 0}
    bad = beacon(
        client, json.dumps({**body, "events": [{**body["events"][0], "testimonial": "x"}]})
    )
    assert bad.status_code == 422
    db.expire_all()
    stored = db.scalars(
        select(TrackingEvent).where(TrackingEvent.client_event_id == "card-click-01")
    ).one()
    assert stored.testimonial_ids == "42"


def test_per_visitor_slots_are_rate_limited_per_address_like_the_tracking_slot(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    publish(db, tenant)
    key = make_widget(client, tenant)["public_key"]
    started_experiment(client, tenant, widget_key=key)
    statuses = [visit(client, key, "slot.json", 250).status_code for _ in range(121)]
    assert statuses[:120] == [200] * 120 and statuses[120] == 429
    refused = visit(client, key, "slot.json", 250)
    assert "slot requests per address" in refused.get_data(as_text=True)
    assert visit(client, key, "slot.json", 251).status_code == 200  # another address
    assert visit(client, key, "slot.css", 250).status_code == 200  # styles record nothing


def test_an_automated_browser_says_so_on_its_slot_request_and_is_filtered(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    publish(db, tenant, "Booking took 2 minutes instead of 20 at the clinic.")
    key = make_widget(client, tenant)["public_key"]
    experiment = started_experiment(client, tenant, widget_key=key, holdout_share=0.5)
    visit(client, key, "slot.json", 1)
    visit(client, key, "slot.json?webdriver=1", 2)  # the loader adds it for webdriver only
    first, second = exposures(db, experiment)
    assert (first.excluded, second.excluded) == (None, "bot")
