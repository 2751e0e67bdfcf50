"""Exact and near-duplicate testimonials across a workspace.

MinHash signatures are plain lists of ints so the app can store one per item (JSON column).
Locality-sensitive hashing (LSH) cuts a signature into BANDS bands; two texts whose
signatures agree on a whole band are candidates, confirmed by their estimated similarity.
`band_keys` names each band with a 64-bit integer computed from the values alone (never
from Python's `hash()`), so keys can be stored in the database and looked up by any process
of any Python version. `DuplicateIndex` is the same index in memory, for a batch or a file.
"""

from __future__ import annotations

import hashlib
import re
import string
import unicodedata
from array import array
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .text import ascii_spaces_except

NUM_PERM = 64
BANDS = 16  # 16 bands x 4 rows: pairs with Jaccard >= ~0.6 collide with high probability
SHINGLE_WORDS = 3
NEAR_DUPLICATE_JACCARD = 0.6
_MERSENNE = np.uint64((1 << 61) - 1)
_61 = np.uint64(61)
_LOW_32 = np.uint64(0xFFFFFFFF)
# Each shingle's hash starts from a copy of this empty 4-byte BLAKE2b: a copy costs a third
# less than the constructor, which parses its ten keyword arguments on every call.
_EMPTY_BLAKE2B_4 = hashlib.blake2b(digest_size=4)
_rng = np.random.default_rng(20190127)  # fixed seed: signatures must be stable forever
# a < 2**31 and x < 2**32 keep a*x + b inside uint64 without overflow.
_A = _rng.integers(1, 1 << 31, size=NUM_PERM, dtype=np.uint64)
_B = _rng.integers(0, 1 << 31, size=NUM_PERM, dtype=np.uint64)
_TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)
# _TOKEN_RE's words of ASCII text, lower-cased, sooner: capitals lowered and every other
# character that is not a letter or digit made a space, in one `str.translate` pass.
_ASCII_LOWERED_SPACES: dict[int, int | str] = {
    **ascii_spaces_except(string.ascii_lowercase + string.digits),
    **str.maketrans(string.ascii_uppercase, string.ascii_lowercase),
}
# The combining marks of U+0300-U+036F (all but U+034F, which combines with nothing): the
# only ones NFKD makes from characters below U+0300 (a test checks every such character).
_LATIN_ACCENT_RE = re.compile(
    "[" + "".join(chr(c) for c in range(0x300, 0x370) if unicodedata.combining(chr(c))) + "]"
)
_BAND_SALTS = np.arange(BANDS, dtype=np.uint64) * np.uint64(0xD6E8FEB86659FD93)
# Texts hashed per numpy pass: 16 x ~60 shingles x 64 permutations x 8 bytes is about
# 0.5 MB, well inside a core's L2 cache (256 texts made 8 MB arrays that each of the seven
# passes streamed from memory: fingerprints cost 1.25x as much; on the December 2026
# machine 8-24 texts cost the same and 32 about 15% more in the numpy part).
_SIGNATURE_BATCH = 16


def normalise_for_matching(text: str) -> str:
    """Case-, accent-, punctuation- and whitespace-insensitive form of a text."""
    if text.isascii():  # ASCII has no accents to strip: skip the per-character pass
        return " ".join(text.translate(_ASCII_LOWERED_SPACES).split())
    text = text.lower()
    latin = max(text) < "\u0300"  # (text of Latin letters with accents: French, German...)
    text = unicodedata.normalize("NFKD", text)
    if latin:  # its accents come apart as marks of one block: removed in one pass
        return " ".join(_TOKEN_RE.findall(_LATIN_ACCENT_RE.sub("", text)))
    # Other scripts: marks dropped and every other non-word character made a space by one
    # `str.translate` pass, then split; half the cost of a generator over the characters
    # followed by the word regex (both Unicode look-ups a character, in Python for one).
    return " ".join(text.translate(_MATCHING_CHARACTERS).split())


class _MatchingCharacters(dict[int, int | None]):
    """A `str.translate` table filled on first sight of each character: a combining mark
    is dropped, a letter or digit kept (`_TOKEN_RE`'s `[^\\W_]` is `str.isalnum`) and any
    other character becomes a space. Bounded: emptied when it holds too many characters."""

    def __missing__(self, code: int) -> int | None:
        if len(self) >= _MATCHING_CHARACTERS_MAX:
            self.clear()
        character = chr(code)
        kept = None if unicodedata.combining(character) else code if character.isalnum() else 32
        self[code] = kept
        return kept


_MATCHING_CHARACTERS_MAX = 50_000  # a few MB at most; texts use a few hundred characters
_MATCHING_CHARACTERS = _MatchingCharacters()


