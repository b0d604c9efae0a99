"""The edit page of one project: the import's rules, the importer's rights, audited."""

import datetime as dt
from decimal import Decimal

import pytest

from xiaoneng.conftest import make_unit, make_user
from xiaoneng.core.audit import history_for
from xiaoneng.core.policy import SYSTEM
from xiaoneng.core.versioning import version_of
from xiaoneng.projects.models import MonthlyReport, Project
from xiaoneng.units.models import Level


@pytest.fixture
def project(make_project, county_a):
    return make_project("E-1", county=county_a, planned_start=dt.date(2022, 3, 1))


def _form(project, **changes) -> dict:
    data = {
        "name": project.name,
        "prefecture": project.prefecture_id,
        "county": project.county_id or "",
        "industry": project.industry_id,
        "total_investment": str(project.total_investment),
        "annual_plan": str(project.annual_plan),
        "completed_ytd": str(project.completed_ytd),
        "planned_start": "2022-03",
        "actual_start": "",
        "in_stats_on": "",
        "owner": project.owner,
        "leader_in_charge": project.leader_in_charge,
        "status": project.status,
        "version": version_of(project),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_it_saves_every_ledger_field_and_audits_it(client_for, admin_a, project, county_a):
    from xiaoneng.projects.models import Industry

    energy = Industry.objects.get(name="能源工业")
    response = client_for(admin_a).post(
        f"/projects/{project.pk}/edit/",
        _form(
            project,
            name="新名称",
            industry=energy.pk,
            total_investment="2,000",
            annual_plan="800.5",
            completed_ytd="100",
            planned_start="2022年4月",
            actual_start="2022/5/15",
            in_stats="on",
            in_stats_on="2022-06",
            owner="新业主",
            leader_in_charge="李四",
            private_investment="on",
            top_priority="on",
            status="in_stats",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == f"/projects/{project.pk}/"
    project.refresh_from_db()
    assert (project.name, project.industry, project.owner, project.leader_in_charge) == (
        "新名称", energy, "新业主", "李四",
    )  # fmt: skip
    assert project.total_investment == Decimal("2000.00")
    assert project.annual_plan == Decimal("800.50")
    assert project.completed_ytd == Decimal("100.00")
    assert project.planned_start == dt.date(2022, 4, 1)
    assert project.actual_start == dt.date(2022, 5, 15)
    assert project.in_stats and project.in_stats_on == dt.date(2022, 6, 1)
    assert project.private_investment and project.top_priority
    assert project.status == "in_stats"
    entry = history_for(project).filter(action="update").get()
    assert entry.user == admin_a
    changed = {name for name, _o, _n in entry.changed_fields()}
    assert {"name", "total_investment", "in_stats", "status", "industry_id"} <= changed
    assert entry.before["name"] == "项目E-1" and entry.after["name"] == "新名称"


def test_the_detail_page_links_to_the_edit_page_for_managers_only(
    client_for, admin_a, handler_a, project
):
    url = f"/projects/{project.pk}/edit/"
    assert url in client_for(admin_a).get(f"/projects/{project.pk}/").content.decode()
    assert url not in client_for(handler_a).get(f"/projects/{project.pk}/").content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"annual_plan": "1500"}, "annual_plan", "年度计划投资不能大于总投资"),
        ({"completed_ytd": "1000.01"}, "completed_ytd", "累计完成投资不能大于总投资"),
        ({"in_stats_on": "2022-06"}, "in_stats_on", "未入库的项目不应填入库时间"),
        (
            {"actual_start": "2022-06-10", "in_stats": "on", "in_stats_on": "2022-05",
             "status": "in_stats"},
            "in_stats_on", "入库时间早于实际开工时间",
        ),
        ({"planned_start": "2022-13"}, "planned_start", "日期不存在"),
        ({"actual_start": "下个月"}, "actual_start", "无法识别的日期"),
        ({"total_investment": "-5"}, "total_investment", "不能为负数"),
        ({"total_investment": "一千"}, "total_investment", "应为数字"),
        ({"annual_plan": "1.23"}, None, None),  # two decimals: accepted
        ({"annual_plan": "1.234"}, "annual_plan", "最多两位小数"),  # refused, never rounded
        ({"in_stats": "on", "status": "in_stats"}, "in_stats", "应填“实际开工时间”"),
        ({"actual_start": "2035-06-10", "status": "started"}, "actual_start", "不能晚于今天"),
        (
            {"actual_start": "2022-06-10", "in_stats": "on", "in_stats_on": "2022-06-09",
             "status": "in_stats"},
            "in_stats_on", "入库时间早于实际开工时间",
        ),
        ({"actual_start": "2022-06-10"}, "status", "状态与开工、入库情况不符（应为“已开工”）"),
        ({"status": "completed"}, "status", "已竣工或已投产的项目应填实际开工时间"),
        ({"name": ""}, "name", "必填"),
    ],
)  # fmt: skip
def test_it_refuses_what_the_import_refuses(client_for, admin_a, project, changes, field, reason):
    response = client_for(admin_a).post(f"/projects/{project.pk}/edit/", _form(project, **changes))
    if field is None:
        assert response.status_code == 302
        return
    assert response.status_code == 200
    form = response.context["form"]
    assert reason in " ".join(form.errors[field]), form.errors
    project.refresh_from_db()
    assert project.name == "项目E-1" and project.total_investment == Decimal("1000.00")
    assert not history_for(project).filter(action="update").exists()


