"""Check that this checkout's scorer gives another checkout's scores, byte for byte.

Run: python bench/compare_scores.py --baseline CHECKOUT   (exit status 1 on any difference)

A speed change to the scorer must not move any output. This scores one varied corpus with
both checkouts' scorers, each in a fresh process, and compares everything a Score holds
(specificity, suspicion, every reason's code, message, weight and kind, the excerpt, each
sentence's offsets and score, the language), with the text's duplicate fingerprints (content
hash and MinHash signature, which the app stores), as JSON, line by line. The corpus, built
here and handed to both: the shared rated files' texts (as read for training and as written
in the files), alone and joined six at a time into review-length texts, each as written,
lower-cased and upper-cased; the repository's multilingual pair texts (and blind pairs)
likewise; the benchmark's synthetic reviews; and texts aimed at the edge cases (markup,
links, contact details, emoji, long pastes, blank text). Ratings cycle through none, low,
high, NPS and unverified so every suspicion path is taken.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

_EDGE_CASES = [
    "",
    "   ",
    "!!!",
    "<p>Maria fixed our <b>invoice</b> export in 20 minutes &amp; saved us $200.</p>",
    "Order at www.example.com today, use code SAVE2024 for 20% off!!!!",
    "Mail me at jo@example.org or call +44 20 7946 0958 - Dr. Smith, e.g. the U.S. team.",
    "Great!!! 😀😀😀😀😀😀😀 Love it 🎉🎉",
    "I received this product for free in exchange for my honest review #ad",
    "We waited 3 hours... then 2.5 days (not 10 min). Per cent: 15 percent, 30 % off.",
    "Frau Müller hat unser SAP-Projekt in 3 Wochen abgeschlossen, nicht in 8.",
    "我们团队用了三个月，每周节省了大约10个小时的报表时间，客服小王总是在一小时内回复。",
    "ທີມງານຕອບພາຍໃນ ໒ ຊົ່ວໂມງ ແລະ ຊ່ວຍປະຫຍັດ ໕໐໐ ກີບ",
    "ក្រុមការងារឆ្លើយតបក្នុងរយៈពេល ២ ម៉ោង។ល្អណាស់។",
    "Это был отличный сервис, 3 дня доставки.",
    "الخدمة ممتازة، وصل الطلب خلال ٣ أيام فقط.",
    "The staff were not friendly. Never disappointed, not bad at all; the carpet was stained.",
    ("The room was clean and the staff friendly. " * 400).strip(),
    "Support answered. Then we thanked Support and Maria. (Then) McDonald told Donald.",
]


def corpus() -> list[dict[str, object]]:
    """The items both checkouts score, as JSON-ready input records."""
    from bench_scoring import realistic_reviews  # type: ignore[import-not-found]

    from testimonials.scoring import direction
    from testimonials.scoring.metrics import find_data_dir, read_rated_file

    rated: list[str] = []
    raw: list[str] = []
    for path in sorted(find_data_dir().glob("*.tsv")):
        rated += read_rated_file(path)[0]
        with path.open(encoding="utf-8") as handle:
            raw += [line.rpartition("\t")[0] for line in handle.read().splitlines()[1:]]
    pairs = [text for _, s, g in direction.read_pairs() for text in (s, g)]
    # The blind pairs (16 languages), where this checkout has them.
    blind = getattr(direction, "BLIND_PAIRS_PATH", None)
    if blind is not None and blind.exists():
        pairs += [text for _, s, g in direction.read_pairs(blind) for text in (s, g)]
    joined = [" ".join(rated[i : i + 6]) for i in range(0, len(rated) - 5, 6)]
    texts: list[str] = []
    for group in (rated, raw, joined, pairs):
        texts += group + [t.lower() for t in group] + [t.upper() for t in group]
    texts += realistic_reviews(2000) + _EDGE_CASES
    extras: list[dict[str, object]] = [
        {},
        {"rating": 1},
        {"rating": 5},
        {"rating": 2},
        {"nps": 3},
        {"nps": 10},
        {"rating": 4, "verified": False},
    ]
    return [{"text": text, **extras[i % len(extras)]} for i, text in enumerate(texts)]


_SCORE_ALL = """
import dataclasses, json, sys, time, types
repo, corpus, out = sys.argv[1:4]
p = types.ModuleType('testimonials'); p.__path__ = [repo + '/testimonials']
sys.modules['testimonials'] = p
from testimonials.scoring import ItemInput, load_scorer
scorer = load_scorer()
with open(corpus, encoding='utf-8') as handle:
    items = [ItemInput(**json.loads(line)) for line in handle]
c = time.process_time()
scores = []
for i in range(0, len(items), 500):
    scores += scorer.score_batch(items[i : i + 500])
cpu = time.process_time() - c
from testimonials.scoring.duplicates import fingerprints
c = time.process_time()
prints = fingerprints([item.text for item in items])
cpu_prints = time.process_time() - c
with open(out, 'w', encoding='utf-8') as handle:
    for score, (digest, signature) in zip(scores, prints):
        record = {**dataclasses.asdict(score), 'content_hash': digest, 'minhash': signature}
        handle.write(json.dumps(record, ensure_ascii=False) + '\\n')
print(json.dumps({'cpu': cpu, 'cpu_prints': cpu_prints}))
"""


def score_with(checkout: Path, corpus_path: Path, out_path: Path) -> dict[str, float]:
    """Score and fingerprint the corpus with a checkout, in a fresh process: CPU seconds."""
    done = subprocess.run(
        [sys.executable, "-c", _SCORE_ALL, str(checkout), str(corpus_path), str(out_path)],
        capture_output=True,
        text=True,
        env={**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"},
        check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> int:
    """Score the corpus with both checkouts and report every item whose output differs."""
    parser = argparse.ArgumentParser(prog="python bench/compare_scores.py")
    parser.add_argument("--baseline", type=Path, required=True, help="checkout to compare with")
    parser.add_argument("--show", type=int, default=5, help="differing items to print")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "bench"))
    items = corpus()
    with tempfile.TemporaryDirectory() as folder:
        corpus_path, mine, theirs = (Path(folder) / name for name in ("in", "this", "base"))
        corpus_path.write_text(
            "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items),
            encoding="utf-8",
        )
        cpu_this = score_with(REPO, corpus_path, mine)
        cpu_base = score_with(args.baseline.resolve(), corpus_path, theirs)
        ours = mine.read_text(encoding="utf-8").splitlines()
        base = theirs.read_text(encoding="utf-8").splitlines()
    differing = [i for i, (a, b) in enumerate(zip(ours, base, strict=True)) if a != b]
    print(
        f"{len(items):,} items scored and fingerprinted by both checkouts; "
        f"{len(differing)} differ (CPU scoring {cpu_this['cpu']:.1f} s this checkout, "
        f"{cpu_base['cpu']:.1f} s baseline; fingerprints {cpu_this['cpu_prints']:.1f} s, "
        f"{cpu_base['cpu_prints']:.1f} s)"
    )
    for i in differing[: args.show]:
        print(f"item {i}: {items[i]!r}\n  this:     {ours[i]}\n  baseline: {base[i]}")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
