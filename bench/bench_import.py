"""Benchmark review import: synthetic CSV files, scored and stored, SQLite and PostgreSQL.

Run:  python bench/bench_import.py [--rows 10000,100000,1000000] [--workers N] [--xlsx]
          [--once] [--keep FOLDER]
          [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/bench_imports]
(prints figures; not a timed test). The PostgreSQL database named is emptied before each
size; it is also read from TESTIMONIALS_BENCH_POSTGRES_URL. Each size gets a fresh database
and the real `flask import` command in a process of its own, whose resident memory (its
scoring workers included) is sampled every 50 ms: the first run adds every row (scoring
included), the second (skipped with --once) must add nothing.

Targets (issue 14): memory flat with the file's length, i.e. the peak for the largest file
no more than the smallest's + 50 MB (printed side by side); >= 3,000 rows/s on a 2-core
machine. Wall time depends on what else runs; the CPU seconds printed (the import and its
workers, PostgreSQL's server excluded) divided by the cores show the idle-machine time.

With --xlsx the same rows come as an Excel workbook (20,000 rows unless --rows is given)
instead of the CSV file, to measure the workbook reader.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import func, select, text  # noqa: E402

from testimonials import create_app, migrate  # noqa: E402
from testimonials.accounts import services as accounts  # noqa: E402
from testimonials.db import database_for, make_engine  # noqa: E402
from testimonials.harvest.models import FeedbackItem  # noqa: E402
from testimonials.migrate import empty_postgres_database  # noqa: E402

ENGLISH = """the app support team setup invoice billing dashboard export import
    report mobile crash fixed quickly slow fast great good bad
    helpful friendly price plan month week day hour minute customer
    manager onboarding call email chat response answer question issue bug
    feature update version release sync calendar booking appointment clinic patient
    doctor nurse reminder schedule cancel refund payment card bank transfer
    saved spent lost hours days weeks time money easy hard
    simple confusing clear honest reliable stable our my we i
    they she he it was were is are had has
    have will would could should really very quite almost never
    always sometimes after before during since until because but and
    or so then when while with without for from into
    onto over under about against between recommend switched moved migrated
    tried used love like hate expected hoped needed wanted finally
    again still already yet just only even also too more
    less most least best worst integration api webhook zapier slack
    spreadsheet csv pdf login password account profile settings permissions roles
    users seats team colleagues office remote laptop phone tablet Maria
    Tom Priya Kenji Ahmed Lucia Sven Olga Chen Fatima Diego
    Aisha Noah Emma""".split()  # noqa: SIM905
GERMAN = """der die das und ist war sehr gut schnell langsam
    hilfreich freundlich Preis Rechnung Termin Praxis Kunde Support Team Einrichtung
    Woche Monat Tag Stunde immer nie wieder endlich leider super
    toll schlecht einfach kompliziert empfehlen gewechselt""".split()  # noqa: SIM905
FRENCH = """le la les et est était très bon rapide lent
    utile aimable prix facture rendez-vous cabinet client équipe semaine mois
    jour heure toujours jamais encore enfin hélas super génial mauvais
    simple compliqué recommande changé merci beaucoup service""".split()  # noqa: SIM905
KHMER = """សេវាកម្ម ល្អ ណាស់ ខ្ញុំ ពេញចិត្ត ខ្លាំង ក្រុម ជួយ លឿន យឺត
    តម្លៃ ថ្ងៃ ខែ ម៉ោង អរគុណ ណែនាំ ងាយស្រួល ពិបាក ម្តងទៀត""".split()  # noqa: SIM905
ARABIC = """خدمة ممتازة سريعة شكرا فريق الدعم السعر الفاتورة موعد العيادة
    يوم شهر ساعة دائما أبدا جيد سيء سهل صعب أنصح
    تطبيق""".split()  # noqa: SIM905
JAPANESE = """サービス とても 良い 速い 遅い 助かりました 料金 予約 毎日 毎月
    サポート チーム 簡単 難しい おすすめ また 使います ありがとう""".split()  # noqa: SIM905
LANGUAGES = (
    ("en", ENGLISH, 0.7),
    ("de", GERMAN, 0.08),
    ("fr", FRENCH, 0.08),
    ("km", KHMER, 0.05),
    ("ar", ARABIC, 0.05),
    ("ja", JAPANESE, 0.04),
)


def synthetic_review(rng: random.Random, vocabulary: list[str]) -> str:
    """10-120 words in sentences, with numbers now and then, from one language."""
    words, sentences = rng.randint(10, 120), []
    while words > 0:
        n = min(words, rng.randint(5, 18))
        picked = [
            str(rng.randint(2, 500)) if rng.random() < 0.05 else rng.choice(vocabulary)
            for _ in range(n)
        ]
        picked[0] = picked[0][:1].upper() + picked[0][1:]
        sentences.append(" ".join(picked) + rng.choice(".!."))
        words -= n
    return " ".join(sentences)


HEADER = ["review_id", "review", "rating", "name", "date", "language"]


def review_rows(rows: int, seed: int = 11) -> Iterator[list[object]]:
    """`rows` reviews, 1% of them repeats of earlier texts under a new review id."""
    rng = random.Random(seed)
    start = datetime(2022, 1, 1, tzinfo=UTC)
    weights = [w for _code, _words, w in LANGUAGES]
    texts: list[str] = []
    for i in range(rows):
        code, vocabulary, _w = rng.choices(LANGUAGES, weights)[0]
        review = synthetic_review(rng, vocabulary)
        if texts and rng.random() < 0.01:
            review = rng.choice(texts)  # the same words under a new review id
        elif len(texts) < 5000:
            texts.append(review)
        when = start + timedelta(minutes=rng.randint(0, 60 * 24 * 900))
        yield [f"r{i}", review, rng.randint(1, 5), f"Reviewer {i}", when, code]


def write_file(path: Path, rows: int, seed: int = 11) -> int:
    """A CSV review export of `rows` rows; returns the rows written."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for row in review_rows(rows, seed):
            row[4] = row[4].isoformat()  # type: ignore[attr-defined]
            writer.writerow(row)
    return rows


