"""Extra questions edited in the dashboard's survey form, under the same rules as the API."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from testimonials.harvest.surveys import services
from tests.conftest import Tenant, login

PLAN = {"key": "plan", "label": "Which plan are you on?", "type": "choice", "choices": ["Team"]}
TEAM = {"key": "team_size", "label": "How many people use it?", "type": "text"}


def _survey(db: Session, tenant: Tenant, questions: list[dict[str, Any]]) -> Any:
    survey = services.create_survey(
        db,
        tenant.workspace.id,
        {"name": "Quarterly NPS", "company_name": "Acme", "extra_questions": questions},
    )
    db.commit()
    return survey


def _form_fields(html: str) -> dict[str, str]:
    """What a browser would send back from the settings form, untouched."""
    form = html[html.index('<form method="post" class="settings"') :]
    form = form[: form.index("</form>")]
    fields: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if not name:
            continue
        kind = re.search(r'type="([^"]+)"', tag)
        if kind and kind.group(1) == "checkbox":
            if "checked" in tag:
                fields[name.group(1)] = "y"
            continue
        value = re.search(r'value="([^"]*)"', tag)
        fields[name.group(1)] = value.group(1) if value else ""
    for name, body in re.findall(
        r'<textarea[^>]*name="([^"]+)"[^>]*>\n?(.*?)</textarea>', form, re.S
    ):
        fields[name] = body.replace("&#39;", "'").replace("&amp;", "&")
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"', options) or re.search(
            r'<option value="([^"]*)"', options
        )
        fields[name] = chosen.group(1) if chosen else ""
    return fields


def _owner(client: FlaskClient, tenant: Tenant) -> FlaskClient:
    login(client, tenant.owner.email)
    return client


def _save(client: FlaskClient, url: str, **changes: str) -> Any:
    fields = _form_fields(client.get(url).get_data(as_text=True))
    fields.update(changes)
    fields = {name: value for name, value in fields.items() if value is not None}
    return client.post(url, data=fields, follow_redirects=True)


def test_owner_adds_a_text_and_a_choice_question(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    survey = _survey(db, tenant, [])
    url = f"/surveys/{survey.id}"
    page = _owner(client, tenant).get(url).get_data(as_text=True)
    assert "Extra questions (asked after the comment)" in page
    assert page.count("New question") == 2  # two blank rows, ready to fill

    response = _save(
        client,
        url,
        **{
            "extra_questions-0-label": "Which plan are you on?",
            "extra_questions-0-type": "choice",
            "extra_questions-0-choices": "Team\r\n\r\n  Enterprise  \r\n",
            "extra_questions-1-label": "How many people use it?",
            "extra_questions-1-key": "team_size",
        },
    )
    assert "Saved." in response.get_data(as_text=True)
    db.refresh(survey)
    assert survey.extra_questions == [
        {
            "key": "which_plan_are_you_on",
            "label": "Which plan are you on?",
            "type": "choice",
            "choices": ["Team", "Enterprise"],
        },
        {"key": "team_size", "label": "How many people use it?", "type": "text"},
    ]
    # Respondents get them, in that order, on the hosted page.
    hosted = client.application.test_client().get(f"/s/{survey.public_token}")
    html = hosted.get_data(as_text=True)
    assert html.index("Which plan are you on?") < html.index("How many people use it?")
    assert re.search(r"<option\s*>Enterprise</option>", html)


def test_owner_rewords_reorders_and_removes_questions_keeping_keys(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    survey = _survey(
        db, tenant, [PLAN, TEAM, {"key": "role", "label": "Your role?", "type": "text"}]
    )
    url = f"/surveys/{survey.id}"
    _owner(client, tenant)
    response = _save(
        client,
        url,
        **{
            "extra_questions-0-label": "Which plan do you pay for?",
            "extra_questions-0-choices": "Team\nPro",
            "extra_questions-0-position": "2",
            "extra_questions-1-position": "1",
            "extra_questions-2-remove": "y",
        },
    )
    assert "Saved." in response.get_data(as_text=True)
    db.refresh(survey)
    assert survey.extra_questions == [
        TEAM,
        {**PLAN, "label": "Which plan do you pay for?", "choices": ["Team", "Pro"]},
    ]
    # The form shows them back in the new order, numbered from 1, with blank rows after.
    page = client.get(url).get_data(as_text=True)
    fields = _form_fields(page)
    assert fields["extra_questions-0-key"] == "team_size"
    assert fields["extra_questions-1-label"] == "Which plan do you pay for?"
    assert (fields["extra_questions-0-position"], fields["extra_questions-1-position"]) == (
        "1",
        "2",
    )
    assert fields["extra_questions-2-label"] == "" and fields["extra_questions-3-label"] == ""


def test_broken_questions_are_refused_with_the_apis_own_messages(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    survey = _survey(db, tenant, [PLAN])
    url = f"/surveys/{survey.id}"
    _owner(client, tenant)
    broken = {
        "extra_questions-1-label": "Which plan, again?",
        "extra_questions-1-key": "plan",
        "extra_questions-2-label": "Favourite feature?",
        "extra_questions-2-type": "choice",
    }
    response = _save(client, url, name="Renamed survey", **broken)
    html = response.get_data(as_text=True)
    assert "Saved." not in html
    assert "Some extra questions need another look" in html
    # The API refuses the same questions with the same words.
    api_rules = []
    for questions in (
        [PLAN, {"key": "plan", "label": "Which plan, again?"}],
        [PLAN, {"key": "favourite_feature", "label": "Favourite feature?", "type": "choice"}],
    ):
        problem = client.patch(
            f"/api/v1/surveys/{survey.id}",
            json={"extra_questions": questions},
            headers=tenant.headers("write"),
        ).get_json()
        api_rules.append(problem["detail"])
    assert api_rules == [
        "Each extra question needs a unique key of lower-case letters, digits and _.",
        "A choice question needs choices.",
    ]
    for rule in api_rules:
        assert rule in html
    # Nothing was saved, and everything typed is still in the form.
    db.refresh(survey)
    assert survey.name == "Quarterly NPS" and survey.extra_questions == [PLAN]
    fields = _form_fields(html)
    assert fields["name"] == "Renamed survey"
    assert fields["extra_questions-1-label"] == "Which plan, again?"
    assert fields["extra_questions-2-key"] == "favourite_feature"
    assert fields["extra_questions-2-type"] == "choice"


def test_schema_rules_show_beside_the_field(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    survey = _survey(db, tenant, [])
    url = f"/surveys/{survey.id}"
    _owner(client, tenant)
    response = _save(
        client,
        url,
        **{
            "extra_questions-0-key": "plan",  # a key but no question to ask
            "extra_questions-1-label": "Size?",
            "extra_questions-1-key": "Team Size!",
        },
    )
    html = response.get_data(as_text=True)
    assert "Saved." not in html
    assert "Write the question to ask." in html  # the API's own schema message
    problem = client.patch(
        f"/api/v1/surveys/{survey.id}",
        json={"extra_questions": [{"key": "plan"}]},
        headers=tenant.headers("write"),
    ).get_json()
    assert problem["errors"]["extra_questions"]["0"]["label"] == ["Write the question to ask."]
    assert "Each extra question needs a unique key of lower-case letters, digits and _." in html
    db.refresh(survey)
    assert survey.extra_questions == []


def test_viewer_sees_the_questions_but_no_form(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    survey = _survey(db, tenant, [PLAN, {**TEAM, "label": "<b>How many</b> use it?"}])
    login(client, tenant.viewer.email)
    html = client.get(f"/surveys/{survey.id}").get_data(as_text=True)
    assert "Which plan are you on?" in html and "&lt;b&gt;How many&lt;/b&gt; use it?" in html
    assert "extra_questions-0-label" not in html
