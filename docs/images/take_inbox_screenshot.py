"""Retake docs/images/inbox.png: the demo's inbox in headless Chromium, as the README shows it.

Run from the checkout: `.venv/bin/python docs/images/take_inbox_screenshot.py`. It starts
the demo on a throwaway SQLite database and a free port, signs in with the printed
password, and saves a palette PNG (small enough for the README).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent / "inbox.png"
CHROMIUM = (
    os.environ.get("TESTIMONIALS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
)


def main() -> None:
    """Serve the demo, sign in, screenshot the inbox, stop the demo."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = Path(tempfile.mkdtemp())
    env = {
        **os.environ,
        "TESTIMONIALS_DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite3'}",
        "TESTIMONIALS_SECRET_KEY": "screenshot-only",
    }
    log = folder / "demo.log"
    with log.open("wb") as output:
        demo = subprocess.Popen(  # noqa: S603 (our own command line)
            [sys.executable, "-m", "flask", "--app", "testimonials", "demo", "--port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(240):
            try:
                urllib.request.urlopen(base + "/login", timeout=2)  # noqa: S310 (our own URL)
                break
            except OSError:
                time.sleep(0.25)
        password = re.findall(r"Password:\s+(\S+)", log.read_text())[-1]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1200, "height": 1080})
            page.goto(base + "/login")
            page.fill("input[name=email]", "demo@northwind.example")
            page.fill("input[name=password]", password)
            page.click("button[type=submit]")
            page.wait_for_url("**/inbox")
            page.screenshot(path=str(OUT))
            browser.close()
    finally:
        demo.send_signal(signal.SIGINT)
        demo.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
    # 256 colours keep text crisp at a fraction of the size.
    Image.open(OUT).convert("RGB").quantize(colors=256).save(OUT, optimize=True)
    print(f"Saved {OUT} ({OUT.stat().st_size // 1024} KB).")


if __name__ == "__main__":
    main()
