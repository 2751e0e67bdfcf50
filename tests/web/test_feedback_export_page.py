"""The feedback list's "Download CSV": keeps the list's filters, every role, readable errors."""

from __future__ import annotations

import csv
import html as html_lib
import io
import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from testimonials.harvest.models import Channel
from tests.api.nps_helpers import seed
from tests.conftest import Tenant, login


def _export_link(html: str) -> str:
    match = re.search(r'href="([^"]+)"[^>]*data-role="export-csv"', html)
    assert match, "no Download CSV link on the page"
    return html_lib.unescape(match.group(1))


def test_the_link_keeps_the_lists_filters_and_downloads_what_the_list_shows(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    seed(db, tenant, [10, 2], channel=Channel.IMPORT)
    seed(db, tenant, [9], channel=Channel.API)
    login(client, tenant.viewer.email)
    page = client.get("/feedback?channel=import&group=promoter&page=1")
    assert page.status_code == 200
    link = _export_link(page.get_data(as_text=True))
    assert link.startswith("/feedback/export.csv?")
    assert "channel=import" in link and "group=promoter" in link and "page=" not in link
    response = client.get(link)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith(
        f'attachment; filename="feedback-{tenant.workspace.slug}-'
    )
    found = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert [(r["channel"], r["nps_score"]) for r in found] == [("import", "10")]


def test_without_filters_the_link_exports_everything(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    seed(db, tenant, [10, 2])
    login(client, tenant.viewer.email)
    link = _export_link(client.get("/feedback").get_data(as_text=True))
    assert link == "/feedback/export.csv"


@pytest.mark.parametrize("role", ["owner", "editor", "viewer"])
def test_every_role_may_download(
    client: FlaskClient, db: Session, tenant: Tenant, role: str
) -> None:
    seed(db, tenant, [10])
    login(client, getattr(tenant, role).email)
    response = client.get("/feedback/export.csv")
    assert response.status_code == 200 and response.get_data().startswith(b"\xef\xbb\xbfid,")


def test_signed_out_visitors_are_sent_to_sign_in(client: FlaskClient, tenant: Tenant) -> None:
    response = client.get("/feedback/export.csv")
    assert response.status_code in (302, 303) and "/login" in response.headers["Location"]


def test_bad_filters_get_a_readable_message_on_the_page(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    seed(db, tenant, [10])
    login(client, tenant.viewer.email)
    response = client.get("/feedback/export.csv?from=last-week&channel=fax")
    assert response.status_code == 400 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "The CSV was not made" in html
    assert "from: Not a valid date." in html and "channel: Must be one of" in html


def test_another_workspaces_member_gets_only_their_own(
    client: FlaskClient, db: Session, tenant: Tenant, make_tenant: Callable[[str], Tenant]
) -> None:
    other = make_tenant("Other Co")
    seed(db, other, [1], author_name="Neighbour")
    seed(db, tenant, [10], author_name="Ours")
    login(client, tenant.viewer.email)
    body = client.get("/feedback/export.csv").get_data()
    assert b"Ours" in body and b"Neighbour" not in body
