"""Simulate thousands of experiments to show the statistics keep their promises.

Run: python bench/simulate_stats.py [--quick]   (prints figures; not a timed test)

Targets (issue #12):
  * >= 10,000 A/B runs, baselines 1-5%, several true lifts, ratio metrics included:
    95% intervals cover the true relative lift 94-96% of the time;
  * A/A runs read daily for 30 days in sequential mode: false-positive rate <= 5%, beside
    the naive fixed-horizon test read the same way (the peeking baseline);
  * SRM false alarms ~ 0.1%;
  * assignment: 100% agreement with an independent FNV-1a on 10^6 ids, split within +-0.2%.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from testimonials.stats import (  # noqa: E402
    Conversions,
    Totals,
    bayesian_test,
    fixed_horizon_test,
    sequential_test,
    srm_p_value,
)
from testimonials.stats.assignment import assign_arm, bucket  # noqa: E402
from testimonials.stats.ratio import RatioTotals  # noqa: E402
from testimonials.stats.verdict import MIN_CONVERSIONS  # noqa: E402

BASELINES = (0.01, 0.02, 0.03, 0.04, 0.05)
LIFTS = (0.0, 0.05, 0.10, 0.20, 0.50)


def covered(ci: tuple[float, float], truth: float) -> bool:
    return ci[0] <= truth <= ci[1]


def conversion_coverage(runs: int, rng: np.random.Generator) -> dict[str, list[bool]]:
    """Binary conversions: does each method's 95% interval hold the true lift?"""
    hits: dict[str, list[bool]] = defaultdict(list)
    per_cell = runs // (len(BASELINES) * len(LIFTS))
    for base in BASELINES:
        for lift in LIFTS:
            units = rng.integers(20_000, 100_001, per_cell)
            c = rng.binomial(units, base)
            t = rng.binomial(units, base * (1 + lift))
            for n, cc, tt in zip(units.tolist(), c.tolist(), t.tolist(), strict=True):
                control, treatment = Conversions(n, cc), Conversions(n, tt)
                freq = fixed_horizon_test(control, treatment)
                hits["frequentist"].append(covered(freq.ci, lift))
                hits["sequential"].append(covered(sequential_test(control, treatment).ci, lift))
                hits["bayesian"].append(covered(bayesian_test(control, treatment).ci, lift))
                hits[f"frequentist base {base:.0%}"].append(covered(freq.ci, lift))
                hits[f"frequentist lift {lift:+.0%}"].append(covered(freq.ci, lift))
    return hits


def click_through_coverage(runs: int, rng: np.random.Generator) -> list[bool]:
    """Ratio metric: clicks / viewable impressions per visitor, correlated within visitor."""
    hits = []
    for _ in range(runs):
        ctr = rng.uniform(0.01, 0.05)
        lift = float(rng.choice(LIFTS))
        totals = []
        for rate in (ctr, ctr * (1 + lift)):
            viewables = rng.poisson(1.6, 4000).astype(float)
            clicks = rng.binomial(viewables.astype(int), rate).astype(float)
            totals.append(
                RatioTotals(
                    4000,
                    clicks.sum(),
                    (clicks**2).sum(),
                    viewables.sum(),
                    (viewables**2).sum(),
                    (clicks * viewables).sum(),
                )
            )
        hits.append(covered(fixed_horizon_test(*totals).ci, lift))
    return hits


def revenue_coverage(runs: int, rng: np.random.Generator) -> list[bool]:
    """Revenue per visitor with a fixed cap (same in both arms, so the true lift is known)."""
    cap = float(np.exp(4.0 + 0.8 * 2.326))  # the order value distribution's 99th percentile
    hits = []
    for _ in range(runs):
        base = float(rng.choice(BASELINES))
        lift = float(rng.choice(LIFTS))
        totals = []
        for rate in (base, base * (1 + lift)):
            buyers = rng.binomial(20_000, rate)
            values = np.minimum(rng.lognormal(4.0, 0.8, buyers), cap)
            totals.append(Totals(20_000, values.sum(), (values**2).sum()))
        hits.append(covered(fixed_horizon_test(*totals).ci, lift))
    return hits


def peeking_false_positives(runs: int, rng: np.random.Generator) -> tuple[float, ...]:
    """A/A tests read every day for 30 days: share ever declared significant."""
    sequential_fp = reported_fp = naive_fp = naive_end_fp = 0
    for _ in range(runs):
        base = float(rng.choice(BASELINES))
        daily = rng.poisson(600, (30, 2))
        conv = rng.binomial(daily, base)
        units, convs = daily.cumsum(axis=0).tolist(), conv.cumsum(axis=0).tolist()
        seq_hit = reported_hit = naive_hit = False
        for (n_c, n_t), (c_c, c_t) in zip(units, convs, strict=True):
            control, treatment = Conversions(n_c, c_c), Conversions(n_t, c_t)
            significant = sequential_test(control, treatment).significant
            seq_hit = seq_hit or significant
            # The report gives no verdict before each arm has MIN_CONVERSIONS conversions.
            reported_hit = reported_hit or (significant and min(c_c, c_t) >= MIN_CONVERSIONS)
            last = fixed_horizon_test(control, treatment).significant
            naive_hit = naive_hit or last
        sequential_fp += seq_hit
        reported_fp += reported_hit
        naive_fp += naive_hit
        naive_end_fp += last
    return tuple(x / runs for x in (sequential_fp, reported_fp, naive_fp, naive_end_fp))


