"""No silent overwrite in 重大项目调度: the project, batch, industry and monthly report forms
carry the version they were read at; a save over someone else's newer one is refused."""

import datetime as dt
from decimal import Decimal

import pytest

from xiaoneng.conftest import make_user
from xiaoneng.core.tests.stale import assert_stale, form_version
from xiaoneng.projects import services
from xiaoneng.projects.models import Batch, Industry, MonthlyReport, Project


@pytest.fixture
def project(make_project, county_a):
    return make_project("E-1", county=county_a, planned_start=dt.date(2022, 3, 1), owner="甲公司")


@pytest.fixture
def other_supervisor(province):
    return make_user("sheng_xn2", province, "supervisor", name="赵效能")


def project_form(project, **changes) -> dict:
    return {
        "name": project.name,
        "prefecture": project.prefecture_id,
        "county": project.county_id,
        "industry": project.industry_id,
        "total_investment": str(project.total_investment),
        "annual_plan": str(project.annual_plan),
        "completed_ytd": str(project.completed_ytd),
        "planned_start": "2022-03",
        "owner": project.owner,
        "status": project.status,
        **changes,
    }


def test_the_project_form(client_for, admin_a, province_supervisor, project):
    client = client_for(admin_a)
    url = f"/projects/{project.pk}/edit/"
    version = form_version(client.get(url))
    services.update_project(project, actor=province_supervisor, owner="乙公司")

    typed = project_form(project, name="改过的项目名称", version=version)
    response = client.post(url, typed)
    assert_stale(response, who="王效能", field="项目业主", typed="改过的项目名称")
    assert "甲公司 → 乙公司" in response.content.decode()
    project.refresh_from_db()
    assert (project.name, project.owner) == ("项目E-1", "乙公司")

    response = client.post(url, {**typed, "version": form_version(response)})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.name == "改过的项目名称"


def test_the_batch_form(client_for, province_supervisor, other_supervisor, batch):
    client = client_for(province_supervisor)
    url = f"/projects/batches/{batch.pk}/"
    version = form_version(client.get(url))
    services.update_batch(
        batch, actor=other_supervisor, name="", ceremony_date=dt.date(2022, 6, 18)
    )

    typed = {"name": "第二季度集中开工", "ceremony_date": "2022-06-08", "version": version}
    response = client.post(url, typed)
    assert_stale(response, who="赵效能", field="集中开工日期", typed="第二季度集中开工")
    assert "2022-06-08 → 2022-06-18" in response.content.decode()
    batch = Batch.objects.get(pk=batch.pk)
    assert (batch.name, batch.ceremony_date) == ("", dt.date(2022, 6, 18))

    response = client.post(url, {**typed, "version": form_version(response)})
    assert response.status_code == 302
    batch = Batch.objects.get(pk=batch.pk)
    assert (batch.name, batch.ceremony_date) == ("第二季度集中开工", dt.date(2022, 6, 8))


def test_the_industry_form(client_for, province_supervisor, other_supervisor, batch):
    traffic = Industry.objects.get(name="交通")
    client = client_for(province_supervisor)
    url = f"/projects/industries/{traffic.pk}/"
    version = form_version(client.get(url))
    services.save_industry(
        traffic, actor=other_supervisor, name="交通", aliases="公路", sort=traffic.sort
    )

    typed = {"name": "交通运输", "aliases": traffic.aliases, "sort": 6, "version": version}
    response = client.post(url, typed)
    assert_stale(response, who="赵效能", field="别名", typed="交通运输")
    traffic.refresh_from_db()
    assert (traffic.name, traffic.aliases) == ("交通", "公路")

    response = client.post(url, {**typed, "version": form_version(response)})
    assert response.status_code == 302
    traffic.refresh_from_db()
    assert traffic.name == "交通运输"


def test_the_monthly_report_form(client_for, county_a, project):
    reporter = make_user("xs_tb", county_a, "reporter", name="吴填报")
    other = make_user("xs_tb2", county_a, "reporter", name="冯填报")
    client = client_for(reporter)
    url = f"/projects/{project.pk}/report/"
    version = form_version(client.get(url))
    services.save_report(
        project, actor=other, year=2022, month=6, completed_this_month=Decimal("30")
    )

    typed = {"year": 2022, "month": 6, "completed_this_month": "80", "progress": "主体封顶"}
    response = client.post(url, {**typed, "version": version})
    assert_stale(response, who="冯填报", field="本月完成投资（万元）", typed="主体封顶")
    june = MonthlyReport.objects.get(project=project, month=6)
    assert (june.completed_this_month, june.progress) == (Decimal("30.00"), "")

    response = client.post(url, {**typed, "version": form_version(response)})
    assert response.status_code == 302
    june.refresh_from_db()
    assert (june.completed_this_month, june.progress) == (Decimal("80.00"), "主体封顶")

    # A month nobody reported since the form was read is not someone else's: saved.
    july = {"year": 2022, "month": 7, "completed_this_month": "5", "version": version}
    assert client.post(url, july).status_code == 302
    assert Project.objects.get(pk=project.pk).completed_ytd == Decimal("85.00")
