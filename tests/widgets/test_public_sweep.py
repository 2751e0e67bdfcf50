"""Every public GET a visitor's browser or a crawler can send, with hostile query values.

Widgets, share pages, the oEmbed endpoint, survey pages and the embed scripts answer anyone
on the internet, from other people's websites. Each public route (from the app's URL map,
its key or token filled from the demo workspace) is requested with every query argument the
public views read set to one hostile value at a time, without a session. What must hold: no
server error (except oEmbed's 501 for a format it does not offer, which that specification
prescribes), and markup sent in the query never comes back unescaped in an HTML page.
"""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.curation import models as curation
from testimonials.harvest.surveys.models import Survey
from testimonials.harvest.webhooks.models import WebhookSource
from testimonials.widgets.models import Widget
from testimonials.widgets.share import services as share
from tests import factories
from tests.web.test_form_sweep import HOSTILE, MARKUP

# Query arguments the public views read (request.args and their query schemas).
ARGUMENTS = (
    "url",
    "format",
    "maxwidth",
    "maxheight",
    "download",
    "webdriver",
    "experiment",
    "event",
    "next",
)
PRIVATE_PREFIXES = ("/api/", "/static/")


def test_public_routes_answer_hostile_query_values_without_a_server_error(
    app: Flask, db: Session
) -> None:
    workspace = factories.demo_workspace(app, db)
    widget = db.scalars(select(Widget).where(Widget.workspace_id == workspace.id)).first()
    survey = db.scalars(select(Survey).where(Survey.workspace_id == workspace.id)).first()
    source = db.scalars(
        select(WebhookSource).where(WebhookSource.workspace_id == workspace.id)
    ).first()
    assert widget and survey and source
    approved = db.scalars(
        select(curation.Testimonial).where(
            curation.Testimonial.workspace_id == workspace.id,
            curation.Testimonial.status == curation.Status.APPROVED.value,
        )
    ).first()
    assert approved is not None
    page = share.open_share_page(db, approved)
    db.commit()
    values = {
        "key": widget.public_key,
        "widget_key": widget.public_key,
        "public_token": survey.public_token,
        "token": source.token,
        "share_format": "square",
        "testimonial_id": approved.id,
    }

    client = app.test_client()  # no session: a visitor
    paths = []
    urls = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.rule.startswith(PRIVATE_PREFIXES):
            continue
        if not rule.arguments <= values.keys():
            continue
        filled = {name: values[name] for name in rule.arguments}
        if rule.rule.startswith("/t/"):
            filled["token"] = page.token
        path = urls.build(rule.endpoint, filled)
        if client.get(path).status_code in (302, 401, 403):  # a dashboard page: signs in first
            continue
        paths.append(path)
    assert len(paths) >= 12, paths

    failures = []
    for path in paths:
        # oEmbed reads its size arguments only for a URL that is a widget of this service.
        base = {"url": f"http://localhost/w/{widget.public_key}"} if path == "/oembed" else {}
        for name in ARGUMENTS:
            for value in HOSTILE:
                with client.get(path, query_string={**base, name: value}) as response:
                    status = response.status_code
                    if status >= 500 and not (path == "/oembed" and status == 501):
                        failures.append(f"GET {path}?{name}={value[:24]!r}: {status}")
                    elif response.mimetype == "text/html" and MARKUP in response.text:
                        failures.append(f"GET {path}?{name}={value[:24]!r}: markup echoed")
    assert not failures, "\n".join(failures)
    assert re.search(r"/w/[^/]+/data\.json", " ".join(paths)), paths
