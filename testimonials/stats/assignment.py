"""Deterministic assignment of a unit to an arm, bucket for bucket the same as GrowthBook.

GrowthBook hashes with 32-bit FNV-1a over the string's UTF-16 code units (what JavaScript's
charCodeAt walks), offset basis 0x811C9DC5 and prime 0x01000193. Its version 2 hash is
fnv1a32(str(fnv1a32(seed + unit))) % 10000 / 10000 (the double hash fixes the bias of
version 1, fnv1a32(unit + seed) % 1000 / 1000). The experiment key is the seed. Arm i owns
[start_i, start_i + coverage w_i) where start_i is the sum of the earlier weights, and a
unit falls in the arm whose range holds its hash, or in none (outside the coverage).
"""

from __future__ import annotations

from collections.abc import Sequence

FNV_OFFSET_BASIS = 0x811C9DC5
FNV_PRIME = 0x01000193
HOLDOUT, TREATMENT = "holdout", "treatment"


def fnv1a32(text: str) -> int:
    """32-bit FNV-1a of `text`'s UTF-16 code units."""
    value = FNV_OFFSET_BASIS
    if text.isascii():
        units: Sequence[int] = text.encode("ascii")
    else:
        raw = text.encode("utf-16-le", "surrogatepass")
        units = [raw[i] | raw[i + 1] << 8 for i in range(0, len(raw), 2)]
    for unit in units:
        value = ((value ^ unit) * FNV_PRIME) & 0xFFFFFFFF
    return value


def bucket(seed: str, unit: str, version: int = 2) -> float:
    """GrowthBook's hash of `unit` under `seed`, a number in [0, 1)."""
    if version == 2:
        return fnv1a32(str(fnv1a32(seed + unit))) % 10000 / 10000
    if version == 1:
        return fnv1a32(unit + seed) % 1000 / 1000
    raise ValueError("hash version must be 1 or 2")


def bucket_ranges(weights: Sequence[float], coverage: float = 1.0) -> list[tuple[float, float]]:
    """The [start, end) hash range of each arm for these weights (summing to 1)."""
    if not weights or any(w < 0 for w in weights) or abs(sum(weights) - 1) > 0.01:
        raise ValueError("arm weights must be non-negative and add up to 1")
    coverage = min(1.0, max(0.0, coverage))
    ranges, start = [], 0.0
    for weight in weights:
        ranges.append((start, start + coverage * weight))
        start += weight
    return ranges


def choose_arm(hash_value: float, ranges: Sequence[tuple[float, float]]) -> int:
    """Index of the arm whose range holds `hash_value`, or -1 when none does."""
    for index, (start, end) in enumerate(ranges):
        if start <= hash_value < end:
            return index
    return -1


def assign_arm(experiment_key: str, unit: str, holdout_share: float = 0.2) -> str:
    """'holdout' or 'treatment' for `unit`: arm 0 is the holdout, as GrowthBook's control."""
    if not 0 < holdout_share < 1:
        raise ValueError("the holdout share must be strictly between 0 and 1")
    ranges = bucket_ranges([holdout_share, 1 - holdout_share])
    return HOLDOUT if choose_arm(bucket(experiment_key, unit), ranges) == 0 else TREATMENT
