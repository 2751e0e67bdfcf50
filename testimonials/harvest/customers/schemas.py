"""API representations of a workspace's known-customer list (counts only, never hashes)."""

from __future__ import annotations

import marshmallow as ma
from flask_smorest.fields import Upload

from testimonials.harvest.customers.services import MAX_EMAILS_PER_REQUEST


class KnownCustomersAddSchema(ma.Schema):
    """Addresses to add to the list, as JSON."""

    emails = ma.fields.List(
        ma.fields.String(validate=ma.validate.Length(max=1000)),
        required=True,
        validate=ma.validate.Length(min=1, max=MAX_EMAILS_PER_REQUEST),
        metadata={
            "description": f"Up to {MAX_EMAILS_PER_REQUEST:,} e-mail addresses; compared "
            "trimmed and lower-cased. Send more with several requests or as a file."
        },
    )


class KnownCustomersUploadSchema(ma.Schema):
    """A file of addresses to add to the list (multipart/form-data)."""

    file = Upload(
        required=True,
        metadata={
            "description": "Plain text with one address per line, or CSV with an `email` "
            "column (UTF-8 or UTF-16 with BOM), up to the upload size limit"
        },
    )


class CustomerProblemSchema(ma.Schema):
    """An entry that was not added, and why."""

    index = ma.fields.Integer(metadata={"description": "Position in `emails` (from 0), for JSON"})
    line = ma.fields.Integer(metadata={"description": "Line of the file (from 1), for files"})
    value = ma.fields.String(metadata={"description": "The entry as sent (first 100 characters)"})
    reason = ma.fields.String()


class KnownCustomerListSchema(ma.Schema):
    """The workspace's list of known customers."""

    count = ma.fields.Integer(metadata={"description": "Addresses on the list"})
    updated_at = ma.fields.DateTime(
        allow_none=True, metadata={"description": "When addresses were last added"}
    )
    verified_items = ma.fields.Integer(
        metadata={"description": "Feedback items verified because their author is on the list"}
    )


class KnownCustomersAddedSchema(ma.Schema):
    """What adding addresses did. Valid addresses are kept whatever the others hold."""

    received = ma.fields.Integer(metadata={"description": "Entries sent"})
    added = ma.fields.Integer(metadata={"description": "New addresses on the list"})
    already_listed = ma.fields.Integer(
        metadata={"description": "Addresses already on the list, or repeated in this request"}
    )
    invalid = ma.fields.Integer(metadata={"description": "Entries that are not addresses"})
    erased = ma.fields.Integer(
        metadata={"description": "Addresses of respondents erased on request: not added back"}
    )
    errors = ma.fields.List(
        ma.fields.Nested(CustomerProblemSchema),
        attribute="problems",
        metadata={"description": "Each entry not added and why (the first 1,000)"},
    )
    items_verified = ma.fields.Integer(
        metadata={"description": "Existing feedback items verified now (and scored again)"}
    )
    count = ma.fields.Integer(metadata={"description": "Addresses on the list now"})
    updated_at = ma.fields.DateTime(allow_none=True)


class KnownCustomersClearedSchema(ma.Schema):
    """What clearing the list did."""

    removed = ma.fields.Integer(metadata={"description": "Addresses taken off the list"})
