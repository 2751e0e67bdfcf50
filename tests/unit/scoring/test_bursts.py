from datetime import UTC, datetime, timedelta

from testimonials.scoring import (
    ItemInput,
    Scorer,
    SubmissionRecord,
    combine_suspicion,
    detect_bursts,
)

START = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def _records(n: int, spacing: timedelta, **origin: str) -> list[SubmissionRecord]:
    return [SubmissionRecord(f"{origin}-{i}", START + i * spacing, **origin) for i in range(n)]


def test_many_items_from_one_ip_in_minutes_are_a_burst() -> None:
    records = _records(6, timedelta(minutes=2), ip="203.0.113.9")
    records += _records(6, timedelta(days=1), ip="198.51.100.1")  # steady customer traffic
    findings = detect_bursts(records, window=timedelta(hours=1), threshold=5)
    assert [(f.key, f.value, f.size) for f in findings] == [("ip", "203.0.113.9", 6)]


def test_webmail_domains_are_never_grouped() -> None:
    records = _records(20, timedelta(seconds=30), email_domain="gmail.com")
    assert detect_bursts(records, threshold=5) == []


def test_below_threshold_is_not_a_burst() -> None:
    assert detect_bursts(_records(4, timedelta(minutes=1), device="abc"), threshold=5) == []


def test_two_separate_bursts_are_reported_separately() -> None:
    first = _records(5, timedelta(minutes=1), source="import")
    later = [
        SubmissionRecord(f"late-{i}", START + timedelta(days=2, minutes=i), source="import")
        for i in range(5)
    ]
    findings = detect_bursts(first + later, window=timedelta(minutes=30), threshold=5)
    assert [f.size for f in findings] == [5, 5]


def test_burst_finding_raises_suspicion_of_its_items_only(scorer: Scorer) -> None:
    records = _records(8, timedelta(minutes=1), email_domain="cheap-reviews.biz")
    findings = detect_bursts(records, threshold=5)
    score = scorer.score(ItemInput("Nice shop."))
    inside = combine_suspicion(score, burst_findings=findings, item_id=records[0].item_id)
    outside = combine_suspicion(score, burst_findings=findings, item_id="someone-else")
    assert "burst" in inside.reason_codes() and inside.suspicion > score.suspicion
    assert outside == score
