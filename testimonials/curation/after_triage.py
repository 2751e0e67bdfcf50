"""Work that follows a triage decision without making the marketer wait for it."""

from __future__ import annotations

import logging

from flask import Response, after_this_request, current_app

from testimonials.curation import learning
from testimonials.db import database_for

log = logging.getLogger(__name__)


def refit_after_response(workspace_id: int) -> None:
    """Once the response has gone out, refit the workspace's model if enough decisions grew.

    The check is one cheap query; a due refit (1–2 s on a 50,000-item inbox) runs after
    the response is sent, in its own session, so triage stays instant.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def refit() -> None:
        with app.app_context():
            session = database_for(app).sessionmaker()
            try:
                if learning.maybe_refit(session, workspace_id) is not None:
                    session.commit()
            except Exception:  # a failed refit must never surface to anyone's request
                session.rollback()
                log.exception("Refitting the model of workspace %s failed", workspace_id)
            finally:
                session.close()

    @after_this_request
    def _schedule(response: Response) -> Response:
        response.call_on_close(refit)
        return response
