"""Random review texts and near copies of them, for the near-duplicate tests."""

from __future__ import annotations

import random

WORDS = """booking clinic nurse Dana front desk refund invoice export dashboard report
    onboarding call week month hour minutes saved lost team support answered quickly slowly
    reminder schedule patient doctor price plan upgrade mobile app crash fixed Lyon Porto
    lamp box shipping dented arrived helpful friendly honest clear simple""".split()  # noqa: SIM905


def review(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 40))) + "."


def variant(rng: random.Random, original: str, changes: int) -> str:
    words = original.split()
    for _ in range(changes):
        words[rng.randrange(len(words))] = rng.choice(["Zanzibar", "Oslo", "Kenji", "42"])
    return " ".join(words)