def write_workbook(path: Path, rows: int, seed: int = 11) -> int:
    """The same export as an Excel workbook: dates as Excel dates, ratings as numbers."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Reviews")
    sheet.append(HEADER)
    for row in review_rows(rows, seed):
        row[4] = row[4].replace(tzinfo=None)  # type: ignore[attr-defined]  # Excel has no zones
        sheet.append(row)
    workbook.save(path)
    return rows


CORES = os.cpu_count() or 1


def children_cpu_seconds() -> float:
    """CPU time of the finished child processes (the import and its scoring workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants now (Linux /proc), in MB."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                rss = next((line for line in status if line.startswith("VmRSS:")), None)
            with open(f"/proc/{current}/task/{current}/children") as children:
                pending += [int(child) for child in children.read().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += int(rss.split()[1]) if rss else 0
    return total / 1024


def process_cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of a process so far (Linux /proc), None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class ServerCpu:
    """CPU seconds PostgreSQL's backends spend for the import (its database's connections,
    read from /proc while they live: the server must run on this machine)."""

    def __init__(self, url: str | None) -> None:
        self.engine = make_engine(url) if url and url.startswith("postgresql") else None
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}

    def sample(self) -> None:
        if self.engine is None:
            return
        with self.engine.connect() as connection:
            pids = connection.scalars(
                text(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
                )
            ).all()
        for pid in pids:
            seconds = process_cpu_seconds(pid)
            if seconds is not None:
                self.first.setdefault(pid, seconds)
                self.last[pid] = seconds

    def seconds(self) -> float | None:
        if self.engine is None:
            return None
        self.engine.dispose()
        return sum(self.last[pid] - self.first[pid] for pid in self.last)


def stored_rows(url: str) -> int:
    """How many items the bench database holds now (read beside the running import)."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(FeedbackItem)) or 0
    finally:
        engine.dispose()


def run_import(
    url: str, path: Path, workers: int | None, progress: float = 0
) -> tuple[float, float, float, str, float | None, float]:
    """Run `flask import` in its own process: wall s, CPU s, peak RSS MB (tree), summary,
    PostgreSQL's backend CPU s (None on SQLite; sampled twice a second, so the last half
    second of a backend's work may be missed), and the importing process's own CPU s (read
    every 50 ms; the rest of the CPU s is its scoring workers')."""
    command = [sys.executable, "-m", "flask", "--app", "testimonials", "import", str(path)]
    command += ["--workspace", "bench-co", "--source", "Bench"]
    if workers:
        command += ["--workers", str(workers)]
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("TESTIMONIALS_")},
        "TESTIMONIALS_DATABASE_URL": url,
        "TESTIMONIALS_SECRET_KEY": "bench",
        "TESTIMONIALS_ENV": "development",
    }
    cpu_before = children_cpu_seconds()
    server = ServerCpu(url)
    started = time.perf_counter()
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(
            command, cwd=REPO, env=environment, stdout=output, stderr=subprocess.STDOUT
        )
        peak, reported, sampled, importer = 0.0, time.perf_counter(), 0.0, 0.0
        while process.poll() is None:
            importer = process_cpu_seconds(process.pid) or importer
            now_mb = tree_rss_mb(process.pid)
            peak = max(peak, now_mb)
            time.sleep(0.05)
            if time.perf_counter() - sampled > 0.5:  # a backend's CPU, twice a second
                sampled = time.perf_counter()
                server.sample()
            if progress and time.perf_counter() - reported > progress:
                reported = time.perf_counter()
                print(
                    f"  … {reported - started:6.0f} s: {stored_rows(url):,} rows stored, "
                    f"{now_mb:.0f} MB now, peak {peak:.0f} MB",
                    flush=True,
                )
        seconds = time.perf_counter() - started
        output.seek(0)
        printed = output.read().decode(errors="replace")
    if process.returncode != 0:
        print(printed[-3000:])
        raise SystemExit("import failed")
    summary = next(line for line in printed.splitlines() if "rows," in line)
    cpu = children_cpu_seconds() - cpu_before
    return seconds, cpu, peak, summary.split("): ")[-1], server.seconds(), importer


