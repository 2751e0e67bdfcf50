"""The webhook settings page: owners create, rotate and deactivate; others only look."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
from datetime import UTC, datetime

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.harvest.webhooks.models import WebhookSource
from testimonials.harvest.webhooks.signatures import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    signature_for,
)
from tests.conftest import Tenant, csrf_token, login

PAGE = "/settings/webhooks"


def _secret_in(html: str) -> str | None:
    match = re.search(r'id="issued-secret-value">(whsec_[0-9a-f]{64})<', html)
    return match.group(1) if match else None


def _token_in(html: str) -> str:
    match = re.search(r'class="webhook-url">[^<]*/hooks/([\w-]{43})<', html)
    assert match, "no webhook URL on the page"
    return match.group(1)


def _create(client: FlaskClient, name: str = "Typeform NPS") -> str:
    token = csrf_token(client.get(PAGE).get_data(as_text=True))
    response = client.post(PAGE, data={"name": name, "csrf_token": token})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _deliver(client: FlaskClient, token: str, secret: str) -> int:
    body = json.dumps(
        {
            "event_id": "evt_1",
            "type": "response.created",
            "occurred_at": "2026-03-01T09:00:00Z",
            "response": {"id": "r1", "score": 9},
        }
    ).encode()
    now = str(int(time.time()))
    headers = {TIMESTAMP_HEADER: now, SIGNATURE_HEADER: signature_for(secret, now, body)}
    return client.post(f"/hooks/{token}", data=body, headers=headers).status_code


def test_owner_creates_a_source_and_sees_its_secret_once(
    client: FlaskClient, tenant: Tenant
) -> None:
    login(client, tenant.owner.email)
    html = _create(client)
    secret = _secret_in(html)
    assert secret is not None
    assert "Typeform NPS" in html and "will not be shown again" in html
    hook_token = _token_in(html)
    assert f"http://localhost/hooks/{hook_token}" in html
    again = client.get(PAGE).get_data(as_text=True)
    assert secret not in again and "Typeform NPS" in again
    # The secret shown works, and the page then shows the delivery.
    assert _deliver(client, hook_token, secret) == 200
    assert "never" not in client.get(PAGE).get_data(as_text=True)


def test_forms_without_a_csrf_token_change_nothing(client: FlaskClient, tenant: Tenant) -> None:
    login(client, tenant.owner.email)
    assert client.post(PAGE, data={"name": "Sneaky"}).status_code == 400
    html = _create(client)
    source_id = re.search(r"/settings/webhooks/(\d+)/rotate", html).group(1)  # type: ignore[union-attr]
    assert client.post(f"{PAGE}/{source_id}/rotate").status_code == 400
    assert client.post(f"{PAGE}/{source_id}/deactivate").status_code == 400
    page = client.get(PAGE).get_data(as_text=True)
    assert "Sneaky" not in page and "deactivated" not in page


def test_owner_rotates_then_deactivates(client: FlaskClient, tenant: Tenant) -> None:
    login(client, tenant.owner.email)
    html = _create(client)
    old_secret, hook_token = _secret_in(html), _token_in(html)
    assert old_secret is not None
    source_id = re.search(r"/settings/webhooks/(\d+)/rotate", html).group(1)  # type: ignore[union-attr]
    rotated = client.post(f"{PAGE}/{source_id}/rotate", data={"csrf_token": csrf_token(html)})
    assert rotated.status_code == 200
    new_secret = _secret_in(rotated.get_data(as_text=True))
    assert new_secret is not None and new_secret != old_secret
    assert _deliver(client, hook_token, old_secret) == 401
    assert _deliver(client, hook_token, new_secret) == 200

    response = client.post(f"{PAGE}/{source_id}/deactivate", data={"csrf_token": csrf_token(html)})
    assert response.status_code == 302
    page = client.get(PAGE).get_data(as_text=True)
    assert "Its URL now answers 410 Gone" in page and "deactivated" in page
    assert "Rotate secret" not in page
    assert _deliver(client, hook_token, new_secret) == 410


def test_duplicate_name_is_explained_on_the_form(client: FlaskClient, tenant: Tenant) -> None:
    login(client, tenant.owner.email)
    _create(client, "Typeform NPS")
    token = csrf_token(client.get(PAGE).get_data(as_text=True))
    response = client.post(PAGE, data={"name": "Typeform NPS", "csrf_token": token})
    assert response.status_code == 400
    assert "already called" in response.get_data(as_text=True)


def test_viewers_and_editors_see_sources_without_secrets_or_buttons(
    client: FlaskClient, tenant: Tenant
) -> None:
    login(client, tenant.owner.email)
    owner_html = _create(client, "Survey <b>Tool</b>")
    secret = _secret_in(owner_html)
    source_id = re.search(r"/settings/webhooks/(\d+)/rotate", owner_html).group(1)  # type: ignore[union-attr]
    client.post("/logout", data={"csrf_token": csrf_token(owner_html)})

    for user in (tenant.viewer, tenant.editor):
        login(client, user.email)
        page = client.get(PAGE)
        html = page.get_data(as_text=True)
        assert page.status_code == 200
        assert "Survey &lt;b&gt;Tool&lt;/b&gt;" in html  # escaped, never rendered as markup
        assert "/hooks/" in html
        assert secret not in html and "whsec_" not in html
        assert "Rotate secret" not in html and "Deactivate" not in html
        assert "Add a survey tool" not in html
        token = csrf_token(html)
        assert client.post(PAGE, data={"name": "x", "csrf_token": token}).status_code == 403
        rotate = client.post(f"{PAGE}/{source_id}/rotate", data={"csrf_token": token})
        assert rotate.status_code == 403
        assert "whsec_" not in rotate.get_data(as_text=True)
        client.post("/logout", data={"csrf_token": token})


def test_other_workspaces_sources_are_invisible_and_untouchable(
    client: FlaskClient, make_tenant
) -> None:
    a, b = make_tenant("Alpha Co"), make_tenant("Beta Co")
    login(client, b.owner.email)
    b_html = _create(client, "Beta Secret Tool")
    b_id = re.search(r"/settings/webhooks/(\d+)/rotate", b_html).group(1)  # type: ignore[union-attr]
    client.post("/logout", data={"csrf_token": csrf_token(b_html)})
    login(client, a.owner.email)
    html = client.get(PAGE).get_data(as_text=True)
    assert "Beta Secret Tool" not in html
    token = csrf_token(html)
    assert client.post(f"{PAGE}/{b_id}/rotate", data={"csrf_token": token}).status_code == 404
    assert client.post(f"{PAGE}/{b_id}/deactivate", data={"csrf_token": token}).status_code == 404


def test_owner_creates_a_typeform_source_and_the_kind_is_listed(
    client: FlaskClient, tenant: Tenant
) -> None:
    login(client, tenant.owner.email)
    _create(client, "Our own tool")
    token = csrf_token(client.get(PAGE).get_data(as_text=True))
    response = client.post(PAGE, data={"name": "Typeform", "kind": "typeform", "csrf_token": token})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    secret = _secret_in(html)
    assert secret is not None and "Connect → Webhooks" in html
    kinds = re.findall(r'class="webhook-kind">([^<]*)<', client.get(PAGE).get_data(as_text=True))
    assert sorted(kinds) == ["Our format (any tool that can sign)", "Typeform (its own webhooks)"]
    # The secret shown is the one to paste into Typeform: its signature is accepted.
    hook_token = re.search(r'id="issued-url">[^<]*/hooks/([\w-]{43})<', html).group(1)  # type: ignore[union-attr]
    body = json.dumps(
        {
            "event_id": "01TF",
            "event_type": "form_response",
            "form_response": {
                "token": "t1",
                "submitted_at": datetime.now(UTC).isoformat(),
                "answers": [{"type": "number", "number": 9, "field": {"id": "a", "type": "nps"}}],
            },
        }
    ).encode()
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    signature = "sha256=" + base64.b64encode(digest).decode()
    delivered = client.post(
        f"/hooks/{hook_token}", data=body, headers={"Typeform-Signature": signature}
    )
    assert delivered.status_code == 200 and delivered.json["status"] == "accepted"


def test_an_unknown_kind_is_refused_on_the_form(client: FlaskClient, tenant: Tenant) -> None:
    login(client, tenant.owner.email)
    token = csrf_token(client.get(PAGE).get_data(as_text=True))
    response = client.post(PAGE, data={"name": "X", "kind": "surveymonkey", "csrf_token": token})
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)


def test_owner_says_which_typeform_questions_feed_which_field(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    login(client, tenant.owner.email)
    token = csrf_token(client.get(PAGE).get_data(as_text=True))
    client.post(PAGE, data={"name": "Typeform", "kind": "typeform", "csrf_token": token})
    source = db.scalar(select(WebhookSource).where(WebhookSource.name == "Typeform"))
    assert source is not None
    url = f"{PAGE}/{source.id}/field-map"
    token = csrf_token(client.get(PAGE).get_data(as_text=True))
    saved = client.post(
        url, data={"csrf_token": token, "map_score": "recommend", "map_comment": " why "}
    )
    assert saved.status_code == 302
    db.refresh(source)
    assert source.field_map == {"score": "recommend", "comment": "why"}
    assert 'value="recommend"' in client.get(PAGE).get_data(as_text=True)
    # A ref too long is explained beside its field, and what was typed stays.
    refused = client.post(
        url, data={"csrf_token": token, "map_score": "x" * 300, "map_comment": "why"}
    )
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "A Typeform field ref of 1 to 200 characters." in html and 'value="why"' in html
    db.refresh(source)
    assert source.field_map == {"score": "recommend", "comment": "why"}


def test_only_owners_change_a_field_map(client: FlaskClient, db: Session, tenant: Tenant) -> None:
    login(client, tenant.owner.email)
    token = csrf_token(client.get(PAGE).get_data(as_text=True))
    client.post(PAGE, data={"name": "Typeform", "kind": "typeform", "csrf_token": token})
    source = db.scalar(select(WebhookSource).where(WebhookSource.name == "Typeform"))
    assert source is not None
    client.post("/logout", data={"csrf_token": csrf_token(client.get(PAGE).get_data(as_text=True))})
    login(client, tenant.editor.email)
    page = client.get(PAGE).get_data(as_text=True)
    assert "Save field map" not in page and "automatic" in page
    response = client.post(
        f"{PAGE}/{source.id}/field-map",
        data={"csrf_token": csrf_token(page), "map_score": "recommend"},
    )
    assert response.status_code == 403
    db.refresh(source)
    assert source.field_map is None
