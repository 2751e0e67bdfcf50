"""`python -m testimonials.stats < in.jsonl > out.jsonl`: lift verdicts, one line per line.

Each input line is a JSON object
    {"control": {"units": int, "conversions": int},
     "treatment": {"units": int, "conversions": int},
     "method": "frequentist" | "sequential" | "bayesian",   (default "frequentist")
     "alpha": float,                                          (default 0.05)
     "sequential_tuning": int,                                (N*, default 5000)
     "control_share": float}                                  (default 0.5)
and gives, on the same output line number,
    {"relative_lift": float, "ci": [low, high], "p_value": float | null,
     "chance_to_win": float | null, "srm_p_value": float}
plus "warning" when the lift is undefined (the numbers are then gbstats' uninformative
defaults). A line that cannot be read gives {"error": "..."} and the run goes on. No
database, no network: plain numbers in, plain numbers out.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterable, Iterator
from typing import IO, Any

from .bayesian import bayesian_test
from .lift import LiftResult, fixed_horizon_test
from .sequential import DEFAULT_TUNING, sequential_test
from .srm import check_sample_ratio, checked_share
from .summaries import Conversions

METHODS = ("frequentist", "sequential", "bayesian")


def _arm(line: dict[str, Any], name: str) -> Conversions:
    arm = line.get(name)
    if arm is None:
        raise ValueError(f'missing "{name}": give {{"units": int, "conversions": int}}')
    if not isinstance(arm, dict):
        raise ValueError(f'"{name}" must be an object with "units" and "conversions"')
    for key in ("units", "conversions"):
        if key not in arm:
            raise ValueError(f'missing "{name}.{key}"')
    try:
        counts = Conversions(arm["units"], arm["conversions"])
    except ValueError as error:
        raise ValueError(f"{name}: {error}") from None
    if counts.units == 0:
        raise ValueError(f"{name}: units must be at least 1; an arm without units has no rate")
    return counts


def analyse_line(line: object) -> dict[str, Any]:
    """The output object for one parsed input object; raises ValueError for bad input."""
    if not isinstance(line, dict):
        raise ValueError("each line must be a JSON object")
    control, treatment = _arm(line, "control"), _arm(line, "treatment")
    method = line.get("method", "frequentist")
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    alpha = line.get("alpha", 0.05)
    share = checked_share(line.get("control_share", 0.5))
    result: LiftResult
    if method == "sequential":
        tuning = line.get("sequential_tuning", DEFAULT_TUNING)
        result = sequential_test(control, treatment, alpha, tuning)
    elif method == "bayesian":
        result = bayesian_test(control, treatment, alpha)
    else:
        result = fixed_horizon_test(control, treatment, alpha)
    srm = check_sample_ratio(control.units, treatment.units, share)
    out: dict[str, Any] = {
        "relative_lift": result.relative_lift,
        "ci": [result.ci[0], result.ci[1]],
        "p_value": result.p_value,
        "chance_to_win": result.chance_to_win,
        "srm_p_value": srm.p_value,
    }
    numbers = [out["relative_lift"], *out["ci"], out["srm_p_value"]]
    numbers += [v for v in (out["p_value"], out["chance_to_win"]) if v is not None]
    if not all(math.isfinite(v) for v in numbers):
        raise ValueError("these counts are too extreme to give finite results")
    if result.undefined_reason:
        out["warning"] = result.undefined_reason
    return out


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def answer(raw: str) -> dict[str, Any]:
    """The output object for one raw input line; bad lines give {"error": ...}."""
    if not raw.strip():
        return {"error": "empty line: expected a JSON object"}
    try:
        line = json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as error:
        return {"error": f"not valid JSON: {error}"}
    try:
        return analyse_line(line)
    except (ValueError, TypeError, OverflowError) as error:
        return {"error": str(error)}


def answers(lines: Iterable[str]) -> Iterator[str]:
    """One JSON output line (without newline) per input line, in order."""
    for raw in lines:
        yield json.dumps(answer(raw.rstrip("\r\n")), allow_nan=False)


def main(stdin: IO[str] | None = None, stdout: IO[str] | None = None) -> int:
    """Read JSON lines from stdin, write one result line each to stdout; exit 0."""
    stdin = stdin if stdin is not None else sys.stdin
    stdout = stdout if stdout is not None else sys.stdout
    for line in answers(stdin):
        stdout.write(line + "\n")
    stdout.flush()
    return 0
