"""The languages customers and visitors see: surveys, widgets, and their wording.

The pages and widgets a *customer* or a *visitor* sees speak the language their survey or
widget is set to; the dashboard (the marketer's own pages) stays English for now. Wording
lives in gettext catalogs (testimonials/translations/<language>/LC_MESSAGES/messages.po,
compiled to .mo beside it): templates translate with Flask-Babel's `_()`/`ngettext`
(testimonials.app installs it in the full app only); services, which know no request,
mark customer-facing messages with `localizable()` and the page translates them.

Flask-Babel and Babel are imported, and a catalog read, the first time a page or widget
is rendered in a language other than English: an English-only worker loads neither (about
1.2 MiB, more with a language's CLDR data), and the API-reads app never imports them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import datetime
    from gettext import NullTranslations

    from flask import Flask

DEFAULT_LANGUAGE = "en"
# The languages customers and visitors can be addressed in, by their own names.
LANGUAGES = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "de": "Deutsch",
    "pt": "Português",
    "zh": "中文",
    "ja": "日本語",
    "th": "ไทย",
    "km": "ខ្មែរ",
    "lo": "ລາວ",
    "ar": "العربية",
}
RIGHT_TO_LEFT = frozenset({"ar"})
TRANSLATIONS = Path(__file__).resolve().parent / "translations"
DOMAIN = "messages"


# The language templates are being rendered in, in this thread or task (`speaking`).
_speaking: ContextVar[str] = ContextVar("speaking", default="en")


def install(app: Flask) -> None:
    """Give the app's templates `_()`, `gettext` and `ngettext` (Jinja's i18n extension, new
    style: values are escaped and filled in), answering in the language being spoken."""
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_gettext, ngettext=_ngettext, newstyle=True
    )


@contextmanager
def speaking(language: str) -> Iterator[str]:
    """Render in `language` for the duration (within an app or request context).

    Another language than English sets up Flask-Babel on the app (once) and forces its
    locale, so its catalog and CLDR data are loaded only now."""
    language = supported(language)
    token = _speaking.set(language)
    try:
        if language == DEFAULT_LANGUAGE:
            yield language
            return
        from flask import current_app
        from flask_babel import Babel, force_locale

        if "babel" not in current_app.extensions:
            Babel(
                current_app,
                configure_jinja=False,
                default_translation_directories=str(TRANSLATIONS),
            )
        with force_locale(language):
            yield language
    finally:
        _speaking.reset(token)


def _gettext(message: str) -> str:
    if _speaking.get() == DEFAULT_LANGUAGE:
        return message
    from flask_babel import get_translations

    return get_translations().ugettext(message)


def _ngettext(singular: str, plural: str, count: int) -> str:
    if _speaking.get() == DEFAULT_LANGUAGE:
        return singular if count == 1 else plural
    from flask_babel import get_translations

    return get_translations().ungettext(singular, plural, count)


class Localizable(str):
    """English text (it *is* the English string) that remembers its msgid and values, so a
    page can show it in another language: `translate(language, text)`."""

    msgid: str
    values: dict[str, Any]

    def __new__(cls, msgid: str, **values: Any) -> Localizable:
        text = super().__new__(cls, msgid % values if values else msgid)
        text.msgid = msgid
        text.values = values
        return text


def localizable(msgid: str, **values: Any) -> Localizable:
    """Mark a customer-facing message for translation (`%(name)s` placeholders)."""
    return Localizable(msgid, **values)


def supported(language: str | None) -> str:
    """The language if customers can be addressed in it, else English."""
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def direction(language: str) -> str:
    """ "rtl" or "ltr": the direction a language's text and layout run."""
    return "rtl" if language in RIGHT_TO_LEFT else "ltr"


@lru_cache(maxsize=len(LANGUAGES))
def catalog(language: str) -> NullTranslations:
    """The compiled catalog of a language (English: none, the msgids are English)."""
    from babel.support import NullTranslations, Translations

    if supported(language) == DEFAULT_LANGUAGE:
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS), [language], DOMAIN)


def translate(language: str, text: str) -> str:
    """A message in the language (a `localizable` message keeps its values)."""
    if supported(language) == DEFAULT_LANGUAGE:
        return str(text)
    if isinstance(text, Localizable):
        wording = catalog(language).gettext(text.msgid)
        if not text.values:
            return wording
        # A value may be a message of its own (a photo's problem inside "choose another").
        return wording % {
            name: translate(language, value) if isinstance(value, Localizable) else value
            for name, value in text.values.items()
        }
    return catalog(language).gettext(text)


def format_number(value: float | int, language: str, decimals: int = 0) -> str:
    """A count or an average as the language writes it (CLDR)."""
    if supported(language) == DEFAULT_LANGUAGE:
        return f"{value:.{decimals}f}" if decimals else str(value)
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=language)


def format_day(moment: datetime, language: str) -> str:
    """A date as the language writes it (CLDR's medium date; English: 3 Mar 2026)."""
    if supported(language) == DEFAULT_LANGUAGE:
        return moment.strftime("%-d %b %Y")
    from babel.dates import format_date

    return format_date(moment.date(), format="medium", locale=language)
