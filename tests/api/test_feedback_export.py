"""GET /api/v1/feedback/export.csv: columns, filters, privacy, spreadsheet safety, streaming."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.curation.models import Status
from testimonials.curation.models import Testimonial as CuratedTestimonial
from testimonials.curation.services import Actor, approve, snooze
from testimonials.harvest.intake import NewFeedback, record_feedback_batch
from testimonials.harvest.models import Channel, ConsentState
from testimonials.privacy.services import erase_respondent
from testimonials.report import export
from tests.api.nps_helpers import JAN, make_survey, make_tag, seed, tag_answers
from tests.api.test_problems import assert_problem
from tests.conftest import Tenant

URL = "/api/v1/feedback/export.csv"
HEADER = (
    "id,received_at,submitted_at,channel,source,external_id,survey,nps_score,nps_group,rating,"
    "title,text,author_name,author_role,author_company,language,country,consent_state,verified,"
    "verified_by,specificity,suspicion,inbox_status,tags"
)


def download(client: FlaskClient, tenant: Tenant, query: str = "") -> bytes:
    response = client.get(f"{URL}?{query}", headers=tenant.headers())
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data()


def rows(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def test_columns_in_order_with_bom_crlf_and_an_attachment_name(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    seed(db, tenant, [9, 3])
    response = client.get(URL, headers=tenant.headers())
    assert response.status_code == 200
    assert response.mimetype == "text/csv" and response.mimetype_params["charset"] == "utf-8"
    today = datetime.now(UTC).date().isoformat()
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="feedback-{tenant.workspace.slug}-{today}.csv"'
    )
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf" + HEADER.encode() + b"\r\n")
    lines = body[3:].split(b"\r\n")
    assert lines[-1] == b"" and len(lines) == 4  # header, two rows, final CRLF
    assert all(b"\n" not in line for line in lines)


def test_a_row_carries_provenance_scores_consent_and_inbox_state(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    survey = make_survey(db, tenant, "Onboarding")
    [item_id] = seed(
        db,
        tenant,
        [10],
        received_at=JAN,
        submitted_at=JAN - timedelta(hours=2),
        survey_id=survey,
        external_id="resp-1",
        title="Great",
        rating=5,
        author_name="Ana",
        author_role="CTO",
        author_company="Acme",
        language="en",
        country="GB",
        consent_state=ConsentState.GRANTED,
        consent_text="You may quote me.",
        consent_version="v1",
    )
    tag_answers(db, tenant, [item_id], make_tag(db, tenant, "Pricing"), make_tag(db, tenant, "Ads"))
    testimonial = db.scalar(select(CuratedTestimonial).where(CuratedTestimonial.item_id == item_id))
    approve(db, testimonial, Actor(user_id=tenant.editor.id), None)
    db.commit()
    [row] = rows(download(client, tenant))
    assert row == {
        "id": str(item_id),
        "received_at": "2026-01-05T12:00:00+00:00",
        "submitted_at": "2026-01-05T10:00:00+00:00",
        "channel": "api",
        "source": "test",
        "external_id": "resp-1",
        "survey": "Onboarding",
        "nps_score": "10",
        "nps_group": "promoter",
        "rating": "5",
        "title": "Great",
        "text": "Answer 0",
        "author_name": "Ana",
        "author_role": "CTO",
        "author_company": "Acme",
        "language": "en",
        "country": "GB",
        "consent_state": "granted",
        "verified": "false",
        "verified_by": "",
        "specificity": row["specificity"],
        "suspicion": row["suspicion"],
        "inbox_status": Status.APPROVED.value,
        "tags": "Ads; Pricing",
    }


def test_no_email_address_or_fingerprint_anywhere_in_the_body(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    seed(
        db,
        tenant,
        [10, 2],
        author_email="ana.secret@example.com",
        client_fingerprint="client-fp-123",
        device_fingerprint="device-fp-456",
        consent_text="My consent wording",
    )
    body = download(client, tenant)
    for hidden in (b"ana.secret", b"example.com", b"@", b"client-fp", b"device-fp", b"wording"):
        assert hidden not in body


def test_formula_cells_are_neutralised(client: FlaskClient, db: Session, tenant: Tenant) -> None:
    attacks = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]
    for n, text in enumerate(attacks):
        seed(db, tenant, [8], author_name=text, external_id=f"attack-{n}")
    found = rows(download(client, tenant))
    assert [r["author_name"] for r in found] == ["'" + text for text in attacks]


def test_khmer_arabic_and_emoji_come_out_byte_for_byte(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    words = ["សេវាកម្មល្អណាស់", "خدمة ممتازة، شكراً", "Loved it 🎉👍🏽 — naïve café"]
    for text in words:
        seed(db, tenant, [9], author_name=text)
    body = download(client, tenant)
    for text in words:
        assert text.encode("utf-8") in body
    assert [r["author_name"] for r in rows(body)] == words


def test_erased_items_keep_their_score_and_erased_text(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    seed(db, tenant, [4], author_email="gone@example.com", author_name="Gone Person")
    erase_respondent(db, tenant.workspace.id, "gone@example.com", b"key", None)
    db.commit()
    body = download(client, tenant)
    [row] = rows(body)
    assert (row["nps_score"], row["nps_group"], row["text"]) == ("4", "detractor", "[erased]")
    assert row["author_name"] == "" and row["consent_state"] == "revoked"
    assert b"Gone Person" not in body and b"gone@" not in body


def test_filters_by_channel_group_dates_and_survey(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    onboarding = make_survey(db, tenant, "Onboarding")
    seed(db, tenant, [10, 0], received_at=JAN, channel=Channel.IMPORT)
    seed(db, tenant, [9], received_at=JAN + timedelta(days=10), survey_id=onboarding)
    # Received in February, answered in January: dated like the NPS report, by submission.
    seed(db, tenant, [7], received_at=JAN + timedelta(days=30), submitted_at=JAN)

    def scores(query: str) -> list[str]:
        return [r["nps_score"] for r in rows(download(client, tenant, query))]

    assert scores("channel=import") == ["10", "0"]
    assert scores("group=promoter") == ["10", "9"]
    assert scores("group=detractor&channel=import") == ["0"]
    assert scores(f"survey_id={onboarding}") == ["9"]
    assert scores("from=2026-01-10") == ["9"]
    assert scores("to=2026-01-05") == ["10", "0", "7"]
    assert scores("from=2026-01-05&to=2026-01-05&group=passive") == ["7"]
    assert scores("channel=&group=") == ["10", "0", "9", "7"]  # empty means no filter


def test_another_workspaces_items_never_appear(
    client: FlaskClient, db: Session, tenant: Tenant, make_tenant: Any
) -> None:
    other = make_tenant("Other Co")
    their_survey = make_survey(db, other, "Theirs")
    seed(db, other, [1, 2, 3], author_name="Neighbour", survey_id=their_survey)
    seed(db, tenant, [10])
    body = download(client, tenant)
    assert [r["nps_score"] for r in rows(body)] == ["10"] and b"Neighbour" not in body
    assert rows(download(client, tenant, f"survey_id={their_survey}")) == []


def test_a_read_key_may_download_and_no_key_may_not(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    seed(db, tenant, [10])
    assert client.get(URL, headers=tenant.headers("read")).status_code == 200
    assert_problem(client.get(URL), 401)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("channel=fax", "channel"),
        ("group=fans", "group"),
        ("from=yesterday", "from"),
        ("to=2026-13-01", "to"),
        ("from=2026-02-01&to=2026-01-01", "from"),
        ("survey_id=abc", "survey_id"),
        ("survey_id=0", "survey_id"),
        ("chanel=api", "chanel"),
    ],
)
def test_bad_filters_are_422_problems_naming_the_field(
    client: FlaskClient, tenant: Tenant, query: str, field: str
) -> None:
    body = assert_problem(client.get(f"{URL}?{query}", headers=tenant.headers()), 422)
    assert field in body["errors"]


def test_more_items_than_a_batch_come_out_complete_in_order_one_chunk_a_batch(
    client: FlaskClient, db: Session, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = seed(db, tenant, [n % 11 for n in range(23)])
    tag_answers(db, tenant, ids[-3:], make_tag(db, tenant, "Late"))
    monkeypatch.setattr(export, "BATCH_SIZE", 5)
    response = client.get(URL, headers=tenant.headers())
    assert response.is_streamed
    chunks = list(response.response)
    assert len(chunks) == 1 + 5  # the header, then 5 + 5 + 5 + 5 + 3 rows
    found = rows(b"".join(c if isinstance(c, bytes) else c.encode() for c in chunks))
    assert [int(r["id"]) for r in found] == sorted(ids)
    assert [r["tags"] for r in found[-4:]] == ["", "Late", "Late", "Late"]


def test_an_empty_workspace_gets_the_header_alone(client: FlaskClient, tenant: Tenant) -> None:
    assert download(client, tenant) == b"\xef\xbb\xbf" + HEADER.encode() + b"\r\n"


def test_inbox_status_is_what_the_inbox_shows_and_empty_without_an_entry(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    asleep, woken = seed(db, tenant, [10, 9])
    # A bare score opens no inbox entry.
    [bare] = record_feedback_batch(
        db, tenant.workspace.id, [NewFeedback(text="", channel=Channel.API, source_name="t")]
    )
    actor = Actor(user_id=tenant.editor.id)
    for item_id in (asleep, woken):
        testimonial = db.scalar(
            select(CuratedTestimonial).where(CuratedTestimonial.item_id == item_id)
        )
        snooze(db, testimonial, actor, datetime.now(UTC) + timedelta(days=7))
    db.commit()
    woken_entry = db.scalar(select(CuratedTestimonial).where(CuratedTestimonial.item_id == woken))
    woken_entry.snoozed_until = datetime.now(UTC) - timedelta(minutes=1)  # the week is over
    db.commit()
    found = {int(r["id"]): r["inbox_status"] for r in rows(download(client, tenant))}
    assert found == {asleep: "snoozed", woken: "pending", bare.id: ""}
