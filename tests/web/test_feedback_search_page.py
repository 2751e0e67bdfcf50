"""The Feedback page's search box: the inbox's search, with its words escaped and bad input
explained; the CSV download and the API keep it."""

from __future__ import annotations

import csv
import html as html_lib
import io
import re

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from testimonials.harvest.models import Channel
from tests import factories
from tests.conftest import Tenant, login


def _texts(page: str) -> list[str]:
    return [html_lib.unescape(t) for t in re.findall(r'class="feedback-text"[^>]*>([^<]*)<', page)]


def _seed(db: Session, tenant: Tenant) -> None:
    workspace_id = tenant.workspace.id
    factories.feedback(db, workspace_id, "Onboarding took two days.", author_company="Acme Dental")
    factories.feedback(db, workspace_id, "予約が簡単です", author_company="田中歯科")
    factories.feedback(db, workspace_id, "Reminders cut our no-shows.", author_name="Dana Acmeson")
    factories.feedback(db, workspace_id, "Nothing to find here.", channel=Channel.IMPORT)
    db.commit()


def test_searching_finds_words_names_and_companies_like_the_inbox(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    _seed(db, tenant)
    login(client, tenant.viewer.email)

    page = client.get("/feedback?q=acme")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert sorted(_texts(text)) == ["Onboarding took two days.", "Reminders cut our no-shows."]
    assert 'name="q" value="acme"' in text
    assert _texts(client.get("/feedback?q=歯科").get_data(as_text=True)) == ["予約が簡単です"]
    assert _texts(client.get("/feedback?q=ONBOARDING+dental").get_data(as_text=True)) == [
        "Onboarding took two days."
    ]
    none = client.get("/feedback?q=zanzibar").get_data(as_text=True)
    assert _texts(none) == [] and "No feedback holds every word of “zanzibar”" in none


def test_the_download_and_the_api_keep_the_search(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    _seed(db, tenant)
    login(client, tenant.viewer.email)
    page = client.get("/feedback?q=acme+dental").get_data(as_text=True)
    match = re.search(r'href="([^"]+)"[^>]*data-role="export-csv"', page)
    assert match
    link = html_lib.unescape(match.group(1))
    assert "q=acme+dental" in link
    rows = list(csv.DictReader(io.StringIO(client.get(link).get_data().decode("utf-8-sig"))))
    assert [r["text"] for r in rows] == ["Onboarding took two days."]

    api = client.get("/api/v1/feedback", query_string={"q": "Acme"}, headers=tenant.headers())
    assert api.status_code == 200
    assert sorted(i["text"] for i in api.json["items"]) == [
        "Onboarding took two days.",
        "Reminders cut our no-shows.",
    ]
    too_long = client.get(
        "/api/v1/feedback", query_string={"q": "a" * 201}, headers=tenant.headers()
    )
    assert too_long.status_code == 422 and "200 characters" in too_long.get_data(as_text=True)


def test_the_search_is_escaped_and_bad_input_is_explained(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    _seed(db, tenant)
    login(client, tenant.viewer.email)

    attack = '"><script>alert(1)</script>'
    page = client.get("/feedback", query_string={"q": attack}).get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page

    long_search = "acme " * 50
    refused = client.get("/feedback", query_string={"q": long_search})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "A search is at most 200 characters; this one has 249." in text
    assert 'role="alert"' in text and _texts(text) == []

    many = "acme dental onboarding took two days onboarding took extra words"
    shown = client.get("/feedback", query_string={"q": many}).get_data(as_text=True)
    assert "Only the first 8 words were searched; these were left out: extra words" in shown
    assert _texts(shown) == ["Onboarding took two days."]
