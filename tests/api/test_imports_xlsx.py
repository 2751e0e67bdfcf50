"""Excel workbook imports through the API and the CLI: layouts, mapping, reports, refusals."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.harvest.models import FeedbackItem
from tests.conftest import Tenant
from tests.unit.test_import_workbooks import xlsx

KHMER = "សេវាកម្មល្អណាស់ ខ្ញុំពេញចិត្តខ្លាំង"
ARABIC = "خدمة ممتازة وسريعة، شكراً لكم"
EMOJI = "Loved it 😍🎉 — will come back 👍🏽"

REVIEWS = [
    ["Review", "Rating", "Name", "Date", "ID"],
    [KHMER, 5, "Sokha", date(2024, 3, 1), "r1"],
    [ARABIC, 4.0, "Layla", datetime(2024, 3, 3, 10, 0), "r2"],
    [EMOJI, "5", "Sam", None, 1003],
    ["Stars out of range", 9, "Bad", date(2024, 3, 4), "r5"],
    [None, 3, "NoText", date(2024, 3, 5), "r6"],
    ["Never calculated", "=2+3", "Cy", None, "r7"],
]
WORKBOOK = xlsx(("Reviews", REVIEWS), ("Summary", [["Total"], [6]]))


def upload(client: FlaskClient, tenant: Tenant, body: bytes, filename: str, **fields: str) -> Any:
    data: dict[str, Any] = {"file": (io.BytesIO(body), filename), "source_name": "G2", **fields}
    return client.post(
        "/api/v1/imports",
        data=data,
        headers=tenant.headers("write"),
        content_type="multipart/form-data",
    )


def test_xlsx_import_keeps_scripts_byte_for_byte_and_numbers_rows_as_excel(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    response = upload(client, tenant, WORKBOOK, "reviews.xlsx", encoding="cp1252")

    assert response.status_code == 201, response.json
    run = response.json
    assert run["file_format"] == "xlsx" and run["layout"] == "generic_reviews"
    assert (run["rows_total"], run["rows_added"], run["rows_invalid"]) == (6, 3, 3)
    assert run["errors"] == [
        {"row": 5, "reason": "rating 9 is outside 1–5"},
        {"row": 6, "reason": "missing text"},
        {
            "row": 7,
            "reason": "cell B7 (Rating) is a formula that was never calculated; open the file "
            "in Excel and save it again",
        },
    ]
    assert any("only the sheet 'Reviews' was imported, not 'Summary'" in n for n in run["notes"])
    assert any("encoding given (cp1252) was ignored" in n for n in run["notes"])

    items = db.scalars(select(FeedbackItem).where(FeedbackItem.import_id == run["id"])).all()
    by_author = {i.author_name: i for i in items}
    assert {a: i.text for a, i in by_author.items()} == {
        "Sokha": KHMER,
        "Layla": ARABIC,
        "Sam": EMOJI,
    }
    assert by_author["Sokha"].submitted_at.isoformat() == "2024-03-01T00:00:00+00:00"
    assert by_author["Layla"].submitted_at.isoformat() == "2024-03-03T10:00:00+00:00"
    assert by_author["Layla"].rating == 4 and by_author["Sam"].external_id == "1003"

    again = upload(client, tenant, WORKBOOK, "reviews.xlsx").json
    assert (again["rows_added"], again["rows_duplicate"], again["rows_invalid"]) == (0, 3, 3)


def test_a_known_layout_in_a_workbook_is_recognised(client: FlaskClient, tenant: Tenant) -> None:
    body = xlsx(
        (
            "Export",
            [
                [
                    "Review ID",
                    "Review Created (UTC)",
                    "Review Title",
                    "Review Content",
                    "Review Stars",
                ],
                [
                    "tp-1",
                    datetime(2024, 2, 1, 9, 30),
                    "Quick fix",
                    "Support fixed it in an hour",
                    5,
                ],
            ],
        )
    )
    run = upload(client, tenant, body, "trustpilot.xlsx").json
    assert run["layout"] == "trustpilot" and run["rows_added"] == 1
    item = client.get("/api/v1/feedback", headers=tenant.headers()).json["items"][0]
    assert (item["title"], item["external_id"], item["rating"]) == ("Quick fix", "tp-1", 5)


def test_a_mapping_names_the_workbooks_columns(client: FlaskClient, tenant: Tenant) -> None:
    body = xlsx(("Umfrage", [["Meinung", "Sterne"], ["Sehr gut", 5]]))
    missing = upload(client, tenant, body, "umfrage.xlsx")
    assert missing.status_code == 422 and missing.mimetype == "application/problem+json"
    assert "No text column" in missing.json["detail"] and "Meinung" in missing.json["detail"]
    mapping = json.dumps({"text": "Meinung", "rating": "Sterne"})
    run = upload(client, tenant, body, "umfrage.xlsx", mapping=mapping).json
    assert run["rows_added"] == 1 and run["mapping"] == {"text": "Meinung", "rating": "Sterne"}


def test_workbooks_that_cannot_be_read_are_problems_and_store_nothing(
    client: FlaskClient, tenant: Tenant
) -> None:
    cases = {
        "old.xls": (bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504, "(.xls)"),
        "macros.xlsm": (WORKBOOK, "Macro-enabled workbooks (.xlsm)"),
        "cut.xlsx": (WORKBOOK[: len(WORKBOOK) // 2], "damaged"),
        "empty.xlsx": (xlsx(("Sheet1", [])), "no data"),
    }
    for filename, (body, phrase) in cases.items():
        response = upload(client, tenant, body, filename)
        assert response.status_code == 422, (filename, response.json)
        assert response.mimetype == "application/problem+json"
        assert phrase in response.json["detail"] and "file" in response.json["errors"]
    assert client.get("/api/v1/imports", headers=tenant.headers()).json["total"] == 0


def test_openapi_describes_xlsx_uploads(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").json
    body = spec["paths"]["/api/v1/imports"]["post"]["requestBody"]["content"]
    schema = body["multipart/form-data"]["schema"]
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    assert ".xlsx" in schema["properties"]["file"]["description"]


def test_cli_imports_a_workbook_and_adds_nothing_the_second_time(
    empty_database_url: Callable[[str], str], tmp_path: Path
) -> None:
    from testimonials.accounts import services as accounts
    from testimonials.db import database_for
    from tests.conftest import make_app

    app = make_app(empty_database_url("imports_xlsx_cli"), tmp_path)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    session = database_for(app).sessionmaker()
    accounts.create_workspace(session, "Acme Shop")
    session.commit()
    session.close()
    reviews = tmp_path / "reviews.xlsx"
    reviews.write_bytes(WORKBOOK)
    args = ["import", str(reviews), "--workspace", "acme-shop", "--source", "G2"]

    first = runner.invoke(args=args)
    assert first.exit_code == 0, first.output
    assert "(xlsx, generic_reviews layout" in first.output
    assert "6 rows, 3 added, 0 duplicates, 3 invalid." in first.output
    assert "Note: The workbook has 2 sheets with data" in first.output
    assert "row 7: cell B7 (Rating) is a formula that was never calculated" in first.output
    again = runner.invoke(args=args)
    assert "6 rows, 0 added, 3 duplicates, 3 invalid." in again.output

    old = tmp_path / "old.xls"
    old.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504)
    refused = runner.invoke(args=["import", str(old), "--workspace", "acme-shop"])
    assert refused.exit_code == 1 and "save it as Excel Workbook (.xlsx)" in refused.output
    assert "Traceback" not in refused.output
