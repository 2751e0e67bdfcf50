"""Scored testimonials to curate and the curation API's answers, as the API tests read them."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import Any

from PIL import Image
from sqlalchemy.orm import Session

from testimonials.harvest.models import ConsentState
from tests import factories
from tests.conftest import Tenant

API = "/api/v1"
APPROVED = "/api/v1/testimonials?status=approved&per_page=20"


def add(
    db: Session,
    tenant: Tenant,
    text: str = "Booking took 2 minutes instead of 20; Dana at the front desk was great.",
    *,
    consent: ConsentState = ConsentState.GRANTED,
    suspicion: float | None = 0.1,
    specificity: float | None = 0.5,
    **fields: Any,
) -> int:
    """Harvest one item and return its testimonial's id (made here if intake did not)."""
    # Scores are set by hand so each test controls exactly what the guards see.
    testimonial = factories.scored_testimonial(
        db,
        tenant.workspace.id,
        text,
        consent=consent,
        suspicion=suspicion,
        specificity=specificity,
        **fields,
    )
    db.commit()
    return testimonial.id


def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["id"] for item in response.json["items"]]


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    return response.json


def png_bytes(colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 90), colour).save(out, format="PNG")
    return out.getvalue()


def future(days: int = 3) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()
