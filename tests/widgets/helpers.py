"""Publishing testimonials and making widgets, as the widget tests need them."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from testimonials.curation import services as curation
from testimonials.curation.models import Testimonial
from testimonials.harvest.models import ConsentState
from tests.api.curation_helpers import add
from tests.conftest import Tenant

API = "/api/v1"


def publish(
    db: Session,
    tenant: Tenant,
    text: str = "Booking took 2 minutes instead of 20; Dana at the front desk was great.",
    *,
    approve: bool = True,
    override: str | None = None,
    **fields: Any,
) -> int:
    """Harvest an item with consent and approve it; returns the testimonial id."""
    fields.setdefault("consent", ConsentState.GRANTED)
    testimonial_id = add(db, tenant, text, **fields)
    if approve:
        testimonial = db.get(Testimonial, testimonial_id)
        curation.approve(db, testimonial, curation.Actor(user_id=tenant.owner.id), override)
        db.commit()
    return testimonial_id


def make_widget(client: FlaskClient, tenant: Tenant, **values: Any) -> dict[str, Any]:
    """Create a widget through the API; returns its JSON."""
    body = {"name": "Home", "kind": "wall", **values}
    response = client.post(f"{API}/widgets", json=body, headers=tenant.headers("write"))
    assert response.status_code == 201, response.get_json()
    return response.get_json()
