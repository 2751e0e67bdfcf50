"""Benchmark a scoring worker's CPU per imported row, and check its output byte for byte.

Run: python bench/bench_prepare.py [--rows 5000] [--rounds 3] [--baseline CHECKOUT]
         [--check-rows 100000]   (prints figures; not a timed test)

A worker of an import (`harvest.bulk_intake`) is started with the scorer and then, chunk
by chunk, unpickles (text, rating, nps, verified) tuples, prepares them (`_prepare`:
content hash, MinHash, personal data, score) and pickles the result. This does exactly
that in a fresh process per run, on `bench_import.py`'s rows (the same file the import
bench generates), and prints the worker's CPU time per row. With --baseline (another
checkout, e.g. main's) both checkouts run interleaved, `--rounds` times each, and the
medians and their ratio are printed: on a shared machine only same-run figures compare.

Every run also hashes each prepared row (its repr: content hash, signature, personal-data
flags, specificity, suspicion, reasons, excerpt); with --baseline the hashes of both
checkouts are compared row by row and any difference is printed (exit status 1).
--check-rows N compares N rows once (e.g. the 100,000-row file) before the timed rounds.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from bench_import import review_rows  # type: ignore[import-not-found]  # noqa: E402

CHUNK_ROWS = 1000  # imports.services.CHUNK_ROWS

# Runs in the checkout measured (its own `testimonials` first on the path).
_CHILD = """
import hashlib, json, pickle, sys, time
from testimonials.harvest import bulk_intake
from testimonials.scoring import load_scorer
rows_file, hashes_file, chunk = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(rows_file, "rb") as handle:
    rows = pickle.load(handle)
blobs = [pickle.dumps(rows[i : i + chunk]) for i in range(0, len(rows), chunk)]
scorer = pickle.loads(pickle.dumps(load_scorer()))  # as the pool's initargs arrive
started = time.process_time()
bulk_intake._start_worker(scorer)
results = [pickle.dumps(bulk_intake._prepare_in_worker(pickle.loads(b))) for b in blobs]
cpu = time.process_time() - started
with open(hashes_file, "w") as out:
    for blob in results:
        for row in pickle.loads(blob):
            out.write(hashlib.sha256(repr(row).encode()).hexdigest()[:20] + "\\n")
print(json.dumps({"cpu": cpu, "rows": len(rows)}))
"""


def write_rows(path: Path, count: int) -> None:
    """The import bench's rows as the worker receives them (text, rating, nps, verified)."""
    rows = [(row[1], row[2], None, False) for row in review_rows(count)]
    with path.open("wb") as handle:
        pickle.dump(rows, handle)


def run_checkout(checkout: Path, rows: Path, hashes: Path) -> float:
    """One fresh process of `checkout`: the worker's CPU ms per row."""
    environment = {**os.environ, "PYTHONPATH": str(checkout), "OMP_NUM_THREADS": "1"}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(rows), str(hashes), str(CHUNK_ROWS)],
        capture_output=True,
        text=True,
        env=environment,
        cwd=checkout,
        check=True,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return figures["cpu"] * 1000 / figures["rows"]


def differences(mine: Path, theirs: Path) -> list[int]:
    """Rows whose prepared output differs between two runs' hash files."""
    a, b = mine.read_text().split(), theirs.read_text().split()
    if len(a) != len(b):
        return [min(len(a), len(b))]
    return [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", type=Path, default=None, help="another checkout")
    parser.add_argument("--check-rows", type=int, default=0, help="compare N rows once first")
    args = parser.parse_args()
    checkouts = {"this": REPO} | ({"baseline": args.baseline.resolve()} if args.baseline else {})
    status = 0
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        if args.check_rows and args.baseline:
            write_rows(work / "check.pickle", args.check_rows)
            for name, checkout in checkouts.items():
                run_checkout(checkout, work / "check.pickle", work / f"check-{name}.txt")
            differ = differences(work / "check-this.txt", work / "check-baseline.txt")
            print(f"{args.check_rows:,} rows prepared by both checkouts: {len(differ)} differ")
            status = 1 if differ else 0
        write_rows(work / "rows.pickle", args.rows)
        times: dict[str, list[float]] = {name: [] for name in checkouts}
        for round_number in range(args.rounds):
            for name, checkout in checkouts.items():
                hashes = work / f"{name}.txt"
                times[name].append(run_checkout(checkout, work / "rows.pickle", hashes))
            load = os.getloadavg()[0]
            line = ", ".join(f"{name} {times[name][-1]:.3f}" for name in checkouts)
            print(f"round {round_number + 1}: ms of worker CPU a row: {line} (load {load:.1f})")
        median = {name: statistics.median(values) for name, values in times.items()}
        print(
            f"{args.rows:,} bench rows, chunks of {CHUNK_ROWS}, medians of {args.rounds}: "
            f"this {median['this']:.3f} ms a row ({1000 / median['this']:,.0f} rows/s a core)"
        )
        if args.baseline:
            ratios = [t / b for t, b in zip(times["this"], times["baseline"], strict=True)]
            print(
                f"baseline {median['baseline']:.3f} ms a row: this / baseline "
                f"{median['this'] / median['baseline']:.3f} (per round "
                f"{', '.join(f'{r:.3f}' for r in ratios)})"
            )
            differ = differences(work / "this.txt", work / "baseline.txt")
            print(f"prepared rows that differ from the baseline's: {len(differ)} {differ[:10]}")
            status = 1 if differ else status
    return status


if __name__ == "__main__":
    raise SystemExit(main())
