"""A Typeform webhook source of the tenant's, for every Typeform test here."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.api.typeform_webhooks.helpers import Source, _create
from tests.conftest import Tenant


@pytest.fixture
def source(client: FlaskClient, tenant: Tenant) -> Source:
    return _create(client, tenant)
