"""The README's first command: `flask --app testimonials demo` serves until Ctrl-C."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Callable
from pathlib import Path

from testimonials.demo import DEMO_EMAIL
from tests.conftest import csrf_token
from tests.serving.processes import Browser, clean_environment, free_port, wait_until_answering

KEY = "API key (read)"


def run_demo(database_url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    """Start the demo command as a newcomer would, its output going to `log`."""
    env = clean_environment(
        TESTIMONIALS_DATABASE_URL=database_url,
        # Without it, development mode would write a secret into the checkout's instance/.
        TESTIMONIALS_SECRET_KEY="demo-test-secret",
    )
    command = [sys.executable, "-m", "flask", "--app", "testimonials", "demo", "--port", str(port)]
    with log.open("wb") as output:
        return subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)


def printed(log: Path, label: str) -> str:
    """The value the demo printed after `label:` (the last run's, if several)."""
    values = re.findall(rf"{re.escape(label)}:\s+(\S+)", log.read_text())
    assert values, f"{label!r} not printed:\n{log.read_text()}"
    return values[-1]


def stop(process: subprocess.Popen[bytes]) -> int:
    """Press Ctrl-C and wait for the demo to exit."""
    process.send_signal(signal.SIGINT)
    try:
        return process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        raise


def test_demo_serves_until_ctrl_c_and_the_printed_sign_in_works(
    empty_database_url: Callable[[str], str], tmp_path: Path
) -> None:
    database_url = empty_database_url("demo_server")
    port = free_port()
    log = tmp_path / "demo.log"
    process = run_demo(database_url, port, log)
    try:
        assert wait_until_answering(f"http://127.0.0.1:{port}/login", process, log) == 200
        assert printed(log, "Sign in as") == DEMO_EMAIL
        assert f"Open:           http://127.0.0.1:{port}/" in log.read_text()
        assert "press Ctrl-C to stop" in log.read_text()

        browser = Browser(f"http://127.0.0.1:{port}")
        token = csrf_token(browser.request("/login").text)
        form = {"email": DEMO_EMAIL, "password": printed(log, "Password"), "csrf_token": token}
        inbox = browser.request("/login", form)
        assert inbox.status == 200 and inbox.url.endswith("/inbox"), inbox.url
        # Seeded, scored feedback is there (the demo approves the best for its widgets).
        everything = browser.request("/inbox?status=all")
        assert "Onboarding took 2 days instead of the 3 weeks" in everything.text
    finally:
        code = stop(process)
    assert code == 0, log.read_text()
    assert log.read_text().rstrip().endswith("Stopped.")


def test_running_the_demo_again_serves_again_and_says_what_it_did(
    empty_database_url: Callable[[str], str], tmp_path: Path
) -> None:
    database_url = empty_database_url("demo_rerun")
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    for log in (first_log, second_log):
        port = free_port()
        process = run_demo(database_url, port, log)
        try:
            assert wait_until_answering(f"http://127.0.0.1:{port}/login", process, log) == 200
            api = Browser(f"http://127.0.0.1:{port}")
            keys = {
                run: api.request(
                    "/api/v1/workspace", headers={"Authorization": f"Bearer {printed(run, KEY)}"}
                ).status
                for run in {first_log, log}
            }
        finally:
            assert stop(process) == 0, log.read_text()
    # The key printed by the latest run works; the earlier run's key no longer does.
    assert keys == {first_log: 401, second_log: 200}

    assert "Created the demo workspace 'Northwind Bookings': 45 feedback items." in (
        first_log.read_text()
    )
    again = second_log.read_text()
    assert "already existed: nothing added twice (45 feedback items)" in again
    assert "earlier demo API key was revoked and replaced" in again
    assert printed(first_log, "Password") != printed(second_log, "Password")


def test_a_busy_port_is_explained_not_a_traceback(
    empty_database_url: Callable[[str], str], tmp_path: Path
) -> None:
    log = tmp_path / "demo.log"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = run_demo(empty_database_url("demo_busy"), port, log)
        assert process.wait(timeout=120) != 0
    output = log.read_text()
    assert f"Port {port} is in use" in output and "different port" in output
    assert "Traceback" not in output


def test_a_taken_landing_page_port_moves_the_landing_page_not_the_demo(
    empty_database_url: Callable[[str], str], tmp_path: Path
) -> None:
    log = tmp_path / "demo.log"
    with socket.socket() as taken:
        # Take a port whose predecessor is free, so the dashboard can have that one.
        while True:
            taken.bind(("127.0.0.1", 0))
            landing_port = taken.getsockname()[1]
            with socket.socket() as probe:
                try:
                    probe.bind(("127.0.0.1", landing_port - 1))
                    break
                except OSError:
                    taken.close()
                    taken = socket.socket()
        taken.listen()
        port = landing_port - 1
        process = run_demo(empty_database_url("demo_landing"), port, log)
        try:
            assert wait_until_answering(f"http://127.0.0.1:{port}/login", process, log) == 200
            printed_landing = printed(log, "Landing page")
            assert printed_landing != f"http://127.0.0.1:{landing_port}/"
            with urllib.request.urlopen(printed_landing, timeout=10) as answer:
                assert answer.status == 200
        finally:
            assert stop(process) == 0, log.read_text()
