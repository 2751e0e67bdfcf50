"""A respondent's photo on the hosted survey: kept only with permission, cleaned, in the inbox."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from PIL import ExifTags, Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.curation.models import Testimonial as Curated
from testimonials.harvest.models import FeedbackItem
from testimonials.harvest.surveys import invitations, services
from testimonials.privacy.services import erase_respondent
from tests.conftest import Tenant, csrf_token, login
from tests.unit.test_images import png_declaring

COMMENT = "Booking the whole team for check-ups took four minutes instead of an afternoon."


def _survey(db: Session, tenant: Tenant) -> Any:
    survey = services.create_survey(
        db, tenant.workspace.id, {"name": "Quarterly NPS", "company_name": "Acme"}
    )
    db.commit()
    return survey


def _camera_photo() -> bytes:
    """A landscape JPEG with the EXIF a phone writes: camera, GPS position."""
    image = Image.new("RGB", (640, 480), (30, 120, 200))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] = (48.0, 51.0, 24.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _answer(client: FlaskClient, url: str, photo: tuple[bytes, str] | None, **fields: str) -> Any:
    token = csrf_token(client.get(url).get_data(as_text=True))
    data: dict[str, Any] = {"csrf_token": token, "score": "10", "comment": COMMENT, **fields}
    if photo is not None:
        data["photo"] = (io.BytesIO(photo[0]), photo[1])
    return client.post(url, data=data, content_type="multipart/form-data")


def _testimonial(db: Session, survey: Any) -> Curated | None:
    return db.scalar(select(Curated).join(FeedbackItem).where(FeedbackItem.survey_id == survey.id))


def test_photo_given_with_permission_is_cleaned_and_shown_in_the_inbox(
    client: FlaskClient, app: Flask, db: Session, tenant: Tenant
) -> None:
    survey = _survey(db, tenant)
    url = f"/s/{survey.public_token}"
    form = client.get(url).get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in form and 'type="file"' in form
    response = _answer(
        client, url, (_camera_photo(), "me.jpg"), consent="on", name="Ana Ruiz", role="COO"
    )
    assert response.status_code == 200
    assert "Your answer reached Acme, with your photo." in response.get_data(as_text=True)

    testimonial = _testimonial(db, survey)
    assert testimonial is not None and testimonial.photo is not None
    stored = Image.open(io.BytesIO(testimonial.photo))
    assert (stored.format, stored.size) == ("JPEG", (256, 256))
    assert not stored.getexif() and b"PhoneCo" not in testimonial.photo

    marketer = app.test_client()
    login(marketer, tenant.editor.email)
    page = marketer.get(f"/inbox/{testimonial.id}").get_data(as_text=True)
    assert 'class="author-photo"' in page and "Ana Ruiz" in page
    assert "the respondent, with their survey answer" in page  # the audit log says who
    served = marketer.get(f"/inbox/{testimonial.id}/photo.jpg")
    assert served.status_code == 200 and served.data == testimonial.photo


def test_a_bad_photo_is_explained_and_nothing_typed_is_lost(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    survey = _survey(db, tenant)
    url = f"/s/{survey.public_token}"
    fields = {"consent": "on", "name": "Ana Ruiz", "company": "Ruiz & Co", "score": "9"}
    for upload, message in [
        ((b"%PDF-1.4 not a picture", "me.jpg"), "This file is not a JPEG, PNG, WebP or GIF image."),
        ((png_declaring(20_000, 20_000), "huge.png"), "too large in pixels"),
    ]:
        response = _answer(client, url, upload, **fields)
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert message in html and "Choose another photo, or leave it out." in html
        # Everything typed is back in the form, and nothing half-done was stored.
        assert COMMENT in html and 'value="Ana Ruiz"' in html and 'value="Ruiz &amp; Co"' in html
        assert re.search(r'value="9" required\s+checked', html)
        assert db.scalar(select(FeedbackItem).where(FeedbackItem.survey_id == survey.id)) is None

    # Sent again without the photo, the answer is kept as it was.
    assert _answer(client, url, None, **fields).status_code == 200
    testimonial = _testimonial(db, survey)
    assert testimonial is not None and testimonial.photo is None
    assert testimonial.item.author_company == "Ruiz & Co" and testimonial.item.nps_score == 9


def test_a_good_photo_with_another_mistake_is_asked_for_again(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    survey = _survey(db, tenant)
    url = f"/s/{survey.public_token}"
    response = _answer(client, url, (_camera_photo(), "me.jpg"), consent="on", role="COO")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Tell us the name to show with your quote" in html
    assert "Your photo was fine; please choose it again." in html and 'value="COO"' in html


def test_a_photo_without_permission_is_not_kept_or_even_read(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    survey = _survey(db, tenant)
    url = f"/s/{survey.public_token}"
    response = _answer(client, url, (_camera_photo(), "me.jpg"), name="Ana Ruiz")
    assert response.status_code == 200
    assert "with your photo" not in response.get_data(as_text=True)
    testimonial = _testimonial(db, survey)
    assert testimonial is not None and testimonial.photo is None
    assert testimonial.item.consent_state == "declined"
    # Even a broken file does not stand in the way of an answer that keeps no photo.
    response = _answer(client, url, (b"garbage", "x.png"), name="Bo")
    assert response.status_code == 200


def test_a_photo_needs_words_to_sit_beside(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    survey = _survey(db, tenant)
    url = f"/s/{survey.public_token}"
    response = _answer(
        client, url, (_camera_photo(), "me.jpg"), comment="", consent="on", name="Ana"
    )
    assert response.status_code == 422
    assert "A photo is shown beside your words" in response.get_data(as_text=True)
    assert db.scalar(select(FeedbackItem).where(FeedbackItem.survey_id == survey.id)) is None


def test_photo_through_a_personal_link_is_erased_with_the_respondent(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    survey = _survey(db, tenant)
    (issued,) = invitations.create_invitations(
        db, tenant.workspace.id, survey.id, [{"email": "ana@ruiz.example", "name": "Ana"}]
    )
    db.commit()
    url = f"/s/{survey.public_token}?t={issued.token}"
    response = _answer(client, url, (_camera_photo(), "me.jpg"), consent="on", name="Ana Ruiz")
    assert response.status_code == 200
    testimonial = _testimonial(db, survey)
    assert testimonial is not None and testimonial.photo is not None
    assert testimonial.item.verified

    erase_respondent(db, tenant.workspace.id, "ANA@ruiz.example", b"k", requested_by_id=None)
    db.commit()
    db.refresh(testimonial)
    assert testimonial.photo is None and testimonial.photo_etag is None


def test_a_request_over_the_upload_limit_says_so_on_the_survey(
    app_factory: Callable[..., Flask], db: Session, tenant: Tenant
) -> None:
    client = app_factory(MAX_CONTENT_LENGTH=64 * 1024).test_client()
    survey = _survey(db, tenant)
    url = f"/s/{survey.public_token}"
    response = _answer(client, url, (b"\xff" * 100_000, "big.jpg"), consent="on", name="Ana")
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "That photo is far larger than 5 MB" in html and 'name="score"' in html
    # The dashboard's survey pages keep the usual error page for oversized requests.
    login(client, tenant.owner.email)
    response = client.post(f"/surveys/{survey.id}", data={"name": "x" * 100_000})
    assert response.status_code == 413 and 'name="score"' not in response.get_data(as_text=True)
