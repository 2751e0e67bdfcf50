import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def _run_cli(stdin: str, *args: str) -> list[dict]:
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    result = subprocess.run(
        [sys.executable, "-m", "testimonials.scoring", *args],
        input=stdin.encode("utf-8"),
        capture_output=True,
        cwd=REPO,
        env=env,
        timeout=60,
        check=True,
    )
    return [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]


def test_cli_keeps_order_and_reports_bad_lines_without_stopping() -> None:
    lines = [
        json.dumps({"text": "Great product!"}),
        "{not json",
        json.dumps({"text": "Cut our close from 9 days to 4 with Ledgerly.", "rating": 5}),
        json.dumps({"rating": 3}),
        json.dumps({"text": 42}),
        json.dumps({"text": "ok", "rating": 6}),
        json.dumps({"text": "ok", "nps": -1}),
        "",
        json.dumps({"text": "Absolutely love it, amazing and excellent!", "nps": 0}),
        json.dumps(["text"]),
        json.dumps({"text": "Trägt sich gut, 2 Wochen Akku. 👍", "rating": 4.0}),
    ]
    out = _run_cli("\n".join(lines) + "\n")
    assert len(out) == len(lines)
    errors = [i for i, record in enumerate(out) if "error" in record]
    assert errors == [1, 3, 4, 5, 6, 7, 9]
    assert all(isinstance(out[i]["error"], str) and out[i]["error"] for i in errors)
    assert "rating" in out[5]["error"]
    for i in (0, 2, 8, 10):
        assert set(out[i]) == {"specificity", "suspicion", "reasons", "excerpt"}
        assert 0 <= out[i]["specificity"] <= 1 and 0 <= out[i]["suspicion"] <= 1
        assert all(set(r) == {"code", "message"} for r in out[i]["reasons"])
    assert out[0]["specificity"] < out[2]["specificity"]
    assert "nps_mismatch" in {r["code"] for r in out[8]["reasons"]}
    assert out[10]["excerpt"] == "Trägt sich gut, 2 Wochen Akku. 👍"


def test_cli_scores_each_line_alone_unless_asked_for_workspace_history() -> None:
    text = json.dumps({"text": "Priya from support imported our 3,000 records in an hour."})
    alone = _run_cli(f"{text}\n{text}\n")
    assert alone[0] == alone[1]
    history = _run_cli(f"{text}\n{text}\n", "--workspace-history")
    assert "exact_duplicate" not in {r["code"] for r in history[0]["reasons"]}
    assert "exact_duplicate" in {r["code"] for r in history[1]["reasons"]}
