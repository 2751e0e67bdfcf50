"""Backlogs (imports): scored in worker processes, inserted without ORM objects."""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from operator import attrgetter
from types import TracebackType
from typing import Any

from sqlalchemy.orm import Session

from testimonials import signals
from testimonials.bulk_insert import insert_rows
from testimonials.db import utcnow
from testimonials.harvest.grams import grams_given_by_caller, store_character_grams
from testimonials.harvest.intake import (
    _SCORE_COLUMNS,
    LIVE_CHANNELS,
    IntakeScorer,
    NewFeedback,
    item_values,
    needs_follow_up,
)
from testimonials.harvest.models import FeedbackItem
from testimonials.harvest.near_duplicates import (
    NearDuplicateKey,
    find_duplicates,
    fold_recent_keys,
    index_items,
)
from testimonials.harvest.personal_data import detect_personal_data
from testimonials.harvest.surveys.models import FollowUp
from testimonials.planner_statistics import refresh_sqlite_statistics, refresh_statistics
from testimonials.scoring import (
    DuplicateMatch,
    ItemInput,
    Reason,
    Score,
    Scorer,
    combine_suspicion,
)
from testimonials.scoring.duplicates import fingerprints_and_band_keys
from testimonials.scoring.items import UNDETERMINED

# Scoring moves to worker processes only once a backlog is this long: starting a pool
# costs about a second, which smaller batches never win back.
PARALLEL_AFTER_ITEMS = 5_000
# PostgreSQL plans each chunk's lookups from table statistics. A table that grew from
# nothing during the import has none, and the planner then reads every row of the
# workspace per chunk instead of descending the index for each key (quadratic time): the
# statistics are refreshed when the import has stored this many rows, then 4 times more...
# SQLite keeps none unless asked: an import of at least this many rows ends with ANALYZE,
# so the inbox's filters are planned from the grown tables (`refresh_sqlite_statistics`).
ANALYZE_AFTER_ITEMS = 2_000
# An import's near-duplicate keys go to the small table of recent keys, folded into the main
# index in key order once this many items have gathered there, and at the end (migration
# 0052): 16 random keys an item would otherwise rewrite a page of a big index each.
FOLD_KEYS_AFTER_ITEMS = 50_000


