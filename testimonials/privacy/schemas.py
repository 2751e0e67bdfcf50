"""API representations of erasures: the request, the receipt and the record."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from testimonials.privacy.models import ErasureKind
from testimonials.privacy.services import ErasureReceipt
from testimonials.schemas import id_field


class ErasureCreateSchema(ma.Schema):
    """Whose personal data to erase: a person, by e-mail, or one answer, by its id."""

    email = ma.fields.Email(
        metadata={"description": "Every item and invitation from this address, everywhere"}
    )
    item_id = id_field(
        strict=True,
        metadata={
            "description": "One feedback item only: for answers without an e-mail address "
            "(open survey link, in-page survey, imports)"
        },
    )

    @ma.validates_schema
    def _exactly_one(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if "email" in data and "item_id" in data:
            message = "Give `email` or `item_id`, not both: erase a person or one answer."
        elif "email" not in data and "item_id" not in data:
            message = "Give `email` (a person's address) or `item_id` (one answer)."
        else:
            return
        raise ma.ValidationError({"email": [message], "item_id": [message]})


class _ErasureFacts(ma.Schema):
    """What an erasure record holds, read from `.erasure` (a receipt or a history row)."""

    id = ma.fields.Integer(attribute="erasure.id")
    kind = ma.fields.String(
        attribute="erasure.kind",
        metadata={"description": "`respondent` (by e-mail) or `item` (one answer)"},
    )
    item_id = ma.fields.Integer(attribute="erasure.item_id", allow_none=True)
    items_erased = ma.fields.Integer(attribute="erasure.items_erased")
    invitations_erased = ma.fields.Integer(attribute="erasure.invitations_erased")
    erased_at = ma.fields.DateTime(attribute="erasure.erased_at")


class ErasureSchema(_ErasureFacts):
    """Proof that an erasure was carried out (without the erased data)."""

    other_items_from_author = ma.fields.Integer(
        allow_none=True,
        metadata={
            "description": "One answer only: other items from its author's e-mail address, "
            "left as they are (null when it had no address)"
        },
    )
    note = ma.fields.Method("_note", metadata={"description": "What was left alone, and why"})

    def _note(self, receipt: ErasureReceipt) -> str | None:
        others = receipt.other_items_from_author
        if receipt.erasure.kind != ErasureKind.ITEM or others is None:
            return None
        return (
            f"Only this answer was erased. Its author gave an e-mail address; {others} other "
            f"item{'' if others == 1 else 's'} from that address, invitations to it and its "
            "place on the known-customer list were not erased. To erase everything from this "
            'person, POST /api/v1/erasures with {"email": "<their address>"}.'
        )


class ErasureRecordSchema(_ErasureFacts):
    """A past erasure as the history keeps it: never the person's address or words."""

    requested_by = ma.fields.String(
        metadata={"description": "The member or API key that asked, or `not recorded`"}
    )
