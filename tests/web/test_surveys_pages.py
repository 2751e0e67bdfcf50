"""The hosted survey page (public) and the dashboard's surveys and follow-ups pages."""

from __future__ import annotations

from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.harvest.embed.snippets import QUEUE_STUB
from testimonials.harvest.models import FeedbackItem
from testimonials.harvest.surveys import services
from testimonials.harvest.surveys.models import FollowUp
from tests.conftest import Tenant, csrf_token, login


def _survey(db: Session, tenant: Tenant, **settings):
    survey = services.create_survey(
        db, tenant.workspace.id, {"name": "Quarterly NPS", "company_name": "Acme", **settings}
    )
    db.commit()
    return survey


def test_hosted_page_asks_everyone_the_same_and_offers_permission(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    survey = _survey(
        db,
        tenant,
        extra_questions=[
            {"key": "plan", "label": "Which plan?", "type": "choice", "choices": ["Team", "Pro"]}
        ],
    )
    html = client.get(f"/s/{survey.public_token}").get_data(as_text=True)
    assert "How likely are you to recommend Acme to a friend or colleague?" in html
    assert "Acme may quote my answer publicly" in html
    assert "Which plan?" in html


def test_detractor_may_give_permission_too_no_review_gating(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    survey = _survey(db, tenant)
    url = f"/s/{survey.public_token}"
    token = csrf_token(client.get(url).get_data(as_text=True))
    response = client.post(
        url,
        data={
            "csrf_token": token,
            "score": "2",
            "comment": "Slow exports.",
            "consent": "on",
            "name": "Dee",
            "role": "COO",
        },
    )
    assert response.status_code == 200
    item = db.scalar(select(FeedbackItem).where(FeedbackItem.survey_id == survey.id))
    assert item.consent_state == "granted" and item.nps_score == 2
    # The open page (no per-respondent token) is the hosted channel, not verified.
    assert (item.channel, item.verified, item.text) == ("hosted_survey", False, "Slow exports.")
    assert item.consent_text.startswith("Acme may quote") and item.consent_version == "1"
    assert db.scalar(select(FollowUp).where(FollowUp.item_id == item.id)) is not None


def test_bad_answer_is_explained_and_nothing_typed_is_lost(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    survey = _survey(db, tenant)
    url = f"/s/{survey.public_token}"
    token = csrf_token(client.get(url).get_data(as_text=True))
    response = client.post(
        url,
        data={
            "csrf_token": token,
            "comment": "Our long careful comment",
            "consent": "on",
            "role": "CTO",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Choose a score from 0 to 10" in html and "name to show" in html.lower()
    assert "Our long careful comment" in html and 'value="CTO"' in html
    assert db.scalar(select(FeedbackItem).where(FeedbackItem.survey_id == survey.id)) is None


def test_closed_or_unknown_survey_says_so(client: FlaskClient, db: Session, tenant: Tenant) -> None:
    survey = _survey(db, tenant, is_active=False)
    assert client.get(f"/s/{survey.public_token}").status_code == 404
    assert client.get("/s/not-a-survey").status_code == 404
    open_survey = _survey(db, tenant)
    response = client.get(f"/s/{open_survey.public_token}?t=forged")
    assert response.status_code == 404 and "not valid" in response.get_data(as_text=True)


def test_survey_text_is_escaped_on_the_public_page(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    survey = _survey(
        db,
        tenant,
        company_name="<script>alert(1)</script>",
        consent_text="<img src=x onerror=alert(2)> may quote me, thanks a lot",
    )
    html = client.get(f"/s/{survey.public_token}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "<img src=x" not in html


def test_owner_creates_a_survey_viewer_cannot(client: FlaskClient, tenant: Tenant) -> None:
    login(client, tenant.viewer.email)
    page = client.get("/surveys")
    assert page.status_code == 200 and "New survey" not in page.get_data(as_text=True)
    token = csrf_token(page.get_data(as_text=True))
    assert client.post("/surveys", data={"csrf_token": token, "name": "x"}).status_code == 403

    owner = client.application.test_client()
    login(owner, tenant.owner.email)
    form = owner.get("/surveys").get_data(as_text=True)
    response = owner.post(
        "/surveys",
        data={
            "csrf_token": csrf_token(form),
            "name": "Website NPS",
            "company_name": "Acme Clinics",
            "question": "How likely are you to recommend {company} to a friend?",
            "comment_prompt": "Why?",
            "consent_text": "Acme Clinics may quote me on its website.",
            "trigger": "scroll",
            "delay_seconds": "5",
            "scroll_percent": "40",
            "sample_rate": "0.25",
            "cooldown_days": "60",
            "allowed_origins": "https://www.acme.example",
            "is_active": "y",
        },
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "Created the survey" in html and "data-survey=" in html


def test_follow_ups_page_lets_an_editor_close_the_loop(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    survey = _survey(db, tenant)
    url = f"/s/{survey.public_token}"
    anon = client.application.test_client()
    token = csrf_token(anon.get(url).get_data(as_text=True))
    anon.post(url, data={"csrf_token": token, "score": "4", "comment": "Billing is confusing."})

    login(client, tenant.editor.email)
    page = client.get("/follow-ups").get_data(as_text=True)
    assert "Billing is confusing." in page
    follow_up = db.scalar(select(FollowUp))
    response = client.post(
        f"/follow-ups/{follow_up.id}",
        data={
            "csrf_token": csrf_token(page),
            "status": "closed",
            "notes": "Explained the invoice.",
            "owner_id": str(tenant.editor.id),
        },
        follow_redirects=True,
    )
    assert "Follow-up updated." in response.get_data(as_text=True)
    db.refresh(follow_up)
    assert follow_up.status == "closed" and follow_up.owner_id == tenant.editor.id
    assert "Billing is confusing." not in client.get("/follow-ups").get_data(as_text=True)


def test_survey_page_offers_the_tag_and_the_queue_stub_to_paste_first(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    survey = _survey(db, tenant, trigger="manual")
    login(client, tenant.viewer.email)
    html = client.get(f"/surveys/{survey.id}").get_data(as_text=True)
    tag = (
        f"&lt;script async src=&#34;http://localhost/embed/survey.js&#34; "
        f"data-survey=&#34;{survey.public_token}&#34;&gt;&lt;/script&gt;"
    )
    assert tag in html
    assert str(escape(QUEUE_STUB)) in html
    assert "before the tag above" in html
