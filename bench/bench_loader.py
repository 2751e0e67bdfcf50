"""Benchmark what measurement costs the widget loader, side by side with the loader before it.

Run: python bench/bench_loader.py [--runs 15]
     Needs Debian's chromium (Playwright drives it). Prints figures; not a timed test.

Prints, beside the loader as it was before measurement (commit BASELINE, served from the
same server under another path):
- bytes: loader.js gzipped, and measure.js (fetched only where an experiment runs);
- in headless Chromium, a host page on another origin with a 6-card wall above the fold,
  a fresh browser context per run (cold cache), the three set-ups alternating:
  the baseline loader, this loader without an experiment, and this loader with the widget
  under a running experiment (per-visitor slot, measure.js, beacons). For each: median
  main-thread script time of the page (CDP Performance.getMetrics ScriptDuration) and
  median time from navigation to the widget rendered, with the ratio to the baseline;
- on the server, in process: the slot answer for a widget under an experiment (visitor
  unit, arm, exposure written) against the cached answer of one without, median ms.
"""

from __future__ import annotations

import argparse
import gzip
import logging
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import select  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402
from werkzeug.wrappers import Request, Response  # noqa: E402

from testimonials import create_app, migrate  # noqa: E402
from testimonials.db import database_for  # noqa: E402
from testimonials.tracking import experiments  # noqa: E402
from testimonials.widgets.models import Widget  # noqa: E402
from tests.browser.conftest import CHROMIUM_FLAGS  # noqa: E402
from tests.widgets.browser_seed import seed  # noqa: E402

BASELINE = "9f45b90"  # main before measurement reached the loader
STATIC = REPO / "testimonials" / "static" / "widgets"
RENDERED = """
window.__rendered = null;
document.addEventListener('testimonials:rendered', () => {
  window.__rendered = performance.now();
});
"""


def baseline_loader() -> bytes:
    return subprocess.run(
        ["git", "show", f"{BASELINE}:testimonials/static/widgets/loader.js"],
        cwd=REPO, capture_output=True, check=True,
    ).stdout  # fmt: skip


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 9))


class WithBaseline:
    """The app, plus the baseline loader at /bench/loader.js (same origin, same headers)."""

    def __init__(self, app: Any, baseline: bytes) -> None:
        self.app, self.baseline = app, baseline

    def __call__(self, environ: Any, start_response: Any) -> Any:
        if environ.get("PATH_INFO") == "/bench/loader.js":
            headers = {"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300"}
            response = Response(self.baseline, mimetype="text/javascript", headers=headers)
            return response(environ, start_response)
        return self.app(environ, start_response)


def serve(app: Any) -> tuple[Any, str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def host_app(widget_origin: str, pages: dict[str, tuple[str, str]]) -> Any:
    def app(environ: Any, start_response: Any) -> Any:
        key, loader = pages.get(Request(environ).path, ("", ""))
        o = widget_origin
        body = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title>'
            f"</head><body><h1>Clinic software</h1><p>Intro.</p>"
            f'<link rel="stylesheet" href="{o}/w/{key}/slot.css">'
            f'<testimonials-widget data-testimonials-widget="{key}"></testimonials-widget>'
            f'<script async src="{o}{loader}"></script><p>After.</p></body></html>'
        )
        return Response(body, mimetype="text/html")(environ, start_response)

    return app


