"""The measured host page, served from another origin than the widget server's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.conftest import LiveServer, serving
from tests.browser.tracking.helpers import MeasuredHost


@pytest.fixture
def host(live_server: LiveServer) -> Iterator[tuple[MeasuredHost, str]]:
    # "localhost" is another origin than the widget server's "127.0.0.1".
    site = MeasuredHost(live_server.url)
    with serving(site) as port:
        yield site, f"http://localhost:{port}"
