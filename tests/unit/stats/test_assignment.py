"""Assignment buckets equal GrowthBook's SDK, unit for unit, and split as configured."""

from __future__ import annotations

import pytest

from testimonials.stats.assignment import (
    HOLDOUT,
    assign_arm,
    bucket,
    bucket_ranges,
    choose_arm,
    fnv1a32,
)

growthbook_core = pytest.importorskip("growthbook.core")


def test_fnv1a32_known_vectors() -> None:
    # The published FNV-1a 32-bit test vectors.
    assert fnv1a32("") == 0x811C9DC5
    assert fnv1a32("a") == 0xE40C292C
    assert fnv1a32("foobar") == 0xBF9CF968


IDS = (
    [f"visitor-{i}" for i in range(20_000)]
    + [f"{i:032x}" for i in range(0, 10**12, 10**8)]
    + ["", "ត្រូវការ", "ສະບາຍດີ", "über", "😀-emoji", "\ud83d lone surrogate"]
)


def test_every_bucket_equals_growthbooks_sdk_for_both_hash_versions() -> None:
    for seed in ("exp-hero-widget", "", "ສະບາຍດີ"):
        for unit in IDS:
            assert fnv1a32(seed + unit) == growthbook_core.fnv1a32(seed + unit)
            assert bucket(seed, unit, 2) == growthbook_core.gbhash(seed, unit, 2)
        for unit in IDS[:2000]:
            assert bucket(seed, unit, 1) == growthbook_core.gbhash(seed, unit, 1)


@pytest.mark.parametrize(
    ("weights", "coverage"), [([0.2, 0.8], 1), ([0.5, 0.5], 0.6), ([0.1, 0.3, 0.6], 1)]
)
def test_arm_choice_equals_growthbooks_sdk(weights, coverage) -> None:
    ours = bucket_ranges(weights, coverage)
    assert ours == growthbook_core.getBucketRanges(len(weights), coverage, weights)
    for unit in IDS[:5000]:
        n = bucket("exp", unit)
        assert choose_arm(n, ours) == growthbook_core.chooseVariation(n, ours)


def test_holdout_share_is_respected_and_assignment_is_stable() -> None:
    arms = [assign_arm("exp-footer", f"v{i}", 0.2) for i in range(50_000)]
    share = arms.count(HOLDOUT) / len(arms)
    assert abs(share - 0.2) < 0.006  # 3 standard errors at n = 50,000
    assert arms[:100] == [assign_arm("exp-footer", f"v{i}", 0.2) for i in range(100)]
    with pytest.raises(ValueError, match="holdout share"):
        assign_arm("exp", "v", 1.0)
    with pytest.raises(ValueError, match="add up to 1"):
        bucket_ranges([0.5, 0.6])
