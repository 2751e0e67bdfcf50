"""Review imports through the API: what a file can get wrong (malformed, ragged, the wrong
encoding, characters no database stores, too large), each said clearly, no valid row lost."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.harvest.models import FeedbackItem
from tests.api.import_helpers import ARABIC, CSV_FILE, KHMER, upload
from tests.conftest import Tenant


def test_malformed_files_get_clear_problems(client: FlaskClient, tenant: Tenant) -> None:
    cases = {
        b"": "empty",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00": "binary",
        b"text\n\x81\x8d\x8f\x90\x9d broken\n": "neither UTF-8 nor Windows-1252",
        b"[{]": "not valid JSON",
    }
    for body, phrase in cases.items():
        response = upload(client, tenant, body, "f.json" if body.startswith(b"[") else "f.csv")
        assert response.status_code == 422, body
        assert response.mimetype == "application/problem+json"
        assert phrase in response.json["detail"], (body, response.json)
    assert client.get("/api/v1/imports", headers=tenant.headers()).json["total"] == 0
    no_file = client.post(
        "/api/v1/imports",
        data={"source_name": "x"},
        headers=tenant.headers("write"),
        content_type="multipart/form-data",
    )
    assert no_file.status_code == 422 and "file" in no_file.json["errors"]


def test_windows_1252_files_are_read_and_the_report_says_so(
    client: FlaskClient, tenant: Tenant
) -> None:
    body = 'text,author\r\n"Très bien, merci – à bientôt",Zoé\r\n'.encode("cp1252")
    run = upload(client, tenant, body).json
    assert run["rows_added"] == 1 and "Windows-1252" in run["notes"][0]
    item = client.get("/api/v1/feedback", headers=tenant.headers()).json["items"][0]
    assert (item["text"], item["author_name"]) == ("Très bien, merci – à bientôt", "Zoé")


def test_upload_over_the_limit_is_413(app_factory: Callable[..., Flask], tenant: Tenant) -> None:
    client = app_factory(MAX_CONTENT_LENGTH=2048).test_client()
    response = upload(client, tenant, b"text\n" + b"x" * 4096 + b"\n")
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
    # Clear: it says what the limit is, not Werkzeug's "exceeds the capacity limit".
    assert "larger than the upload limit of 2 KB" in response.json["detail"]
    assert client.get("/api/v1/imports", headers=tenant.headers()).json["total"] == 0
    # The same file under the limit goes in whole.
    fits = upload(client, tenant, b"text\n" + b"x" * 1024 + b"\n")
    assert fits.status_code == 201 and fits.json["rows_added"] == 1


def test_ragged_rows_both_ways_are_reported_and_every_valid_row_kept(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    body = (
        b"text,rating,author\n"
        b"First good,5,Ann\n"
        b"Too many cells,4,Bo,extra\n"
        b"Too few cells\n"
        b"Second good,4,Cy\n"
        b"Trailing comma is tolerated,3,Di,\n"
        b'"Quoted, with a comma",5,Ed\n'
    )
    run = upload(client, tenant, body).json
    assert (run["rows_total"], run["rows_added"], run["rows_invalid"]) == (6, 4, 2)
    assert [(e["row"], e["reason"]) for e in run["errors"]] == [
        (3, "row has 4 cells; the header has 3"),
        (4, "row has 1 cells; the header has 3"),
    ]
    texts = db.scalars(select(FeedbackItem.text).where(FeedbackItem.import_id == run["id"])).all()
    assert sorted(texts) == [
        "First good",
        "Quoted, with a comma",
        "Second good",
        "Trailing comma is tolerated",
    ]
    again = upload(client, tenant, body).json
    assert (again["rows_added"], again["rows_duplicate"], again["rows_invalid"]) == (0, 4, 2)


def test_a_file_in_an_unreadable_encoding_is_refused_whole_and_says_how_to_fix_it(
    client: FlaskClient, tenant: Tenant
) -> None:
    # Valid UTF-8 text, then bytes no Western encoding reads: nothing half-imported.
    body = "text\nTrès bien\n".encode() + b"\x81\x8d\x9d broken\n"
    problem = upload(client, tenant, body)
    assert problem.status_code == 422
    assert "neither UTF-8 nor Windows-1252" in problem.json["detail"]
    assert "Save it as UTF-8" in problem.json["detail"]
    # Naming an encoding the file is not in is refused with where it breaks.
    named = upload(client, tenant, "text\nçà\n".encode("cp1252"), encoding="utf-8")
    assert named.status_code == 422 and "not valid utf-8" in named.json["detail"]
    assert client.get("/api/v1/imports", headers=tenant.headers()).json["total"] == 0
    assert client.get("/api/v1/feedback", headers=tenant.headers()).json["total"] == 0


def test_one_stray_byte_does_not_turn_the_valid_utf8_rows_into_mojibake(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    body = f"text,author\nTrès bien,Zoé\n{ARABIC},Layla\n".encode() + b"Caf\xe9 ok,Ann\n"
    run = upload(client, tenant, body).json
    texts = db.scalars(select(FeedbackItem.text).where(FeedbackItem.import_id == run["id"])).all()
    assert sorted(texts) == sorted(["Très bien", ARABIC])
    assert run["rows_added"] == 2 and run["rows_invalid"] == 1
    assert {"row": 4, "reason": "column 'text' holds bytes that are not valid text"} in run[
        "errors"
    ]
    assert any("UTF-8 but has 1 byte that is not" in note for note in run["notes"])


def test_a_windows_1252_file_is_still_read_as_windows_1252(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    body = "text,author\nTrès bien,Zoé\nCafé crème,Ann\n".encode("cp1252")
    run = upload(client, tenant, body).json
    texts = db.scalars(select(FeedbackItem.text).where(FeedbackItem.import_id == run["id"])).all()
    assert sorted(texts) == ["Café crème", "Très bien"]


def test_characters_no_database_can_store_are_reported_per_row(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    lines = [
        json.dumps({"text": "NUL \u0000 inside", "author": "A"}),
        '{"text": "lone \\ud83d surrogate", "author": "B"}',
        json.dumps({"text": KHMER, "author": "C"}),
    ]
    run = upload(client, tenant, "\n".join(lines).encode(), "r.jsonl").json
    assert run["rows_added"] == 1 and run["rows_invalid"] == 2
    reasons = {e["row"]: e["reason"] for e in run["errors"] if e["row"]}
    assert reasons == {
        1: "column 'text' holds a NUL character",
        2: "column 'text' holds bytes that are not valid text",
    }
    texts = db.scalars(select(FeedbackItem.text).where(FeedbackItem.import_id == run["id"])).all()
    assert texts == [KHMER]


def test_report_csv_lists_every_invalid_row(client: FlaskClient, tenant: Tenant) -> None:
    run = upload(client, tenant, CSV_FILE).json
    response = client.get(f"/api/v1/imports/{run['id']}/report.csv", headers=tenant.headers())
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0] == ["row", "reason"]
    assert [r[0] for r in rows[1:]] == ["6", "7", "8", "9"]
    assert rows[2] == ["7", "missing text"]
