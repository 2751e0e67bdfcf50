"""Bursts: many testimonials in a short window from one IP, e-mail domain, device or source."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

# Big webmail providers are shared by millions of honest customers: a burst from gmail.com
# says nothing about the sender, so those domains are never grouped.
COMMON_EMAIL_DOMAINS = frozenset(
    """gmail.com googlemail.com yahoo.com hotmail.com outlook.com live.com msn.com icloud.com
    me.com aol.com gmx.de gmx.net web.de proton.me protonmail.com mail.ru yandex.ru qq.com
    163.com yahoo.co.uk hotmail.co.uk orange.fr free.fr""".split()  # noqa: SIM905
)
BURST_KEYS = ("ip", "email_domain", "device", "source")


@dataclass(frozen=True, slots=True)
class SubmissionRecord:
    """When and from where one testimonial arrived (all origin fields optional)."""

    item_id: Hashable
    received_at: datetime
    ip: str | None = None
    email_domain: str | None = None
    device: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class BurstFinding:
    """A group of items that arrived together from one origin."""

    key: str
    value: str
    item_ids: tuple[Hashable, ...]
    start: datetime
    end: datetime

    @property
    def size(self) -> int:
        """Number of items in the burst."""
        return len(self.item_ids)


def detect_bursts(
    records: Iterable[SubmissionRecord],
    window: timedelta = timedelta(hours=1),
    threshold: int = 5,
    keys: tuple[str, ...] = BURST_KEYS,
) -> list[BurstFinding]:
    """Find origins with >= `threshold` items inside any `window`; one finding per maximal run."""
    if threshold < 2:
        raise ValueError("threshold must be at least 2")
    groups: dict[tuple[str, str], list[SubmissionRecord]] = defaultdict(list)
    for record in records:
        for key in keys:
            value = getattr(record, key)
            if not value:
                continue
            value = str(value).strip().lower()
            if key == "email_domain" and value in COMMON_EMAIL_DOMAINS:
                continue
            groups[(key, value)].append(record)
    findings: list[BurstFinding] = []
    for (key, value), group in groups.items():
        if len(group) < threshold:
            continue
        group.sort(key=lambda r: (r.received_at, str(r.item_id)))
        findings.extend(_runs(key, value, group, window, threshold))
    findings.sort(key=lambda f: (f.start, f.key, f.value))
    return findings


def _runs(
    key: str, value: str, group: list[SubmissionRecord], window: timedelta, threshold: int
) -> list[BurstFinding]:
    # Two-pointer sweep: mark every record that sits in some window holding >= threshold
    # records, then merge overlapping marked stretches into maximal runs.
    in_burst = [False] * len(group)
    left = 0
    for right, record in enumerate(group):
        while record.received_at - group[left].received_at > window:
            left += 1
        if right - left + 1 >= threshold:
            for i in range(left, right + 1):
                in_burst[i] = True
    runs: list[BurstFinding] = []
    current: list[SubmissionRecord] = []
    for flagged, record in zip(in_burst, group, strict=True):
        if flagged and current and record.received_at - current[-1].received_at > window:
            runs.append(_finding(key, value, current))
            current = []
        if flagged:
            current.append(record)
        elif current:
            runs.append(_finding(key, value, current))
            current = []
    if current:
        runs.append(_finding(key, value, current))
    return runs


def _finding(key: str, value: str, run: list[SubmissionRecord]) -> BurstFinding:
    return BurstFinding(
        key=key,
        value=value,
        item_ids=tuple(r.item_id for r in run),
        start=run[0].received_at,
        end=run[-1].received_at,
    )
