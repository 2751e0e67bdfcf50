"""Words that turn a statement around ("not", "never", "ไม่", "មិន", "不"), per script.

Pure data and one counting function: the honest-excerpt rule uses them so that no edit and
no cut can remove (or add) a negation from a sentence it keeps.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

# Whole words, compared case-folded with apostrophes removed ("don't" -> "dont").
# One line per language group reads better than 117 quoted words.
_WORD_LISTS = (
    # English
    "not no never none nobody nothing nowhere neither nor cannot without hardly barely",
    "dont doesnt didnt isnt arent wasnt werent cant couldnt wouldnt shouldnt wont",
    "havent hasnt hadnt aint neednt mustnt mightnt",
    # French, Spanish, Portuguese, Italian, Catalan
    "ne pas jamais rien aucun aucune sans nunca jamás nada ningún ninguno ninguna",
    "tampoco sin não nao nenhum nenhuma sem non niente nessuno nessuna senza",
    # German, Dutch, Scandinavian
    "nicht nie niemals kein keine keinen keinem keiner keines nichts ohne niet nooit geen",
    "ikke ej inte aldrig ingen intet",
    # Indonesian, Malay, Vietnamese, Turkish
    "tidak bukan jangan belum tiada không chưa chẳng chả đừng değil yok",
    "hiç asla",
    # Russian, Ukrainian, Polish, Czech
    "не нет никогда ни ніколи немає nie nigdy żaden ne nikdy",
    # Arabic, Persian, Hebrew, Hindi
    "لا لم لن ليس ليست غير بدون نه نمی هیچ לא אין אף नहीं न मत कभी",
)
NEGATION_WORDS = frozenset(word for words in _WORD_LISTS for word in words.split())

# Scripts written without spaces between words: a negation is a substring, not a word.
NEGATION_SUBSTRINGS = (
    # Thai, Lao, Khmer, Myanmar
    "ไม่",
    "มิได้",
    "ห้าม",
    "ບໍ່",
    "ບໍ",
    "ຫ້າມ",
    "មិន",
    "ពុំ",
    "គ្មាន",
    "កុំ",
    "ឥត",
    "မဟုတ်",
    "မရှိ",
    # Chinese, Japanese, Korean
    "不",
    "没",
    "沒",
    "别",
    "別",
    "无",
    "無",
    "非",
    "未",
    "莫",
    "勿",
    "ない",
    "ません",
    "なかった",
    "않",
    "못",
    "없",
    "아니",
)


def negations_in(words: Iterable[str]) -> Counter[str]:
    """The negations among these case-folded words (whole words and in-word substrings)."""
    found: Counter[str] = Counter()
    for word in words:
        if word in NEGATION_WORDS:
            found[word] += 1
        for marker in NEGATION_SUBSTRINGS:
            if marker in word:
                found[marker] += word.count(marker)
    return found
