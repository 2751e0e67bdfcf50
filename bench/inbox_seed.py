"""Seeding for bench_inbox.py (and bench_gram_inserts.py): one workspace of realistic
inbox rows written straight into the tables (COPY on PostgreSQL, executemany on SQLite),
its secondary indexes and triggers dropped during the seed and made again after it."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import func, insert, select, text

from testimonials.accounts import services as accounts
from testimonials.accounts.models import Role
from testimonials.bulk_insert import insert_rows
from testimonials.curation.groups import item_standing
from testimonials.curation.models import Status, Tag, Testimonial, testimonial_tags
from testimonials.curation.services import base_rank
from testimonials.db import database_for
from testimonials.harvest.models import Channel, ConsentState, FeedbackItem
from testimonials.harvest.search import GRAM_SEARCH_TABLE, SEARCH_TABLE
from testimonials.scoring.standing import grouped_rank

CHUNK = 5000
BENCH_WORKSPACE = "Bench Co"
PASSWORD = "bench password 123"
NOW = datetime(2026, 6, 30, 12, tzinfo=UTC)

# Sentences per language; an item is 1-6 of them. "onboarding" appears in ~3% of English
# items, so the text search has a realistic handful of hits.
SENTENCES = {
    "en": [
        "We cut our month-end close from {n} days to {m} after switching.",
        "{name} on the support team answered within {m} minutes, every time.",
        "Setting up the calendar sync took us about {n} hours, less than we feared.",
        "Great product, highly recommend!",
        "Love it.",
        "The mobile app crashed twice last week and support never replied.",
        "Billing is clear and the invoice export saves our accountant a day a month.",
        "Our {n} clinics now share one booking page and no-shows dropped by {m}%.",
        "Pricing went up again without warning.",
        "Easy to use, my whole team picked it up in a day.",
        "The onboarding call with {name} was the best hour we spent this quarter.",
        "Reminders by SMS brought back patients we had lost for months.",
        "It does what it says.",
        "Import from our old spreadsheet worked first time with {n} thousand rows.",
    ],
    "de": [
        "Sehr gut, schnell eingerichtet.",
        "Der Support hat in {m} Minuten geantwortet.",
        "Unsere {n} Praxen nutzen jetzt einen gemeinsamen Kalender.",
        "Leider ist der Preis gestiegen.",
    ],
    "fr": [
        "Très bon service, merci beaucoup.",
        "La facture arrive chaque mois sans erreur.",
        "Nos {n} cabinets utilisent le même agenda depuis {m} mois.",
        "Un peu compliqué au début.",
    ],
    "es": [
        "Muy buen servicio, lo recomiendo.",
        "El equipo de soporte respondió en {m} minutos.",
        "Ahorramos {n} horas por semana con los recordatorios.",
    ],
    "pt": [
        "Excelente atendimento.",
        "Reduzimos as faltas em {m}% em {n} meses.",
    ],
    "nl": ["Prima tool, snel geholpen.", "Onze {n} vestigingen werken nu met één agenda."],
    "ja": ["サービスはとても良いです。", "予約の管理が{n}時間短縮されました。"],
}
LANGUAGE_WEIGHTS = {"en": 70, "de": 9, "fr": 7, "es": 6, "pt": 3, "nl": 3, "ja": 2}
NAMES = ["Maria", "Tom", "Priya", "Kenji", "Ahmed", "Lucia", "Sven", "Olga", "Chen", "Fatima"]
# (channel, source, weight): surveys carry NPS scores, imports and webhooks star ratings.
SOURCES = [
    (Channel.HOSTED_SURVEY, "Hosted survey", 30),
    (Channel.EMBEDDED_SURVEY, "Website survey", 20),
    (Channel.IMPORT, "Trustpilot", 20),
    (Channel.IMPORT, "G2", 8),
    (Channel.WEBHOOK, "Typeform", 12),
    (Channel.API, "Zapier", 10),
]
NPS = [10] * 25 + [9] * 25 + [8] * 18 + [7] * 12 + [6] * 8 + [5] * 5 + [3] * 4 + [0] * 3
RATINGS = [5] * 55 + [4] * 20 + [3] * 10 + [2] * 6 + [1] * 9
# Mostly pending: a young inbox.
STATUSES = [Status.PENDING] * 80 + [Status.APPROVED] * 8 + [Status.REJECTED] * 7
STATUSES += [Status.SNOOZED] * 5
TAG_NAMES = [
    "pricing page",
    "enterprise",
    "onboarding",
    "support",
    "mobile",
    "clinics",
    "billing",
    "home page",
    "case study",
    "newsletter",
    "sales deck",
    "integrations",
]


# --- seeding --------------------------------------------------------------------------------


def _text(rng: random.Random, language: str) -> str:
    pool = SENTENCES[language]
    count = rng.choice([1, 1, 2, 2, 3, 3, 4, 6])
    return " ".join(
        rng.choice(pool).format(n=rng.randint(2, 40), m=rng.randint(1, 30), name=rng.choice(NAMES))
        for _ in range(count)
    )


def _item_row(rng: random.Random, workspace_id: int, n: int) -> dict:
    language = rng.choices(list(LANGUAGE_WEIGHTS), weights=list(LANGUAGE_WEIGHTS.values()))[0]
    channel, source, _weight = rng.choices(SOURCES, weights=[s[2] for s in SOURCES])[0]
    words = _text(rng, language)
    surveyed = channel in (Channel.HOSTED_SURVEY, Channel.EMBEDDED_SURVEY, Channel.API)
    specificity = min(1.0, max(0.0, rng.betavariate(2, 3) + 0.1 * words.count(" ") / 20))
    suspicion = rng.betavariate(1.2, 8) if rng.random() > 0.05 else rng.uniform(0.6, 0.95)
    received = NOW - timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
    return {
        "workspace_id": workspace_id,
        "channel": channel.value,
        "source_name": source,
        "external_id": f"bench-{workspace_id}-{n}",
        "content_hash": f"{workspace_id:04d}{n:060d}",
        "text": words,
        "rating": None if surveyed else rng.choice(RATINGS),
        "nps_score": rng.choice(NPS) if surveyed else None,
        "author_name": f"{rng.choice(NAMES)} {chr(65 + n % 26)}.",
        "author_email": f"person{n}@example.com" if rng.random() < 0.6 else None,
        "language": language,
        "country": rng.choice(["GB", "US", "DE", "FR", "ES", "BR", "NL", "JP", None]),
        "received_at": received,
        "submitted_at": received - timedelta(hours=rng.randrange(48)) if surveyed else None,
        "verified": rng.random() < 0.4,
        "consent_state": rng.choice(
            [ConsentState.GRANTED.value] * 6
            + [ConsentState.NOT_ASKED.value] * 3
            + [ConsentState.DECLINED.value]
        ),
        "specificity": round(specificity, 4),
        "suspicion": round(suspicion, 4),
        "score_reasons": [{"code": "generic_praise", "message": "generic praise only"}]
        if specificity < 0.3
        else None,
        "suggested_excerpt": words.split(". ")[0],
        "scorer_version": "bench",
        "scored_at": received,
    }


def _testimonial_row(rng: random.Random, item: dict, item_id: int) -> dict:
    status = rng.choice(STATUSES)
    snoozed_until = None
    if status is Status.SNOOZED:  # half of the snoozes have ended: pending again
        snoozed_until = NOW + timedelta(days=rng.choice([-3, 400]))
    decided = status in (Status.APPROVED, Status.REJECTED)
    return {
        "workspace_id": item["workspace_id"],
        "item_id": item_id,
        "status": status.value,
        # The inbox's group first (consent, score), then the base rank within it.
        "rank_score": grouped_rank(
            item_standing(
                item["consent_state"],
                item["rating"],
                item["nps_score"],
                item["text"],
                item["language"],
                suspicion=item["suspicion"],
            ),
            base_rank(item["specificity"], item["suspicion"]),
        ),
        "snoozed_until": snoozed_until,
        "decided_at": item["received_at"] + timedelta(days=1) if decided else None,
        "created_at": item["received_at"],
        "updated_at": item["received_at"],
    }


def _insert(session, model, rows: list[dict]) -> list[int]:
    """Insert plain rows; their ids. COPY on PostgreSQL; on SQLite one executemany with ids
    given (the ORM's INSERT … RETURNING splits rows by which columns are NULL)."""
    if session.connection().dialect.name == "postgresql":
        return insert_rows(session, model, rows, returning_ids=True)
    first = (session.scalar(select(func.max(model.id))) or 0) + 1
    ids = list(range(first, first + len(rows)))
    session.execute(
        model.__table__.insert(), [{**r, "id": i} for r, i in zip(rows, ids, strict=True)]
    )
    return ids


def _seed_workspace(session, workspace_id: int, count: int, rng: random.Random) -> None:
    """Seed straight into the tables in chunks: COPY on PostgreSQL (`insert_rows`), a
    multi-row INSERT on SQLite; no ORM object per row."""
    tags = [Tag(workspace_id=workspace_id, name=n, slug=n.replace(" ", "-")) for n in TAG_NAMES]
    session.add_all(tags)
    session.flush()
    tag_ids = [tag.id for tag in tags]
    for start in range(0, count, CHUNK):
        items = [_item_row(rng, workspace_id, n) for n in range(start, min(count, start + CHUNK))]
        item_ids = _insert(session, FeedbackItem, items)
        rows = [_testimonial_row(rng, i, i_id) for i, i_id in zip(items, item_ids, strict=True)]
        ids = _insert(session, Testimonial, rows)
        links = []
        for testimonial_id in ids:
            if rng.random() < 0.2:  # a few tags on about one item in five
                for tag_id in rng.sample(tag_ids, rng.choice([1, 1, 2, 3])):
                    links.append({"testimonial_id": testimonial_id, "tag_id": tag_id})
        if links:
            session.execute(insert(testimonial_tags), links)
        session.commit()
        if count >= 100_000 and (start // CHUNK) % 20 == 0:
            print(f"    seeded {start + len(items):,} of {count:,}", flush=True)


SEEDED_TABLES = ("feedback_items", "testimonials", "testimonial_tags")


def _drop_secondary_indexes(session) -> list[str]:
    """On PostgreSQL, drop the seeded tables' indexes that back no constraint (trigram GIN
    indexes above all, which cost far more to keep up row by row than to build once);
    their definitions, to make again after the seed. On SQLite, drop every index and
    trigger of those tables (the FTS5 triggers included: the text index is rebuilt from its
    content table after the seed), so the schema made again is exactly the migrations'."""
    dialect = session.connection().dialect.name
    if dialect == "sqlite":
        tables = ", ".join(f"'{name}'" for name in SEEDED_TABLES)
        stored = session.execute(
            text(
                "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
                f"AND tbl_name IN ({tables}) AND sql IS NOT NULL"
            )
        ).all()
        for kind, name, _sql in stored:
            session.execute(text(f'DROP {kind.upper()} "{name}"'))
        session.commit()
        rebuild = f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('rebuild')"
        return [sql for _kind, _name, sql in stored] + [rebuild, *_grams_backfill(session)]
    if dialect != "postgresql":
        return []
    rows = session.execute(
        text(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "WHERE i.schemaname = current_schema() AND i.tablename = ANY(:tables) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
        ),
        {"tables": list(SEEDED_TABLES)},
    ).all()
    for name, _definition in rows:
        session.execute(text(f'DROP INDEX "{name}"'))
    session.commit()
    return [definition for _name, definition in rows]


def _grams_backfill(session) -> list[str]:
    """SQLite: the character grams of the seeded items (migration 0050's backfill), if the
    schema has them: the seed runs without their triggers."""
    if not session.scalar(text(f"SELECT 1 FROM sqlite_master WHERE name = '{GRAM_SEARCH_TABLE}'")):
        return []
    return [
        f"INSERT INTO {GRAM_SEARCH_TABLE}(rowid, grams) SELECT id, grams FROM (SELECT id, "
        "feedback_character_grams(text, author_name) AS grams FROM feedback_items) "
        "WHERE grams IS NOT NULL"
    ]


def seed(app: Flask, items: int) -> tuple[int, float]:
    """Seed the bench workspace (and a neighbour); return its id and the seconds taken."""
    rng = random.Random(42)
    session = database_for(app).sessionmaker()
    started = time.perf_counter()
    dropped = _drop_secondary_indexes(session)
    workspace = accounts.create_workspace(session, BENCH_WORKSPACE)
    neighbour = accounts.create_workspace(session, "Neighbour Co")
    accounts.create_user(session, "editor@bench.example", PASSWORD, workspace, Role.EDITOR)
    session.commit()
    _seed_workspace(session, workspace.id, items, rng)
    _seed_workspace(session, neighbour.id, items // 5, rng)
    for definition in dropped:
        session.execute(text(definition))
    session.commit()
    workspace_id = workspace.id
    session.close()
    return workspace_id, time.perf_counter() - started