def test_the_county_must_belong_to_the_prefecture(
    client_for, province_supervisor, project, province
):
    other = make_unit("532300", "楚雄彝族自治州", Level.PREFECTURE, province)
    response = client_for(province_supervisor).post(
        f"/projects/{project.pk}/edit/", _form(project, prefecture=other.pk)
    )
    assert response.status_code == 200
    assert "该县市区不属于所填州市" in " ".join(response.context["form"].errors["county"])
    project.refresh_from_db()
    assert project.prefecture_id != other.pk


def test_a_county_cannot_move_its_project_out_of_its_reach(client_for, admin_a, project, county_b):
    # The form offers only the counties the admin may put projects in (Unit
    # "place_projects"); another county is not a choice, as if it did not exist.
    response = client_for(admin_a).post(
        f"/projects/{project.pk}/edit/", _form(project, county=county_b.pk)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["county"]
    choices = response.context["form"].fields["county"].queryset
    assert list(choices) == [project.county]
    project.refresh_from_db()
    assert project.county_id != county_b.pk


def test_the_service_refuses_a_move_out_of_reach(admin_a, project, county_b):
    from django.core.exceptions import ValidationError

    from xiaoneng.projects import services

    with pytest.raises(ValidationError, match="不在您的管理范围内"):
        services.update_project(project, actor=admin_a, county=county_b)
    project.refresh_from_db()
    assert project.county_id != county_b.pk


def test_the_form_offers_the_admins_places_and_the_prefecture_above(
    client_for, admin_a, project, prefecture, county_a, county_b
):
    form = client_for(admin_a).get(f"/projects/{project.pk}/edit/").context["form"]
    assert list(form.fields["county"].queryset) == [county_a]
    assert list(form.fields["prefecture"].queryset) == [prefecture]


def test_an_outsider_gets_404_and_a_handler_403(client_for, project, county_b, handler_a):
    admin_b = make_user("wh_admin", county_b, "unit_admin")
    url = f"/projects/{project.pk}/edit/"
    assert client_for(admin_b).get(url).status_code == 404
    assert client_for(admin_b).post(url, _form(project, name="改")).status_code == 404
    assert client_for(handler_a).get(url).status_code == 403
    assert client_for(handler_a).post(url, _form(project, name="改")).status_code == 403
    project.refresh_from_db()
    assert project.name == "项目E-1"


def test_completed_investment_follows_the_monthly_reports(
    client_for, admin_a, project, province_supervisor
):
    from django.core.exceptions import ValidationError

    from xiaoneng.projects import services

    Project.objects.filter(pk=project.pk).update(actual_start=dt.date(2022, 3, 5), status="started")
    project.refresh_from_db()
    MonthlyReport.objects.create(
        project=project, year=2022, month=3, completed_this_month=Decimal("10"),
        completed_ytd=Decimal("10"), actor=SYSTEM,
    )  # fmt: skip
    page = client_for(admin_a).get(f"/projects/{project.pk}/edit/")
    assert "completed_ytd" not in page.context["form"].fields
    with pytest.raises(ValidationError, match="以月报为准"):
        services.update_project(project, actor=province_supervisor, completed_ytd=Decimal("99"))
