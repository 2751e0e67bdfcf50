"""Check that this checkout serves another checkout's routes and OpenAPI document, to the byte.

Run: python bench/compare_routes.py --baseline CHECKOUT   (exit status 1 on any difference)

A change to how the app is built (what it loads, when, how views share their schemas) must
not move a route or a word of the document. Each checkout builds its app in a fresh process
and prints every URL rule (rule, methods, endpoint) and `GET /api/v1/openapi.json`; the two
are compared line by line.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

_DUMP = """
import json, sys
sys.path.insert(0, sys.argv[1])
from testimonials import create_app

app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "s", "ENV": "development"})
for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
    print("rule", rule.rule, sorted(rule.methods or ()), rule.endpoint)
document = app.test_client().get("/api/v1/openapi.json").get_json()
print(json.dumps(document, indent=1, sort_keys=False))
"""


def dump(checkout: Path) -> list[str]:
    """The checkout's URL rules and OpenAPI document, as lines."""
    run = subprocess.run(
        [sys.executable, "-c", _DUMP, str(checkout)],
        capture_output=True,
        text=True,
        cwd=checkout,
        check=True,
    )
    return run.stdout.splitlines()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, required=True, help="another checkout")
    args = parser.parse_args()
    before, after = dump(args.baseline.resolve()), dump(REPO)
    for label, lines in (("baseline", before), ("this checkout", after)):
        rules = sum(line.startswith("rule ") for line in lines)
        digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]
        print(f"{label:14} {rules} URL rules, {len(lines) - rules} document lines, {digest}")
    difference = list(
        difflib.unified_diff(before, after, "baseline", "this checkout", n=1, lineterm="")
    )
    print("\n".join(difference[:200]) if difference else "identical")
    sys.exit(1 if difference else 0)


if __name__ == "__main__":
    main()
