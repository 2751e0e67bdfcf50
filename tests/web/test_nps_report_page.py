"""The NPS report page: headline, warning, charts with text alternatives, escaping, roles."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from testimonials.harvest.models import Channel
from testimonials.report.charts import points
from tests.api.nps_helpers import JAN, make_survey, make_tag, seed, tag_answers
from tests.conftest import Tenant, login

PAGE = "/reports/nps"


def _text_of(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', html)
    assert match, f"no #{element_id} on the page"
    return match.group(1)


def _page(client: FlaskClient, query: str = "", status: int = 200) -> str:
    response = client.get(f"{PAGE}?{query}")
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def _trusted_sample(db: Session, tenant: Tenant) -> None:
    """300 answers over three weeks: 60% promoters, 30% passives, 10% detractors."""
    for week in range(3):
        seed(
            db,
            tenant,
            [10] * 30 + [9] * 30 + [8] * 20 + [7] * 10 + [4] * 10,
            received_at=JAN + timedelta(weeks=week),
            channel=Channel.HOSTED_SURVEY,
        )


def test_the_report_needs_sign_in(client: FlaskClient) -> None:
    response = client.get(PAGE)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_an_empty_workspace_says_no_responses_yet(client: FlaskClient, tenant: Tenant) -> None:
    login(client, tenant.viewer.email)
    html = _page(client)
    assert "No responses yet" in html
    assert "<svg" not in html and 'id="overall-nps"' not in html


def test_a_small_sample_shows_the_warning_and_the_rule(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    seed(db, tenant, [10, 9, 3])
    login(client, tenant.viewer.email)
    html = _page(client)
    assert "Too few answers to trust" in html and "Only 3 answers" in html
    assert "fewer than 30 answers" in html and "±10 points" in html
    assert _text_of(html, "overall-nps") == "+33.3"


def test_a_normal_sample_matches_the_api_number_for_number(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    _trusted_sample(db, tenant)
    api = client.get("/api/v1/reports/nps?granularity=week", headers=tenant.headers()).json
    overall = api["overall"]
    login(client, tenant.viewer.email)
    html = _page(client, "granularity=week")

    assert "Too few answers to trust" not in html
    assert _text_of(html, "overall-nps") == points(overall["nps"]) == "+50.0"
    assert _text_of(html, "overall-n") == str(overall["n"]) == "300"
    assert _text_of(html, "overall-moe") == f"±{overall['margin_of_error']:.1f}"
    low, high = overall["interval"]["low"], overall["interval"]["high"]
    assert _text_of(html, "overall-interval") == f"{points(low)} to {points(high)}"
    assert overall["band"] == "favourable" and "band-favourable" in html
    for group in api["groups"]:
        assert _text_of(html, f"count-{group['group']}") == str(group["count"])
        assert f"{group['share']:.1f}%" in html
    # The trend table holds the chart's numbers, one row per week.
    rows = re.findall(
        r'<th scope="row">(\d{4}-W\d\d)</th>.*?class="num nps-value">([^<]+)<', html, re.S
    )
    assert rows == [(t["period"], points(t["summary"]["nps"])) for t in api["trend"]]
    assert len(rows) == 3


def test_the_charts_are_legible_and_have_text_alternatives(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    _trusted_sample(db, tenant)
    seed(db, tenant, [0], received_at=JAN + timedelta(weeks=5))  # weeks 4-5 empty, 6 shaky
    login(client, tenant.viewer.email)
    html = _page(client, "granularity=week")
    start = html.index('<svg class="trend-chart"')
    trend_svg = html[start : html.index("</svg>", start)]
    assert 'role="img"' in trend_svg and "<title" in trend_svg and "<desc" in trend_svg
    assert "NPS (-100 to +100)" in trend_svg and "ISO weeks from Monday" in trend_svg
    for tick in (">+100<", ">+50<", ">0<", ">-50<", ">-100<"):
        assert tick in trend_svg
    assert 'class="zero-line"' in trend_svg
    assert trend_svg.count('class="point-label"') == 4  # every answered week is labelled
    assert trend_svg.count("<polyline") == 2  # the line breaks across the empty weeks
    assert "2 weeks had no answers" in trend_svg and "hollow" in trend_svg
    assert 'aria-describedby="trend-table-caption"' in trend_svg
    assert 'id="trend-table-caption"' in html
    bar = html[html.index('<svg class="group-bar"') :]
    assert "Detractors: 31 (10.3%)" in bar[: bar.index("</desc>")]


def test_every_role_can_read_the_report(app: Flask, db: Session, tenant: Tenant) -> None:
    seed(db, tenant, [9, 9, 6])
    for user in (tenant.viewer, tenant.editor, tenant.owner):
        client = app.test_client()
        login(client, user.email)
        assert _text_of(_page(client), "overall-nps") == "+33.3"


def test_customer_survey_names_are_escaped(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    survey_id = make_survey(db, tenant, "<script>alert(1)</script>")
    seed(db, tenant, [10, 2], survey_id=survey_id)
    login(client, tenant.viewer.email)
    html = _page(client)
    assert "<script>alert(1)</script>" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 2  # filter menu + segment


def test_filters_are_a_get_form_that_keeps_its_values(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    pricing = make_survey(db, tenant, "Pricing")
    seed(db, tenant, [10, 10], survey_id=pricing, country="SE")
    seed(db, tenant, [0, 0])
    login(client, tenant.viewer.email)
    html = _page(client, f"survey_id={pricing}&country=se&from=&to=&channel=&granularity=week")
    assert _text_of(html, "overall-nps") == "+100.0" and _text_of(html, "overall-n") == "2"
    assert f'<option value="{pricing}" selected>Pricing</option>' in html
    assert 'name="country" size="3" maxlength="2" placeholder="GB" value="se"' in html
    assert 'method="get"' in html
    assert "No responses yet</strong> for these filters" in _page(client, "country=NO")


def test_bad_filters_explain_themselves_instead_of_failing(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    seed(db, tenant, [10])
    login(client, tenant.viewer.email)
    html = _page(client, "from=2026-02-01&to=2026-01-01&granularity=fortnight", status=400)
    assert "These filters could not be used" in html
    assert "Must be on or before" in html and "granularity" in html
    seed(db, tenant, [9], received_at=JAN.replace(year=1990))
    html = _page(client, "granularity=week", status=400)
    assert "or use granularity=month" in html
    assert _text_of(_page(client, "granularity=month"), "overall-n") == "2"


def test_a_viewer_never_sees_another_workspaces_figures(
    client: FlaskClient, db: Session, make_tenant: Callable[[str], Tenant]
) -> None:
    a, b = make_tenant("Alpha Co"), make_tenant("Beta Co")
    secret = make_survey(db, b, "Beta secret survey")
    seed(db, a, [10])
    seed(db, b, [0, 0, 0], survey_id=secret)
    login(client, a.viewer.email)
    html = _page(client)
    assert _text_of(html, "overall-n") == "1" and "Beta secret survey" not in html


def _segment_rows(html: str, dimension: str) -> list[tuple[str, str, str, str]]:
    """(label, answers, NPS, band or note) of each row of one segment table."""
    start = html.index(f'id="segments-{dimension}"')
    table = html[start : html.index("</table>", start)]
    return re.findall(
        r'<th scope="row">([^<]*)</th><td class="num">(\d+)</td>.*?'
        r'class="num nps-value">([^<]+)</td>.*?<td>(?:<span[^>]*>)?([^<]*)<',
        table,
        re.S,
    )


def test_tag_segments_and_the_tag_filter_match_the_api(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    pricing, enterprise = make_tag(db, tenant, "Pricing"), make_tag(db, tenant, "Enterprise")
    tag_answers(db, tenant, seed(db, tenant, [10, 9, 0]), pricing)
    tag_answers(db, tenant, seed(db, tenant, [10]), pricing, enterprise)
    tag_answers(db, tenant, seed(db, tenant, [6, 6]), enterprise)
    seed(db, tenant, [8, 2])
    api = client.get("/api/v1/reports/nps", headers=tenant.headers()).json
    login(client, tenant.viewer.email)
    html = _page(client)
    assert "an answer with two tags counts under each" in html
    rows = _segment_rows(html, "tag")
    assert rows == [
        ("Pricing", "4", "+50.0", "too few to trust"),
        ("Enterprise", "3", "-33.3", "too few to trust"),
    ]
    assert rows == [
        (s["label"], str(s["summary"]["n"]), points(s["summary"]["nps"]), "too few to trust")
        for s in api["segments"]["tag"]
    ]
    assert "-33.6 to +90.7" in html  # Pricing's 95% interval, as in the API test
    # The filter: a GET form menu of the workspace's tags that keeps its choice.
    html = _page(client, f"tag_id={pricing}&from=&to=&survey_id=&channel=&country=")
    assert _text_of(html, "overall-nps") == "+50.0" and _text_of(html, "overall-n") == "4"
    assert f'<option value="{pricing}" selected>Pricing</option>' in html
    assert f'<option value="{enterprise}" >Enterprise</option>' in html
    assert _segment_rows(html, "tag")[1] == ("Enterprise", "1", "+100.0", "too few to trust")
    unused = make_tag(db, tenant, "Unused")
    assert "No responses yet</strong> for these filters" in _page(client, f"tag_id={unused}")
    assert "tag_id" in _page(client, "tag_id=pricing", status=400)


def test_a_report_without_tags_says_how_to_get_tag_segments(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    seed(db, tenant, [10, 0])
    login(client, tenant.viewer.email)
    html = _page(client)
    assert _segment_rows(html, "tag") == []
    assert "No answers here carry a tag yet" in html


def test_customer_tag_names_are_escaped(client: FlaskClient, db: Session, tenant: Tenant) -> None:
    tag_answers(db, tenant, seed(db, tenant, [9]), make_tag(db, tenant, "<b>VIP</b>"))
    login(client, tenant.viewer.email)
    html = _page(client)
    assert "<b>VIP</b>" not in html
    assert html.count("&lt;b&gt;VIP&lt;/b&gt;") == 2  # filter menu + segment


def test_a_viewer_never_sees_another_workspaces_tags(
    client: FlaskClient, db: Session, make_tenant: Callable[[str], Tenant]
) -> None:
    a, b = make_tenant("Alpha Co"), make_tenant("Beta Co")
    tag_answers(db, a, seed(db, a, [10]), make_tag(db, a, "Alpha tag"))
    secret = make_tag(db, b, "Beta secret tag")
    tag_answers(db, b, seed(db, b, [0, 0]), secret)
    login(client, a.viewer.email)
    html = _page(client)
    assert "Alpha tag" in html and "Beta secret tag" not in html
    html = _page(client, f"tag_id={secret}")
    assert "No responses yet</strong> for these filters" in html
    assert "Beta secret tag" not in html