def content_hash(text: str) -> str:
    """Hash of the normalised text: equal for exact duplicates up to case and punctuation."""
    return hashlib.sha256(normalise_for_matching(text).encode("utf-8")).hexdigest()


def _matching_words(text: str) -> list[bytes]:
    """The words of `normalise_for_matching(text)` as UTF-8 bytes: the content hash reads
    them joined by spaces, the shingles one by one (no byte of a multi-byte character is a
    space). ASCII text is lower-cased, spaced and split in two passes, with no string made
    of the normalised text only to be encoded and split again."""
    if text.isascii():
        return text.translate(_ASCII_LOWERED_SPACES).encode("ascii").split()
    return normalise_for_matching(text).encode("utf-8").split()


def _shingle_bytes(tokens: list[bytes]) -> bytes:
    """Each word 3-shingle's 32-bit hash (blake2b, little-endian), concatenated: numpy
    reads them in one call instead of an int made per shingle. A shingle that recurs in the
    text recurs here: the signature is a minimum over them, which a repeat cannot move (and
    a set of the shingles cost more than hashing the rare repeats). `tokens`: the text's
    `_matching_words` (a shingle's bytes are those of its text)."""
    if len(tokens) < SHINGLE_WORDS:
        grams = [b" ".join(tokens)] if tokens else []
    else:
        grams = list(map(b" ".join, zip(tokens, tokens[1:], tokens[2:], strict=False)))
    new_hash = _EMPTY_BLAKE2B_4.copy
    digests = []
    for gram in grams:
        blake = new_hash()
        blake.update(gram)
        digests.append(blake.digest())
    return b"".join(digests)


def _permuted(values: np.ndarray) -> np.ndarray:
    """(a x + b) mod (2**61 - 1), low 32 bits, for each permutation (columns) and value (rows).

    As the % it replaces, in place: with a x + b < 2**63, x mod M = (x & M) + (x >> 61),
    less M once if that reaches M (a Mersenne prime's reduction, several times cheaper).
    That last step is almost never needed (4 values in 2**61): one look at the largest
    value decides, instead of a comparison and a masked subtraction over every value.
    """
    x = _A * values[:, None]
    x += _B
    high = x >> _61
    x &= _MERSENNE
    x += high
    if x.max(initial=0) >= _MERSENNE:
        np.subtract(x, _MERSENNE, out=x, where=x >= _MERSENNE)
    x &= _LOW_32
    return x


def minhash_signature(text: str) -> list[int]:
    """MinHash signature (NUM_PERM 32-bit ints) of a text's word 3-shingles; [] if no words."""
    shingles = _shingle_bytes(_matching_words(text))
    if not shingles:
        return []
    return _permuted(np.frombuffer(shingles, "<u4").astype(np.uint64)).min(axis=0).tolist()


def fingerprints(texts: Sequence[str]) -> list[tuple[str, list[int]]]:
    """(content hash, MinHash signature) of each text: equal to the one-text functions.

    Normalises each text once for both, and hashes the shingles of many texts in one numpy
    pass, which is several times cheaper than a signature at a time.
    """
    return _fingerprinted(texts)[0]


def fingerprints_and_band_keys(
    texts: Sequence[str],
) -> tuple[list[tuple[str, list[int]]], list[list[int]]]:
    """`fingerprints`, and each text's `band_keys` ([] for a text without words), the keys
    from the signatures' numpy arrays: not from the lists of ints made of them, which
    `band_keys_of_many` would turn back into an array (a 64-int list a text)."""
    known, filled, minima = _fingerprinted(texts)
    keys: list[list[int]] = [[] for _ in texts]
    if filled:
        for i, row in zip(filled, _band_keys_of_array(np.concatenate(minima)), strict=True):
            keys[i] = row
    return known, keys


