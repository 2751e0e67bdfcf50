"""Reading and writing the scorer's JSON model file.

The file holds numbers and single words only (never training sentences), and it is written
canonically so that training twice gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MODEL_FORMAT = "testimonials-scorer"
MODEL_FORMAT_VERSION = 1
DEFAULT_MODEL_PATH = Path(__file__).resolve().parent / "model" / "scorer-v5.json"


class ModelFileError(ValueError):
    """The model file is missing, unreadable or not a scorer model."""


@dataclass(frozen=True, slots=True)
class ShapeFunction:
    """A piecewise-linear function of one feature: flat outside its first and last knot."""

    knots: tuple[float, ...]
    values: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class ModelData:
    """The parsed contents of a model file."""

    version: str
    feature_names: tuple[str, ...]
    intercept: float
    shapes: tuple[ShapeFunction, ...]
    zipf10: Mapping[str, int]
    metadata: Mapping[str, Any]
    # English concreteness x 10 (Brysbaert et al. 2014) for words of the vocabulary.
    concreteness10: Mapping[str, int] = field(default_factory=dict)
    # English given names, surnames and places that are not also English words (lower case).
    names: frozenset[str] = frozenset()


def dump_model(data: ModelData) -> str:
    """Serialise a model canonically (sorted keys, rounded floats, one vocabulary band a line)."""
    bands = _bands(data.zipf10)
    concreteness_bands = _bands(data.concreteness10)
    document = {
        "format": MODEL_FORMAT,
        "format_version": MODEL_FORMAT_VERSION,
        "version": data.version,
        "specificity": {
            "features": list(data.feature_names),
            "intercept": _round(data.intercept),
            "shapes": [
                {"knots": [_round(k) for k in s.knots], "values": [_round(v) for v in s.values]}
                for s in data.shapes
            ],
        },
        "vocabulary": {
            "about": "English word frequencies as Zipf x 10, from wordfreq (CC-BY-SA 4.0)",
            "zipf10_bands": bands,
            "concreteness_about": (
                "English concreteness x 10 (1-5 scale), Brysbaert, Warriner & Kuperman 2014"
            ),
            "concreteness10_bands": concreteness_bands,
            "names_about": (
                "English given names and surnames (US Census 1990) and places (GeoNames,"
                " CC BY 4.0) that are not also English words"
            ),
            "names": " ".join(sorted(data.names)),
        },
        "training": data.metadata,
    }
    return json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def parse_model(text: str) -> ModelData:
    """Parse model JSON text into ModelData, checking its format."""
    try:
        document = json.loads(text)
        if document.get("format") != MODEL_FORMAT:
            raise ModelFileError("not a testimonials scorer model")
        if document.get("format_version") != MODEL_FORMAT_VERSION:
            raise ModelFileError(f"unsupported model format {document.get('format_version')}")
        spec = document["specificity"]
        shapes = tuple(ShapeFunction(tuple(s["knots"]), tuple(s["values"])) for s in spec["shapes"])
        vocabulary = document["vocabulary"]
        zipf10 = _unband(vocabulary["zipf10_bands"])
        concreteness10 = _unband(vocabulary.get("concreteness10_bands", {}))
        return ModelData(
            version=str(document["version"]),
            feature_names=tuple(spec["features"]),
            intercept=float(spec["intercept"]),
            shapes=shapes,
            zipf10=zipf10,
            metadata=document.get("training", {}),
            concreteness10=concreteness10,
            names=frozenset(vocabulary.get("names", "").split()),
        )
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, ModelFileError):
            raise
        raise ModelFileError(f"malformed model file: {error}") from error


def read_model(path: Path | str | None = None) -> ModelData:
    """Read and parse a model file (the shipped one by default)."""
    path = Path(path) if path is not None else DEFAULT_MODEL_PATH
    try:
        return parse_model(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ModelFileError(f"cannot read model file {path}: {error}") from error


def _bands(table: Mapping[str, int]) -> dict[str, str]:
    # One line per value keeps the file small and its diffs readable.
    bands: dict[int, list[str]] = {}
    for word, value in table.items():
        bands.setdefault(value, []).append(word)
    return {str(value): " ".join(sorted(bands[value])) for value in sorted(bands)}


def _unband(bands: Mapping[str, str]) -> dict[str, int]:
    table: dict[str, int] = {}
    for value, words in bands.items():
        table.update(dict.fromkeys(words.split(), int(value)))
    return table


def _round(value: float) -> float:
    # Six decimals are far below the model's error and keep the file stable across platforms.
    rounded = round(float(value), 6)
    return 0.0 if rounded == 0 else rounded
