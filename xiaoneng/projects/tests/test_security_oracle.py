"""Issue 10, requirement 9: the project ledger, the monthly-report sheet, the summary
command, API and dashboard answer a project or unit outside the caller's scope with the
same words as one that does not exist."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from xiaoneng.conftest import make_unit, make_user
from xiaoneng.core.xlsx import ImportFailed
from xiaoneng.projects import services
from xiaoneng.projects.ledgers import REPORTS
from xiaoneng.units.models import Level

from .conftest import HEADERS, ledger_row, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def dali(province):
    """Another prefecture, with a county: outside everything county B's people may see."""
    prefecture = make_unit("532900", "大理白族自治州", Level.PREFECTURE, province)
    make_unit("532901", "大理市", Level.COUNTY, prefecture)
    return prefecture


@pytest.fixture
def admin_b(county_b):
    return make_user("wh_admin", county_b, "unit_admin")


def ledger_answers(actor, batch, **cells) -> list[tuple[str, str]]:
    with pytest.raises(ImportFailed) as info:
        services.import_projects(
            xlsx(HEADERS, [ledger_row("P1", **cells)]), batch=batch, actor=actor
        )
    return [(e.column, e.message) for e in info.value.errors]


def test_the_ledger_answers_units_outside_the_scope_as_made_up_ones(batch, admin_b, county_a, dali):
    # A prefecture outside the importer's reach, and a made-up one.
    assert (
        ledger_answers(admin_b, batch, prefecture="大理州", county="")
        == ledger_answers(admin_b, batch, prefecture="火星州", county="")
        == [("州市", "没有这个州市")]
    )
    # A county of the importer's prefecture, not theirs; one of another prefecture (which
    # used to be named: “属于大理白族自治州”); a made-up one.
    # (With no county found, the row is also a prefecture-level project of 昆明市, which
    # the importer may see but not write.)
    assert (
        ledger_answers(admin_b, batch, county="西山区")
        == ledger_answers(admin_b, batch, county="大理市")
        == ledger_answers(admin_b, batch, county="火星区")
        == [("县市区", "没有这个县市区"), ("州市", "不在您的管理范围内")]
    )


def test_the_report_sheet_answers_another_countys_project_as_a_made_up_one(
    make_project, county_a, county_b
):
    make_project("R1", county=county_a, actual_start=dt.date(2022, 6, 8))
    reporter_b = make_user("wh_tb", county_b, "reporter")
    answers = []
    for code in ("R1", "NOPE"):
        with pytest.raises(ImportFailed) as info:
            services.import_reports(
                xlsx(REPORTS.headers(), [[code, 2022, 7, 20, None, "", ""]]),
                actor=reporter_b,
                today=dt.date(2022, 8, 20),
            )
        answers.append([(e.column, e.message) for e in info.value.errors])
    assert answers[0] == answers[1] == [("项目编号", "没有这个项目编号，或不在您的范围内")]


def without(text: str, *values: str) -> str:
    for value in values:
        text = text.replace(value, "…")
    return text


def test_the_summary_api_answers_units_outside_the_scope_as_made_up_ones(
    batch, make_project, county_a, client_for, handler_b, dali
):
    make_project("P1", county=county_a, total_investment=Decimal("1000"))
    c = client_for(handler_b)
    for param, real, made_up in (
        ("prefecture", "大理州", "火星州"),
        ("county", "西山区", "火星区"),
        ("county", "大理市", "火星区"),
    ):
        first, second = (c.get(f"/api/projects/summary/?{param}={v}") for v in (real, made_up))
        assert first.status_code == second.status_code == 400
        assert without(str(first.json()), real) == without(str(second.json()), made_up)
    # Within the scope the filter still works.
    assert c.get("/api/projects/summary/?county=五华区").json()["projects"] == 0


def test_the_dashboard_answers_a_unit_outside_the_scope_as_a_made_up_one(
    batch, client_for, handler_b, county_a, dali
):
    def errors(query):
        page = client_for(handler_b).get(f"/projects/?{query}").content.decode()
        found = re.search(r'<ul class="errorlist"[^>]*data-testid="filter-errors">.*?</ul>', page)
        return found.group(0)

    out_of_scope = errors(f"county={county_a.pk}")
    assert out_of_scope == errors("county=999999")
    assert errors(f"prefecture={dali.pk}") == errors("prefecture=999999")


def test_the_summary_command_answers_a_county_outside_the_prefecture_as_a_made_up_one(
    batch, county_a, dali
):
    messages = []
    for county in ("大理市", "火星区"):
        with pytest.raises(CommandError) as info:
            call_command("projects", "summary", "--prefecture", "昆明市", "--county", county)
        messages.append(without(str(info.value), county))
    assert messages[0] == messages[1] == "找不到县市区：…"
