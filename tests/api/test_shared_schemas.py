"""The API's views share one instance of each schema class (`api_spec.SchemaSharingBlueprint`).

flask-smorest would build one per decorator and deep-copy it with the view's documentation at
each decorator and per method: ~230 instances of ~77 classes, ~0.7 MiB of every worker. The
document must not change (bench/compare_routes.py compares it with a checkout's).
"""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

from testimonials.api_spec import shared_schema
from testimonials.curation import schemas as curation_schemas

_COUNT_SCHEMAS = """
import gc
from collections import Counter

import marshmallow
from testimonials import create_app

app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "s", "ENV": "development"})
counts = Counter(type(o).__name__ for o in gc.get_objects() if isinstance(o, marshmallow.Schema))
name, most = counts.most_common(1)[0]
print(name, most, sum(counts.values()), len(counts))
"""


def test_one_instance_per_schema_class_and_copies_are_the_instance() -> None:
    schema = shared_schema(curation_schemas.TestimonialSchema)

    assert shared_schema(curation_schemas.TestimonialSchema) is schema
    assert copy.deepcopy({"schema": schema})["schema"] is schema


def test_a_built_app_holds_about_one_instance_of_each_schema_class() -> None:
    run = subprocess.run(
        [sys.executable, "-c", _COUNT_SCHEMAS],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    name, most, instances, classes = run.stdout.split()
    # A view may build its own instance (`many=True`); its documentation is then copied.
    assert int(most) <= 3, f"{most} instances of {name}"
    assert int(instances) <= int(classes) + 10, f"{instances} instances of {classes} classes"
