"""Pages, exports and the API: scope (the outsider sees nothing of county A), query
counts, the web import with its progress row and its error table, the template."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from xiaoneng.conftest import make_user
from xiaoneng.core.policy import SYSTEM
from xiaoneng.core.versioning import version_of
from xiaoneng.projects.models import ImportJob, Project

from .conftest import HEADERS, ledger_row, xlsx

SECRET = "西山机密项目"


@pytest.fixture
def projects(make_project, county_a, county_b):
    a = make_project("A1", county=county_a, name=SECRET, actual_start=dt.date(2022, 6, 8),
                     completed_ytd=Decimal("100"))  # fmt: skip
    for i in range(5):
        make_project(f"A{i + 2}", county=county_a)
    b = make_project("B1", county=county_b, name="五华项目")
    return a, b


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _xlsx_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return " ".join(
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell
    )


def test_the_outsider_sees_nothing_of_county_a(projects, client_for, handler_b):
    a, _b = projects
    client = client_for(handler_b)
    for url in [
        "/projects/",
        "/projects/list/",
        "/projects/screen/",
        f"/projects/?county={a.county_id}",
    ]:
        page = client.get(url).content.decode()
        assert SECRET not in page, url
    assert "五华项目" in client.get("/projects/list/").content.decode()
    assert client.get(f"/projects/{a.pk}/").status_code == 404
    assert SECRET not in _xlsx_text(client.get("/projects/list/export.xlsx").content)
    assert "A1" not in _xlsx_text(client.get("/projects/list/export.xlsx").content)
    summary_sheet = _xlsx_text(client.get("/projects/export.xlsx").content)
    assert "西山区" not in summary_sheet
    api = client.get("/api/projects/").json()
    assert [p["code"] for p in api["results"]] == ["B1"]
    assert client.get(f"/api/projects/{a.pk}/").status_code == 404
    assert client.get("/api/projects/summary/").json()["projects"] == 1


def test_the_prefecture_sees_its_counties_and_drills_down(
    projects, client_for, prefecture, county_a
):
    viewer = make_user("km_ck", prefecture, "viewer")
    client = client_for(viewer)
    page = client.get(f"/projects/?prefecture={prefecture.pk}").content.decode()
    assert "各县市区比一比" in page and "西山区" in page and "五华区" in page
    page = client.get(f"/projects/?county={county_a.pk}").content.decode()
    assert "项目清单" in page
    listing = client.get(f"/projects/list/?county={county_a.pk}").content.decode()
    assert SECRET in listing and "五华项目" not in listing


def test_the_dashboard_and_list_take_a_fixed_number_of_queries(projects, client_for, province_supervisor,
                                                               django_assert_max_num_queries):  # fmt: skip
    client = client_for(province_supervisor)
    with django_assert_max_num_queries(20):
        assert client.get("/projects/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/projects/list/").status_code == 200


def test_the_dashboard_has_a_table_view_for_every_chart(projects, client_for, province_supervisor):
    page = client_for(province_supervisor).get("/projects/").content.decode()
    assert page.count('data-chart="') == 6
    assert page.count('class="chart-table"') == 6
    assert "echarts.min.js" in page
    assert "<script>" not in page  # CSP: no inline script (json_script has a type)


def test_the_export_lists_the_visible_projects(projects, client_for, province_supervisor):
    response = client_for(province_supervisor).get("/projects/list/export.xlsx?warning=")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = _xlsx_text(response.content)
    assert SECRET in text and "五华项目" in text


def test_the_list_filters_by_warning(projects, client_for, province_supervisor):
    a, _b = projects
    Project.objects.filter(pk=a.pk).update(planned_start=dt.date(2020, 1, 1), actual_start=None)
    page = client_for(province_supervisor).get("/projects/list/?warning=red").content.decode()
    assert SECRET in page and "五华项目" not in page


def test_a_filter_that_cannot_be_used_is_named_and_the_others_still_apply(
    projects, client_for, province_supervisor, handler_b, county_a
):
    page = client_for(province_supervisor).get("/projects/list/?q=五华&county=abc").content.decode()
    assert 'data-testid="filter-errors"' in page and "筛选条件“县市区”无效" in page
    assert "五华项目" in page and SECRET not in page  # q still applies
    # The outsider naming county A: refused as a choice, and still nothing of county A.
    for url in ("/projects/list/", "/projects/"):
        page = client_for(handler_b).get(f"{url}?county={county_a.pk}").content.decode()
        assert "筛选条件“县市区”无效" in page and SECRET not in page


def test_the_template_has_the_headers_the_import_reads(
    client_for, province_supervisor, batch, county_a
):
    from openpyxl import load_workbook

    from xiaoneng.projects import services
    from xiaoneng.projects.ledgers import PROJECTS

    response = client_for(province_supervisor).get("/projects/import/template.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert [c.value for c in sheet[1]] == [c.header for c in PROJECTS.imported()]
    sheet.append(ledger_row("T1"))
    filled = io.BytesIO()
    book.save(filled)
    result = services.import_projects(filled.getvalue(), batch=batch, actor=province_supervisor)
    assert (result.created, result.warnings) == (1, [])


def test_the_web_import_runs_as_a_task_and_shows_progress(
    immediate_tasks,
    client_for,
    province_supervisor,
    batch,
    county_a,
    django_capture_on_commit_callbacks,
):
    client = client_for(province_supervisor)
    upload = SimpleUploadedFile("ledger.xlsx", xlsx(HEADERS, [ledger_row("W1"), ledger_row("W2")]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/projects/import/", {"batch": "2022Q2", "file": upload}, HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200
    assert 'hx-trigger="every 1s"' in response.content.decode()  # the fragment polls its row
    job = ImportJob.objects.get()
    assert job.state == "done" and job.result["created"] == 2 and job.percent == 100
    polled = client.get(f"/projects/import/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "新增 2 个" in polled and "hx-trigger" not in polled  # finished: polling stops
    assert Project.objects.filter(code__in=["W1", "W2"]).count() == 2


def test_the_web_import_shows_every_error_as_a_table(
    immediate_tasks,
    client_for,
    province_supervisor,
    batch,
    county_a,
    django_capture_on_commit_callbacks,
):
    client = client_for(province_supervisor)
    rows = [
        ledger_row("E1"),
        ledger_row("E2", **{"是否入库": "大概"}),
        ledger_row("E3", county="月球区"),
    ]
    upload = SimpleUploadedFile("bad.xlsx", xlsx(HEADERS, rows))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/projects/import/", {"batch": "2022Q2", "file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/projects/import/{job.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-errors"' in page
    assert "大概" in page and "月球区" in page
    assert [e["row"] for e in job.errors] == [3, 4]
    assert not Project.objects.exists()


def test_only_managers_import(client_for, handler_a, batch):
    assert client_for(handler_a).get("/projects/import/").status_code == 403


def test_the_web_import_creates_a_new_batch(
    immediate_tasks, client_for, province_supervisor, county_a, django_capture_on_commit_callbacks
):
    from xiaoneng.projects.models import Batch
    from xiaoneng.projects.services import ensure_default_industries

    ensure_default_industries(actor=SYSTEM)
    upload = SimpleUploadedFile("new.xlsx", xlsx(HEADERS, [ledger_row("N1")]))
    with django_capture_on_commit_callbacks(execute=True):
        client_for(province_supervisor).post(
            "/projects/import/", {"batch": "2023Q1", "ceremony_date": "2023-03-08", "file": upload}
        )
    batch = Batch.objects.get(code="2023Q1")
    assert batch.ceremony_date == dt.date(2023, 3, 8)
    assert batch.name == "2023年第一季度集中开工"  # named from its code
    assert Project.objects.get(code="N1").batch == batch


def test_only_the_province_edits_the_industry_catalogue(
    client_for, province_supervisor, prefecture
):
    from xiaoneng.projects.models import Industry
    from xiaoneng.projects.services import ensure_default_industries

    ensure_default_industries(actor=SYSTEM)
    traffic = Industry.objects.get(name="交通")
    km = make_user("km_xn", prefecture, "supervisor")
    assert (
        client_for(km).post("/projects/industries/", {"name": "新行业", "sort": 1}).status_code
        == 403
    )
    response = client_for(province_supervisor).post(
        f"/projects/industries/{traffic.pk}/",
        {"name": "交通", "aliases": "交通运输、公路", "sort": 6, "version": version_of(traffic)},
    )
    assert response.status_code == 302
    traffic.refresh_from_db()
    assert "公路" in traffic.alias_list()


def test_the_industry_pages_add_edit_and_refuse_a_duplicate_name(client_for, province_supervisor):
    from xiaoneng.projects.models import Industry
    from xiaoneng.projects.services import ensure_default_industries

    ensure_default_industries(actor=SYSTEM)
    c = client_for(province_supervisor)
    url = reverse("projects:industry_list")
    r = c.post(url, {"name": "低空经济", "aliases": "", "sort": 50})
    assert r.status_code == 302 and Industry.objects.filter(name="低空经济").exists()
    r = c.post(url, {"name": "交通", "aliases": "", "sort": 60})
    assert r.status_code == 200 and "已有同名行业" in r.context["form"].errors["name"][0]
    new = Industry.objects.get(name="低空经济")
    edit = reverse("projects:industry_edit", args=[new.pk])
    r = c.post(edit, {"name": "交通", "aliases": "", "sort": 50, "version": version_of(new)})
    assert r.status_code == 200 and "已有同名行业" in r.context["form"].errors["name"][0]
    r = c.post(
        edit, {"name": "低空经济", "aliases": "无人机", "sort": 50, "version": version_of(new)}
    )
    assert r.status_code == 302
    new.refresh_from_db()
    assert new.aliases == "无人机"


def test_the_breadcrumbs_keep_the_batch_and_industry(projects, client_for, province_supervisor,
                                                      prefecture, county_a):  # fmt: skip
    from xiaoneng.projects.models import Industry

    traffic = Industry.objects.get(name="交通").pk
    page = (
        client_for(province_supervisor)
        .get(f"/projects/?batch=2022Q2&industry={traffic}&county={county_a.pk}")
        .content.decode()
    )
    crumbs = page.split('class="muted breadcrumbs">', 1)[1].split("</nav>", 1)[0]
    assert f'href="/projects/?batch=2022Q2&amp;industry={traffic}&amp;"' in crumbs
    assert f'href="?batch=2022Q2&amp;industry={traffic}&amp;prefecture={prefecture.pk}"' in crumbs
