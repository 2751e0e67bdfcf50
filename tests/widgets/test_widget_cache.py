"""The rendered-widget cache: Redis shares invalidation between processes; without Redis
a rendering lives a few seconds at most in processes that did not see the change."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from testimonials.curation.models import Testimonial as Curated
from testimonials.privacy import services as privacy_services
from testimonials.widgets import cache as widget_cache
from tests.conftest import Tenant
from tests.widgets.helpers import make_widget, publish

REDIS_URL = os.environ.get("TESTIMONIALS_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def _redis_or_skip() -> None:
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {error}")


def test_two_processes_sharing_redis_both_drop_a_revoked_quote_at_once(
    app_factory: Callable[..., Flask], db: Session, tenant: Tenant
) -> None:
    _redis_or_skip()
    web1 = app_factory(WIDGET_CACHE_URL=REDIS_URL)
    web2 = app_factory(WIDGET_CACHE_URL=REDIS_URL)
    client1, client2 = web1.test_client(), web2.test_client()
    gone = publish(db, tenant, "Withdrawn later: the reminders cut no-shows by 30%.")
    key = make_widget(client1, tenant)["public_key"]
    for client in (client1, client2):  # both processes have it rendered and cached
        assert "Withdrawn later" in client.get(f"/w/{key}/fragment").get_data(as_text=True)
    item_id = db.get(Curated, gone).item_id
    # The author withdraws through process 1; process 2 must not serve its cached copy.
    response = client1.post(
        f"/api/v1/feedback/{item_id}/revoke-consent", headers=tenant.headers("write")
    )
    assert response.status_code == 200
    assert "Withdrawn later" not in client2.get(f"/w/{key}/fragment").get_data(as_text=True)


def test_without_redis_other_processes_converge_after_the_ttl(
    app_factory: Callable[..., Flask], db: Session, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1000.0]
    monkeypatch.setattr(widget_cache.time, "monotonic", lambda: clock[0])
    web1, web2 = app_factory(), app_factory()
    client1, client2 = web1.test_client(), web2.test_client()
    assert web2.extensions["widget_cache"].ttl == widget_cache.MEMORY_TTL <= 5
    gone = publish(db, tenant, "Withdrawn later: the reminders cut no-shows by 30%.")
    key = make_widget(client1, tenant)["public_key"]
    assert "Withdrawn later" in client2.get(f"/w/{key}/fragment").get_data(as_text=True)
    # Revoked in another process (the test's own app): web2 hears nothing of it.
    privacy_services.revoke_consent(db, tenant.workspace.id, db.get(Curated, gone).item_id)
    db.commit()
    clock[0] += 1.0
    assert "Withdrawn later" in client2.get(f"/w/{key}/fragment").get_data(as_text=True)
    clock[0] += widget_cache.MEMORY_TTL
    assert "Withdrawn later" not in client2.get(f"/w/{key}/fragment").get_data(as_text=True)
