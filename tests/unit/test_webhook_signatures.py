"""Webhook signing: derived secrets, the signature a sender computes, freshness limits."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from testimonials.harvest.webhooks.signatures import (
    SignatureError,
    SignedRequest,
    derive_secret,
    signature_for,
    typeform_signature_for,
    verify_request,
    verify_typeform_signature,
)

NOW = 1_760_000_000
BODY = b'{"event_id": "evt_1", "type": "response.created"}'
SECRET = derive_secret("app-key", "salt-1")


def _signed(timestamp: int | str = NOW, body: bytes = BODY, secret: str = SECRET) -> SignedRequest:
    return SignedRequest(str(timestamp), signature_for(secret, timestamp, body), body)


def test_secret_is_derived_from_the_app_key_and_the_salt_only() -> None:
    expected = hmac.new(b"app-key", b"webhook-source:salt-1", hashlib.sha256).hexdigest()
    assert derive_secret("app-key", "salt-1") == "whsec_" + expected
    assert derive_secret(b"app-key", "salt-1") == SECRET
    assert derive_secret("app-key", "salt-2") != SECRET  # rotating the salt changes it
    assert derive_secret("other-app-key", "salt-1") != SECRET  # so does a new app key


def test_signature_is_hmac_sha256_of_timestamp_dot_body_keyed_with_the_secret() -> None:
    # What a sender writes in any language, spelled out independently of our helper.
    digest = hmac.new(SECRET.encode(), f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert signature_for(SECRET, NOW, BODY) == f"sha256={digest}"


def test_a_fresh_correctly_signed_request_passes() -> None:
    assert verify_request(SECRET, _signed(), now=NOW + 3) == NOW


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (SignedRequest(None, None, BODY), "Missing X-Testimonials-Timestamp and X-Testimonials"),
        (SignedRequest(str(NOW), None, BODY), "Missing X-Testimonials-Signature"),
        (SignedRequest("", "sha256=00", BODY), "Missing X-Testimonials-Timestamp;"),
        (SignedRequest("yesterday", "sha256=00", BODY), "whole number of Unix seconds"),
        (SignedRequest(str(NOW), "sha256=" + "0" * 64, BODY), "signature does not match"),
        (SignedRequest(str(NOW), _signed().signature, BODY + b" "), "signature does not match"),
        (_signed(secret=derive_secret("app-key", "old-salt")), "signature does not match"),
        # The timestamp is signed too: moving it forward breaks the signature.
        (SignedRequest(str(NOW + 1), _signed().signature, BODY), "signature does not match"),
    ],
)
def test_unsigned_or_wrongly_signed_requests_are_refused(
    request_: SignedRequest, message: str
) -> None:
    with pytest.raises(SignatureError) as raised:
        verify_request(SECRET, request_, now=NOW)
    assert message in raised.value.detail


def test_stale_and_future_timestamps_are_refused_with_the_numbers() -> None:
    with pytest.raises(SignatureError) as stale:
        verify_request(SECRET, _signed(NOW - 412), now=NOW)
    assert stale.value.detail == "The timestamp is 412 s old; the limit is 300 s."
    with pytest.raises(SignatureError) as future:
        verify_request(SECRET, _signed(NOW + 301), now=NOW)
    assert "301 s in the future; the limit is 300 s" in future.value.detail


def test_the_limit_is_inclusive_at_five_minutes() -> None:
    assert verify_request(SECRET, _signed(NOW - 300), now=NOW) == NOW - 300
    assert verify_request(SECRET, _signed(NOW + 300), now=NOW) == NOW + 300
    with pytest.raises(SignatureError):
        verify_request(SECRET, _signed(NOW - 301), now=NOW)


def test_typeform_signature_is_base64_hmac_sha256_of_the_body_alone() -> None:
    # As Typeform documents it: no timestamp, base64 rather than hex.
    digest = hmac.new(SECRET.encode(), BODY, hashlib.sha256).digest()
    expected = "sha256=" + base64.b64encode(digest).decode()
    assert typeform_signature_for(SECRET, BODY) == expected
    verify_typeform_signature(SECRET, expected, BODY)  # passes, at any time


@pytest.mark.parametrize(
    ("signature", "body", "message"),
    [
        (None, BODY, "Missing Typeform-Signature"),
        ("", BODY, "Missing Typeform-Signature"),
        (typeform_signature_for(SECRET, BODY), BODY + b" ", "signature does not match"),
        (typeform_signature_for(SECRET + "x", BODY), BODY, "signature does not match"),
        # Our own hex format over the same body is not Typeform's.
        ("sha256=" + hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest(), BODY, "match"),
    ],
)
def test_wrong_or_missing_typeform_signatures_are_refused(
    signature: str | None, body: bytes, message: str
) -> None:
    with pytest.raises(SignatureError) as raised:
        verify_typeform_signature(SECRET, signature, body)
    assert message in raised.value.detail
