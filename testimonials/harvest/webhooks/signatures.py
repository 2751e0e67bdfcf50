"""Webhook signing: per-source secrets derived from the app key, and request verification.

Pure functions (no Flask, no database), so a survey tool's integration can be checked
against them and they can be tested alone.

Wire format: the sender puts `X-Testimonials-Timestamp: <unix seconds>` and
`X-Testimonials-Signature: sha256=<hex>` on each request, where the hex is
HMAC-SHA256(key=secret as UTF-8, msg=f"{timestamp}.".encode() + raw_body).

Typeform's format (sources of kind `typeform`): `Typeform-Signature: sha256=<base64>`, where
the base64 is of HMAC-SHA256(key=secret as UTF-8, msg=raw_body). It covers no timestamp, so
it proves who sent the body but not when; freshness is checked on the body's own
`submitted_at` instead (see typeform.py).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

TIMESTAMP_HEADER = "X-Testimonials-Timestamp"
SIGNATURE_HEADER = "X-Testimonials-Signature"
TYPEFORM_SIGNATURE_HEADER = "Typeform-Signature"
SIGNATURE_SCHEME = "sha256"
SECRET_PREFIX = "whsec_"  # noqa: S105 (a marker for secret scanners, not a secret)
# How far a request's timestamp may be from our clock, either way.
TOLERANCE_SECONDS = 300
_DERIVATION_LABEL = "webhook-source:"


class SignatureError(Exception):
    """The request is not proven to come from the source's owner right now."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def derive_secret(app_secret_key: str | bytes, secret_salt: str) -> str:
    """The signing secret of a source: HMAC-SHA256(app key, "webhook-source:" + salt)."""
    key = app_secret_key.encode() if isinstance(app_secret_key, str) else app_secret_key
    digest = hmac.new(key, (_DERIVATION_LABEL + secret_salt).encode(), hashlib.sha256)
    return SECRET_PREFIX + digest.hexdigest()


def signature_for(secret: str, timestamp: int | str, body: bytes) -> str:
    """The `X-Testimonials-Signature` header value for a body sent at `timestamp`."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"{SIGNATURE_SCHEME}={digest.hexdigest()}"


@dataclass(frozen=True)
class SignedRequest:
    """The parts of a delivery that the signature covers, as received."""

    timestamp: str | None
    signature: str | None
    body: bytes


def verify_request(
    secret: str, request: SignedRequest, now: float, tolerance: int = TOLERANCE_SECONDS
) -> int:
    """Check the signature, then the freshness; return the timestamp or raise SignatureError."""
    if not request.timestamp or not request.signature:
        missing = [
            name
            for name, value in (
                (TIMESTAMP_HEADER, request.timestamp),
                (SIGNATURE_HEADER, request.signature),
            )
            if not value
        ]
        raise SignatureError(f"Missing {' and '.join(missing)}; every delivery must be signed.")
    raw_timestamp = request.timestamp.strip()
    if not raw_timestamp.isdigit() or len(raw_timestamp) > 12:
        raise SignatureError(f"{TIMESTAMP_HEADER} must be a whole number of Unix seconds.")
    timestamp = int(raw_timestamp)
    expected = signature_for(secret, raw_timestamp, request.body)
    # Constant-time comparison of the whole header value, scheme included.
    if not hmac.compare_digest(expected.encode(), request.signature.strip().encode()):
        raise SignatureError(
            f"The signature does not match. Expected {SIGNATURE_HEADER}: "
            f"{SIGNATURE_SCHEME}=<hex HMAC-SHA256 of '<timestamp>.' + raw body>, "
            "keyed with this source's secret."
        )
    age = int(now) - timestamp
    if age > tolerance:
        raise SignatureError(f"The timestamp is {age} s old; the limit is {tolerance} s.")
    if -age > tolerance:
        raise SignatureError(
            f"The timestamp is {-age} s in the future; the limit is {tolerance} s. "
            "Check the sender's clock."
        )
    return timestamp


def typeform_signature_for(secret: str, body: bytes) -> str:
    """The `Typeform-Signature` header value Typeform sends for a body."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return f"{SIGNATURE_SCHEME}={base64.b64encode(digest).decode()}"


def verify_typeform_signature(secret: str, signature: str | None, body: bytes) -> None:
    """Check Typeform's signature over the raw body, or raise SignatureError."""
    if not signature:
        raise SignatureError(
            f"Missing {TYPEFORM_SIGNATURE_HEADER}; set this source's secret in the "
            "Typeform webhook's settings so every delivery is signed."
        )
    expected = typeform_signature_for(secret, body)
    if not hmac.compare_digest(expected.encode(), signature.strip().encode()):
        raise SignatureError(
            f"The signature does not match. Expected {TYPEFORM_SIGNATURE_HEADER}: "
            f"{SIGNATURE_SCHEME}=<base64 HMAC-SHA256 of the raw body>, keyed with this "
            "source's secret."
        )
