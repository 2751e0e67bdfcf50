"""Dashboard imports: editors upload through the form, everyone sees the history and reports."""

from __future__ import annotations

import io
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Tenant, csrf_token, login

ARABIC = "خدمة ممتازة وسريعة"
FILE = f'review,rating,name,date\n"{ARABIC}",5,Layla,2024-01-02\nNo stars here,7,Bo,2024-01-03\n'


def post_upload(client: FlaskClient, body: bytes, **fields: str):
    token = csrf_token(client.get("/imports").get_data(as_text=True))
    data = {
        "csrf_token": token,
        "file": (io.BytesIO(body), "reviews.csv"),
        "source_name": "Google",
        "encoding": "",
        **fields,
    }
    return client.post("/imports", data=data, content_type="multipart/form-data")


def sign_out(client: FlaskClient) -> None:
    token = csrf_token(client.get("/imports").get_data(as_text=True))
    client.post("/logout", data={"csrf_token": token})


def test_editor_uploads_and_reads_the_report(client: FlaskClient, tenant: Tenant) -> None:
    login(client, tenant.editor.email)
    response = post_upload(client, FILE.encode())
    assert response.status_code == 302
    report = client.get(response.headers["Location"])
    html = report.get_data(as_text=True)
    assert "Imported 1 new, 0 already there, 1 invalid." in html
    assert "generic_reviews layout" in html
    assert "rating 7 is outside 1–5" in html
    # The outcome in one sentence, counts as a summary, refused rows with number and reason.
    assert "1 of 2 rows added." in html
    assert '<div class="count count-invalid has-some"><dt>Could not be read</dt><dd>1</dd>' in html
    assert '<tr><td class="num">3</td><td dir="auto">rating 7 is outside 1–5' in html
    assert "the header is row 1" in html
    assert 'report.csv" download' in html
    download = client.get(response.headers["Location"] + "/report.csv")
    assert download.status_code == 200 and "rating 7 is outside" in download.get_data(as_text=True)

    feedback = client.get("/feedback").get_data(as_text=True)
    assert ARABIC in feedback
    history = client.get("/imports").get_data(as_text=True)
    assert "reviews.csv" in history and "Google" in history


def test_mapping_fields_and_file_problems_are_shown_on_the_page(
    client: FlaskClient, tenant: Tenant
) -> None:
    login(client, tenant.owner.email)
    body = b"Meinung,Sterne\nSehr gut,5\n"
    missing = post_upload(client, body)
    assert missing.status_code == 422
    html = missing.get_data(as_text=True)
    assert "Nothing was imported." in html and "No text column" in html and "Meinung" in html

    mapped = post_upload(client, body, map_text="Meinung", map_rating="Sterne")
    assert mapped.status_code == 302
    report = client.get(mapped.headers["Location"]).get_data(as_text=True)
    assert "Imported 1 new" in report

    again = post_upload(client, body, map_text="Meinung", map_rating="Sterne")
    assert "Imported 0 new, 1 already there" in client.get(again.headers["Location"]).get_data(
        as_text=True
    )


def test_upload_without_csrf_token_is_refused(client: FlaskClient, tenant: Tenant) -> None:
    login(client, tenant.editor.email)
    response = client.post(
        "/imports",
        data={"file": (io.BytesIO(FILE.encode()), "r.csv"), "source_name": "x"},
        content_type="multipart/form-data",
    )
    assert response.status_code in (400, 403)
    assert "No imports yet" in client.get("/imports").get_data(as_text=True)


def test_viewers_see_history_but_cannot_upload(client: FlaskClient, tenant: Tenant) -> None:
    login(client, tenant.editor.email)
    post_upload(client, FILE.encode())
    client.post(
        "/logout", data={"csrf_token": csrf_token(client.get("/imports").get_data(as_text=True))}
    )
    login(client, tenant.viewer.email)
    page = client.get("/imports").get_data(as_text=True)
    assert "reviews.csv" in page and 'enctype="multipart/form-data"' not in page
    refused = post_upload(client, FILE.encode())
    assert refused.status_code == 403


def test_another_workspaces_report_is_not_found(
    client: FlaskClient, make_tenant: Callable[[str], Tenant]
) -> None:
    a, b = make_tenant("Alpha Co"), make_tenant("Beta Co")
    login(client, b.editor.email)
    location = post_upload(client, FILE.encode()).headers["Location"]
    client.post(
        "/logout", data={"csrf_token": csrf_token(client.get("/imports").get_data(as_text=True))}
    )
    login(client, a.owner.email)
    assert client.get(location).status_code == 404
    assert client.get(location + "/report.csv").status_code == 404
    assert "reviews.csv" not in client.get("/imports").get_data(as_text=True)


def test_a_file_over_the_limit_gets_a_readable_page(
    app_factory: Callable[..., Flask], tenant: Tenant
) -> None:
    client = app_factory(MAX_CONTENT_LENGTH=4096).test_client()
    login(client, tenant.editor.email)
    response = post_upload(client, b"text\n" + b"y" * 8192 + b"\n")
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "larger than the" in html and "upload limit" in html and "<form" in html


def test_an_excel_workbook_is_imported_from_the_page(client: FlaskClient, tenant: Tenant) -> None:
    from tests.unit.test_import_workbooks import xlsx

    login(client, tenant.editor.email)
    form = client.get("/imports").get_data(as_text=True)
    assert "Excel" in form and ".xlsx" in form
    body = xlsx(("Reviews", [["review", "rating", "name", "date"], [ARABIC, 5, "Layla", None]]))
    token = csrf_token(form)
    response = client.post(
        "/imports",
        data={"csrf_token": token, "file": (io.BytesIO(body), "g2.xlsx"), "source_name": "G2"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    report = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Imported 1 new, 0 already there, 0 invalid." in report and "XLSX" in report
    assert ARABIC in client.get("/feedback").get_data(as_text=True)

    refused = post_upload(client, bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Nothing was imported." in html and "old-format Excel file (.xls)" in html