def _fingerprinted(
    texts: Sequence[str],
) -> tuple[list[tuple[str, list[int]]], list[int], list[np.ndarray]]:
    """`fingerprints`, the indices of the texts with words, and their signatures as arrays
    (one a pass, in the order of those indices)."""
    words = [_matching_words(text) for text in texts]
    hashes = [hashlib.sha256(b" ".join(w)).hexdigest() for w in words]
    shingles = [_shingle_bytes(w) for w in words]
    signatures: list[list[int]] = [[] for _ in texts]
    all_filled: list[int] = []
    arrays: list[np.ndarray] = []
    for start in range(0, len(texts), _SIGNATURE_BATCH):
        part = range(start, min(start + _SIGNATURE_BATCH, len(texts)))
        filled = [i for i in part if shingles[i]]
        if not filled:
            continue
        counts = [len(shingles[i]) // 4 for i in filled]
        values = np.frombuffer(b"".join([shingles[i] for i in filled]), "<u4")
        offsets = np.cumsum([0, *counts[:-1]])
        minima = np.minimum.reduceat(_permuted(values.astype(np.uint64)), offsets, axis=0)
        for i, row in zip(filled, minima.tolist(), strict=True):
            signatures[i] = row
        all_filled += filled
        arrays.append(minima)
    return list(zip(hashes, signatures, strict=True)), all_filled, arrays


def band_keys(signature: Sequence[int]) -> list[int]:
    """The LSH keys of a full signature (one signed 64-bit int per band); [] otherwise."""
    if len(signature) != NUM_PERM:
        return []
    return band_keys_of_many([signature])[0]


def band_keys_of_many(signatures: Sequence[Sequence[int]]) -> list[list[int]]:
    """band_keys() of many full signatures at once (each of NUM_PERM values)."""
    if not signatures:
        return []
    return _band_keys_of_array(np.asarray(signatures, dtype=np.uint64))


def _band_keys_of_array(signatures: np.ndarray) -> list[list[int]]:
    """`band_keys_of_many` of full signatures as rows of a uint64 array."""
    values = signatures.reshape(len(signatures), BANDS, -1)
    # Each band's four 32-bit values as two 64-bit words, mixed with the band's number by
    # splitmix64: plain integer arithmetic, the same on every machine, process and version.
    low = (values[:, :, 0] << np.uint64(32)) | values[:, :, 1]
    high = (values[:, :, 2] << np.uint64(32)) | values[:, :, 3]
    mixed = _splitmix64(_splitmix64(low ^ _BAND_SALTS) ^ high)
    return mixed.view(np.int64).tolist()


def _splitmix64(x: np.ndarray) -> np.ndarray:
    x = x + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


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

    The app keeps a workspace's index in the database (testimonials.harvest.near_duplicates,
    the same band keys); this one serves a batch in memory (one chunk of an import, the
    scoring command line). Kept compact: a signature is 256 bytes rather than 64 Python
    ints, a band key holds a bare id until a second one joins, and content hashes are kept
    as 64-bit prefixes (bench/bench_duplicate_index.py).
    """

    def __init__(self) -> None:
        self._signatures: dict[Hashable, array[int]] = {}
        self._hashes: dict[int, Hashable | list[Hashable]] = {}
        self._buckets: dict[int, Hashable | list[Hashable]] = {}

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
        for key in band_keys(signature):
            _file_under(self._buckets, key, item_id)

    def query(self, text: str, exclude: Hashable | None = None) -> list[DuplicateMatch]:
        """Return earlier items that duplicate `text`, most similar first."""
        return self.query_signature(minhash_signature(text), content_hash(text), exclude)

    def query_signature(
        self, signature: Sequence[int], digest: str | None = None, exclude: Hashable | None = None
    ) -> list[DuplicateMatch]:
        """Like query(), from a precomputed signature and content hash."""
        found: dict[Hashable, DuplicateMatch] = {}
        if not is_empty_text_hash(digest):
            for item_id in _filed_under(self._hashes, _digest_key(digest)):  # type: ignore[arg-type]
                if item_id != exclude:
                    found[item_id] = DuplicateMatch(item_id, 1.0, exact=True)
        if len(signature) == NUM_PERM:
            candidates: set[Hashable] = set()
            for key in band_keys(signature):
                candidates.update(_filed_under(self._buckets, key))
            for item_id in candidates:
                if item_id == exclude or item_id in found:
                    continue
                add_if_near(found, signature, item_id, self._signatures[item_id])
        return sorted_matches(found)


def add_if_near(
    found: dict[Hashable, DuplicateMatch],
    signature: Sequence[int],
    item_id: Hashable,
    candidate: Sequence[int],
) -> None:
    """Keep `item_id` as a match if its signature is similar enough to `signature`."""
    similarity = estimate_similarity(signature, candidate)
    if similarity >= NEAR_DUPLICATE_JACCARD:
        found[item_id] = DuplicateMatch(item_id, similarity, exact=similarity == 1.0)


def sorted_matches(found: dict[Hashable, DuplicateMatch]) -> list[DuplicateMatch]:
    """Matches most similar first (ties by id), the order every index answers in."""
    return sorted(found.values(), key=lambda m: (-m.similarity, str(m.item_id)))


def is_empty_text_hash(digest: str | None) -> bool:
    """Whether a content hash is that of a text without words (never a duplicate)."""
    return not digest or digest == _EMPTY_HASH


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
