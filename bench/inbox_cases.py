"""The inbox views bench_inbox.py times: the filters, sorts and searches marketers use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from testimonials.curation.inbox import InboxFilters
from testimonials.curation.models import Status
from testimonials.harvest.models import Channel, NpsGroup


@dataclass(frozen=True)
class Case:
    """One inbox view: its filters, which page, and the same view as a query string."""

    name: str
    filters: InboxFilters
    query: str
    last_page: bool = False


def cases(tag_id: int) -> list[Case]:
    """The filters marketers use every day."""
    since, until = date(2026, 1, 1), date(2026, 3, 31)
    return [
        Case("default (pending, by rank)", InboxFilters(), ""),
        Case(
            "channel + NPS group",
            InboxFilters(channel=Channel.HOSTED_SURVEY, group=NpsGroup.PROMOTER),
            "channel=hosted_survey&group=promoter",
        ),
        Case("tag", InboxFilters(tag_id=tag_id), f"tag={tag_id}"),
        Case(
            "language + date range",
            InboxFilters(language="de", received_from=since, received_to=until),
            f"language=de&from={since}&to={until}",
        ),
        Case("flagged", InboxFilters(flagged=True), "flagged=yes"),
        Case("source", InboxFilters(source="G2"), "source=G2"),
        Case("approved", InboxFilters(status=Status.APPROVED), "status=approved"),
        Case("rating 5, oldest", InboxFilters(rating=5, sort="oldest"), "rating=5&sort=oldest"),
        Case("text search", InboxFilters(search="onboarding"), "q=onboarding"),
        Case("text search, two words", InboxFilters(search="support minutes"), "q=support+minutes"),
        Case("text search, Japanese", InboxFilters(search="予約の管理"), "q=予約の管理"),
        # Words of one or two characters (no trigram), common and absent: Han, Thai.
        Case("text search, 2 kanji", InboxFilters(search="予約"), "q=予約"),
        Case("text search, 1 kana", InboxFilters(search="で"), "q=で"),
        Case("text search, 2 kanji, last page", InboxFilters(search="予約"), "q=予約", True),
        # The deepest pages of a word in a script of short words, longer than a gram and one.
        Case(
            "text search, Japanese, last page",
            InboxFilters(search="予約の管理"),
            "q=予約の管理",
            True,
        ),
        Case("text search, 1 kana, last page", InboxFilters(search="で"), "q=で", True),
        Case("text search, 2 hanzi, none", InboxFilters(search="客服"), "q=客服"),
        Case("text search, 2 Thai, none", InboxFilters(search="ดี"), "q=ดี"),
        Case("text search, no match", InboxFilters(search="zanzibar"), "q=zanzibar"),
        Case("text search, two letters", InboxFilters(search="up"), "q=up"),
        Case("last page (default)", InboxFilters(), "", last_page=True),
        Case(
            "all statuses, newest",
            InboxFilters(status=None, sort="newest"),
            "status=all&sort=newest",
        ),
    ]
