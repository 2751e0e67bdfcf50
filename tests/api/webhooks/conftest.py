"""A webhook source of the tenant's, for every webhook intake test here."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.api.webhooks.helpers import Source, _create_source
from tests.conftest import Tenant


@pytest.fixture
def source(client: FlaskClient, tenant: Tenant) -> Source:
    return _create_source(client, tenant)
