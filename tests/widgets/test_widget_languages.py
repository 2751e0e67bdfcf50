"""Widgets in their visitors' language: wording, CLDR plurals, numbers and dates, `lang` and
`dir` on the root, and a cache that never serves one language's rendering for another."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.conftest import Tenant, csrf_token, login
from tests.widgets.helpers import API, make_widget, publish
from tests.widgets.test_widget_pages import FORM

LONG = "Booking took 2 minutes instead of 20. " * 12
# The widget's own English words (never the customers' quotes, names or the company).
ENGLISH_CHROME = re.compile(
    r"Read more|Selected by|Rated \d|out of 5|Testimonials?,|Testimonials? from|Close<|"
    r"Previous|Next testimonials|Pause|customers? shared|genuine rating|Customer rating|"
    r"\bvia\b|\bfrom [A-Z]|\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) 20"
)


def _three(db: Session, tenant: Tenant) -> None:
    for n, stars in enumerate((5, 4, 5)):
        publish(
            db,
            tenant,
            LONG if n == 0 else f"Visit {n}: the nurse called back within the hour.",
            author_name=f"Somphone {n}",
            rating=stars,
            source_name="Google",
            submitted_at=datetime(2026, 3, 3, tzinfo=UTC),
        )


def _shown(client: FlaskClient, widget: dict) -> str:
    return client.get(f"/w/{widget['public_key']}/fragment").get_data(as_text=True)


def test_a_lao_wall_says_everything_of_its_own_in_lao(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    _three(db, tenant)
    every_field = {"date": True, "source": True}
    widget = make_widget(client, tenant, language="lo", fields=every_field)
    assert widget["language"] == "lo"
    html = _shown(client, widget)
    assert re.search(r'<section class="tw-root[^>]* lang="lo" dir="ltr"', html)
    assert "ຄັດເລືອກໂດຍ" in html  # the default caption, in Lao
    assert "ອ່ານຕໍ່" in html  # Read more
    assert "ໃຫ້ຄະແນນ 5 ຈາກ 5" in html  # Rated 5 out of 5
    assert "ຜ່ານ Google" in html  # via Google
    assert "3 ມ.ນ. 2026" in html  # 3 Mar 2026, as CLDR writes it in Lao
    assert 'aria-label="ຄຳຊົມຈາກລູກຄ້າຂອງ' in html
    assert ENGLISH_CHROME.findall(html) == []
    data = client.get(f"/w/{widget['public_key']}/data.json")
    assert data.get_json()["widget"]["caption"].startswith("ຄັດເລືອກໂດຍ")
    assert data.headers["Content-Language"] == "lo"
    frame = client.get(f"/w/{widget['public_key']}").get_data(as_text=True)
    assert frame.startswith('<!doctype html>\n<html lang="lo" data-testimonials-frame')


def test_an_arabic_widget_runs_right_to_left_with_arabic_plurals(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    _three(db, tenant)
    rating = make_widget(client, tenant, kind="rating", language="ar")
    html = _shown(client, rating)
    assert re.search(r'<section class="tw-root[^>]* lang="ar" dir="rtl"', html)
    assert "4.7</span> من 5" in html
    # Three is a "few" in Arabic (CLDR): the plural form chosen for 3..10.
    assert "متوسط كل التقييمات الحقيقية لـ" in html and "وعددها 3" in html
    assert ENGLISH_CHROME.findall(html) == []
    faces = _shown(client, make_widget(client, tenant, kind="avatars", language="ar"))
    assert "شارك 3 عملاء تجربتهم" in faces
    carousel = make_widget(client, tenant, kind="carousel", language="ar")
    css = client.get(f"/w/{carousel['public_key']}/widget.css").get_data(as_text=True)
    assert ".tw-root[dir=rtl] .tw-prev" in css  # the arrows point the way they move


def test_numbers_and_plurals_follow_cldr(client: FlaskClient, db: Session, tenant: Tenant) -> None:
    _three(db, tenant)
    french = _shown(client, make_widget(client, tenant, kind="rating", language="fr"))
    assert "4,7</span> sur 5" in french  # a decimal comma
    assert "toutes les 3 notes authentiques" in french
    one = _shown(client, make_widget(client, tenant, kind="avatars", language="de"))
    assert "3 Kunden haben ihre Erfahrung geteilt" in one


def test_english_widgets_carry_no_language_attributes_as_before(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    _three(db, tenant)
    html = _shown(client, make_widget(client, tenant, fields={"date": True}))
    root = re.search(r'<section class="tw-root[^>]*>', html)
    assert root is not None and " lang=" not in root.group(0) and " dir=" not in root.group(0)
    assert "Selected by" in html and "Read more" in html and "3 Mar 2026" in html
    key = re.search(r'data-widget="([^"]+)"', html).group(1)
    assert "Content-Language" not in client.get(f"/w/{key}/slot.json").headers
    assert '<html lang="en" data-testimonials-frame' in client.get(f"/w/{key}").get_data(
        as_text=True
    )


def test_a_marketers_own_caption_is_kept_as_written(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    _three(db, tenant)
    html = _shown(client, make_widget(client, tenant, language="km", caption="ពីអតិថិជនរបស់យើង"))
    assert "ពីអតិថិជនរបស់យើង" in html and "ជ្រើសរើសដោយ" not in html


def test_changing_the_language_is_served_at_once_and_unknown_ones_are_refused(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    _three(db, tenant)
    widget = make_widget(client, tenant)
    key = widget["public_key"]
    first = client.get(f"/w/{key}/slot.json")
    assert "Read more" in first.get_json()["html"]
    changed = client.patch(
        f"{API}/widgets/{widget['id']}", json={"language": "th"}, headers=tenant.headers("write")
    )
    assert changed.status_code == 200, changed.get_json()
    again = client.get(f"/w/{key}/slot.json", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200 and again.headers["ETag"] != first.headers["ETag"]
    assert "อ่านต่อ" in again.get_json()["html"]
    refused = client.post(
        f"{API}/widgets",
        json={"name": "X", "kind": "wall", "language": "xx"},
        headers=tenant.headers("write"),
    )
    assert refused.status_code == 422


def test_the_dashboard_form_sets_the_visitors_language_and_previews_it(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    _three(db, tenant)
    login(client, tenant.owner.email)
    page = client.get("/widgets/new").get_data(as_text=True)
    assert '<option value="lo">ລາວ (lo)</option>' in page
    data = {**FORM, "languages": "", "language": "ar", "csrf_token": csrf_token(page)}
    preview = client.post("/widgets/preview", data=data).get_data(as_text=True)
    assert 'lang="ar" dir="rtl"' in preview and "اختارتها" in preview
    made = client.post("/widgets/new", data=data)
    assert made.status_code == 302
    edit = client.get(made.headers["Location"]).get_data(as_text=True)
    assert '<option value="ar" selected>العربية (ar)</option>' in edit
    refused = client.post("/widgets/new", data={**data, "language": "xx"})
    assert refused.status_code == 422