def srm_false_alarms(runs: int, rng: np.random.Generator) -> tuple[float, int]:
    """Healthy splits (50/50 and 20/80) flagged as mismatched at p < 0.001."""
    alarms = 0
    shares = rng.choice([0.5, 0.2], runs)
    totals = rng.integers(1_000, 200_001, runs)
    control = rng.binomial(totals, shares)
    for share, n, c in zip(shares.tolist(), totals.tolist(), control.tolist(), strict=True):
        alarms += srm_p_value([c, n - c], [share, 1 - share]) < 0.001
    return alarms / runs, alarms


def reference_fnv1a32(text: str) -> int:
    """FNV-1a written independently: multiply by the prime as shifts and adds, per UTF-16 unit."""
    h = 2166136261
    for code in _units(text):
        h ^= code
        h = (h + (h << 1) + (h << 4) + (h << 7) + (h << 8) + (h << 24)) & 0xFFFFFFFF
    return h


def _units(text: str) -> list[int]:
    raw = memoryview(text.encode("utf-16-le", "surrogatepass")).cast("H")
    return raw.tolist() if sys.byteorder == "little" else [((u & 0xFF) << 8) | u >> 8 for u in raw]


def reference_bucket(seed: str, unit: str) -> float:
    return reference_fnv1a32(str(reference_fnv1a32(seed + unit))) % 10_000 / 10_000


def assignment_check(count: int) -> dict[str, object]:
    """Our buckets against the independent reference (and GrowthBook's SDK when installed)."""
    rnd = random.Random(2024)
    ids = [f"{rnd.getrandbits(64):016x}-{i}" for i in range(count)]
    ids[:4] = ["ត្រូវការ-1", "ສະບາຍດີ-2", "😀-3", "über-4"]
    started = time.perf_counter()
    ours = [bucket("exp-hero", u) for u in ids]
    elapsed = time.perf_counter() - started
    agree = sum(a == reference_bucket("exp-hero", u) for a, u in zip(ours, ids, strict=True))
    result: dict[str, object] = {"ids": count, "agree_reference": agree, "ours_s": elapsed}
    try:
        from growthbook.core import gbhash
    except ImportError:
        result["agree_sdk"] = "growthbook SDK not installed"
    else:
        sdk = sum(a == gbhash("exp-hero", u, 2) for a, u in zip(ours, ids, strict=True))
        result["agree_sdk"] = sdk
    for share in (0.2, 0.5):
        holdout = sum(assign_arm("exp-hero", u, share) == "holdout" for u in ids)
        result[f"holdout_share_{share:.0%}"] = holdout / count
    return result


def pct(hits: list[bool]) -> str:
    return f"{sum(hits) / len(hits):6.2%}  ({len(hits):,} runs)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the runs")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    rng = np.random.default_rng(20261204)
    started = time.perf_counter()

    print("95% interval coverage of the true relative lift (target 94-96%)")
    conv = conversion_coverage(10_000 // scale, rng)
    ctr = click_through_coverage(2_000 // scale, rng)
    rpv = revenue_coverage(2_000 // scale, rng)
    for key in sorted(conv, key=lambda k: (" " in k, k)):
        print(f"  conversions, {key:<28} {pct(conv[key])}")
    print(f"  click-through per viewable (ratio)        {pct(ctr)}")
    print(f"  revenue per visitor, capped at p99        {pct(rpv)}")
    all_freq = conv["frequentist"] + ctr + rpv
    print(f"  all fixed-horizon A/B runs                {pct(all_freq)}")

    print("\nA/A tests read daily for 30 days (false-positive rate, alpha = 0.05)")
    seq, reported, naive, end = peeking_false_positives(4_000 // scale, rng)
    print(
        f"  sequential as reported (>= {MIN_CONVERSIONS} conv./arm)  {reported:6.2%}   target <= 5%"
    )
    print(f"  sequential, raw from the first day        {seq:6.2%}")
    print(f"  naive fixed-horizon, peeking daily        {naive:6.2%}   baseline")
    print(f"  naive fixed-horizon, read once at day 30  {end:6.2%}   (the one look it is for)")

    print("\nSample-ratio mismatch on healthy splits (p < 0.001)")
    rate, alarms = srm_false_alarms(200_000 // scale, rng)
    print(
        f"  false alarms                              {rate:6.3%}   ({alarms} of "
        f"{200_000 // scale:,}; target ~0.1%)"
    )
    story = srm_p_value([9463, 7681], [1, 1])
    print(f"  9,463 vs 7,681 on a 50/50 test            p = {story:.1e} (blocked)")

    print("\nAssignment (GrowthBook v2 FNV-1a bucketing, seed = experiment key)")
    check = assignment_check(1_000_000 // scale)
    count = check["ids"]
    print(f"  ids bucketed                              {count:,} ({check['ours_s']:.1f} s)")
    print(f"  agree with independent FNV-1a reference   {check['agree_reference']:,} / {count:,}")
    sdk = check["agree_sdk"]
    sdk = f"{sdk:,} / {count:,}" if isinstance(sdk, int) else sdk
    print(f"  agree with GrowthBook's Python SDK        {sdk}")
    for share in (0.2, 0.5):
        seen = check[f"holdout_share_{share:.0%}"]
        print(
            f"  holdout share configured {share:.0%}, observed  {seen:.4%} "
            f"(off by {abs(seen - share):.3%}; target within 0.2%)"
        )
    print(f"\n({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
