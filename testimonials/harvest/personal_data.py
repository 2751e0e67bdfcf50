"""Personal data in what people send: spotting it in comments, and keyed hashes of identifiers.

Hashes (of e-mail addresses, IPs, user agents) are keyed, so they can be compared but not
reversed or looked up in a table of common values.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from flask import Flask

from testimonials.config import settings_for
from testimonials.scoring.text import any_of_re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A run of 9-15 digits with the usual separators, not part of a longer number or word.
_PHONE = re.compile(r"(?<![\w.])[+(]?(?:\d[\s().-]{0,2}){8,14}\d(?!\w|\.\d)")
_URL = re.compile(
    r"\b(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|net|org|io|co|app|dev)\b(?:/\S*)?", re.I
)
# Cheap tests that rule each pattern out for most comments (imports check millions): a URL
# holds one of these, an e-mail address an @, and a phone number 9 digits with at most two
# separators between each two (_PHONE's digits without its look-arounds, which cost the
# engine a try at every character: this pattern opens with a digit, so it skips to each).
_URL_MARKS = ("://", "www.", ".co", ".net", ".org", ".io", ".app", ".dev")
_URL_MARK_RE = any_of_re(_URL_MARKS)  # whether a lower-cased text holds one, in one pass
_PHONE_DIGITS = re.compile(r"\d(?:[\s().-]{0,2}\d){8}")
# The same in ASCII text, where \d is [0-9]: a range the engine tests a third sooner than
# the Unicode digit category at every character it skips.
_ASCII_PHONE_DIGITS = re.compile(r"[0-9](?:[\s().-]{0,2}[0-9]){8}")


def detect_personal_data(text: str) -> dict[str, int] | None:
    """Counts of e-mail addresses, phone numbers and URLs in a comment, or None if none."""
    has_email = "@" in text
    phone_digits = _ASCII_PHONE_DIGITS if text.isascii() else _PHONE_DIGITS
    emails = len(_EMAIL.findall(text)) if has_email else 0
    phones = len(_PHONE.findall(text)) if phone_digits.search(text) else 0
    urls = (
        len(_URL.findall(_EMAIL.sub(" ", text) if has_email else text))
        if _URL_MARK_RE.search(text.lower())
        else 0
    )
    if not (emails or phones or urls):
        return None  # (most comments: no dictionary made to be found empty)
    found = {"emails": emails, "phones": phones, "urls": urls}
    return {kind: n for kind, n in found.items() if n}


def subject_key(derived_secret_key: str | bytes) -> bytes:
    """The key for hashing people's e-mails (erasure records, known customers).

    Made from the derived-secrets key (DERIVED_SECRET_KEY, by default SECRET_KEY): changing
    that key changes every such hash, and the known-customer lists must be uploaded again.
    Rotating SECRET_KEY alone changes nothing once DERIVED_SECRET_KEY is set.
    """
    secret = (
        derived_secret_key.encode() if isinstance(derived_secret_key, str) else derived_secret_key
    )
    return hashlib.sha256(b"erasure:" + secret).digest()


def subject_key_for(app: Flask) -> bytes:
    """The app's key for hashing people's e-mails (see subject_key)."""
    return subject_key(settings_for(app).derived_secret_key)


def keyed_hash(key: bytes, value: str | None) -> str | None:
    """A keyed hash of an identifier (IP, user agent, e-mail): comparable, not reversible."""
    if not value:
        return None
    return hmac.new(key, value.strip().lower().encode(), hashlib.sha256).hexdigest()


def email_domain(email: str | None) -> str | None:
    """The domain of an e-mail address, lower-cased."""
    if not email or "@" not in email:
        return None
    return email.rsplit("@", 1)[1].strip().lower() or None
