"""One FilterSet per list (filters.py): the project list, its export and the API take the
same parameters and give the same rows; the choices are the actor's own."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from xiaoneng.conftest import make_unit, make_user
from xiaoneng.core.policy import SYSTEM
from xiaoneng.projects.models import Batch, Industry
from xiaoneng.units.models import Level


@pytest.fixture
def ledger(make_project, batch, province, prefecture, county_a, county_b):
    other = make_unit("530300", "曲靖市", Level.PREFECTURE, province)
    qilin = make_unit("530302", "麒麟区", Level.COUNTY, other)
    q1 = Batch.objects.create(code="2022Q1", ceremony_date=dt.date(2022, 3, 8), actor=SYSTEM)
    started = {"actual_start": dt.date(2022, 6, 8)}
    in_stats = {**started, "in_stats": True, "in_stats_on": dt.date(2022, 7, 1)}
    rows = [
        ("K1", "西山水库", county_a, batch, "交通", started),
        ("K2", "西山水库二期", county_a, batch, "交通", {}),
        ("K3", "五华水库", county_b, batch, "水利", started),
        ("K4", "五华物流园", county_b, batch, "交通", in_stats),
        ("K5", "昆明水库", None, q1, "交通", started),
        ("K6", "西山医院", county_a, q1, "交通", in_stats),
        ("Q1", "麒麟水库", qilin, batch, "交通", started),
    ]
    for code, name, county, in_batch, industry, facts in rows:
        unit = county.parent if county is not None else prefecture
        make_project(code, name=name, county=county, unit=unit, batch=in_batch,
                     industry=industry, planned_start=dt.date(2022, 3, 1), **facts)  # fmt: skip
    return other


def _page_codes(client, query: str) -> set[str]:
    response = client.get(f"/projects/list/?{query}")
    assert response.status_code == 200
    return {p.code for p in response.context["page"].object_list}


def _export_codes(client, query: str) -> set[str]:
    response = client.get(f"/projects/list/export.xlsx?{query}")
    assert response.status_code == 200, response
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return {row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}


def _api_codes(client, query: str) -> set[str]:
    response = client.get(f"/api/projects/?limit=1000&{query}")
    assert response.status_code == 200, response.json()
    return {p["code"] for p in response.json()["results"]}


def test_the_page_the_export_and_the_api_give_the_same_rows(
    ledger, client_for, province_supervisor, prefecture, county_a
):
    transport = Industry.objects.get(name="交通")
    client = client_for(province_supervisor)
    cases = {
        f"prefecture={prefecture.pk}&status=started&batch=2022Q2&q=水库": {"K1", "K3"},
        f"prefecture={prefecture.pk}&status=started&batch=2022Q1&batch=2022Q2&q=水库": {
            "K1",
            "K3",
            "K5",
        },
        f"county={county_a.pk}&industry={transport.pk}": {"K1", "K2", "K6"},
        "in_stats=true": {"K4", "K6"},
        "in_stats=false&batch=2022Q1": {"K5"},
        "status=not_started": {"K2"},
        "q=麒麟": {"Q1"},
        "": {"K1", "K2", "K3", "K4", "K5", "K6", "Q1"},
    }
    for query, expected in cases.items():
        page = _page_codes(client, query)
        assert page == expected, query
        assert _export_codes(client, query) == page, query
        assert _api_codes(client, query) == page, query


def test_the_warning_filter_is_one_in_all_three(ledger, client_for, province_supervisor):
    client = client_for(province_supervisor)
    for level in ("warned", "red", "yellow", "missing"):
        query = f"warning={level}"
        page = _page_codes(client, query)
        assert _export_codes(client, query) == page, query
        assert _api_codes(client, query) == page, query
    assert _page_codes(client, "warning=missing")  # the started projects have no reports


def test_the_choices_are_the_actors_own(ledger, client_for, county_a, county_b, prefecture):
    viewer = make_user("xs_viewer", county_a, "viewer")
    client = client_for(viewer)
    form = client.get("/projects/list/").context["form"]
    assert list(form.fields["county"].queryset) == [county_a]
    assert list(form.fields["prefecture"].queryset) == []  # the prefecture is above them
    assert set(form.fields["batch"].queryset.values_list("code", flat=True)) == {
        "2022Q1",
        "2022Q2",
    }
    assert _page_codes(client, "") == {"K1", "K2", "K6"}


def test_a_unit_outside_the_scope_answers_as_one_that_does_not_exist(
    ledger, client_for, county_a, county_b
):
    """No oracle: another county's id and an id that exists nowhere get the same answer."""
    client = client_for(make_user("xs_viewer", county_a, "viewer"))
    answers = []
    for unit_id in (county_b.pk, 999_999):
        page = client.get(f"/projects/list/?county={unit_id}")
        assert page.context["form"].errors["county"]
        assert {p.code for p in page.context["page"].object_list} == {"K1", "K2", "K6"}
        api = client.get(f"/api/projects/?county={unit_id}")
        assert api.status_code == 400
        export = client.get(f"/projects/list/export.xlsx?county={unit_id}")
        assert export.status_code == 302  # back to the list, which names the filter
        answers.append((page.context["form"].errors["county"], api.json()))
    assert answers[0] == answers[1]


def test_the_dashboard_filters_through_the_same_choices(
    ledger, client_for, county_a, county_b, prefecture
):
    client = client_for(make_user("km_viewer", prefecture, "viewer"))
    page = client.get(f"/projects/?county={county_a.pk}&batch=2022Q2")
    assert page.context["summary"]["projects"] == 2  # K1, K2
    assert page.context["scope_label"] == "昆明市·西山区"
    outside = client.get(f"/projects/?prefecture={ledger.pk}")
    assert outside.context["form"].errors["prefecture"]
    assert outside.context["summary"]["projects"] == 6  # the filter is left out: K1–K6