class BulkIntake:
    """Stores a long backlog chunk by chunk, with the same treatment as `record_feedback`.

    The CPU-heavy part (score, MinHash, personal data) runs in `workers` processes once the
    backlog passes PARALLEL_AFTER_ITEMS items, while this process inserts earlier chunks.
    Rows go in with one bulk insert per chunk (COPY on PostgreSQL), so no ORM objects pile
    up. Duplicates are found against the workspace, earlier chunks included, through the
    database's index (one query per chunk), and within the chunk in memory: nothing about
    the backlog stays in this process once its chunk is stored, so memory stays flat
    whatever the file's length. Bursts are not looked for: a backlog arriving at once is not
    a burst (only live channels are).
    """

    def __init__(
        self,
        session: Session,
        workspace_id: int,
        scorer: IntakeScorer | None,
        workers: int | None = None,
        parallel_after: int = PARALLEL_AFTER_ITEMS,
        fold_keys_after: int = FOLD_KEYS_AFTER_ITEMS,
    ) -> None:
        self.session = session
        self.workspace_id = workspace_id
        self.scorer = scorer
        self.workers = max(1, workers if workers is not None else os.cpu_count() or 1)
        self.parallel_after = parallel_after
        self.stored = 0
        self._submitted = 0
        self._pool: ProcessPoolExecutor | None = None
        self._pending: deque[tuple[list[NewFeedback], Future[_Prepared]]] = deque()
        self._analyze_at = ANALYZE_AFTER_ITEMS
        self.fold_keys_after = fold_keys_after
        self._unfolded = 0

    def __enter__(self) -> BulkIntake:
        _quiet_collector.enter()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.close()
        finally:
            _quiet_collector.exit()

    def record(self, batch: Sequence[NewFeedback]) -> None:
        """Queue a chunk (in order); it is stored now or when a worker has scored it."""
        if any(new.channel.value in LIVE_CHANNELS for new in batch):
            raise ValueError("live channels go through record_feedback_batch (bursts matter)")
        batch = list(batch)
        self._submitted += len(batch)
        pool = self._pool_if_worth_it()
        inputs = [(n.text, n.rating, n.nps_score, n.verified) for n in batch]
        if pool is None:
            self._store(batch, _prepare_chunk(self._pure_scorer(), inputs))
            return
        self._pending.append((batch, pool.submit(_prepare_in_worker, inputs)))
        while len(self._pending) > self.workers:
            self._store_oldest()

    @property
    def unstored_chunks(self) -> int:
        """At most how many recorded chunks are not in the database yet between calls."""
        return self.workers

    def finish(self) -> int:
        """Store everything still queued; return how many items this intake stored."""
        while self._pending:
            self._store_oldest()
        self._fold_keys()
        if self.stored >= ANALYZE_AFTER_ITEMS:
            refresh_sqlite_statistics(self.session)
        return self.stored

    def close(self) -> None:
        """Stop the worker processes (queued chunks not yet stored are dropped)."""
        for _batch, future in self._pending:
            future.cancel()
        self._pending.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _pure_scorer(self) -> Scorer | None:
        return self.scorer.scorer if self.scorer is not None else None

    def _pool_if_worth_it(self) -> ProcessPoolExecutor | None:
        if self._pool is None and self.workers > 1 and self._submitted > self.parallel_after:
            # spawn, not fork: this process may hold database connections and threads.
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(self._pure_scorer(),),
            )
        return self._pool

    def _store_oldest(self) -> None:
        batch, future = self._pending.popleft()
        self._store(batch, future.result())

    def _store(self, batch: list[NewFeedback], chunk: _Prepared) -> None:
        prepared, keys = chunk
        now = utcnow()
        version = self.scorer.version if self.scorer is not None else None
        duplicates = self._duplicates(prepared, keys)
        rows = []
        for new, (text_hash, signature, pii, scored), matches in zip(
            batch, prepared, duplicates, strict=True
        ):
            values = item_values(self.workspace_id, new, text_hash, signature, pii)
            if scored is None:
                values.update(dict.fromkeys(_SCORE_COLUMNS))
            else:
                specificity, suspicion, reasons, excerpt, language = scored
                if values["language"] is None and language != UNDETERMINED:
                    values["language"] = language
                if matches:
                    score = Score(
                        specificity, suspicion, tuple(Reason(*r) for r in reasons), excerpt, ()
                    )
                    combined = combine_suspicion(score, matches)
                    specificity, suspicion = combined.specificity, combined.suspicion
                    reasons = [(r.code, r.message, r.weight, r.kind) for r in combined.reasons]
                values.update(
                    specificity=specificity,
                    suspicion=suspicion,
                    score_reasons=[
                        {"code": code, "message": message, "kind": kind, "weight": weight}
                        for code, message, weight, kind in reasons
                    ],
                    suggested_excerpt=excerpt,
                    scorer_version=version,
                    scored_at=now,
                )
            rows.append(values)
        if not rows:
            return
        with grams_given_by_caller(self.session) as grams_given:
            ids = insert_rows(self.session, FeedbackItem, rows, returning_ids=True)
        if grams_given:
            store_character_grams(
                self.session,
                self.workspace_id,
                [
                    (item_id, v["text"], v["author_name"], v["author_company"])
                    for item_id, v in zip(ids, rows, strict=True)
                ],
            )
        index_items(
            self.session,
            self.workspace_id,
            [(item_id, values["minhash"]) for item_id, values in zip(ids, rows, strict=True)],
            keys,
            recent=True,
        )
        follow_ups = [
            {"workspace_id": self.workspace_id, "item_id": item_id}
            for item_id, new in zip(ids, batch, strict=True)
            if needs_follow_up(new.nps_score, new.follow_up_passives)
        ]
        insert_rows(self.session, FollowUp, follow_ups)
        signals.feedback_imported.send(
            self.workspace_id, session=self.session, rows=list(zip(ids, rows, strict=True))
        )
        self.stored += len(rows)
        self._unfolded += len(rows)
        if self._unfolded >= self.fold_keys_after:
            self._fold_keys()
        if self.stored >= self._analyze_at:
            self._analyze_at *= 4
            refresh_statistics(self.session, FeedbackItem, NearDuplicateKey)

    def _fold_keys(self) -> None:
        """Move the recent band keys into the main index (flushes the session either way)."""
        if self._unfolded:
            fold_recent_keys(self.session, self.workspace_id)
            self._unfolded = 0
        self.session.flush()

    def _duplicates(self, prepared: list[Any], keys: list[list[int]]) -> list[list[DuplicateMatch]]:
        """Per item of a chunk: the stored items it duplicates, then earlier ones of the chunk.

        Only scored items need them (the suspicion they raise is part of the score).
        """
        if self.scorer is None:
            return [[] for _ in prepared]
        # Items without words duplicate nothing, as in every index.
        queries = [(sig, text_hash if sig else None, None) for text_hash, sig, *_ in prepared]
        return find_duplicates(self.session, self.workspace_id, queries, within=True, keys=keys)


