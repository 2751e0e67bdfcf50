"""Every API operation, fed what its OpenAPI document allows and what it forbids: never a 500.

Schemathesis reads the app's own `openapi.json` and generates requests for each of its
operations: valid ones (positive) and ones that break the documented schema (negative:
wrong types, missing fields, out-of-range numbers, stray properties). They run against the
demo workspace with a write key, path ids pointing at the demo's real objects, so the
requests reach the services rather than stopping at a 404.

What must hold for every one of them: no server error, and an answer that is not a success
is a problem document (RFC 9457) naming what was wrong. (A schema-breaking request may still
succeed: query parameters an operation does not take are ignored, as HTTP APIs conventionally
do with cache busters and tracking parameters.) Generation is derandomised, so a run
is repeatable and a failure is printed with the request that caused it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import APIOperation, GenerationMode
from schemathesis.core.errors import InvalidSchema
from schemathesis.core.result import Err, Ok
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.accounts import services as accounts
from testimonials.accounts.models import ApiKey, Membership, Scope
from testimonials.curation import models as curation
from testimonials.harvest.imports.models import ImportRun
from testimonials.harvest.models import FeedbackItem
from testimonials.harvest.surveys.models import FollowUp, Survey
from testimonials.harvest.webhooks.models import WebhookSource
from testimonials.tracking.models import Experiment
from testimonials.widgets.models import Widget
from tests import factories

EXAMPLES = 6  # per operation and mode: 82 operations x 2 modes stay within seconds

# Where a path names an object, the demo's own object of that kind (by its URL parameter).
_OBJECTS: dict[str, tuple[Any, str]] = {
    "item_id": (FeedbackItem, "id"),
    "testimonial_id": (curation.Testimonial, "id"),
    "tag_id": (curation.Tag, "id"),
    "survey_id": (Survey, "id"),
    "follow_up_id": (FollowUp, "id"),
    "import_id": (ImportRun, "id"),
    "source_id": (WebhookSource, "id"),
    "widget_id": (Widget, "id"),
    "widget_key": (Widget, "public_key"),
    "experiment_id": (Experiment, "id"),
    "member_id": (Membership, "id"),
    "key_id": (ApiKey, "id"),
}


def _demo_ids(db: Session, workspace_id: int) -> dict[str, Any]:
    """The first object of each kind in the demo workspace, by the URL parameter naming it."""
    ids = {}
    for parameter, (model, column) in _OBJECTS.items():
        value = db.scalar(
            select(getattr(model, column))
            .where(model.workspace_id == workspace_id)
            .order_by(model.id)
            .limit(1)
        )
        if value is not None:
            ids[parameter] = value
    return ids


def _operation(result: Ok[APIOperation] | Err[InvalidSchema]) -> APIOperation:
    """An operation of the document; a part schemathesis cannot read fails the test."""
    if isinstance(result, Err):
        raise result.err()
    return result.ok()


def _destructive_last(operation: APIOperation) -> tuple[bool, str, str]:
    """DELETEs (a member, a key, an item's consent) run after what reads those objects."""
    return (operation.method.upper() == "DELETE", operation.path, operation.method)


@pytest.fixture
def sweep(app: Flask, db: Session) -> Callable[[GenerationMode], list[str]]:
    workspace = factories.demo_workspace(app, db)
    token = accounts.create_api_key(db, workspace.id, "sweep", Scope.WRITE).token
    ids = _demo_ids(db, workspace.id)
    db.commit()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = sorted(map(_operation, schema.get_all_operations()), key=_destructive_last)
    assert len(operations) > 50, "the document lists the API's operations"

    def run(mode: GenerationMode) -> list[str]:
        failures: list[str] = []
        for operation in operations:
            named = set(re.findall(r"{(\w+)}", operation.path))
            strategy = operation.as_strategy(
                generation_mode=mode,
                path_parameters={name: ids[name] for name in named & ids.keys()},
                headers={"Authorization": f"Bearer {token}"},
            )
            try:
                _call_each(strategy, failures)
            except Unsatisfiable:  # nothing left to break: its only inputs are fixed above
                assert mode is GenerationMode.NEGATIVE, operation.path
        return failures

    return run


def _call_each(strategy: Any, failures: list[str]) -> None:
    """Send the strategy's requests; note each answer that breaks the API's error contract."""

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def call(case: schemathesis.Case) -> None:
        problem = _problem_with(case.call())
        if problem:
            failures.append(
                f"{case.method} {case.formatted_path} query={case.query!r} body={case.body!r}: "
                f"{problem}"
            )

    call()


def _problem_with(response: Any) -> str:
    """What is wrong with one answer, or '' when it keeps the API's error contract."""
    status = response.status_code
    if status >= 500:
        return f"{status}: {response.text[:300]}"
    content_type = response.headers.get("content-type", [""])[0]  # lower-case keys, lists
    if status >= 400 and content_type != "application/problem+json":
        return f"{status} answered as {content_type!r}, not a problem"
    return ""


def test_valid_requests_never_fail_on_the_server(
    sweep: Callable[[GenerationMode], list[str]],
) -> None:
    failures = sweep(GenerationMode.POSITIVE)
    assert not failures, "\n".join(failures)


def test_requests_breaking_the_schema_get_a_problem_not_a_500(
    sweep: Callable[[GenerationMode], list[str]],
) -> None:
    failures = sweep(GenerationMode.NEGATIVE)
    assert not failures, "\n".join(failures)
