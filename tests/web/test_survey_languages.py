"""A survey in the customers' language: the hosted page, its messages, thanks and closed
pages, and the standard wording a new survey starts with."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials import migrate
from testimonials.db import make_engine
from testimonials.harvest.models import FeedbackItem
from testimonials.harvest.surveys import services
from tests import factories
from tests.conftest import Tenant, csrf_token, login

API = "/api/v1"
# Chrome of the hosted page in English: none of it may be left on a translated page.
ENGLISH_CHROME = (
    "Not at all likely",
    "Extremely likely",
    "May we quote you?",
    "Name to show",
    "Photo to show",
    "We crop it",
    ">Send<",
    "quick question",
    "How likely are you",
    "main reason for your score",
    "may quote my answer",
)


def _survey(db: Session, tenant: Tenant, language: str, **settings: object):
    survey = services.create_survey(
        db,
        tenant.workspace.id,
        {"name": "NPS", "company_name": "Angkor Dental", "language": language, **settings},
    )
    db.commit()
    return survey


def test_a_khmer_customer_answers_corrects_a_mistake_and_is_thanked_in_khmer(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    survey = _survey(db, tenant, "km")
    url = f"/s/{survey.public_token}"
    page = client.get(url).get_data(as_text=True)
    assert '<html lang="km">' in page
    assert "តើអ្នកទំនងជាណែនាំ Angkor Dental ដល់មិត្តភក្តិ" in page  # the question, in Khmer
    assert "មិនទំនងទាល់តែសោះ" in page and "ទំនងខ្លាំងណាស់" in page  # the scale's ends
    assert ">ផ្ញើ</button>" in page
    assert [chrome for chrome in ENGLISH_CHROME if chrome in page] == []

    # No score, and permission without a name: both messages in Khmer.
    refused = client.post(
        url, data={"csrf_token": csrf_token(page), "comment": "ល្អណាស់", "consent": "on"}
    )
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "សូមជ្រើសរើសពិន្ទុពី 0 ដល់ 10។" in html
    assert "សូមប្រាប់ឈ្មោះដែលត្រូវបង្ហាញ" in html
    assert "Choose a score" not in html and "Tell us the name" not in html
    assert "ល្អណាស់" in html  # what they wrote is kept

    sent = client.post(
        url,
        data={
            "csrf_token": csrf_token(html),
            "score": "10",
            "comment": "ល្អណាស់",
            "consent": "on",
            "name": "សុខ ចាន់",
        },
    )
    assert sent.status_code == 200
    assert "សូមអរគុណ!" in sent.get_data(as_text=True)
    assert "ចម្លើយរបស់អ្នកបានទៅដល់ Angkor Dental ហើយ។" in sent.get_data(as_text=True)
    item = db.scalar(select(FeedbackItem).where(FeedbackItem.survey_id == survey.id))
    assert item is not None and item.nps_score == 10
    # What the customer agreed to is the Khmer wording they were shown.
    assert item.consent_text == services.consent_text(survey)
    assert item.consent_text.startswith("Angkor Dental អាចដកស្រង់ចម្លើយរបស់ខ្ញុំ")


def test_arabic_pages_run_right_to_left_and_a_closed_survey_says_so_in_its_language(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    survey = _survey(db, tenant, "ar")
    page = client.get(f"/s/{survey.public_token}").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    survey.is_active = False
    db.commit()
    closed = client.get(f"/s/{survey.public_token}")
    assert closed.status_code == 404
    text = closed.get_data(as_text=True)
    assert "هذا الاستبيان غير موجود أو مغلق." in text and "does not exist" not in text


def test_an_english_survey_is_as_before(client: FlaskClient, db: Session, tenant: Tenant) -> None:
    survey = _survey(db, tenant, "en")
    page = client.get(f"/s/{survey.public_token}").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert [chrome for chrome in ENGLISH_CHROME if chrome not in page] == []
    refused = client.post(f"/s/{survey.public_token}", data={"csrf_token": csrf_token(page)})
    assert "Choose a score from 0 to 10." in refused.get_data(as_text=True)


def test_the_api_creates_a_survey_in_a_language_with_its_standard_wording(
    client: FlaskClient, tenant: Tenant
) -> None:
    headers = tenant.headers("write")
    made = client.post(
        f"{API}/surveys", json={"name": "Lao NPS", "language": "lo"}, headers=headers
    )
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert body["language"] == "lo"
    assert body["comment_prompt"] == "ເຫດຜົນຫຼັກຂອງຄະແນນທີ່ທ່ານໃຫ້ແມ່ນຫຍັງ?"
    assert body["question"].startswith("ທ່ານມີແນວໂນ້ມຈະແນະນຳ {company}")
    # The marketer's own wording is kept as written.
    own = client.post(
        f"{API}/surveys",
        json={"name": "Own", "language": "fr", "comment_prompt": "Pourquoi cette note ?"},
        headers=headers,
    ).get_json()
    assert own["comment_prompt"] == "Pourquoi cette note ?"
    assert own["question"].startswith("Quelle est la probabilité")
    # Changing the language moves wording still at the standard, not the marketer's own.
    changed = client.patch(
        f"{API}/surveys/{own['id']}", json={"language": "de"}, headers=headers
    ).get_json()
    assert changed["question"].startswith("Wie wahrscheinlich ist es")
    assert changed["comment_prompt"] == "Pourquoi cette note ?"
    refused = client.post(f"{API}/surveys", json={"name": "X", "language": "xx"}, headers=headers)
    assert refused.status_code == 422
    assert "language" in refused.get_json()["errors"]
    # Without a language: English, as before.
    plain = client.post(f"{API}/surveys", json={"name": "Plain"}, headers=headers).get_json()
    assert plain["language"] == "en"
    assert plain["question"] == services.DEFAULT_QUESTION


def test_the_dashboard_form_creates_a_survey_in_the_chosen_language(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    login(client, tenant.owner.email)
    form = client.get("/surveys").get_data(as_text=True)
    assert '<option value="km">ខ្មែរ (km)</option>' in form
    response = client.post(
        "/surveys",
        data={
            "csrf_token": csrf_token(form),
            "name": "Khmer NPS",
            "language": "km",
            "company_name": "Angkor Dental",
            # The form arrives pre-filled with the English standard wording.
            "question": services.DEFAULT_QUESTION,
            "comment_prompt": services.DEFAULT_COMMENT_PROMPT,
            "consent_text": services.DEFAULT_CONSENT_TEXT,
            "trigger": "delay",
            "delay_seconds": "5",
            "scroll_percent": "50",
            "sample_rate": "1",
            "cooldown_days": "90",
            "is_active": "y",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    survey = db.scalars(services.surveys_query(tenant.workspace.id)).first()
    assert survey is not None and survey.language == "km"
    assert survey.comment_prompt == "តើអ្វីជាមូលហេតុចម្បងនៃពិន្ទុរបស់អ្នក?"


_BABEL_ON_FIRST_USE = """
import sys
from testimonials import create_app

