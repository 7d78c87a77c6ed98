"""The same figures from the API: same suppression, same audit, drill-down through the policy, in the schema."""

import pytest
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from harbour.audit.models import AuditEvent
from harbour.missing.models import MissingEpisode
from harbour.reports.figures import build_report

from .test_more_figures import APRIL, area  # noqa: F401 - the shared hand-counted fixture

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/scrutiny/"
Q = {"start": "2026-04-01", "end": "2026-04-30"}


def _table(data, key):
    return next(t for s in data["sections"] for t in s["tables"] if t["key"] == key)


def _cell(table, row, column):
    line = next(line for line in table["lines"] if line["row"] == row)
    return next(c for c in line["cells"] if c["column"] == column)


def test_api_gives_the_same_suppressed_figures_and_is_audited(api, area):  # noqa: F811
    response = api.as_user(area["sup"]).get(URL, {**Q, "breakdown": "team"})
    assert response.status_code == 200
    data = response.json()
    assert data["rule"].startswith("Numbers from 1 to 4") and data["start"] == "2026-04-01"
    assert data["sentence"].startswith("Fewer than 5 potential victims")
    report = build_report(area["sup"], APRIL, breakdown="team")
    for table in report.tables:
        published = _table(data, table.key)
        for rk, _, cells, total in table.lines():
            for ck, cell, _ in cells:
                got = _cell(published, rk, ck)
                assert (got["value"], got["display"], got["hidden"]) == (cell.public, cell.display, cell.suppressed)
            if total is not None:
                assert _cell(published, rk, "*")["display"] == total.display
    episodes = _cell(_table(data, "missing_headline"), "episodes", "count")
    assert episodes == {
        "column": "count",
        "column_label": "Number",
        "value": None,
        "display": "fewer than 5",
        "hidden": True,
    }
    zero = _cell(_table(data, "missing_headline"), "repeat", "count")["value"]
    assert zero == 0 and isinstance(zero, int)  # a count is published as an integer, not 0.0
    event = AuditEvent.objects.get(details__format="api")
    assert event.action == "view" and event.details["breakdown"] == "team"


def test_api_validates_and_limits_figures(api, area):  # noqa: F811
    client = api.as_user(area["sup"])
    bad = client.get(URL, {"start": "2026-04-30", "end": "2026-04-01"})
    assert bad.status_code == 400 and "end" in bad.json()["errors"]
    bad = client.get(URL, {**Q, "figures": "missing_headline,nope"})
    assert bad.status_code == 400 and bad.json()["errors"]["figures"] == ["No such figure: nope."]
    bad = client.get(URL, {**Q, "breakdown": "postcode"})
    assert bad.json()["errors"]["breakdown"] == ["Choose a breakdown from the list."]
    one = client.get(URL, {**Q, "figures": "missing_headline"}).json()
    assert [t["key"] for s in one["sections"] for t in s["tables"]] == ["missing_headline"]


def test_api_roles_and_drill_down_through_the_policy(api, area):  # noqa: F811
    assert APIClient().get(URL, Q).status_code == 401
    assert api.as_user(area["sw"]).get(URL, Q).status_code == 403
    assert api.as_user(area["manager"]).get(URL, Q).status_code == 200
    drill = "/api/v1/reports/scrutiny/figures/missing_headline/episodes/*/"
    period = {"start": "2026-04-01", "end_exclusive": "2026-05-01"}
    assert api.as_user(area["manager"]).get(drill, period).status_code == 403
    response = api.as_user(area["sup"]).get(drill, period)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3 and {r["type"] for r in body["records"]} == {"missing.missingepisode"}
    hidden_episodes = set(MissingEpisode.objects.filter(child=area["hidden"]).values_list("pk", flat=True))
    assert hidden_episodes and not hidden_episodes & {r["id"] for r in body["records"]}
    assert AuditEvent.objects.filter(details__list="figure_drill_down").count() == 1
    # Another council's supervisor: the same figure holds nothing they may see.
    assert api.as_user(area["south_sup"]).get(drill, period).json()["count"] == 0
    assert api.as_user(area["sup"]).get("/api/v1/reports/scrutiny/figures/nope/x/*/", period).status_code == 404
    groups = "/api/v1/reports/scrutiny/figures/vp_headline/groups/*/"
    assert api.as_user(area["sup"]).get(groups, period).status_code == 404  # groups are not records


def test_reports_are_in_the_schema():
    schema = APIClient().get("/api/v1/schema/", {"format": "json"}).json()
    validate_schema(schema)
    assert "/api/v1/reports/scrutiny/" in schema["paths"]
    assert "/api/v1/reports/scrutiny/figures/{table_key}/{row_key}/{col_key}/" in schema["paths"]
    assert {"ScrutinyReport", "ScrutinyCell", "FigureRecords"} <= set(schema["components"]["schemas"])
