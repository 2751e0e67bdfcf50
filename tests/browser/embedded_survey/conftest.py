"""The hostile customer site, served on its own origin for the in-page survey tests here."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.browser.embedded_survey.helpers import HOST_CSS, HOST_JS, HostSite


@pytest.fixture
def host_site() -> Iterator[HostSite]:
    site = HostSite("")
    site.pages.update({"/host.css": HOST_CSS, "/host.js": HOST_JS})
    types = {".css": "text/css", ".js": "text/javascript"}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = site.pages.get(self.path)
            if body is None:
                self.send_error(404)
                return
            kind = types.get(Path(self.path).suffix, "text/html")
            self.send_response(200)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site
    server.shutdown()
    thread.join(timeout=5)