client = create_app({"DATABASE_URL": sys.argv[1], "SECRET_KEY": "s", "ENV": "development"}
                    ).test_client()
assert client.get("/s/" + sys.argv[2]).status_code == 200
english = sorted(name for name in sys.modules if "babel" in name)
assert ">ສົ່ງ</button>" in client.get("/s/" + sys.argv[3]).get_data(as_text=True)
print(english, "flask_babel" in sys.modules, "babel.core" in sys.modules)
"""


def test_babel_is_loaded_by_the_first_page_in_another_language_not_before(
    empty_database_url: Callable[[str], str],
) -> None:
    url = empty_database_url("babel_on_first_use")
    migrate.upgrade(url)
    engine = make_engine(url)
    with Session(engine) as db:
        workspace = factories.workspace(db)
        tokens = [
            services.create_survey(db, workspace.id, {"name": "NPS", "language": language})
            for language in ("en", "lo")
        ]
        args = [survey.public_token for survey in tokens]
        db.commit()
    engine.dispose()
    run = subprocess.run(
        [sys.executable, "-c", _BABEL_ON_FIRST_USE, url, *args],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    # English pages load neither; the first Lao page loads both.
    assert run.stdout.split() == ["[]", "True", "True"]


def test_the_in_page_survey_brings_its_words_and_messages_in_the_surveys_language(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    english = client.get(f"/embed/surveys/{_survey(db, tenant, 'en').public_token}/config")
    assert {"labels", "language", "dir"}.isdisjoint(english.get_json())  # as before
    survey = _survey(db, tenant, "ar")
    config = client.get(f"/embed/surveys/{survey.public_token}/config").get_json()
    assert config["language"] == "ar" and config["dir"] == "rtl"
    assert config["labels"]["send"] == "إرسال"
    assert config["labels"]["low"] == "0 = غير مرجح إطلاقًا"
    assert config["comment_prompt"] == "ما السبب الرئيسي لدرجتك؟"
    refused = client.post(
        f"/embed/surveys/{survey.public_token}/responses",
        data='{"comment": "جيد", "consent": true}',
        content_type="text/plain;charset=UTF-8",
    )
    assert refused.status_code == 422
    problem = refused.get_json()
    assert problem["detail"] == "بعض الإجابات تحتاج إلى مراجعة."
    assert problem["errors"]["score"] == ["اختر درجة من 0 إلى 10."]
    assert problem["errors"]["name"] == ["اكتب الاسم الذي يظهر مع اقتباسك، أو ألغِ تحديد الإذن."]
