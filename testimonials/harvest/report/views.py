"""API: the NPS report."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask.views import MethodView

from testimonials.db import get_session
from testimonials.harvest.report import services
from testimonials.harvest.report.schemas import NpsReportArgsSchema, NpsReportSchema
from testimonials.stats import METHOD
from testimonials.web import api_blueprint, current_workspace_id

blp = api_blueprint("report_api", __name__, "NPS report")

DESCRIPTION = (
    "Counts every answer of the key's workspace that has an NPS score, including answers "
    "whose respondent was erased (a bare 0-10 score detached from a person is not personal "
    "data; dropping it would rewrite past figures). Each answer is dated by "
    f"{services.DATE_BASIS}; `from`/`to` (inclusive days) and the trend use that date. "
    "Trend periods between the first and last answer are all present, empty ones with "
    "n = 0. Segments: survey, channel, country and tag (an answer counts once under each tag "
    "of its testimonial, untagged answers under no tag); `tag_id` narrows the whole report "
    "to answers carrying that tag. "
    f"{METHOD}"
)


@blp.route("/reports/nps")
class NpsReport(MethodView):
    @blp.doc(description=DESCRIPTION)
    @blp.arguments(NpsReportArgsSchema, location="query", as_kwargs=True, unknown=ma.RAISE)
    @blp.response(200, NpsReportSchema)
    def get(self, filters: services.NpsFilters, granularity: str) -> Any:
        """NPS with a 95% interval, groups, trend by week or month, and segments."""
        return services.nps_report(get_session(), current_workspace_id(), filters, granularity)
