"""Shared set-up of the import tests: a CSV file in several scripts, and an upload."""

from __future__ import annotations

import io
from typing import Any

from flask.testing import FlaskClient

from tests.conftest import Tenant

KHMER = "សេវាកម្មល្អណាស់ ខ្ញុំពេញចិត្តខ្លាំង"
LAO = "ບໍລິການດີຫຼາຍ ຂອບໃຈ"
ARABIC = "خدمة ممتازة وسريعة، شكراً لكم"
EMOJI = "Loved it 😍🎉 — will come back 👍🏽"

CSV_FILE = (
    "Review,Stars,Name,Date,ID\r\n"
    f'"{KHMER}",5,Sokha,2024-03-01,r1\r\n'
    f'"{LAO}",4,Noy,2024-03-02,r2\r\n'
    f'"{ARABIC}",5,Layla,2024-03-03T10:00:00Z,r3\r\n'
    f'"{EMOJI}",5,Sam,,r4\r\n'
    '"Stars out of range",9,Bad,2024-03-04,r5\r\n'
    ",3,NoText,2024-03-05,r6\r\n"
    '"Bad date",4,Ann,31/31/2024,r7\r\n'
    '"Ragged row",4,Ann,2024-03-06,r8,extra\r\n'
).encode()


def upload(
    client: FlaskClient,
    tenant: Tenant,
    body: bytes,
    filename: str = "reviews.csv",
    **fields: str,
) -> Any:
    data: dict[str, Any] = {"file": (io.BytesIO(body), filename), "source_name": "Trustpilot"}
    data.update(fields)
    return client.post(
        "/api/v1/imports",
        data=data,
        headers=tenant.headers("write"),
        content_type="multipart/form-data",
    )
