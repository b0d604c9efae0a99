"""The rules of projects/policy.py beyond the matrix (whose actor sits in a county): the
province and a prefecture, the system actor, nobody, and the pages' buttons."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from xiaoneng.conftest import make_user
from xiaoneng.core import policy
from xiaoneng.core.policy import SYSTEM
from xiaoneng.projects import links, services
from xiaoneng.projects.models import Batch, Industry, Project
from xiaoneng.units.models import Unit

from .conftest import HEADERS, ledger_row, xlsx


@pytest.fixture
def projects(make_project, prefecture, county_a, county_b):
    return [
        make_project("A1", county=county_a),
        make_project("B1", county=county_b),
        make_project("P1"),  # 州市本级: no county
    ]


@pytest.mark.parametrize("action", ["view", "change", "report"])
def test_restrict_and_can_agree_above_the_county(
    projects, province_supervisor, prefecture, county_a, action
):
    people = [
        province_supervisor,
        make_user("km_xn", prefecture, "supervisor"),
        make_user("km_admin", prefecture, "unit_admin"),
        make_user("km_tb", prefecture, "reporter"),
        make_user("xs_xn", county_a, "supervisor"),
    ]
    for person in people:
        rows = set(Project.objects.restrict(person, action))
        assert rows == {p for p in projects if policy.can(person, action, p)}, person
    assert set(Project.objects.restrict(people[1], "change")) == set(projects)
    assert {p.code for p in Project.objects.restrict(people[4], "change")} == {"A1"}


def test_the_province_alone_keeps_batches_and_industries(province_supervisor, prefecture, batch):
    industry = Industry.objects.first()
    city = make_user("km_xn", prefecture, "supervisor")
    for model, row in ((Batch, batch), (Industry, industry)):
        assert policy.can(province_supervisor, "change", row)
        assert policy.can_any(province_supervisor, "change", model)
        assert not policy.can(city, "change", row)
        assert not policy.can_any(city, "change", model)
        assert not model.objects.restrict(city, "change").exists()
    with pytest.raises(PermissionDenied):
        services.save_batch(actor=city, code="2023Q1")
    assert services.save_batch(actor=province_supervisor, code="2023Q1").pk


def test_the_system_may_and_nobody_may_not(batch, county_a, make_project):
    ledger = xlsx(HEADERS, [ledger_row("S1")])
    assert services.import_projects(ledger, batch=batch, actor=SYSTEM).created == 1
    project = Project.objects.get(code="S1")
    report = services.save_report(
        project, actor=SYSTEM, year=2022, month=6, completed_ytd=Decimal("1"),
        today=dt.date(2022, 7, 20),
    )  # fmt: skip
    assert report.reported_by is None  # the system is nobody in particular
    for call in (
        lambda: services.import_projects(ledger, batch=batch, actor=None),
        lambda: services.save_report(
            project, actor=None, year=2022, month=7, completed_ytd=Decimal("2")
        ),
        lambda: services.update_project(project, actor=None, name="改"),
        lambda: services.save_batch(actor=None, code="2023Q1"),
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_an_inactive_admin_may_no_longer_import(batch, county_a, admin_a):
    admin_a.is_active = False
    admin_a.save(actor=SYSTEM)
    with pytest.raises(PermissionDenied):
        services.import_projects(xlsx(HEADERS, [ledger_row("I1")]), batch=batch, actor=admin_a)


def test_the_list_shows_each_import_to_whom_may_use_it(
    client_for, batch, county_a, admin_a, handler_a
):
    reporter = make_user("xs_tb", county_a, "reporter")
    for user, ledger, reports in (
        (admin_a, True, False),
        (reporter, False, True),
        (handler_a, False, False),
    ):
        page = client_for(user).get("/projects/list/").content.decode()
        assert ("导入台账" in page) is ledger, user
        assert ("导入月度调度表" in page) is reports, user
        status = client_for(user).get("/projects/reports/import/").status_code
        assert status == (200 if reports else 403), user


def test_the_detail_page_buttons_follow_the_policy(client_for, make_project, county_a, admin_a):
    project = make_project("D1", county=county_a)
    reporter = make_user("xs_tb", county_a, "reporter")
    admin_page = client_for(admin_a).get(f"/projects/{project.pk}/").content.decode()
    assert "修改项目" in admin_page and "填报月度调度" not in admin_page
    reporter_page = client_for(reporter).get(f"/projects/{project.pk}/").content.decode()
    assert "修改项目" not in reporter_page and "填报月度调度" in reporter_page
    assert client_for(admin_a).get(f"/projects/{project.pk}/report/").status_code == 403
    assert client_for(reporter).get(f"/projects/{project.pk}/edit/").status_code == 403


def test_without_the_supervision_rule_no_problem_is_raised(
    monkeypatch, make_project, county_a, province_supervisor
):
    project = make_project("N1", county=county_a)
    assert links.can_raise_problem(province_supervisor, project)
    monkeypatch.delitem(policy._RULES, (Unit, "assign"))
    assert not links.can_raise_problem(province_supervisor, project)
