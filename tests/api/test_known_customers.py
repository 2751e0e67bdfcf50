"""Known customers: a workspace's customer e-mails (kept as keyed hashes) verify feedback on
every channel, retroactively too, are erased with the respondent, and stay in their workspace."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from openapi_spec_validator import validate
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.harvest.customers.models import KnownCustomer
from testimonials.harvest.models import FeedbackItem
from testimonials.harvest.personal_data import keyed_hash, subject_key
from tests.api.test_imports import upload as upload_reviews
from tests.api.test_problems import assert_problem
from tests.api.test_surveys import _answer, _survey
from tests.api.webhooks.helpers import _create_source, _event, _send
from tests.conftest import Tenant

URL = "/api/v1/known-customers"
ANN = "ann@customer.example"
COMMENT = "Booking the physio slot took two taps and the reminder SMS saved my Monday."


def _add(client: FlaskClient, tenant: Tenant, emails: list[Any]) -> Any:
    return client.post(URL, json={"emails": emails}, headers=tenant.headers("write"))


def _add_file(client: FlaskClient, tenant: Tenant, body: bytes, name: str = "crm.csv") -> Any:
    return client.post(
        URL,
        data={"file": (io.BytesIO(body), name)},
        headers=tenant.headers("write"),
        content_type="multipart/form-data",
    )


def _respond(client: FlaskClient, tenant: Tenant, **fields: Any) -> dict:
    response = client.post(
        "/api/v1/responses",
        json={"score": 9, "comment": COMMENT, **fields},
        headers=tenant.headers("write"),
    )
    assert response.status_code == 201, response.json
    return client.get(f"/api/v1/feedback/{response.json['id']}", headers=tenant.headers()).json


def _reason_codes(item: dict) -> set[str]:
    return {reason["code"] for reason in item["reasons"] or []}


def test_invalid_entries_are_reported_by_index_and_the_valid_ones_kept(
    client: FlaskClient, tenant: Tenant, db: Session
) -> None:
    response = _add(
        client,
        tenant,
        ["  Ann@Customer.example ", "not-an-address", "", "bob@customer.example",
         "ann@customer.example", "Carol <carol@customer.example>", "dan@localhost"],
    )  # fmt: skip

    assert response.status_code == 200, response.json
    report = response.json
    assert (report["received"], report["added"], report["already_listed"]) == (7, 2, 1)
    assert report["invalid"] == 4 and report["count"] == 2 and report["updated_at"]
    reasons = {problem["index"]: problem["reason"] for problem in report["errors"]}
    assert set(reasons) == {1, 2, 5, 6}
    assert "@" in reasons[1] and reasons[2].startswith("empty")
    assert "bare address" in reasons[5] and "localhost" in reasons[6]

    # Only keyed hashes of the trimmed, lower-cased addresses are stored.
    stored = set(db.scalars(select(KnownCustomer.email_hash)))
    key = subject_key("test-secret-key")
    assert stored == {keyed_hash(key, ANN), keyed_hash(key, "bob@customer.example")}
    summary = client.get(URL, headers=tenant.headers())
    assert summary.status_code == 200
    assert summary.json["count"] == 2 and summary.json["verified_items"] == 0
    body = summary.get_data(as_text=True)
    assert not any(digest in body for digest in stored) and ANN not in body


def test_a_file_with_an_email_column_or_one_address_per_line_is_read_by_line(
    client: FlaskClient, tenant: Tenant
) -> None:
    csv_file = (
        b"Name;E-mail Address;Plan\r\nAnn;ann@customer.example;Pro\r\n"
        b"Bob;bob(at)customer.example;Free\r\n\r\nCat;cat@customer.example;Pro\r\n"
    )
    report = _add_file(client, tenant, csv_file).json
    assert (report["received"], report["added"], report["invalid"]) == (3, 2, 1)
    assert report["errors"] == [
        {"line": 3, "value": "bob(at)customer.example", "reason": report["errors"][0]["reason"]}
    ]

    plain = "\ufeffdan@customer.example\nann@customer.example\nnope\n".encode()
    report = _add_file(client, tenant, plain, "list.txt").json
    assert (report["added"], report["already_listed"], report["invalid"]) == (1, 1, 1)
    assert report["errors"][0]["line"] == 3 and report["count"] == 3


def test_file_and_request_level_problems_are_422_and_store_nothing(
    client: FlaskClient, tenant: Tenant
) -> None:
    no_column = _add_file(client, tenant, b"name,plan\nAnn,Pro\nann@customer.example,Pro\n")
    assert_problem(no_column, 422)
    assert "email" in no_column.json["detail"]
    assert_problem(_add(client, tenant, []), 422)
    assert_problem(_add(client, tenant, [ANN] * 10_001), 422)
    wrong_type = _add(client, tenant, [ANN, 42])
    assert_problem(wrong_type, 422)
    assert "emails" in wrong_type.json["errors"]
    unknown = client.post(URL, json={"email": ANN}, headers=tenant.headers("write"))
    assert_problem(unknown, 422)
    assert client.get(URL, headers=tenant.headers()).json["count"] == 0


def test_read_keys_only_read_and_clearing_keeps_what_was_verified(
    client: FlaskClient, tenant: Tenant
) -> None:
    read_only = client.post(URL, json={"emails": [ANN]}, headers=tenant.headers("read"))
    assert_problem(read_only, 403)
    assert_problem(client.delete(URL, headers=tenant.headers("read")), 403)
    _add(client, tenant, [ANN])
    item = _respond(client, tenant, email=ANN)
    assert item["verified"] and item["verified_by"] == "customer_email"

    cleared = client.delete(URL, headers=tenant.headers("write"))
    assert cleared.status_code == 200 and cleared.json == {"removed": 1}
    summary = client.get(URL, headers=tenant.headers()).json
    assert summary["count"] == 0 and summary["updated_at"] is None
    again = client.get(f"/api/v1/feedback/{item['id']}", headers=tenant.headers()).json
    assert again["verified_by"] == "customer_email"
    assert not _respond(client, tenant, email=ANN)["verified"]


def test_api_responses_from_known_customers_are_verified_and_others_are_not(
    client: FlaskClient, tenant: Tenant
) -> None:
    _add(client, tenant, [ANN])
    known = _respond(client, tenant, email="ANN@customer.example")
    stranger = _respond(client, tenant, email="zed@elsewhere.example")
    vouched = _respond(client, tenant, email="zed@elsewhere.example", verified=True)

    assert known["verified"] and known["verified_by"] == "customer_email"
    assert "unverified_source" not in _reason_codes(known)
    assert not stranger["verified"] and stranger["verified_by"] is None
    assert "unverified_source" in _reason_codes(stranger)
    assert vouched["verified"] and vouched["verified_by"] == "sender"
    assert client.get(URL, headers=tenant.headers()).json["verified_items"] == 1


def test_hosted_survey_answers_match_and_token_answers_stay_token(
    client: FlaskClient, tenant: Tenant, db: Session
) -> None:
    _add(client, tenant, [ANN, "bob@customer.example"])
    survey = _survey(client, tenant)
    hosted = f"/s/{survey['public_token']}"
    assert _answer(client, hosted, score="9", comment=COMMENT, email=ANN).status_code == 200
    link = (
        client.post(
            f"/api/v1/surveys/{survey['id']}/invitations",
            json={"recipients": [{"email": "bob@customer.example"}]},
            headers=tenant.headers("write"),
        )
        .json[0]["url"]
        .split("localhost", 1)[1]
    )
    assert _answer(client, link, score="10", comment="Two days a week saved.").status_code == 200

    items = {
        i.author_email: i
        for i in db.scalars(select(FeedbackItem).where(FeedbackItem.survey_id == survey["id"]))
    }
    assert items[ANN].channel == "hosted_survey"
    assert (items[ANN].verified, items[ANN].verified_by) == (True, "customer_email")
    bob = items["bob@customer.example"]
    assert (bob.verified, bob.verified_by) == (True, "token")


def test_webhook_responses_match_also_when_the_email_arrives_later(
    client: FlaskClient, tenant: Tenant, db: Session
) -> None:
    _add(client, tenant, [ANN])
    source = _create_source(client, tenant)
    assert _send(client, source, _event(comment=COMMENT, score=9, email=ANN)).status_code == 200
    _send(client, source, _event(event_id="e2", response_id="r2", score=10, comment=COMMENT[:40]))
    later = _event("updated", event_id="e3", response_id="r2", email=ANN.upper())
    assert _send(client, source, later).json["status"] == "accepted"

    db.expire_all()
    items = {i.external_id: i for i in db.scalars(select(FeedbackItem))}
    assert (items["resp_1"].verified, items["resp_1"].verified_by) == (True, "customer_email")
    second = items["r2"]
    assert (second.verified, second.verified_by) == (True, "customer_email")
    assert "unverified_source" not in {r["code"] for r in second.score_reasons or []}


def test_imported_reviews_from_known_customers_are_verified(
    client: FlaskClient, tenant: Tenant
) -> None:
    _add(client, tenant, [ANN])
    reviews = (
        "Review,Rating,Name,Email\r\n"
        f'"{COMMENT}",5,Ann,{ANN}\r\n'
        '"The calendar sync stopped double bookings at our studio.",5,Zed,zed@x.example\r\n'
        '"Support rebuilt our 40 service types on one call.",4,Nobody,\r\n'
    ).encode()
    run = upload_reviews(client, tenant, reviews)
    assert run.status_code == 201 and run.json["rows_added"] == 3, run.json

    listing = client.get("/api/v1/feedback?channel=import", headers=tenant.headers()).json
    by_author = {item["author_name"]: item for item in listing["items"]}
    assert by_author["Ann"]["verified_by"] == "customer_email" and by_author["Ann"]["verified"]
    assert "unverified_source" not in _reason_codes(by_author["Ann"])
    assert not by_author["Zed"]["verified"] and not by_author["Nobody"]["verified"]


def test_adding_addresses_verifies_and_rescores_earlier_feedback(
    client: FlaskClient, make_tenant: Callable[[str], Tenant]
) -> None:
    a, b = make_tenant("Alpha Co"), make_tenant("Beta Co")
    earlier = [_respond(client, a, email=ANN, comment=f"{COMMENT} Visit {n}.") for n in range(3)]
    other = _respond(client, a, email="zed@elsewhere.example")
    in_b = _respond(client, b, email=ANN)
    assert all("unverified_source" in _reason_codes(item) for item in earlier)

    report = _add(client, a, [ANN]).json
    assert report["items_verified"] == 3

    for before in earlier:
        after = client.get(f"/api/v1/feedback/{before['id']}", headers=a.headers()).json
        assert after["verified"] and after["verified_by"] == "customer_email"
        assert "unverified_source" not in _reason_codes(after)
        assert after["suspicion"] < before["suspicion"]
    assert not client.get(f"/api/v1/feedback/{other['id']}", headers=a.headers()).json["verified"]
    # Workspace B's feedback from the same address is B's business: untouched.
    assert not client.get(f"/api/v1/feedback/{in_b['id']}", headers=b.headers()).json["verified"]
    assert client.get(URL, headers=a.headers()).json["verified_items"] == 3
    # Adding the same address again verifies nothing twice.
    assert _add(client, a, [ANN]).json["items_verified"] == 0


def test_lists_are_per_workspace(client: FlaskClient, make_tenant: Callable[[str], Tenant]) -> None:
    a, b = make_tenant("Alpha Co"), make_tenant("Beta Co")
    _add(client, b, [ANN, "bob@customer.example"])

    assert client.get(URL, headers=a.headers()).json["count"] == 0
    assert not _respond(client, a, email=ANN)["verified"]
    # A's list starts empty: B's addresses are neither "already listed" nor cleared by A.
    assert _add(client, a, [ANN]).json["added"] == 1
    assert client.delete(URL, headers=a.headers("write")).json == {"removed": 1}
    assert client.get(URL, headers=b.headers()).json["count"] == 2


def test_erasing_a_respondent_takes_them_off_the_list_for_good(
    client: FlaskClient, tenant: Tenant
) -> None:
    _add(client, tenant, [ANN, "bob@customer.example"])
    item = _respond(client, tenant, email=ANN)
    erased = client.post(
        "/api/v1/erasures", json={"email": "Ann@Customer.example"}, headers=tenant.headers("write")
    )
    assert erased.status_code == 201 and erased.json["items_erased"] == 1
    assert client.get(URL, headers=tenant.headers()).json["count"] == 1
    assert (
        client.get(f"/api/v1/feedback/{item['id']}", headers=tenant.headers()).json["author_email"]
        is None
    )

    # A later CRM export that still holds the address does not bring it back.
    report = _add(client, tenant, [ANN, "cat@customer.example"]).json
    assert (report["added"], report["erased"]) == (1, 1)
    assert report["errors"][0]["index"] == 0 and "erased" in report["errors"][0]["reason"]
    assert client.get(URL, headers=tenant.headers()).json["count"] == 2
    assert not _respond(client, tenant, email=ANN)["verified"]


def test_the_openapi_document_describes_both_ways_of_adding(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").json
    validate(spec)
    content = spec["paths"][URL]["post"]["requestBody"]["content"]
    schemas = spec["components"]["schemas"]
    as_json = schemas[content["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]]
    as_file = schemas[content["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[1]]
    assert as_json["properties"]["emails"]["maxItems"] == 10_000
    assert as_file["properties"]["file"]["format"] == "binary"
