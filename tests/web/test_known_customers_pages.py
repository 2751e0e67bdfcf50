"""Settings → Known customers: editors and owners upload or paste, viewers only look."""

from __future__ import annotations

import io
import re

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from testimonials.harvest.customers.models import KnownCustomer
from tests.conftest import Tenant, csrf_token, login

PAGE = "/settings/known-customers"
COMMENT = "Booking the physio slot took two taps and the reminder SMS saved my Monday."


def _count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(KnownCustomer)) or 0


def _post(client: FlaskClient, **data: object) -> TestResponse:
    token = csrf_token(client.get(PAGE).get_data(as_text=True))
    response = client.post(
        PAGE, data={"csrf_token": token, **data}, content_type="multipart/form-data"
    )
    return response


def test_an_editor_pastes_addresses_and_sees_what_was_refused_and_verified(
    client: FlaskClient, tenant: Tenant, db: Session
) -> None:
    client.post(
        "/api/v1/responses",
        json={"score": 10, "comment": COMMENT, "email": "ann@customer.example"},
        headers=tenant.headers("write"),
    )
    login(client, tenant.editor.email)
    response = _post(client, pasted="ann@customer.example\nbob at customer.example\n")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Added 1 of 2" in html
    assert "bob at customer.example" in html and "needs exactly one @" in html
    assert "1 existing feedback item verified now" in html
    assert re.search(r'data-role="count">1<', html)
    assert _count(db) == 1

    feedback = client.get("/feedback").get_data(as_text=True)
    assert 'data-verified-by="customer_email"' in feedback
    assert "verified · customer e-mail" in feedback
    inbox = client.get("/inbox").get_data(as_text=True)
    assert "verified · customer e-mail" in inbox


def test_an_owner_uploads_a_crm_export_then_clears_the_list(
    client: FlaskClient, tenant: Tenant, db: Session
) -> None:
    login(client, tenant.owner.email)
    export = b"email,name\r\nann@customer.example,Ann\r\nbob@customer.example,Bob\r\n"
    response = _post(client, file=(io.BytesIO(export), "crm.csv"))
    assert response.status_code == 200 and "Added 2 of 2" in response.get_data(as_text=True)
    assert _count(db) == 2

    token = csrf_token(client.get(PAGE).get_data(as_text=True))
    cleared = client.post(f"{PAGE}/clear", data={"csrf_token": token}, follow_redirects=True)
    assert "Removed 2 addresses" in cleared.get_data(as_text=True)
    assert _count(db) == 0


def test_an_unreadable_file_or_an_empty_form_adds_nothing_and_says_why(
    client: FlaskClient, tenant: Tenant, db: Session
) -> None:
    login(client, tenant.owner.email)
    response = _post(client, file=(io.BytesIO(b"name,plan\nAnn,Pro\n"), "crm.csv"))
    assert response.status_code == 422
    assert "Nothing was added" in response.get_data(as_text=True)
    empty = _post(client, pasted="  ")
    assert empty.status_code == 400 and "paste some addresses" in empty.get_data(as_text=True)
    assert client.post(PAGE, data={"pasted": "ann@customer.example"}).status_code == 400
    assert _count(db) == 0


def test_a_viewer_sees_the_size_but_cannot_upload_or_clear(
    client: FlaskClient, tenant: Tenant, db: Session
) -> None:
    client.post(
        "/api/v1/known-customers",
        json={"emails": ["ann@customer.example"]},
        headers=tenant.headers("write"),
    )
    login(client, tenant.viewer.email)
    page = client.get(PAGE)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and re.search(r'data-role="count">1<', html)
    assert "Add to the list" not in html and "Clear the list" not in html

    refused = _post(client, pasted="bob@customer.example")
    assert refused.status_code == 403 and "Viewers cannot change the list" in refused.get_data(
        as_text=True
    )
    token = csrf_token(html)
    assert client.post(f"{PAGE}/clear", data={"csrf_token": token}).status_code == 403
    assert _count(db) == 1
