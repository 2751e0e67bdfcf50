"""Benchmark review import: a synthetic 100,000-row CSV, scored and stored, SQLite and PostgreSQL.

Run:  python bench/bench_import.py [--rows 100000] [--workers N] [--xlsx]
          [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/bench_imports]
(prints figures; not a timed test). The PostgreSQL database named is emptied first; it is
also read from TESTIMONIALS_BENCH_POSTGRES_URL. Each database gets the same file twice
through the real `flask import` command: the first run adds every distinct row (scoring
included), the second must add nothing.

With --xlsx the same rows come as an Excel workbook (20,000 rows unless --rows is given)
instead of the CSV file, to measure the workbook reader.

Target: the first import of 100,000 rows in <= 60 s on each database on a 2-core machine.
Wall time depends on what else runs; the CPU seconds printed (this process plus the scoring
workers, PostgreSQL's own server excluded) divided by the cores show the idle-machine time.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import func, select  # noqa: E402

from testimonials import create_app, migrate  # noqa: E402
from testimonials.accounts import services as accounts  # noqa: E402
from testimonials.db import database_for  # noqa: E402
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


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the scoring workers)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def bench_database(label: str, url: str, path: Path, rows: int, workers: int | None) -> None:
    """Import the file twice through the CLI and print the figures."""
    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "ENV": "development"})
    with app.app_context():
        session = database_for(app).sessionmaker()
        accounts.create_workspace(session, "Bench Co")
        session.commit()
        session.close()
    runner = app.test_cli_runner()
    args = ["import", str(path), "--workspace", "bench-co", "--source", "Bench"]
    if workers:
        args += ["--workers", str(workers)]
    for attempt in ("first", "again"):
        load = os.getloadavg()[0]
        cpu_before = cpu_seconds()
        started = time.perf_counter()
        result = runner.invoke(args=args)
        seconds = time.perf_counter() - started
        cpu = cpu_seconds() - cpu_before
        if result.exit_code != 0:
            print(result.output)
            raise SystemExit(f"{label}: import failed") from result.exception
        summary = next(line for line in result.output.splitlines() if "rows," in line)
        print(f"{label:10} {attempt:5}  {seconds:6.1f} s  {rows / seconds:8,.0f} rows/s  {summary}")
        print(
            f"{'':10} {'':5}  CPU {cpu:6.1f} s in all processes (= {cpu / CORES:.1f} s on "
            f"{CORES} idle cores); load average before: {load:.1f}"
        )
    with app.app_context():
        session = database_for(app).sessionmaker()
        stored = session.scalar(select(func.count()).select_from(FeedbackItem))
        scored = session.scalar(
            select(func.count())
            .select_from(FeedbackItem)
            .where(FeedbackItem.scored_at.is_not(None))
        )
        distinct = session.scalar(select(func.count(FeedbackItem.content_hash.distinct())))
        session.close()
    print(f"{label:10} stored {stored:,} items ({distinct:,} distinct texts), {scored:,} scored")
    database_for(app).engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=None, help="default 100,000 (xlsx 20,000)")
    parser.add_argument("--workers", type=int, default=None, help="default: one per CPU")
    parser.add_argument(
        "--postgres", default=os.environ.get("TESTIMONIALS_BENCH_POSTGRES_URL"), help="URL"
    )
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--xlsx", action="store_true", help="an Excel workbook, not CSV")
    args = parser.parse_args()
    args.rows = args.rows or (20_000 if args.xlsx else 100_000)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("reviews.xlsx" if args.xlsx else "reviews.csv")
        started = time.perf_counter()
        (write_workbook if args.xlsx else write_file)(path, args.rows)
        print(
            f"Generated {args.rows:,} rows ({path.stat().st_size / 1024**2:.1f} MB) in "
            f"{time.perf_counter() - started:.1f} s; {os.cpu_count()} CPUs, "
            f"workers: {args.workers or 'one per CPU'}"
        )
        if not args.skip_sqlite:
            bench_database(
                "SQLite",
                f"sqlite:///{Path(folder) / 'bench.sqlite3'}",
                path,
                args.rows,
                args.workers,
            )
        if args.postgres:
            empty_postgres_database(args.postgres)
            bench_database("PostgreSQL", args.postgres, path, args.rows, args.workers)
        else:
            print("PostgreSQL: skipped (give --postgres URL or TESTIMONIALS_BENCH_POSTGRES_URL)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Peak resident memory of this process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
