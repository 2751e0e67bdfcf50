"""Time the NPS report of two checkouts on the same seeded database, interleaved.

Run: python bench/bench_nps_side_by_side.py --before ../main --url URL [--url URL2]
     [--rounds 3]

Seed first with `bench_nps_report.py --reuse` (this checkout's code, so the database is at
this checkout's head). Each round runs the cases once in a process importing the `--before`
checkout, then once in a process importing this one, on the same database, so both see
the same machine load; a checkout only reads, so a database migrated past the older
checkout's head serves both. Prints the median of each case over the rounds (each round's
figure is itself a median of RUNS), the ratio, and the load average. Not a timed test.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

from side_by_side import run_in_checkout

HERE = Path(__file__).resolve()
REPO = HERE.parents[1]
RUNS = 5


def _cases(workspace_id: int, survey: int, tag: int) -> list[tuple[str, dict, str]]:
    return [
        ("month, no filter", {}, "month"),
        ("week, no filter", {}, "week"),
        ("week, one channel + from", {"channel": "api", "date_from": "2025-07-01"}, "week"),
        ("month, one tag", {"tag_id": tag}, "month"),
        ("week, country, in a month",
         {"country": "DE", "date_from": "2026-03-05", "date_to": "2026-03-20"}, "week"),
        ("month, channel + country", {"channel": "api", "country": "DE"}, "month"),
        ("month, country + tag", {"country": "DE", "tag_id": tag}, "month"),
        ("month, channel + tag", {"channel": "api", "tag_id": tag}, "month"),
        ("month, survey + tag, a quarter",
         {"survey_id": survey, "tag_id": tag, "date_from": "2026-01-01",
          "date_to": "2026-03-31"}, "month"),
        ("week, survey+channel+country",
         {"survey_id": survey, "channel": "api", "country": "DE"}, "week"),
        ("week, channel+country+tag", {"channel": "api", "country": "DE", "tag_id": tag}, "week"),
        ("month, all four, from", {"survey_id": survey, "channel": "api", "country": "DE",
                                   "tag_id": tag, "date_from": "2025-10-01"}, "month"),
    ]  # fmt: skip


def _child(url: str) -> None:
    """In a checkout's own process: time every case with that checkout's code, print JSON."""
    import time
    from datetime import date

    from sqlalchemy import func, select

    from testimonials import create_app
    from testimonials.curation.models import Tag
    from testimonials.db import database_for
    from testimonials.harvest.models import Channel
    from testimonials.harvest.surveys.models import Survey
    from testimonials.report.services import NpsFilters, nps_report

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "ENV": "development"})
    sessionmaker = database_for(app).sessionmaker
    with sessionmaker() as session:
        workspace_id = session.scalar(
            select(func.min(Survey.workspace_id)).where(Survey.name == "Survey 0")
        )
        survey = session.scalar(
            select(func.min(Survey.id)).where(Survey.workspace_id == workspace_id)
        )
        tag = session.scalar(select(func.min(Tag.id)).where(Tag.workspace_id == workspace_id))
    found = {}
    for name, given, granularity in _cases(workspace_id, survey, tag):
        values = dict(given)
        for key in ("date_from", "date_to"):
            if key in values:
                values[key] = date.fromisoformat(values[key])
        if "channel" in values:
            values["channel"] = Channel(values["channel"])
        filters = NpsFilters(**values)

        def run(filters=filters, granularity=granularity) -> int:
            with sessionmaker() as session:
                return nps_report(session, workspace_id, filters, granularity).overall.n

        answers = run()  # warm
        timings = []
        for _ in range(RUNS):
            started = time.perf_counter()
            run()
            timings.append((time.perf_counter() - started) * 1000)
        found[name] = (statistics.median(timings), answers)
    database_for(app).engine.dispose()
    import testimonials

    found["code"] = (0.0, str(Path(testimonials.__file__).parents[1]))
    print(json.dumps(found))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="the checkout to compare with (e.g. main's)")
    parser.add_argument("--url", action="append", default=[])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--checkout", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, args.checkout)
        _child(args.child)
        return
    before, after = Path(args.before).resolve(), REPO
    for url in args.url:
        loads = [os.getloadavg()[0]]
        rounds: dict[str, list[tuple[float, float]]] = {}
        for _ in range(args.rounds):
            old = run_in_checkout(HERE, before, "--child", url)
            new = run_in_checkout(HERE, after, "--child", url)
            # Each process ran the checkout it was given, not an installed copy.
            assert (old.pop("code")[1], new.pop("code")[1]) == (str(before), str(after))
            for name, (ms, answers) in new.items():
                assert old[name][1] == answers, (name, old[name][1], answers)
                rounds.setdefault(name, []).append((old[name][0], ms))
            loads.append(os.getloadavg()[0])
        print(f"\n{url.split('/')[-1]}: load average {min(loads):.1f}-{max(loads):.1f}")
        print(f"  {'':<32} {'before':>8} {'after':>8} {'ratio':>7}  (ms, median of rounds)")
        for name, pairs in rounds.items():
            old_ms = statistics.median(p[0] for p in pairs)
            new_ms = statistics.median(p[1] for p in pairs)
            print(f"  {name:<32} {old_ms:8.1f} {new_ms:8.1f} {old_ms / new_ms:6.1f}x")


if __name__ == "__main__":
    main()
