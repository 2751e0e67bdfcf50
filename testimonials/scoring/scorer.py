"""The Scorer: specificity, suspicion, reasons and excerpt for testimonials."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from .counts import TextCounts
from .features import pack_lexicon, sentence_counts, specificity_vector
from .items import UNDETERMINED, ItemInput, Reason, Score, SentenceScore
from .languages import Language, detect_language
from .model_io import DEFAULT_MODEL_PATH, ModelData, read_model
from .specificity import SpecificityModel, choose_excerpt, specificity_reasons
from .suspicion import single_item_suspicion
from .text import mask_markup, scored_prefix, sentence_spans

# A testimonial with many sentences is scored on its first sentences for the per-sentence
# view; the whole-text score still sees all (bounded) text.
MAX_SENTENCES = 200


class Scorer:
    """Scores testimonials with a loaded model; safe to share between threads."""

    def __init__(self, model: ModelData) -> None:
        self.model = model
        self.version = model.version
        self._specificity = SpecificityModel(model)
        self._lexicon = pack_lexicon(model.zipf10, model.concreteness10, model.names)

    def score(self, item: ItemInput) -> Score:
        """Score one testimonial."""
        return self.score_batch([item])[0]

    def score_batch(self, items: Sequence[ItemInput]) -> list[Score]:
        """Score many testimonials at once (one model evaluation for the whole batch)."""
        prepared: list[
            tuple[str, Language, list[tuple[int, int]], list[TextCounts], TextCounts]
        ] = []
        vectors: list[list[float]] = []
        for item in items:
            # Markup is blanked for counting but offsets stay those of the original text,
            # so the excerpt is always a verbatim substring of what the customer wrote.
            text = scored_prefix(item.text)
            masked = mask_markup(text)
            spans = sentence_spans(masked)[:MAX_SENTENCES]
            language = detect_language(masked, self._lexicon)
            per_sentence, total = sentence_counts(masked, spans, self._lexicon, language)
            prepared.append((text, language, spans, per_sentence, total))
            vectors.append(specificity_vector(total))
            vectors.extend(map(specificity_vector, per_sentence))
        # As Python floats (`tolist`): the same values as numpy's scalars, cheaper to use.
        predictions: list[float] = self._specificity.predict(vectors).tolist() if vectors else []
        scores: list[Score] = []
        cursor = 0
        for item, (text, language, spans, per_sentence, total) in zip(items, prepared, strict=True):
            whole = predictions[cursor] if total.words else 0.0
            sentence_values = predictions[cursor + 1 : cursor + 1 + len(spans)]
            cursor += 1 + len(spans)
            scores.append(
                self._assemble(
                    item,
                    text,
                    language,
                    spans,
                    per_sentence,
                    total,
                    whole,
                    sentence_values,
                )
            )
        return scores

    def _assemble(
        self,
        item: ItemInput,
        text: str,
        language: Language,
        spans: list[tuple[int, int]],
        per_sentence: list[TextCounts],
        total: TextCounts,
        whole: float,
        sentence_values: list[float],
    ) -> Score:
        sentences = tuple(
            [
                SentenceScore(start, end, round(value, 4))
                for (start, end), value in zip(spans, sentence_values, strict=True)
            ]
        )
        mean_sentence = sum(sentence_values) / len(sentence_values) if sentence_values else 0.0
        suspicion = single_item_suspicion(
            text, total, mean_sentence, item.rating, item.nps, item.verified, language.code
        )
        reasons: list[Reason] = list(suspicion.reasons)
        if total.words:
            reasons += specificity_reasons(total, text, whole, language)
        return Score(
            specificity=round(whole, 4),
            suspicion=suspicion.suspicion,
            reasons=tuple(reasons),
            excerpt=choose_excerpt(text, sentences) if total.words else "",
            sentences=sentences,
            language=UNDETERMINED if language.assumed else language.code,
        )


def load_scorer(path: Path | str | None = None) -> Scorer:
    """Load a scorer from a model file; the shipped model (cached) when `path` is None."""
    if path is None or Path(path).resolve() == DEFAULT_MODEL_PATH:
        return _default_scorer()
    return Scorer(read_model(path))


@lru_cache(maxsize=1)
def _default_scorer() -> Scorer:
    return Scorer(read_model(DEFAULT_MODEL_PATH))
