"""A client signed in as the tenant's editor, for the inbox page tests here."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.conftest import Tenant, login


@pytest.fixture
def editor(client: FlaskClient, tenant: Tenant) -> FlaskClient:
    login(client, tenant.editor.email)
    return client
