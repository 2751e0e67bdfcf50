"""Benchmark share images: drawing a card cold against serving it from the cache.

Run:  python bench/bench_share_images.py [--runs 20] [--postgres URL]
(prints figures; not a timed test). The PostgreSQL database named is EMPTIED first (its
public schema is dropped and re-made by the migrations); it is also read from
TESTIMONIALS_BENCH_POSTGRES_URL. SQLite runs in a temporary file.

1. Drawing alone (no Flask, no database), per script, card and square: the first image in
   a fresh process (fonts loaded from disk), then the median of --runs "cold" draws, each
   with the text measurement cache emptied, as a new testimonial would be drawn.
2. Through the API, per database: GET /api/v1/testimonials/{id}/share-image?format=card
   when nothing is cached (drawn and stored), when cached (read from the database), and a
   revalidation with If-None-Match (304, nothing read or drawn). Median of --runs
   requests, each on a different testimonial for the cold case. Baseline: the cold request;
   the cached and 304 columns print how many times faster they are.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from on_databases import on_each_database  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from testimonials import create_app, migrate  # noqa: E402
from testimonials.accounts import services as accounts  # noqa: E402
from testimonials.accounts.models import Scope  # noqa: E402
from testimonials.curation.models import Status, Testimonial  # noqa: E402
from testimonials.db import database_for  # noqa: E402
from testimonials.harvest.models import Channel, ConsentState, FeedbackItem  # noqa: E402
from testimonials.widgets.share import fonts, text  # noqa: E402
from testimonials.widgets.share.render import (  # noqa: E402
    ShareContent,
    ShareFormat,
    render_share_image,
)

SAMPLES = {
    "English": (
        "en",
        "We cut onboarding from three weeks to four days. The import tool alone saved our "
        "ops team about 20 hours a month, and support answered every question within the hour.",
        "Dana Whitfield",
    ),
    "Khmer": (
        "km",
        "ក្រុមការងាររបស់យើងសន្សំពេលវេលាបានច្រើនណាស់ ចាប់តាំងពីយើងប្រើកម្មវិធីនេះ។ ការគាំទ្ររហ័សនិងស្និទ្ធស្នាល។",
        "សុខ ចាន់ថា",
    ),
    "Lao": ("lo", "ພວກເຮົາປະຫຍັດເວລາໄດ້ຫຼາຍ ນັບຕັ້ງແຕ່ໃຊ້ລະບົບນີ້. ທີມງານຊ່ວຍເຫຼືອດີຫຼາຍ.", "ສົມພອນ"),
    "Thai": ("th", "ทีมของเราประหยัดเวลาได้มากตั้งแต่เริ่มใช้ระบบนี้ การสนับสนุนรวดเร็วมาก", "สมชาย ใจดี"),
    "Arabic": (
        "ar",
        "وفّرنا أكثر من 20 ساعة شهريًا بفضل أداة الاستيراد، وكان فريق الدعم سريعًا.",
        "ليلى حداد",
    ),
    "Chinese": (
        "zh",
        "自从使用这个工具以来，我们的团队每个月节省了二十多个小时。客服回复非常及时！",
        "王小明",
    ),
    "Long English (cut)": (
        "en",
        " ".join(["The onboarding was smooth and the dashboards are useful every week."] * 12),
        "Alexandria Montgomery-Richardson",
    ),
}


def _median_ms(action: Callable[[], object], runs: int, before: Callable[[], None]) -> float:
    times = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bench_drawing(runs: int) -> None:
    """Drawing alone: first image in the process, then cold draws per script and format."""
    language, quote, name = SAMPLES["English"]
    content = ShareContent(
        quote, name, "Head of Operations", "Northwind", "Acme", language=language
    )
    start = time.perf_counter()
    render_share_image(content, ShareFormat.CARD)
    print(
        f"\nFirst card in a fresh process (fonts read from disk): "
        f"{(time.perf_counter() - start) * 1000:.0f} ms"
    )
    print(f"\nDrawing alone, median of {runs} cold draws (ms)")
    print(f"{'script':<20}{'card':>8}{'square':>8}{'PNG KB':>8}")
    for label, (language, quote, name) in SAMPLES.items():
        content = ShareContent(quote, name, "Manager", "Acme Co", "Acme", language=language)
        row = [
            _median_ms(
                lambda c=content, f=share_format: render_share_image(c, f),
                runs,
                text.run_width.cache_clear,
            )
            for share_format in ShareFormat
        ]
        size = len(render_share_image(content, ShareFormat.CARD)) / 1024
        print(f"{label:<20}{row[0]:>8.1f}{row[1]:>8.1f}{size:>8.0f}")


def _seed(session: Session, workspace_id: int, count: int) -> list[int]:
    _, quote, name = SAMPLES["English"]
    ids = []
    for n in range(count):
        item = FeedbackItem(
            workspace_id=workspace_id,
            channel=Channel.API.value,
            source_name="bench",
            external_id=f"bench-{n}",
            content_hash=f"{n:064d}",
            text=f"{quote} ({n})",
            author_name=name,
            author_role="Head of Operations",
            author_company="Northwind",
            language="en",
            consent_state=ConsentState.GRANTED.value,
            suspicion=0.05,
            specificity=0.8,
        )
        session.add(item)
        session.flush()
        testimonial = Testimonial(
            workspace_id=workspace_id, item_id=item.id, status=Status.APPROVED.value
        )
        session.add(testimonial)
        session.flush()
        ids.append(testimonial.id)
    session.commit()
    return ids


def bench_api(url: str, label: str, runs: int) -> None:
    """Cold, cached and revalidated requests for a card through the API, on one database."""
    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TESTING": True})
    session = database_for(app).sessionmaker()
    workspace = accounts.create_workspace(session, "Bench Co")
    key = accounts.create_api_key(session, workspace.id, "bench", Scope.READ)
    session.commit()
    ids = _seed(session, workspace.id, runs + 1)
    session.close()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {key.token}"}

    def get(tid: int, extra: dict[str, str] | None = None) -> object:
        response = client.get(
            f"/api/v1/testimonials/{tid}/share-image?format=card",
            headers={**headers, **(extra or {})},
        )
        assert response.status_code in (200, 304), response.get_data(as_text=True)
        return response

    get(ids[-1])  # warm the app, its fonts and the connection pool
    pending = iter(ids[:runs])
    cold = _median_ms(lambda: get(next(pending)), runs, text.run_width.cache_clear)
    cached = _median_ms(lambda: get(ids[0]), runs, lambda: None)
    etag = get(ids[0]).headers["ETag"].strip('"')  # type: ignore[attr-defined]
    revalidated = _median_ms(
        lambda: get(ids[0], {"If-None-Match": f'"{etag}"'}), runs, lambda: None
    )
    print(f"\n{label}: GET share-image, card, median of {runs} requests")
    print(f"{'case':<34}{'ms':>8}{'vs cold':>10}")
    print(f"{'cold (drawn and stored; baseline)':<34}{cold:>8.1f}{'1.0x':>10}")
    print(f"{'cached (read from the database)':<34}{cached:>8.1f}{cold / cached:>9.1f}x")
    print(f"{'revalidated (304 Not Modified)':<34}{revalidated:>8.1f}{cold / revalidated:>9.1f}x")
    database_for(app).engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--postgres", default=os.environ.get("TESTIMONIALS_BENCH_POSTGRES_URL"))
    args = parser.parse_args()
    print(f"raqm (complex script shaping): {fonts.has_complex_shaping()}")
    bench_drawing(args.runs)
    on_each_database(lambda url, label: bench_api(url, label, args.runs), args.postgres)


if __name__ == "__main__":
    main()
