"""The plain-language verdict a marketer reads, which never claims more than the data shows.

In order of precedence:
1. a sample-ratio mismatch blocks every other statement (the data is broken);
2. below MIN_CONVERSIONS conversions in either arm there is "not enough data yet": the
   large-sample approximations behind every interval here are unreliable with a handful
   of conversions, and in simulation most false alarms of the always-valid test come from
   the first days' single-digit counts (see docs/measurement.md);
3. an undefined lift says why;
4. otherwise the interval speaks: "lift between +3% and +21%", "loss between ...", or
   "no detectable difference (between -4% and +6%)".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .lift import LiftResult
from .srm import SrmCheck

MIN_CONVERSIONS = 30

VerdictKind = Literal[
    "sample_ratio_mismatch", "not_enough_data", "undefined", "lift", "loss", "no_difference"
]


@dataclass(frozen=True)
class Verdict:
    """What can honestly be said: a kind for code and translation, and the English words."""

    kind: VerdictKind
    message: str
    interval: tuple[float, float] | None = None  # relative lift, when the kind quotes one


def _percent(x: float) -> str:
    return f"{x:+.0%}" if abs(x) >= 0.095 else f"{x:+.1%}"


def lift_verdict(
    result: LiftResult,
    srm: SrmCheck,
    control_conversions: int,
    treatment_conversions: int,
    min_conversions: int = MIN_CONVERSIONS,
) -> Verdict:
    """The verdict on one experiment's lift, given its test result and SRM check."""
    if srm.mismatch:
        return Verdict("sample_ratio_mismatch", srm.diagnostic or "Sample ratio mismatch.")
    fewest = min(control_conversions, treatment_conversions)
    if fewest < min_conversions:
        return Verdict(
            "not_enough_data",
            f"Not enough data yet: each arm needs at least {min_conversions} conversions "
            f"before the lift can be judged (the smaller arm has {fewest}).",
        )
    if result.undefined_reason:
        return Verdict("undefined", result.undefined_reason)
    low, high = result.ci
    span = f"between {_percent(low)} and {_percent(high)}"
    level = f"{1 - result.alpha:.0%}"
    if low > 0:
        return Verdict("lift", f"Lift {span} ({level} interval).", (low, high))
    if high < 0:
        return Verdict("loss", f"Loss: conversions changed {span} ({level} interval).", (low, high))
    return Verdict(
        "no_difference",
        f"No detectable difference: the change is {span} ({level} interval).",
        (low, high),
    )
