"""The gettext catalogs customers' and visitors' pages are translated from: complete,
compiled, and faithful to every placeholder (docs/translations.md says how to add one)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from testimonials.locales import DEFAULT_LANGUAGE, LANGUAGES, TRANSLATIONS, localizable, translate

ROOT = Path(__file__).resolve().parents[1]
TRANSLATED = sorted(set(LANGUAGES) - {DEFAULT_LANGUAGE})
# %(name)s and {name}: what code fills in must survive translation unchanged.
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def _placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


def _complete(string: str | tuple[str, ...]) -> bool:
    return all(string) if isinstance(string, tuple) else bool(string)


def _po(language: str) -> Catalog:
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return read_po(file, locale=language)


@pytest.fixture(scope="module")
def extracted() -> set[str | tuple[str, ...]]:
    """Every msgid the code uses now, extracted as babel.cfg says (templates and Python)."""
    method_map = [("testimonials/**.py", "python"), ("testimonials/templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "localizable": None}
    ids: set[str | tuple[str, ...]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, keywords=keywords
    ):
        ids.add(message if isinstance(message, str) else tuple(message[:2]))
    return ids


def test_extraction_config_names_the_same_sources_as_this_test() -> None:
    config = (ROOT / "babel.cfg").read_text()
    assert "[python: testimonials/**.py]" in config
    assert "[jinja2: testimonials/templates/**.html]" in config


def test_every_supported_language_has_a_catalog_and_nothing_else_does() -> None:
    on_disk = sorted(p.name for p in TRANSLATIONS.iterdir() if p.is_dir())
    assert on_disk == TRANSLATED


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_msgid_the_code_uses_is_translated(
    language: str, extracted: set[str | tuple[str, ...]]
) -> None:
    catalog = _po(language)
    translated = {m.id for m in catalog if m.id and _complete(m.string) and not m.fuzzy}
    missing = sorted(map(str, extracted - translated))
    assert missing == [], f"{language}: no translation (run pybabel update, then translate)"
    stale = sorted(map(str, {m.id for m in catalog if m.id} - extracted))
    assert stale == [], f"{language}: msgids the code no longer uses"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_every_placeholder(language: str) -> None:
    for message in _po(language):
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            _singular, plural = message.id
            wanted = _placeholders(plural)
            for form in message.string:
                found = _placeholders(form)
                # A plural form may leave out the count ("one customer"), nothing else.
                assert found <= wanted and wanted - {"num"} <= found, (language, plural, form)
        else:
            assert _placeholders(message.string) == _placeholders(message.id), (
                language,
                message.id,
                message.string,
            )


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_committed_mo_is_compiled_from_the_committed_po(language: str) -> None:
    compiled = io.BytesIO()
    write_mo(compiled, _po(language))
    mo = TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo"
    assert mo.read_bytes() == compiled.getvalue(), (
        f"{mo} is stale: pybabel compile -d testimonials/translations"
    )


def test_a_localizable_message_is_its_english_text_and_translates_with_its_values() -> None:
    message = localizable(
        "At most %(limit)s characters (this has %(length)s).", limit=200, length=230
    )
    assert message == "At most 200 characters (this has 230)."
    assert translate("en", message) == message
    assert translate("fr", message) == "200 caractères au maximum (ici 230)."
    # A language no catalog has falls back to English.
    assert translate("xx", message) == message