def one_run(browser: Any, url: str) -> tuple[float, float]:
    """(script ms, ms to rendered) for one cold page view."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(RENDERED)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    page.goto(url)
    page.wait_for_function("() => window.__rendered !== null")
    page.wait_for_timeout(300)  # measure.js and the first observers run
    rendered = page.evaluate("window.__rendered")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    context.close()
    return metrics["ScriptDuration"] * 1000, rendered


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    baseline = baseline_loader()
    loader, measure = (STATIC / "loader.js").read_bytes(), (STATIC / "measure.js").read_bytes()
    print(f"{'figure':52} {'measured':>10} {'baseline':>10} {'ratio':>7}")
    print(f"{'loader.js gzipped (bytes)':52} {gz(loader):>10} {gz(baseline):>10} "
          f"{gz(loader) / gz(baseline):>6.2f}x   budget <= 5 KB")  # fmt: skip
    print(f"{'measure.js gzipped, only where an experiment runs':52} {gz(measure):>10}")

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        migrate.upgrade(url)
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
        logging.getLogger("testimonials").setLevel(logging.WARNING)  # after the app's setup
        session = database_for(app).sessionmaker()
        keys = seed(session)
        workspace_id = session.scalars(
            select(Widget.workspace_id).where(Widget.public_key == keys["carousel"])
        ).one()
        experiment = experiments.create_experiment(
            session, workspace_id, name="Bench", widget_key=keys["carousel"]
        )
        experiments.start_experiment(session, experiment, datetime.now(UTC))
        session.commit()
        public_key = experiment.public_key
        session.close()
        widget_server, origin = serve(WithBaseline(app, baseline))
        pages = {
            "/baseline": (keys["wall"], "/bench/loader.js"),
            "/loader": (keys["wall"], "/widgets/loader.js"),
            "/experiment": (keys["carousel"], "/widgets/loader.js"),
            "/plain-carousel": (keys["carousel"], "/bench/loader.js"),
        }
        host_server, host = serve(host_app(origin, pages))
        host = host.replace("127.0.0.1", "localhost")  # another origin

        from playwright.sync_api import sync_playwright

        results: dict[str, list[tuple[float, float]]] = {p: [] for p in pages}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS
            )
            for path in pages:  # warm the server's renderings
                one_run(browser, host + path)
            for _ in range(args.runs):
                for path in pages:
                    results[path].append(one_run(browser, host + path))
            browser.close()

        def med(path: str, index: int) -> float:
            return statistics.median(r[index] for r in results[path])

        rows = [
            ("wall, no experiment: this loader vs the baseline", "/loader", "/baseline"),
            ("carousel under an experiment vs baseline, no experiment", "/experiment",
             "/plain-carousel"),
        ]  # fmt: skip
        print(f"\nChromium, {args.runs} cold page views each, alternating (medians)")
        for label, path, base in rows:
            for index, what in ((0, "script time"), (1, "to rendered")):
                a, b = med(path, index), med(base, index)
                print(f"{label + ', ' + what + ' (ms)':52} {a:>10.1f} {b:>10.1f} {a / b:>6.2f}x")

        client = app.test_client()
        headers = {"User-Agent": "Mozilla/5.0 Chrome/131.0", "Accept-Language": "en"}

        def timed(path: str, n: int = 200) -> float:
            times = []
            for i in range(n):
                started = time.perf_counter()
                client.get(path.replace("ID", f"bench-{i:06d}"), headers=headers,
                           environ_base={"REMOTE_ADDR": f"10.{i % 250}.0.1"})  # fmt: skip
                times.append((time.perf_counter() - started) * 1000)
            return statistics.median(times[20:])

        # Alternating, so machine load hits all three alike.
        runs: dict[str, list[float]] = {"cached": [], "per_visitor": [], "track_slot": []}
        for _ in range(3):
            runs["cached"].append(timed(f"/w/{keys['wall']}/slot.json"))
            runs["per_visitor"].append(timed(f"/w/{keys['carousel']}/slot.json"))
            track = f"/api/v1/track/slot?experiment={public_key}&event=ID"
            runs["track_slot"].append(timed(track))
        cached, per_visitor, track_slot = (statistics.median(runs[k]) for k in runs)
        print("\nserver, in process, SQLite (medians of 3 x 180 requests, alternating)")
        print(
            f"{'slot.json under an experiment vs GET /api/v1/track/slot':52} "
            f"{per_visitor:>10.2f} {track_slot:>10.2f} {per_visitor / track_slot:>6.2f}x"
        )
        print(f"{'slot.json under an experiment vs cached, no experiment':52} "
              f"{per_visitor:>10.2f} {cached:>10.2f} {per_visitor / cached:>6.0f}x")  # fmt: skip
        widget_server.shutdown()
        host_server.shutdown()


if __name__ == "__main__":
    main()