class _QuietCollector:
    """The cyclic garbage collector, quieter while an import stores its rows.

    The storing process allocates a dozen objects a row (values, tuples, lists of keys),
    none kept past its chunk, and CPython's default collector ran a young pass every 700
    of them and a full pass, walking every object of the app (SQLAlchemy's metadata, the
    modules, the scorer) some 60 times a 100,000-row import: 6.1 of the storing process's
    44.5 s of CPU. While any intake is open, what was alive at its start is frozen (left
    out of every pass; `gc.unfreeze` puts it back afterwards) and the young generation
    holds _IMPORT_GC_THRESHOLD allocations. Garbage cycles are still collected, less often
    (the workers' 50,000 left a chunk's cycles long enough to add ~40 MB to the peak).
    Process-wide settings, so concurrent intakes (threads of a web process) share one
    count and the first to open sets them, the last to close puts them back.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open = 0
        self._saved: tuple[int, ...] = ()

    def enter(self) -> None:
        with self._lock:
            self._open += 1
            if self._open == 1:
                self._saved = gc.get_threshold()
                gc.freeze()
                gc.set_threshold(_IMPORT_GC_THRESHOLD, *self._saved[1:])

    def exit(self) -> None:
        with self._lock:
            self._open -= 1
            if self._open == 0:
                gc.set_threshold(*self._saved)
                gc.unfreeze()


_IMPORT_GC_THRESHOLD = 10_000
_quiet_collector = _QuietCollector()

_worker_scorer: Scorer | None = None


# A worker allocates hundreds of short-lived objects a row (counts, tuples, lists), none in
# reference cycles that outlive a chunk: the collector's default (a young-generation pass
# every 700 allocations, each older pass walking the scorer's tables) cost ~7% of its CPU.
_WORKER_GC_THRESHOLD = 50_000


def _start_worker(scorer: Scorer | None) -> None:
    global _worker_scorer  # one scorer per worker process, unpickled once
    _worker_scorer = scorer
    # The scorer and the modules stay for the worker's life: out of every collection.
    gc.freeze()
    gc.set_threshold(_WORKER_GC_THRESHOLD, *gc.get_threshold()[1:])


_Input = tuple[str, int | None, int | None, bool]
_reason_fields = attrgetter("code", "message", "weight", "kind")  # a Reason as a plain tuple


# A chunk's `_prepare` results and each item's near-duplicate band keys ([] without words).
_Prepared = tuple[list[Any], list[list[int]]]


def _prepare_in_worker(inputs: list[_Input]) -> _Prepared:
    return _prepare_chunk(_worker_scorer, inputs)


def _prepare_chunk(scorer: Scorer | None, inputs: list[_Input]) -> _Prepared:
    """`_prepare`, and the band keys that looking up and indexing duplicates both need:
    computed here, once, in the scoring worker rather than twice in the storing process,
    which is the import's one serial stage."""
    known, keys = fingerprints_and_band_keys([text for text, *_rest in inputs])
    return _prepare(scorer, inputs, known), keys


def _prepare(
    scorer: Scorer | None, inputs: list[_Input], known: list[tuple[str, list[int]]]
) -> list:
    """The pure, CPU-heavy half of intake: content hash, MinHash, personal data, score.

    Takes (text, rating, nps, verified) and the texts' `fingerprints`, and returns plain
    tuples per item: (content hash, signature, pii flags, (specificity, suspicion, reasons
    as (code, message, weight, kind), excerpt, detected language) or None). Plain tuples
    cross the process boundary several times faster than dataclasses, and per-sentence
    scores (not stored) stay out.
    """
    scorable = [i for i, (text, *_rest) in enumerate(inputs) if text.strip()]
    scores: dict[int, tuple[float, float, tuple[tuple[str, str, float, str], ...], str, str]] = {}
    if scorer is not None and scorable:
        batch = [ItemInput(*inputs[i]) for i in scorable]
        for i, score in zip(scorable, scorer.score_batch(batch), strict=True):
            reasons = tuple(map(_reason_fields, score.reasons))
            scores[i] = (score.specificity, score.suspicion, reasons, score.excerpt, score.language)
    return [
        (text_hash, signature or None, detect_personal_data(text), scores.get(i))
        for i, ((text, *_rest), (text_hash, signature)) in enumerate(
            zip(inputs, known, strict=True)
        )
    ]
