"""Benchmark the duplicate index: memory per item, build time, query latency.

Run:  python bench/bench_duplicate_index.py [--items 100000]   (prints figures; not a test)

A web process keeps one warm index per busy workspace and an import keeps one for its whole
backlog, so memory per item matters as much as speed. Signatures are made from synthetic
reviews (the import benchmark's generator) once, then indexed as a workspace would be.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_import import ENGLISH, synthetic_review  # noqa: E402

from testimonials.scoring import DuplicateIndex, content_hash, minhash_signature  # noqa: E402


def resident_mb() -> float:
    """This process's resident memory now (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    args = parser.parse_args()
    rng = random.Random(7)
    started = time.perf_counter()
    texts = [synthetic_review(rng, ENGLISH) for _ in range(args.items)]
    stored = [(i, minhash_signature(t), content_hash(t)) for i, t in enumerate(texts)]
    print(f"{args.items:,} signatures made in {time.perf_counter() - started:.1f} s")

    before = resident_mb()
    started = time.perf_counter()
    index = DuplicateIndex.from_signatures(stored)
    build = time.perf_counter() - started
    grown = resident_mb() - before
    print(
        f"build: {build:.2f} s ({args.items / build:,.0f} items/s); "
        f"memory: {grown:.0f} MB ({grown * 2**20 / args.items:,.0f} bytes an item)"
    )

    def timed(queries: list[tuple[list[int], str]]) -> list[float]:
        times = []
        for signature, digest in queries:
            t0 = time.perf_counter()
            index.query_signature(signature, digest)
            times.append((time.perf_counter() - t0) * 1e6)
        return sorted(times)

    picked = rng.sample(texts, 2000)
    near = []
    for text in picked:  # a templated copy: one word changed
        words = text.split()
        words[len(words) // 2] = "Zanzibar"
        changed = " ".join(words)
        near.append((minhash_signature(changed), content_hash(changed)))
    fresh = [
        (minhash_signature(t), content_hash(t))
        for t in (synthetic_review(rng, ENGLISH) for _ in range(2000))
    ]
    for label, queries in (("near-duplicate", near), ("new text", fresh)):
        times = timed(queries)
        found = sum(1 for s, d in queries if index.query_signature(s, d))
        print(
            f"query, {label:14}: median {statistics.median(times):6.1f} µs, "
            f"p99 {times[int(len(times) * 0.99)]:7.1f} µs; matched {found}/{len(queries)}"
        )


if __name__ == "__main__":
    main()
