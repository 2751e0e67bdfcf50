"""Helpers for benches that time two checkouts' code in turns, and sign a client in."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any


def run_in_checkout(script: Path, checkout: Path, *args: str) -> dict[str, Any]:
    """Run `script` in a new process importing `checkout`'s package; its last line, as JSON.

    The child is told its checkout twice: PYTHONPATH (for imports at the top of the script)
    and BENCH_CHECKOUT (for scripts that put their own repository first on sys.path).
    """
    env = {**os.environ, "PYTHONPATH": str(checkout), "BENCH_CHECKOUT": str(checkout)}
    out = subprocess.run(
        [sys.executable, str(script), *args, "--checkout", str(checkout)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def sign_in(client: Any, email: str, password: str) -> None:
    """Sign a Flask test client in through the login form (CSRF token included)."""
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token, "login page has no CSRF token"
    form = {"email": email, "password": password, "csrf_token": token[1]}
    answer = client.post("/login", data=form)
    assert answer.status_code in (302, 303), f"sign-in failed: {answer.status_code}"
