"""Benchmark the pure scorer: throughput, cold load time, memory, sanity AUC.

Run: python bench/bench_scoring.py   (prints figures; not a timed test)

Targets: >= 2,000 testimonials/s per core in batch, cold import + load <= 200 ms, resident
memory <= 200 MB after loading and scoring a batch.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

# Stand-in for "import testimonials.scoring" without running testimonials/__init__ (which
# builds the Flask app): shows the scorer's own cost, separate from the app package's.
_STUB_PARENT = (
    "import sys, types; p = types.ModuleType('testimonials'); "
    f"p.__path__ = [{str(REPO / 'testimonials')!r}]; sys.modules['testimonials'] = p; "
)
_LOAD = "from testimonials.scoring import load_scorer; load_scorer()"

_OPENERS = ["We", "I", "Our team", "My wife and I", "The company", "Support"]
_BODY_TEXT = (
    "switched to the new plan in March and the setup took about two days because the import "
    "of 3,000 contacts needed manual mapping of custom fields while the dashboard is clear and "
    "fast but the mobile app still crashes when uploading photos larger than 10 MB and Maria "
    "from support fixed our billing issue within an hour which saved us roughly $200 a month "
    "overall great service friendly people would recommend to anyone looking for a reliable "
    "tool with honest pricing and quick answers"
)
_BODY = _BODY_TEXT.split()


def realistic_reviews(count: int, seed: int = 7) -> list[str]:
    """Deterministic synthetic reviews of 20-150 words in 1-8 sentences."""
    rng = random.Random(seed)
    reviews = []
    for _ in range(count):
        words = rng.randint(20, 150)
        sentences, left = [], words
        while left > 0:
            n = min(left, rng.randint(6, 22))
            start = rng.randrange(len(_BODY) - n)
            sentence = " ".join([rng.choice(_OPENERS), *_BODY[start : start + n - 1]])
            sentences.append(sentence + rng.choice([".", ".", "!", "."]))
            left -= n
        reviews.append(" ".join(sentences))
    return reviews


def _subprocess(code: str) -> dict:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def cold_load_ms(stub_parent: bool) -> float:
    """Median wall time of `import testimonials.scoring` + load_scorer() in a fresh process."""
    prefix = _STUB_PARENT if stub_parent else ""
    code = (
        "import time; t = time.perf_counter(); "
        f"{prefix}{_LOAD}; "
        "import json; print(json.dumps({'ms': (time.perf_counter() - t) * 1000}))"
    )
    runs = sorted(_subprocess(code)["ms"] for _ in range(5))
    return runs[2]


def peak_rss_mb(stub_parent: bool) -> float:
    """Peak resident memory after loading and scoring 2,000 reviews, in a fresh process."""
    prefix = _STUB_PARENT if stub_parent else ""
    code = (
        f"import sys; sys.path.insert(0, {str(REPO / 'bench')!r}); {prefix}"
        "from bench_scoring import realistic_reviews; "
        "from testimonials.scoring import load_scorer, ItemInput; "
        "s = load_scorer(); s.score_batch([ItemInput(t) for t in realistic_reviews(2000)]); "
        "import resource, json; "
        "print(json.dumps({'mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))"
    )
    return _subprocess(code)["mb"]


def throughput(batch_size: int = 500, total: int = 6000) -> float:
    """Testimonials scored per second in batches, in this (single) process."""
    from testimonials.scoring import ItemInput, load_scorer

    scorer = load_scorer()
    reviews = [ItemInput(t, rating=5) for t in realistic_reviews(total)]
    scorer.score_batch(reviews[:batch_size])  # warm up
    started = time.perf_counter()
    for i in range(0, total, batch_size):
        scorer.score_batch(reviews[i : i + batch_size])
    return total / (time.perf_counter() - started)


def sanity_auc() -> float:
    """AUC of suspicion on the tests' self-written invented vs genuine-style reviews."""
    import importlib.util

    from testimonials.scoring import ItemInput, load_scorer

    path = REPO / "tests/unit/scoring/scoring_sanity_reviews.py"
    spec = importlib.util.spec_from_file_location("scoring_sanity_reviews", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    scorer = load_scorer()
    bad = [scorer.score(ItemInput(t)).suspicion for t in module.INVENTED_STYLE]
    good = [scorer.score(ItemInput(t)).suspicion for t in module.GENUINE_STYLE]
    pairs = [(a > b) + 0.5 * (a == b) for a in bad for b in good]
    return sum(pairs) / len(pairs)


def main() -> None:
    """Print all figures."""
    words = [len(t.split()) for t in realistic_reviews(6000)]
    print(
        f"reviews: 6000 synthetic, {min(words)}-{max(words)} words "
        f"(mean {sum(words) / len(words):.0f})"
    )
    print(f"throughput: {throughput():,.0f} testimonials/s (one process, batches of 500)")
    print(
        f"cold import + load: {cold_load_ms(True):.0f} ms scorer alone, "
        f"{cold_load_ms(False):.0f} ms via testimonials/__init__ as it is now"
    )
    print(
        f"peak RSS after load + 2,000 scored: {peak_rss_mb(True):.0f} MB scorer alone, "
        f"{peak_rss_mb(False):.0f} MB via testimonials/__init__"
    )
    print(f"suspicion AUC on self-written sanity set (direction check only): {sanity_auc():.2f}")


if __name__ == "__main__":
    main()
