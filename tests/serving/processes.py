"""Helpers for tests that start the service as a user would: a real process on a real port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def clean_environment(**settings: str) -> dict[str, str]:
    """This process's environment without any TESTIMONIALS_* setting, plus `settings`."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("TESTIMONIALS_")}
    return {**inherited, **settings}


@dataclass
class Response:
    """What a request answered."""

    status: int
    url: str
    headers: dict[str, str]
    text: str


@dataclass
class Browser:
    """A cookie-keeping HTTP client that follows redirects, like a browser without JS."""

    base_url: str
    cookies: CookieJar = field(default_factory=CookieJar)

    def request(
        self,
        path: str,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 10,
        body: bytes | None = None,
    ) -> Response:
        """GET `path`, or POST `form` (or a raw `body`) to it; the final answer after redirects."""
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        data = urlencode(form).encode() if form is not None else body
        request = urllib.request.Request(self.base_url + path, data=data, headers=headers or {})
        try:
            with opener.open(request, timeout=timeout) as answer:
                body = answer.read().decode()
                return Response(answer.status, answer.url, dict(answer.headers), body)
        except urllib.error.HTTPError as error:
            return Response(error.code, error.url, dict(error.headers), error.read().decode())


def wait_until_answering(
    url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 90
) -> int:
    """Poll `url` until it answers (any HTTP status, returned); fail if the process exits."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                return answer.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            time.sleep(0.25)
    raise AssertionError(f"{url} did not answer within {seconds} s:\n{log.read_text()[-3000:]}")


def start_gunicorn(
    module: str, settings: dict[str, str], log: Path
) -> tuple[subprocess.Popen[bytes], str]:
    """`gunicorn -w 1 module` from the checkout with only `settings` as TESTIMONIALS_*, on a
    free port, once it answers; (the process, its base URL). Stop it with `os.killpg`."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}", module]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=clean_environment(**settings),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # so the whole group (master and worker) stops
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(f"{base_url}/healthz", process, log)
    except BaseException:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
        raise
    return process, base_url
