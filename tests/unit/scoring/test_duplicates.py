import json

from testimonials.scoring import (
    DuplicateIndex,
    ItemInput,
    Scorer,
    combine_suspicion,
    content_hash,
    minhash_signature,
)

ORIGINAL = (
    "The onboarding was smooth and Priya from support walked us through the CSV import "
    "of our 3,000 customer records in under an hour. Reporting is clear and fast."
)
TEMPLATED = (
    "The onboarding was smooth and Tom from support walked us through the CSV import "
    "of our 3,000 customer records in under an hour. Reporting is clear and fast!"
)
UNRELATED = "Shipping to Lyon took six days and the box arrived dented, but the lamp works."


def test_exact_duplicate_is_found_regardless_of_case_and_punctuation() -> None:
    index = DuplicateIndex()
    index.add("a", ORIGINAL)
    matches = index.query(ORIGINAL.upper().replace(".", " !"))
    assert [(m.item_id, m.exact) for m in matches] == [("a", True)]


def test_near_duplicate_template_is_found_and_unrelated_text_is_not() -> None:
    index = DuplicateIndex()
    index.add("a", ORIGINAL)
    index.add("b", UNRELATED)
    matches = index.query(TEMPLATED)
    assert [m.item_id for m in matches] == ["a"]
    assert not matches[0].exact
    assert matches[0].similarity >= 0.6
    assert index.query("Completely different words about a restaurant dinner in Rome.") == []


def test_index_rebuilds_from_stored_signatures() -> None:
    stored = json.loads(
        json.dumps(
            [
                {"id": 7, "signature": minhash_signature(ORIGINAL), "hash": content_hash(ORIGINAL)},
            ]
        )
    )
    index = DuplicateIndex.from_signatures((r["id"], r["signature"], r["hash"]) for r in stored)
    assert [m.item_id for m in index.query(TEMPLATED)] == [7]
    assert index.query(ORIGINAL, exclude=7) == []


def test_signatures_are_stable_plain_ints() -> None:
    signature = minhash_signature(ORIGINAL)
    assert signature == minhash_signature(ORIGINAL)
    assert all(isinstance(v, int) and 0 <= v < 2**32 for v in signature)
    assert minhash_signature("   ") == []


def test_duplicate_raises_suspicion_with_a_reason(scorer: Scorer) -> None:
    index = DuplicateIndex()
    index.add(1, ORIGINAL)
    score = scorer.score(ItemInput(ORIGINAL))
    combined = combine_suspicion(score, index.query(ORIGINAL), item_id=2)
    assert "exact_duplicate" in combined.reason_codes()
    assert combined.suspicion >= 0.8 > score.suspicion
    near = combine_suspicion(score, index.query(TEMPLATED), item_id=2)
    assert "near_duplicate" in near.reason_codes()
    assert combine_suspicion(score, []) == score


# The first two band keys of ORIGINAL, as stored since migration 0032.
PINNED_KEYS = [2487287771634231174, -8742831602237142431]


def test_band_keys_are_the_stored_ones_in_every_process() -> None:
    """Band keys are stored in the database: the same in every process, whatever its hash
    seed, and the same as when they were first written (a change would silently stop finding
    every duplicate of the items stored before it)."""
    import os
    import subprocess
    import sys

    from testimonials.scoring.duplicates import BANDS, band_keys

    signature = minhash_signature(ORIGINAL)
    keys_here = band_keys(signature)
    assert len(keys_here) == BANDS and all(-(2**63) <= key < 2**63 for key in keys_here)
    assert keys_here[:2] == PINNED_KEYS
    program = (
        "import json, sys; from testimonials.scoring.duplicates import band_keys; "
        "print(json.dumps(band_keys(json.loads(sys.argv[1]))))"
    )
    keys = {
        json.dumps(keys_here),
        *(
            subprocess.run(
                [sys.executable, "-c", program, json.dumps(signature)],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "PYTHONHASHSEED": seed},
            ).stdout.strip()
            for seed in ("1", "2")
        ),
    }
    assert len(keys) == 1


def test_signature_arithmetic_equals_the_modulo_it_replaces() -> None:
    """The Mersenne reduction gives (a x + b) % (2**61 - 1) exactly, extremes included."""
    import numpy as np

    from testimonials.scoring import duplicates

    rng = np.random.default_rng(5)
    values = np.concatenate(
        [
            np.array([0, 1, 2**31, 2**32 - 2, 2**32 - 1], dtype=np.uint64),
            rng.integers(0, 2**32, size=2000, dtype=np.uint64),
        ]
    )
    expected = (duplicates._A * values[:, None] + duplicates._B) % duplicates._MERSENNE
    assert (duplicates._permuted(values) == (expected & np.uint64(0xFFFFFFFF))).all()


def test_fingerprints_of_many_texts_are_those_of_each_text_alone() -> None:
    from testimonials.scoring.duplicates import (
        band_keys,
        content_hash,
        fingerprints,
        fingerprints_and_band_keys,
    )

    # More texts than one numpy pass takes, ASCII and not (accents, scripts without spaces,
    # a dotted capital I that lower-cases to two characters), short and empty.
    texts = [
        f"{ORIGINAL} Visit {i}: Ünïcödé café İstanbul 東京 {i * 7}."
        if i % 3
        else f"{UNRELATED} {i}"
        for i in range(75)
    ] + ["", "   ", "one", "two words", "ÉTÉ", "ok ok ok ok"]
    assert fingerprints(texts) == [(content_hash(t), minhash_signature(t)) for t in texts]
    # With their band keys, from the same arrays: each signature's own ([] without words).
    known, keys = fingerprints_and_band_keys(texts)
    assert known == fingerprints(texts)
    assert keys == [band_keys(signature) for _hash, signature in known]
