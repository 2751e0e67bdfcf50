"""The seam between serving a widget's slot and measuring it (widgets and tracking are
siblings that never import each other).

Widgets ask, through the decider that tracking registers in `app.extensions`, whether a
widget's slot is under a running experiment (once per rendering, cached with it) and, for
such a widget, what this visitor's slot shows (per request). Without tracking every slot
shows the widget.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

EXTENSION = "slot_decider"


@dataclass(frozen=True)
class SlotPlan:
    """A widget whose slot is decided per visitor: its running experiment, as pages see it."""

    experiment: str  # the experiment's public key (what beacons name)
    randomise: bool  # treatment units see their own choice and order of testimonials
    goals: tuple[str, ...]  # goal URL patterns the loader matches on the page


@dataclass(frozen=True)
class SlotVisitor:
    """What the request says about its visitor (used to derive the unit, never stored)."""

    ip: str
    user_agent: str
    accept_language: str
    privacy_signal: bool
    automated_hint: bool = False  # the page said navigator.webdriver is true


@dataclass(frozen=True)
class SlotDecision:
    """What one visitor's slot shows: the arm, and the testimonials in display order."""

    arm: str  # 'holdout' | 'treatment'
    unit: str
    featured: tuple[int, ...]  # ids to show, in order (the plain order when not randomised)

    @property
    def render(self) -> bool:
        return self.arm != "holdout"


class SlotDecider(Protocol):
    """What tracking offers widgets."""

    def plan(self, session: Any, workspace_id: int, widget_key: str) -> SlotPlan | None:
        """The widget's running experiment, if any."""
        ...

    def decide(
        self,
        session: Any,
        workspace_id: int,
        plan: SlotPlan,
        visitor: SlotVisitor,
        pool: Sequence[int],
        shown: int,
        *,
        record: bool,
    ) -> SlotDecision | None:
        """This visitor's slot (recording the exposure when `record`); None: not running."""
        ...
