"""The English catalogue covers the key pages: with the language cookie set to English,
the supervision list, an item's page and the projects dashboard read in English.

Unit, person and item names are data and stay Chinese; the checks look at UI words only.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from xiaoneng.core.policy import SYSTEM
from xiaoneng.projects.models import Batch, Industry, Project
from xiaoneng.projects.services import ensure_default_industries
from xiaoneng.supervision import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def english(client_for, province_supervisor):
    client = client_for(province_supervisor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def item(province_supervisor, county_a):
    return services.assign_item(
        actor=province_supervisor,
        kind="task",
        title="落实营商环境整改",
        lead_unit=county_a,
        assigned_on=dt.date.today(),
        deadline=dt.date.today() + dt.timedelta(days=30),
    )


@pytest.fixture
def project(prefecture, county_a):
    ensure_default_industries()
    batch = Batch.objects.create(code="2022Q2", ceremony_date=dt.date(2022, 6, 8), actor=SYSTEM)
    return Project.objects.create(
        code="A1",
        name="西山项目",
        batch=batch,
        prefecture=prefecture,
        county=county_a,
        industry=Industry.objects.get(name="交通"),
        total_investment=Decimal("1000"),
        annual_plan=Decimal("500"),
        actor=SYSTEM,
    )


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    return html


def _assert_english(html, english_words, chinese_words):
    for word in english_words:
        assert word in html, f"missing English: {word}"
    for word in chinese_words:
        assert word not in html, f"Chinese left: {word}"


def test_it_shows_the_supervision_list_in_english(english, item):
    html = _page(english, reverse("supervision:item_list") + "?kind=task")
    _assert_english(
        html,
        ["Supervision items", "Problem list", "Exposure board", "Lead unit", "Deadline",
         "Red light", "Code or title", "Export to Excel", "Total: 1"],
        ["督办事项", "问题清单", "曝光台", "牵头单位", "办理时限", "红灯", "编号或标题", "共 1 项"],
    )  # fmt: skip


def test_it_shows_an_item_in_english(english, item):
    html = _page(english, reverse("supervision:item_detail", args=[item.pk]))
    _assert_english(
        html,
        ["Lead unit", "Co-units", "Deadline", "Urgency", "Normal", "Assigned", "Timeline", "Urge"],
        ["牵头单位", "配合单位", "办理时限", "紧急程度", "已交办", "办理过程", "催办"],
    )


def test_it_shows_the_projects_dashboard_in_english(english, project):
    html = _page(english, reverse("projects:dashboard"))
    _assert_english(
        html,
        ["Project dispatch", "Start rate", "In-stats rate", "Completion rate", "Project list",
         "Batch:", "Big-screen mode"],
        ["重大项目调度", "开工率", "入库率", "投资完成率", "项目清单", "批次：", "大屏模式"],
    )  # fmt: skip


def test_chinese_stays_the_default(client_for, province_supervisor, item):
    html = client_for(province_supervisor).get(reverse("supervision:item_list")).content.decode()
    assert "牵头单位" in html and "Lead unit" not in html
