"""Combine a single-item score with workspace findings (duplicates, bursts)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import replace

from .bursts import BurstFinding
from .duplicates import DuplicateMatch
from .items import Reason, Score

_BURST_LABELS = {
    "ip": "IP address",
    "email_domain": "e-mail domain",
    "device": "device",
    "source": "source",
}


def combine_suspicion(
    score: Score,
    duplicate_matches: Sequence[DuplicateMatch] = (),
    burst_findings: Sequence[BurstFinding] = (),
    item_id: Hashable | None = None,
) -> Score:
    """Return `score` with suspicion and reasons raised by duplicate and burst findings."""
    extra: list[Reason] = []
    exact = [m for m in duplicate_matches if m.exact and m.item_id != item_id]
    near = [m for m in duplicate_matches if not m.exact and m.item_id != item_id]
    if exact:
        extra.append(
            Reason("exact_duplicate", _duplicate_message("repeats", exact), 0.8, "suspicion")
        )
    elif near:
        best = max(m.similarity for m in near)
        extra.append(
            Reason(
                "near_duplicate",
                _duplicate_message("closely matches", near),
                round(min(0.75, 0.3 + 0.5 * best), 3),
                "suspicion",
            )
        )
    for finding in burst_findings:
        if item_id is not None and item_id not in finding.item_ids:
            continue
        label = _BURST_LABELS.get(finding.key, finding.key)
        extra.append(
            Reason(
                "burst",
                f"one of {finding.size} items from the same {label} within a short time",
                round(min(0.6, 0.1 * finding.size), 3),
                "suspicion",
            )
        )
    if not extra:
        return score
    keep = 1.0 - score.suspicion
    for reason in extra:
        keep *= 1.0 - reason.weight
    suspicion_reasons = sorted(
        [r for r in score.reasons if r.kind == "suspicion"] + extra, key=lambda r: -r.weight
    )
    other = [r for r in score.reasons if r.kind != "suspicion"]
    return replace(score, suspicion=round(1.0 - keep, 4), reasons=tuple(suspicion_reasons + other))


def _duplicate_message(verb: str, matches: Sequence[DuplicateMatch]) -> str:
    count = len(matches)
    return f"{verb} {count} earlier testimonial{'s' if count > 1 else ''} in this workspace"
