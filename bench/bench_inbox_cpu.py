"""The CPU, server's and client's, of a few inbox pages: a revision's `inbox_page` and today's.

Run:  python bench/bench_inbox_cpu.py --database URL [--runs 15] [--before-ref main]
          [--page WORDS:PAGE]...
(prints figures; not a timed test). URL is a database seeded by bench_inbox.py (its "Bench
Co" workspace; SQLite: the file of its --sqlite-file). On one connection, each page is
asked of --before-ref's `inbox_page` (loaded from git) and of today's in turn, --runs times
each after a warm-up; PostgreSQL's server CPU is read from /proc for the connection's
backend (this machine's server only), the client's (SQLite's all) from the process. Both
answers must be the same (ids, total, more). Wall time on a shared 2-core machine moves
with the other sessions' work; CPU time much less. The default pages (PostgreSQL's bench
at 1,000,000 items): `予約の管理` (a longer word of a script of short words) deepest and
first, and the deepest pages of `予約` and `で` (a gram each).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from inbox_baselines import inbox_page_at  # noqa: E402
from inbox_seed import BENCH_WORKSPACE  # noqa: E402
from sqlalchemy import select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from testimonials.accounts.models import Workspace  # noqa: E402
from testimonials.curation.inbox import InboxFilters, inbox_page  # noqa: E402
from testimonials.db import make_engine  # noqa: E402

PAGES = ["予約の管理:508", "予約の管理:1", "予約:508", "で:508"]


def backend_ticks(pid: int | None) -> int:
    """User + system clock ticks of the server process `pid` so far (0: no server)."""
    if pid is None:
        return 0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--before-ref", default="main")
    parser.add_argument("--page", action="append", help="WORDS:PAGE (repeatable)")
    args = parser.parse_args()
    ways = {args.before_ref: inbox_page_at(args.before_ref), "today": inbox_page}
    tick_ms = 1000 / os.sysconf("SC_CLK_TCK")
    with Session(make_engine(args.database)) as session:
        workspace_id = session.scalar(select(Workspace.id).where(Workspace.name == BENCH_WORKSPACE))
        postgres = session.connection().dialect.name == "postgresql"
        backend = session.scalar(text("SELECT pg_backend_pid()")) if postgres else None
        session.commit()
        print(f"ms a page, mean CPU of {args.runs} alternating runs (wall: median)")
        for spec in args.page or PAGES:
            words, page = spec.rsplit(":", 1)
            filters = InboxFilters(search=words)
            taken: dict[str, list[tuple[float, float, float]]] = {way: [] for way in ways}
            answers = {}
            for page_of in ways.values():  # warm-up
                page_of(session, workspace_id, filters, int(page), 25)
                session.commit()
            for _ in range(args.runs):
                for way, page_of in ways.items():
                    ticks, cpu = backend_ticks(backend), time.process_time()
                    started = time.perf_counter()
                    found = page_of(session, workspace_id, filters, int(page), 25)
                    session.commit()
                    wall = (time.perf_counter() - started) * 1000
                    server = (backend_ticks(backend) - ticks) * tick_ms
                    taken[way].append((server, (time.process_time() - cpu) * 1000, wall))
                    answers[way] = ([t.id for t in found.items], found.total, found.more)
            assert len({repr(answer) for answer in answers.values()}) == 1, spec
            for way, runs in taken.items():
                server = statistics.mean(run[0] for run in runs)
                client = statistics.mean(run[1] for run in runs)
                wall = statistics.median(run[2] for run in runs)
                print(
                    f"    {words} page {page:>4} {way:>8}: server CPU {server:6.1f}  "
                    f"client CPU {client:5.1f}  wall {wall:6.1f}"
                )


if __name__ == "__main__":
    main()
