"""`python -m testimonials.stats < in.jsonl > out.jsonl`, run as a real process."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from .gbstats_reference import EDGE_CASES, random_cases, reference


def run_stats(text: str) -> list[dict]:
    done = subprocess.run(
        [sys.executable, "-m", "testimonials.stats"],
        input=text,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stderr == ""
    return [json.loads(line) for line in done.stdout.splitlines()]


def line(control=(1000, 50), treatment=(1000, 65), **settings) -> str:
    body = {
        "control": {"units": control[0], "conversions": control[1]},
        "treatment": {"units": treatment[0], "conversions": treatment[1]},
        **settings,
    }
    return json.dumps(body)


def test_each_line_is_answered_in_order_and_equals_gbstats() -> None:
    cases = EDGE_CASES + random_cases(60, seed=99)
    methods = ["frequentist", "sequential", "bayesian"]
    lines, wanted = [], []
    for i, case in enumerate(cases):
        method = methods[i % 3]
        lines.append(
            line(
                (case.control_units, case.control_conversions),
                (case.treatment_units, case.treatment_conversions),
                method=method,
                alpha=case.alpha,
                sequential_tuning=case.tuning,
                control_share=case.control_share,
            )
        )
        wanted.append(reference(case, method))
    got = run_stats("\n".join(lines) + "\n")
    assert len(got) == len(cases)
    for out, want in zip(got, wanted, strict=True):
        assert set(out) - {"warning"} == set(want)
        for key in ("relative_lift", "p_value", "chance_to_win", "srm_p_value"):
            assert out[key] == (None if want[key] is None else pytest.approx(want[key], abs=1e-4))
        assert out["ci"] == pytest.approx(want["ci"], abs=1e-4)


def test_defaults_are_frequentist_alpha_05_and_a_50_50_split() -> None:
    [plain, explicit] = run_stats(
        line() + "\n" + line(method="frequentist", alpha=0.05, control_share=0.5) + "\n"
    )
    assert plain == explicit
    assert plain["chance_to_win"] is None and 0 < plain["p_value"] < 1
    assert plain["relative_lift"] == pytest.approx(0.3)


BAD_LINES = {
    "not json": "not valid JSON",
    "{": "not valid JSON",
    "": "empty line",
    "[1, 2]": "JSON object",
    '{"treatment": {"units": 10, "conversions": 1}}': 'missing "control"',
    '{"control": {"units": 10}, "treatment": {"units": 10, "conversions": 1}}': (
        "control.conversions"
    ),
    '{"control": [10, 1], "treatment": {"units": 10, "conversions": 1}}': "must be an object",
    line((-5, 1)): "must not be negative",
    line((10, -1)): "must not be negative",
    line((10, 11)): "cannot exceed units",
    line((0, 0)): "at least 1",
    line((100, 5), (0, 0)): "at least 1",
    line((True, 1)): "whole number",
    line((10, False)): "whole number",
    line((10.5, 1)): "whole number",
    line(("10", 1)): "whole number",
    line((10**30, 1)): "at most",
    line((10, 1)).replace("10", "1e400", 1): "whole number",
    line((10, 1)).replace("10", "NaN", 1): "not valid JSON",
    "1" * 5000: "not valid JSON",
    line(method="bayes"): "method must be one of",
    line(method=None): "method must be one of",
    line(alpha=0): "strictly between 0 and 1",
    line(alpha=1.5): "strictly between 0 and 1",
    line(alpha="0.05"): "between 0 and 1",
    line(alpha=True): "between 0 and 1",
    line(control_share=1): "control_share",
    line(control_share=-0.2): "control_share",
    line(method="sequential", sequential_tuning=0): "sequential_tuning",
    line(method="sequential", sequential_tuning=0.5): "sequential_tuning",
    line(method="sequential", sequential_tuning="5000"): "sequential_tuning",
    line(method="sequential", sequential_tuning=True): "sequential_tuning",
    line(method="sequential", sequential_tuning=10**40): "sequential_tuning",
}


def test_bad_lines_get_an_error_and_the_run_goes_on() -> None:
    bad = list(BAD_LINES)
    text = "\n".join([line(), *bad, line(method="bayesian")]) + "\n"
    got = run_stats(text)
    assert len(got) == len(bad) + 2
    assert "relative_lift" in got[0] and got[-1]["chance_to_win"] > 0.5
    for raw, out in zip(bad, got[1:-1], strict=True):
        assert list(out) == ["error"], raw
        assert BAD_LINES[raw] in out["error"], (raw, out)


def test_the_command_starts_fast_without_flask_or_a_database() -> None:
    probe = (
        "import sys, runpy, io; sys.stdin = io.StringIO('');"
        "runpy.run_module('testimonials.stats', run_name='__main__')"
    )
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", probe],
        capture_output=True,
        text=True,
        timeout=60,
    )
    imported = {row.rsplit("|", 1)[-1].strip() for row in done.stderr.splitlines()}
    for heavy in ("flask", "sqlalchemy", "scipy.stats", "pandas", "testimonials.app"):
        assert heavy not in imported
    started = time.perf_counter()
    run_stats(line(method="sequential") + "\n" + line(method="bayesian") + "\n")
    assert time.perf_counter() - started < 5
