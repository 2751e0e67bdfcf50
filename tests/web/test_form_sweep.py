"""Every form a marketer can reach, filled with hostile values: a readable answer, never a 500.

The dashboard is crawled from its front page as the demo's owner sees it (links followed,
no URL written by hand), every form on the pages reached is collected, and each is sent
once per hostile value, that value in every field it has (text, numbers, choices, files),
its CSRF token kept so the request reaches the view. What must hold: no server error, and
the markup sent in a field never comes back unescaped. Forms that remove or end something
run last, the sign-out form last of all, so they do not take the rest of the crawl with them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from io import BytesIO
from urllib.parse import urljoin, urlsplit

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from testimonials.demo import DEMO_EMAIL, seed_demo_workspace
from testimonials.harvest.intake import intake_scorer_for
from tests.conftest import PASSWORD, login

MARKUP = '<script>alert("sweep")</script>'
HOSTILE = (
    "",
    "\x00",
    "x" * 100_000,
    "-1",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "²",  # a digit int() refuses
    "2026-02-30T25:61",
    MARKUP,
    "ຂອບໃຈ ១២៣ 🙂",
)
MAX_PAGES = 150
PAGES_PER_VIEW = 3  # /inbox/1, /inbox/2 ...: a few of each, with their filters
# Forms whose action ends or removes something: sent after every other form.
DESTRUCTIVE = ("/delete", "/remove", "/deactivate", "/clear", "/end", "/erase", "/revoke")


@dataclass
class Form:
    action: str
    method: str
    multipart: bool
    fields: dict[str, str] = field(default_factory=dict)  # name -> input type
    hidden: dict[str, str] = field(default_factory=dict)  # kept as the page gave them

    def key(self) -> tuple[str, str, tuple[str, ...]]:
        """One form per view and fields: /follow-ups/1 and /follow-ups/2 are the same form."""
        return (self.method, _pattern(self.action), tuple(sorted(self.fields)))


def _pattern(url: str) -> str:
    return re.sub(r"\d+", "N", urlsplit(url).path)


class _PageReader(HTMLParser):
    """The same-site links and the forms of one page."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._by_id: dict[str, Form] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.url, a["href"]))
        elif tag == "form":
            self._form = Form(
                action=urljoin(self.url, a.get("action") or self.url),
                method=(a.get("method") or "get").lower(),
                multipart="multipart" in a.get("enctype", ""),
            )
            self.forms.append(self._form)
            if a.get("id"):
                self._by_id[a["id"]] = self._form
        elif tag in {"input", "select", "textarea"} and a.get("name"):
            # A field belongs to its enclosing form, or to the one its form="id" names
            # (the inbox's selection boxes sit in the cards, outside the bulk form).
            owner = self._by_id.get(a["form"]) if a.get("form") else self._form
            if owner is None:
                return
            kind = a.get("type", "text") if tag == "input" else tag
            if kind == "hidden" or kind == "submit":
                owner.hidden[a["name"]] = a.get("value", "")
            else:
                owner.fields[a["name"]] = kind

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None


def _same_site_path(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.netloc not in {"", "localhost"} or parts.scheme not in {"", "http"}:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _crawl(client: FlaskClient) -> tuple[list[str], dict[tuple, Form]]:
    """Pages reached from the front page by links, and the distinct forms on them."""
    queue, seen, pages = ["/"], {"/"}, []
    per_pattern: Counter[str] = Counter()
    forms: dict[tuple, Form] = {}
    while queue and len(pages) < MAX_PAGES:
        path = queue.pop(0)
        with client.get(path, follow_redirects=True) as response:  # closes streamed exports
            assert response.status_code < 500, f"GET {path}: {response.status_code}"
            if response.mimetype != "text/html" or response.status_code != 200:
                continue
            pages.append(path)
            reader = _PageReader(response.request.url)
            reader.feed(response.text)
        for form in reader.forms:
            forms.setdefault(form.key(), form)
        for link in reader.links:
            target = _same_site_path(link)
            if target and target not in seen and not target.startswith("/api/"):
                seen.add(target)
                per_pattern[_pattern(target)] += 1
                if per_pattern[_pattern(target)] <= PAGES_PER_VIEW:
                    queue.append(target)
    return pages, forms


def _order(form: Form) -> tuple[int, str]:
    path = urlsplit(form.action).path
    return (2 if path == "/logout" else 1 if path.endswith(DESTRUCTIVE) else 0, path)


def _send(client: FlaskClient, form: Form, value: str) -> tuple[int, str]:
    path = _same_site_path(form.action) or "/"
    data: dict[str, object] = dict(form.hidden)
    for name, kind in form.fields.items():
        file = (BytesIO(value.encode() + b"\x00\xff"), "sweep.csv")
        data[name] = file if kind == "file" else value
    if form.method == "get":
        query = {name: v for name, v in data.items() if isinstance(v, str)}
        # As a browser does: a GET form's fields replace the query its action had.
        response = client.get(path.split("?")[0], query_string=query)
    else:
        content_type = "multipart/form-data" if form.multipart else None
        response = client.post(path, data=data, content_type=content_type)
    with response:
        return response.status_code, response.get_data(as_text=True)


def test_every_reachable_form_answers_hostile_values_without_a_server_error(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    seed_demo_workspace(db, PASSWORD, intake_scorer_for(app))
    db.commit()
    login(client, DEMO_EMAIL)

    pages, forms = _crawl(client)
    assert len(pages) > 20, pages  # the crawl reached the dashboard, not just the sign-in page
    assert len(forms) > 15, sorted(forms)

    failures = []
    for form in sorted(forms.values(), key=_order):
        for value in HOSTILE:
            label = f"{form.method.upper()} {form.action} with {value[:24]!r}"
            try:
                status, body = _send(client, form, value)
            except Exception as error:  # the test app lets a view's exception through
                failures.append(f"{label}: {type(error).__name__}: {error}"[:400])
                continue
            if status >= 500:
                failures.append(f"{label}: {status}")
            elif MARKUP in body:
                failures.append(f"{label}: the markup came back unescaped")
    assert not failures, "\n".join(failures)
