"""The words of text in scripts written without spaces (Chinese, Japanese, Thai, Khmer, Lao,
Burmese), by ICU's dictionary-based word break iterator (PyICU); if ICU is missing, words
are estimated from a grapheme count divided by the script's typical word length, so such
text is never "one long word".
"""

from __future__ import annotations

import re
import threading
import unicodedata

from .languages import SCRIPT_RUNS, UNSPACED_SCRIPTS, fold_digits

try:  # PyICU ships ICU's word dictionaries for Thai, Lao, Khmer, Chinese and Japanese.
    import icu as _icu
except ImportError:  # pragma: no cover - exercised only where the wheel is missing
    _icu = None

# Typical letters per word, used only when ICU is unavailable (grapheme-based estimate).
_LETTERS_PER_WORD = {
    "han": 1.6,
    "kana": 2.2,
    "thai": 4.5,
    "lao": 4.0,
    "khmer": 4.5,
    "myanmar": 3.5,
}


_thread_local = threading.local()


def _word_breaker():  # an ICU BreakIterator (PyICU ships no types)
    # ICU break iterators hold state: one per thread keeps the Scorer thread-safe.
    breaker = getattr(_thread_local, "breaker", None)
    if breaker is None:
        breaker = _icu.BreakIterator.createWordInstance(_icu.Locale.getRoot())
        _thread_local.breaker = breaker
    return breaker


# ICU rule statuses of word segments: numbers 100-199, letters 200-299, kana 300-399,
# ideographs 400-499.  Spaces and punctuation have status 0.
_ICU_WORD_STATUS = 100


def segment_words(text: str) -> list[str]:
    """Words of a text in a script without spaces (ICU dictionary segmentation)."""
    if _icu is None:
        return _estimated_words(text)
    breaker = _word_breaker()
    breaker.setText(text)
    tokens: list[str] = []
    start = breaker.first()
    for end in breaker:
        if breaker.getRuleStatus() >= _ICU_WORD_STATUS:
            tokens.append(text[start:end])
        start = end
    return tokens


def _estimated_words(text: str) -> list[str]:
    """Fallback without ICU: cut each run into pieces of the script's typical word length."""
    tokens: list[str] = []
    for match in SCRIPT_RUNS.finditer(text):
        run, script = match.group(), match.lastgroup or "latin"
        if script not in UNSPACED_SCRIPTS:
            tokens.append(run)
            continue
        letters = [ch for ch in run if not unicodedata.combining(ch)]
        size = max(1, round(_LETTERS_PER_WORD[script]))
        tokens.extend("".join(letters[i : i + size]) for i in range(0, len(letters), size))
    tokens.extend(re.findall(r"\d+(?:[.,]\d+)*", fold_digits(text)))
    return tokens
