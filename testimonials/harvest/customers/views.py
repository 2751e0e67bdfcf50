"""API: the workspace's known customers (add as JSON or a file, see how many, clear)."""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask.views import MethodView

from testimonials.db import get_session
from testimonials.harvest.customers import services
from testimonials.harvest.customers.files import entries_from_file, entries_from_json
from testimonials.harvest.customers.schemas import (
    KnownCustomerListSchema,
    KnownCustomersAddedSchema,
    KnownCustomersAddSchema,
    KnownCustomersClearedSchema,
    KnownCustomersUploadSchema,
)
from testimonials.harvest.intake import intake_scorer_for
from testimonials.harvest.personal_data import subject_key_for
from testimonials.web import api_blueprint, current_workspace_id

blp = api_blueprint(
    "customers_api",
    __name__,
    "Known customers: e-mail addresses (kept as keyed hashes) that verify feedback",
    multipart=True,
)


@blp.route("/known-customers")
class KnownCustomers(MethodView):
    @blp.response(200, KnownCustomerListSchema)
    def get(self) -> Any:
        """How many addresses the list holds and when some were last added (never the hashes)."""
        return services.customer_list_summary(get_session(), current_workspace_id())

    @blp.doc(
        requestBody={
            "required": True,
            "content": {
                "application/json": {"schema": KnownCustomersAddSchema},
                "multipart/form-data": {"schema": KnownCustomersUploadSchema},
            },
        }
    )
    @blp.response(200, KnownCustomersAddedSchema)
    @blp.alt_response(413, description="The file is larger than the upload limit")
    @blp.alt_response(422, description="Not a list of strings, or a file that cannot be read")
    def post(self) -> Any:
        """Add customer addresses, as JSON `{"emails": [...]}` or a file upload.

        Only a keyed hash of each trimmed, lower-cased address is stored. Every entry that
        is not added is reported with its position and reason; the valid ones are kept.
        Existing feedback from these customers becomes verified and is scored again, and
        from now on every channel marks their feedback as verified.
        """
        if request.mimetype == "multipart/form-data":
            form = blp.ARGUMENTS_PARSER.parse(KnownCustomersUploadSchema(), location="files")
            entries = entries_from_file(form["file"].stream)
        else:
            data = blp.ARGUMENTS_PARSER.parse(KnownCustomersAddSchema(), location="json")
            entries = entries_from_json(data["emails"])
        db = get_session()
        report = services.add_known_customers(
            db,
            current_workspace_id(),
            entries,
            subject_key_for(current_app),
            intake_scorer_for(current_app),
        )
        return report

    @blp.response(200, KnownCustomersClearedSchema)
    def delete(self) -> Any:
        """Empty the list. Feedback already verified by it stays verified."""
        db = get_session()
        removed = services.clear_known_customers(db, current_workspace_id())
        return {"removed": removed}