def bench_database(label: str, url: str, path: Path, rows: int, args: argparse.Namespace) -> dict:
    """Import the file (twice unless --once) into a fresh database; print and return figures."""
    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "ENV": "development"})
    with app.app_context():
        session = database_for(app).sessionmaker()
        accounts.create_workspace(session, "Bench Co")
        session.commit()
        session.close()
    figures = {}
    for attempt in ("first",) if args.once else ("first", "again"):
        load = os.getloadavg()[0]
        seconds, cpu, peak, summary, server, importer = run_import(
            url, path, args.workers, args.progress
        )
        figures[attempt] = (seconds, cpu, peak)
        with_server = (
            ""
            if server is None
            else f"  + server CPU {server:6.1f} s (= {rows * CORES / (cpu + server):6,.0f} rows/s)"
        )
        print(
            f"{label:10} {rows:>9,} {attempt:5} {seconds:7.1f} s {rows / seconds:7,.0f} rows/s"
            f"  peak {peak:5.0f} MB  CPU {cpu:6.1f} s (= {rows / (cpu / CORES):6,.0f} rows/s "
            f"on {CORES} idle cores: importer {importer:.1f} s + workers {cpu - importer:.1f} s)"
            f"{with_server}  load {load:.1f}  {summary}"
        )
    with app.app_context():
        session = database_for(app).sessionmaker()
        stored = session.scalar(select(func.count()).select_from(FeedbackItem))
        flagged = session.scalar(
            select(func.count()).select_from(FeedbackItem).where(FeedbackItem.suspicion >= 0.8)
        )
        session.close()
    print(f"{label:10} {rows:>9,} stored {stored:,} items, {flagged:,} flagged as duplicates")
    database_for(app).engine.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rows", default=None, help="sizes, comma-separated (default 10000,100000; xlsx 20000)"
    )
    parser.add_argument("--workers", type=int, default=None, help="default: one per CPU")
    parser.add_argument(
        "--postgres", default=os.environ.get("TESTIMONIALS_BENCH_POSTGRES_URL"), help="URL"
    )
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--once", action="store_true", help="skip the second, idempotent run")
    parser.add_argument(
        "--progress", type=float, default=0, help="print progress every N seconds (0: never)"
    )
    parser.add_argument("--xlsx", action="store_true", help="an Excel workbook, not CSV")
    parser.add_argument(
        "--keep",
        type=Path,
        help="a folder to keep each size's SQLite database in (bench_search_index_writes.py "
        "and bench_import_indexes.py take such a file)",
    )
    args = parser.parse_args()
    sizes = [int(n) for n in (args.rows or ("20000" if args.xlsx else "10000,100000")).split(",")]
    print(f"{CORES} CPUs, workers: {args.workers or 'one per CPU'}")
    results: dict[str, dict[int, dict]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for rows in sizes:
            path = Path(folder) / ("reviews.xlsx" if args.xlsx else "reviews.csv")
            started = time.perf_counter()
            (write_workbook if args.xlsx else write_file)(path, rows)
            print(
                f"Generated {rows:,} rows ({path.stat().st_size / 1024**2:.1f} MB) in "
                f"{time.perf_counter() - started:.1f} s"
            )
            if not args.skip_sqlite:
                database = Path(folder) / f"bench-{rows}.sqlite3"
                figures = bench_database("SQLite", f"sqlite:///{database}", path, rows, args)
                results.setdefault("SQLite", {})[rows] = figures
                if args.keep:
                    shutil.move(database, args.keep / database.name)
                else:
                    database.unlink()
            if args.postgres:
                empty_postgres_database(args.postgres)
                figures = bench_database("PostgreSQL", args.postgres, path, rows, args)
                results.setdefault("PostgreSQL", {})[rows] = figures
            path.unlink()
    if not args.postgres:
        print("PostgreSQL: skipped (give --postgres URL or TESTIMONIALS_BENCH_POSTGRES_URL)")
    print("\nPeak memory of the importing process (workers included), first run, against the")
    print("smallest file's (target: the largest <= smallest + 50 MB):")
    for label, by_size in results.items():
        smallest = min(by_size)
        base = by_size[smallest]["first"][2]
        for rows, figures in sorted(by_size.items()):
            seconds, cpu, peak = figures["first"]
            print(
                f"{label:10} {rows:>9,} rows: {peak:5.0f} MB ({peak - base:+5.0f} MB against "
                f"{smallest:,} rows); {rows / seconds:6,.0f} rows/s wall, "
                f"{rows / (cpu / CORES):6,.0f} rows/s on {CORES} idle cores (target 3,000)"
            )


if __name__ == "__main__":
    main()
