"""Bots and automated browsers, filtered the same way in both arms before any analysis.

A maintained list of crawler user agents (crawlerdetect) plus headless-browser signals:
a HeadlessChrome or PhantomJS agent, no Accept-Language (real browsers always send one),
or `navigator.webdriver` reported true by the page.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crawlerdetect import CrawlerDetect

HEADLESS_MARKERS = ("headlesschrome", "phantomjs", "slimerjs", "puppeteer", "playwright")


def is_automated(user_agent: str, accept_language: str, webdriver: bool = False) -> bool:
    """True when the request comes from a crawler or an automated browser."""
    agent = user_agent.strip()
    if not agent or webdriver or not accept_language.strip():
        return True
    return _is_automated_agent(agent)


@lru_cache(maxsize=1024)
def _is_automated_agent(agent: str) -> bool:
    # The crawler list is a regex of hundreds of alternatives (~100 us an agent); the
    # agents a site sees are few, and the beacon endpoint meets each of them many times.
    if any(marker in agent.lower() for marker in HEADLESS_MARKERS):
        return True
    return _crawlers().is_crawler(agent)


@cache
def _crawlers() -> CrawlerDetect:
    # Built on the first agent to check: its patterns hold ~1 MB, which a web worker that
    # serves no visitor's page or beacon never needs.
    from crawlerdetect import CrawlerDetect

    return CrawlerDetect()
