"""Measure: holdout experiments, the public slot and beacon endpoints, and the result."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.tracking import experiments as service
from testimonials.tracking.events import record_beacon, record_exposure
from testimonials.tracking.models import TrackingEvent, VisitorDaySalt
from testimonials.tracking.rollups import roll_up_day
from testimonials.tracking.visitor import (
    day_salt,
    destroy_expired_salts,
    identify_visitor,
    truncate_ip,
)
from tests.conftest import Tenant

API = "/api/v1"
BROWSER = {
    "User-Agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0 Safari/537.36",
    "Accept-Language": "km-KH,km;q=0.9",
}


def started_experiment(client: FlaskClient, tenant: Tenant, **body) -> dict:
    body = {"name": "Hero carousel", "widget_key": "hero", **body}
    made = client.post(f"{API}/experiments", json=body, headers=tenant.headers("write"))
    assert made.status_code == 201, made.get_json()
    started = client.post(
        f"{API}/experiments/{made.get_json()['id']}/start", headers=tenant.headers("write")
    )
    assert started.status_code == 200
    return started.get_json()


def slot(client: FlaskClient, experiment: dict, event: str, ip: str = "203.0.113.7", **headers):
    return client.get(
        f"{API}/track/slot",
        query_string={"experiment": experiment["public_key"], "event": event},
        headers={**BROWSER, **headers},
        environ_base={"REMOTE_ADDR": ip},
    )


def beacon(client: FlaskClient, body: object, ip: str = "203.0.113.7", **headers):
    return client.post(
        f"{API}/track/events",
        data=json.dumps(body) if not isinstance(body, bytes | str) else body,
        content_type="text/plain;charset=UTF-8",
        headers={**BROWSER, **headers},
        environ_base={"REMOTE_ADDR": ip},
    )


def test_experiment_defaults_to_a_20_percent_holdout_and_freezes_once_started(
    client: FlaskClient, tenant: Tenant, make_tenant
) -> None:
    experiment = started_experiment(client, tenant)
    assert experiment["holdout_share"] == 0.2 and experiment["status"] == "running"
    changed = client.patch(
        f"{API}/experiments/{experiment['id']}",
        json={"holdout_share": 0.5},
        headers=tenant.headers("write"),
    )
    assert changed.status_code == 409
    assert "can no longer change" in changed.get_json()["detail"]
    other = make_tenant("Other Co")
    assert (
        client.get(f"{API}/experiments/{experiment['id']}", headers=other.headers()).status_code
        == 404
    )
    bad = client.post(
        f"{API}/experiments",
        json={"name": "x", "widget_key": "hero", "holdout_share": 1.5},
        headers=tenant.headers("write"),
    )
    assert bad.status_code == 422 and "holdout_share" in bad.get_json()["errors"]


def test_a_draft_can_change_its_split_before_it_starts(client: FlaskClient, tenant: Tenant) -> None:
    made = client.post(
        f"{API}/experiments",
        json={"name": "Footer", "widget_key": "footer"},
        headers=tenant.headers("write"),
    ).get_json()
    changed = client.patch(
        f"{API}/experiments/{made['id']}",
        json={"holdout_share": 0.5},
        headers=tenant.headers("write"),
    )
    assert changed.status_code == 200 and changed.get_json()["holdout_share"] == 0.5


def test_slot_assigns_deterministically_records_exposure_once_and_sets_no_cookie(
    client: FlaskClient, tenant: Tenant, db: Session
) -> None:
    experiment = started_experiment(client, tenant)
    first = slot(client, experiment, "exposure-0001")
    again = slot(client, experiment, "exposure-0001")  # a retried request
    other_page = slot(client, experiment, "exposure-0002", ip="203.0.113.99")  # same /24
    assert first.status_code == 200
    assert first.get_json() == again.get_json() == other_page.get_json()
    assert first.get_json()["render"] == (first.get_json()["arm"] == "treatment")
    assert "Set-Cookie" not in first.headers
    assert first.headers["Cache-Control"] == "no-store"
    rows = db.scalars(
        select(TrackingEvent).where(TrackingEvent.experiment_id == experiment["id"])
    ).all()
    assert len(rows) == 2 and len({r.unit_key for r in rows}) == 1
    stored = " ".join(str(v) for r in rows for v in vars(r).values())
    assert "203.0.113" not in stored  # the address is never stored, not even truncated


def test_beacon_takes_text_plain_batches_idempotently(client: FlaskClient, tenant: Tenant) -> None:
    experiment = started_experiment(client, tenant)
    batch = {
        "experiment": experiment["public_key"],
        "events": [
            {"id": "evt-00000001", "type": "slot_reached"},
            {"id": "evt-00000002", "type": "viewable"},
            {"id": "evt-00000003", "type": "interaction", "name": "carousel_next"},
            {
                "id": "evt-00000004",
                "type": "conversion",
                "name": "signup",
                "value": 49.0,
                "order_id": "A-1001",
            },
        ],
    }
    first = beacon(client, batch)
    assert first.status_code == 200 and first.get_json() == {"accepted": 4, "duplicates": 0}
    assert "Set-Cookie" not in first.headers
    retried = beacon(client, batch)
    assert retried.get_json() == {"accepted": 0, "duplicates": 4}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"events": []}, "experiment"),
        ({"experiment": "x", "events": []}, "events"),
        ({"experiment": "x", "events": [{"id": "evt-00000001", "type": "exposure"}]}, "events"),
        ({"experiment": "x", "events": [{"id": "short", "type": "viewable"}]}, "events"),
        # A card's viewability must name the card.
        (
            {"experiment": "x", "events": [{"id": "evt-00000001", "type": "card_viewable"}]},
            "events",
        ),
        (
            {
                "experiment": "x",
                "events": [{"id": "evt-00000001", "type": "conversion", "value": -5}],
            },
            "events",
        ),
    ],
)
def test_bad_beacons_get_a_problem_naming_the_field(client: FlaskClient, body, field) -> None:
    answer = beacon(client, body)
    assert answer.status_code == 422
    assert answer.mimetype == "application/problem+json"
    assert field in answer.get_json()["errors"]


def test_beacons_that_are_not_json_too_big_or_for_no_experiment_are_refused(
    client: FlaskClient, tenant: Tenant
) -> None:
    assert beacon(client, "not json").status_code == 422
    assert beacon(client, b"\xff\xfe").status_code == 422
    assert beacon(client, "x" * 20_000).status_code == 422
    unknown = beacon(
        client, {"experiment": "nope", "events": [{"id": "evt-00000001", "type": "viewable"}]}
    )
    assert unknown.status_code == 404
    made = client.post(
        f"{API}/experiments", json={"name": "d", "widget_key": "d"}, headers=tenant.headers("write")
    ).get_json()
    draft = beacon(
        client,
        {"experiment": made["public_key"], "events": [{"id": "evt-00000001", "type": "viewable"}]},
    )
    assert draft.status_code == 409


def test_privacy_signals_and_bots_are_left_out_of_both_arms(
    client: FlaskClient, tenant: Tenant
) -> None:
    experiment = started_experiment(client, tenant, holdout_share=0.5)
    for i in range(40):
        ip = f"198.51.{i}.10"
        assert (
            slot(client, experiment, f"gpc-{i:08d}", ip=ip, **{"Sec-GPC": "1"}).status_code == 200
        )
        slot(client, experiment, f"dnt-{i:08d}", ip=f"192.0.{i}.1", DNT="1")
        slot(
            client,
            experiment,
            f"bot-{i:08d}",
            ip=f"100.64.{i}.1",
            **{
                "User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
            },
        )
        slot(
            client,
            experiment,
            f"hdl-{i:08d}",
            ip=f"100.65.{i}.1",
            **{"User-Agent": "Mozilla/5.0 HeadlessChrome/131.0"},
        )
    result = client.get(f"{API}/experiments/{experiment['id']}/result", headers=tenant.headers())
    body = result.get_json()
    assert body["holdout"]["units"] == body["treatment"]["units"] == 0
    assert body["holdout"]["excluded_units"] > 0 and body["treatment"]["excluded_units"] > 0
    assert body["holdout"]["excluded_units"] + body["treatment"]["excluded_units"] == 160
    assert body["holdout"]["excluded_share"] == 1.0
    assert body["verdict_kind"] == "not_enough_data"


def test_result_reports_arms_lift_srm_and_a_verdict(
    client: FlaskClient, tenant: Tenant, db: Session
) -> None:
    experiment_row = service.create_experiment(
        db, tenant.workspace.id, name="Hero", widget_key="hero"
    )
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    service.start_experiment(db, experiment_row, now)
    converted = 0
    for i in range(1000):
        visitor = identify_visitor(
            db,
            tenant.workspace.id,
            ip=f"10.{i // 250}.{i % 250}.1",
            user_agent=BROWSER["User-Agent"],
            accept_language="lo-LA",
            privacy_signal=False,
            automated_hint=False,
            now=now,
        )
        arm = record_exposure(db, experiment_row, visitor, f"exp-{i:08d}")
        rate = 0.12 if arm == "treatment" else 0.06
        if (i * 7919) % 1000 < rate * 1000:  # deterministic, evenly spread conversions
            record_beacon(
                db, experiment_row, visitor, [{"id": f"cnv-{i:08d}", "type": "conversion"}]
            )
            converted += 1
    roll_up_day(db, now.date(), experiment_row.id)
    db.commit()
    body = client.get(
        f"{API}/experiments/{experiment_row.id}/result", headers=tenant.headers()
    ).get_json()
    total = body["holdout"]["units"] + body["treatment"]["units"]
    assert total == 1000
    assert abs(body["holdout"]["units"] / total - 0.2) < 0.05
    assert body["holdout"]["conversions"] + body["treatment"]["conversions"] == converted
    assert body["sample_ratio_mismatch"] is False and body["srm_p_value"] > 0.001
    assert body["method"] == "sequential"
    assert body["verdict_kind"] in {"lift", "no_difference", "not_enough_data"}
    if body["verdict_kind"] != "not_enough_data":
        assert body["ci"][0] < body["relative_lift"] < body["ci"][1]


def test_ip_truncation() -> None:
    assert truncate_ip("203.0.113.77") == "203.0.113.0"
    assert truncate_ip("2001:db8:abcd:12:1:2:3:4") == "2001:db8:abcd::"
    assert truncate_ip("::ffff:198.51.100.9") == "198.51.100.0"
    assert truncate_ip("not an ip") == ""


def test_visitor_day_keys_rotate_daily_and_salts_are_destroyed_after_48_hours(
    db: Session, tenant: Tenant
) -> None:
    def key(now: datetime) -> str:
        return identify_visitor(
            db,
            tenant.workspace.id,
            ip="203.0.113.7",
            user_agent=BROWSER["User-Agent"],
            accept_language="km",
            privacy_signal=False,
            automated_hint=False,
            now=now,
        ).unit_key

    monday = datetime(2026, 11, 30, 9, tzinfo=UTC)
    assert key(monday) == key(monday + timedelta(hours=10))
    assert key(monday) != key(monday + timedelta(days=1))
    day_salt(db, monday.date() + timedelta(days=2))  # a new day's first visitor...
    days = set(db.scalars(select(VisitorDaySalt.day)))
    assert monday.date() not in days  # ...destroys the salt whose day began 48 h ago
    assert monday.date() + timedelta(days=1) in days
    assert destroy_expired_salts(db, monday + timedelta(days=10)) >= 1


def test_signed_postbacks_count_an_order_once_and_forgeries_never(
    client: FlaskClient, tenant: Tenant, make_tenant
) -> None:
    from testimonials.tracking.postback import SIGNATURE_HEADER, sign

    experiment = started_experiment(client, tenant)
    unit = slot(client, experiment, "exposure-0001").get_json()["unit"]
    secret = client.get(
        f"{API}/experiments/postback-secret", headers=tenant.headers("write")
    ).get_json()["secret"]
    assert (
        client.get(f"{API}/experiments/postback-secret", headers=tenant.headers()).status_code
        == 403
    )

    def post(
        order: str, *, key: str = secret, skew: int = 0, tamper: bool = False, who: str = unit
    ):
        now = int(datetime.now(UTC).timestamp()) + skew
        body = json.dumps(
            {
                "experiment": experiment["public_key"],
                "unit": who,
                "order_id": order,
                "value": 120.5,
                "timestamp": now,
            }
        ).encode()
        signature = sign(key, now, body)
        if tamper:
            body = body.replace(b"120.5", b"999.0")
        return client.post(
            f"{API}/track/conversions",
            data=body,
            content_type="application/json",
            headers={SIGNATURE_HEADER: signature},
        )

    first = post("ORD-1")
    assert first.status_code == 200 and first.get_json() == {"accepted": 1, "duplicates": 0}
    assert post("ORD-1").get_json() == {"accepted": 0, "duplicates": 1}
    assert post("ORD-2", tamper=True).status_code == 403
    assert post("ORD-3", skew=-600).status_code == 403  # a replay from ten minutes ago
    other_secret = client.get(
        f"{API}/experiments/postback-secret", headers=make_tenant("Other").headers("write")
    ).get_json()["secret"]
    assert other_secret != secret
    assert post("ORD-4", key=other_secret).status_code == 403
    stranger = post("ORD-5", who="f" * 32)  # signed, but for a unit never exposed
    assert stranger.status_code == 422 and "unit" in stranger.get_json()["errors"]
    result = client.get(f"{API}/experiments/{experiment['id']}/result", headers=tenant.headers())
    arms = result.get_json()
    assert arms["holdout"]["conversions"] + arms["treatment"]["conversions"] == 1
