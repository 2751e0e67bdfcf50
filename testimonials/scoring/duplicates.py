"""Exact and near-duplicate testimonials across a workspace.

MinHash signatures are plain lists of ints so the app can store one per item (JSON column)
and rebuild a `DuplicateIndex` from them; the index answers in time independent of the
workspace size thanks to locality-sensitive hashing (LSH) bands.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from array import array
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

NUM_PERM = 64
BANDS = 16  # 16 bands x 4 rows: pairs with Jaccard >= ~0.6 collide with high probability
SHINGLE_WORDS = 3
NEAR_DUPLICATE_JACCARD = 0.6
_MERSENNE = np.uint64((1 << 61) - 1)
_rng = np.random.default_rng(20190127)  # fixed seed: signatures must be stable forever
# a < 2**31 and x < 2**32 keep a*x + b inside uint64 without overflow.
_A = _rng.integers(1, 1 << 31, size=NUM_PERM, dtype=np.uint64)
_B = _rng.integers(0, 1 << 31, size=NUM_PERM, dtype=np.uint64)
_TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)


def normalise_for_matching(text: str) -> str:
    """Case-, accent-, punctuation- and whitespace-insensitive form of a text."""
    text = text.lower()
    if not text.isascii():  # ASCII has no accents to strip: skip the per-character pass
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_TOKEN_RE.findall(text))


def content_hash(text: str) -> str:
    """Hash of the normalised text: equal for exact duplicates up to case and punctuation."""
    return hashlib.sha256(normalise_for_matching(text).encode("utf-8")).hexdigest()


def _shingles(text: str) -> list[int]:
    tokens = normalise_for_matching(text).split()
    if len(tokens) < SHINGLE_WORDS:
        grams = [" ".join(tokens)] if tokens else []
    else:
        grams = [" ".join(tokens[i : i + SHINGLE_WORDS]) for i in range(len(tokens) - 2)]
    return [
        int.from_bytes(hashlib.blake2b(g.encode(), digest_size=4).digest(), "little")
        for g in set(grams)
    ]


def minhash_signature(text: str) -> list[int]:
    """MinHash signature (NUM_PERM 32-bit ints) of a text's word 3-shingles; [] if no words."""
    shingles = _shingles(text)
    if not shingles:
        return []
    values = np.asarray(shingles, dtype=np.uint64)[:, None]
    hashed = (_A * values + _B) % _MERSENNE & np.uint64(0xFFFFFFFF)
    return [int(v) for v in hashed.min(axis=0)]


def estimate_similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of two signatures (0 if either is empty)."""
    if not a or not b or len(a) != len(b):
        return 0.0
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / len(a)


@dataclass(frozen=True, slots=True)
class DuplicateMatch:
    """An earlier item that the queried text duplicates (exactly or nearly)."""

    item_id: Hashable
    similarity: float
    exact: bool


class DuplicateIndex:
    """LSH index over stored signatures; add items one by one and query new texts.

    Kept compact, since a web process holds one per busy workspace and an import one for
    its whole backlog: a signature is 256 bytes rather than 64 Python ints, a band bucket
    is keyed by the hash of its four values and holds a bare id until a second one joins,
    and content hashes are kept as 64-bit prefixes: about 2 KB an item instead of 4.5 KB
    (bench/bench_duplicate_index.py).
    """

    def __init__(self) -> None:
        self._signatures: dict[Hashable, array[int]] = {}
        self._hashes: dict[int, Hashable | list[Hashable]] = {}
        self._buckets: list[dict[int, Hashable | list[Hashable]]] = [{} for _ in range(BANDS)]

    def __len__(self) -> int:
        return len(self._signatures)

    @classmethod
    def from_signatures(
        cls, items: Iterable[tuple[Hashable, Sequence[int], str | None]]
    ) -> DuplicateIndex:
        """Build an index from stored (item_id, signature, content_hash or None) triples."""
        index = cls()
        for item_id, signature, digest in items:
            index.add_signature(item_id, signature, digest)
        return index

    def add(self, item_id: Hashable, text: str) -> None:
        """Add one item's text to the index."""
        self.add_signature(item_id, minhash_signature(text), content_hash(text))

    def add_signature(
        self, item_id: Hashable, signature: Sequence[int], digest: str | None = None
    ) -> None:
        """Add one item from its stored signature (and content hash, if stored)."""
        self._signatures[item_id] = array("I", signature)
        if digest:
            _file_under(self._hashes, _digest_key(digest), item_id)
        if len(signature) == NUM_PERM:
            for bucket, key in zip(self._buckets, _band_keys(signature), strict=True):
                _file_under(bucket, key, item_id)

    def query(self, text: str, exclude: Hashable | None = None) -> list[DuplicateMatch]:
        """Return earlier items that duplicate `text`, most similar first."""
        return self.query_signature(minhash_signature(text), content_hash(text), exclude)

    def query_signature(
        self, signature: Sequence[int], digest: str | None = None, exclude: Hashable | None = None
    ) -> list[DuplicateMatch]:
        """Like query(), from a precomputed signature and content hash."""
        found: dict[Hashable, DuplicateMatch] = {}
        if digest and digest != _EMPTY_HASH:
            for item_id in _filed_under(self._hashes, _digest_key(digest)):
                if item_id != exclude:
                    found[item_id] = DuplicateMatch(item_id, 1.0, exact=True)
        if len(signature) == NUM_PERM:
            candidates: set[Hashable] = set()
            for bucket, key in zip(self._buckets, _band_keys(signature), strict=True):
                candidates.update(_filed_under(bucket, key))
            for item_id in candidates:
                if item_id == exclude or item_id in found:
                    continue
                similarity = estimate_similarity(signature, self._signatures[item_id])
                if similarity >= NEAR_DUPLICATE_JACCARD:
                    found[item_id] = DuplicateMatch(item_id, similarity, exact=similarity == 1.0)
        return sorted(found.values(), key=lambda m: (-m.similarity, str(m.item_id)))


def _band_keys(signature: Sequence[int]) -> list[int]:
    # hash() of a tuple of ints is the same in every process (only str and bytes hashes are
    # salted); a rare collision only adds a candidate, which the similarity check drops.
    values = iter(signature)
    return [hash(band) for band in zip(*[values] * (NUM_PERM // BANDS), strict=True)]


def _digest_key(digest: str) -> int:
    return int(digest[:16], 16)


def _file_under(table: dict[int, Hashable | list[Hashable]], key: int, item_id: Hashable) -> None:
    # Most keys ever hold one id: keep it bare and make a list only for the second.
    held = table.get(key)
    if held is None:
        table[key] = item_id
    elif isinstance(held, list):
        held.append(item_id)
    else:
        table[key] = [held, item_id]


def _filed_under(table: dict[int, Hashable | list[Hashable]], key: int) -> list[Hashable]:
    held = table.get(key)
    if held is None:
        return []
    return held if isinstance(held, list) else [held]


_EMPTY_HASH = content_hash("")
