"""The web import's form: htmx gets fragments, a new batch only comes with a successful
import, moving projects between batches is a checkbox."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xiaoneng.conftest import make_user
from xiaoneng.core.policy import SYSTEM
from xiaoneng.projects.models import Batch, ImportJob, Project

from .conftest import HEADERS, ledger_row, xlsx


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _post(client, data, *, htmx=True, capture=None):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    if capture is None:
        return client.post("/projects/import/", data, **headers)
    with capture(execute=True):
        return client.post("/projects/import/", data, **headers)


def _is_fragment(html: str) -> bool:
    return "<html" not in html and "<body" not in html and 'hx-post="/projects/import/"' not in html


def test_a_wrong_file_gets_a_fragment_with_the_reason(client_for, province_supervisor, batch):
    upload = SimpleUploadedFile("ledger.txt", b"hello")
    response = _post(client_for(province_supervisor), {"batch": "2022Q2", "file": upload})
    html = response.content.decode()
    assert response.status_code == 200 and _is_fragment(html), html[:300]
    assert 'data-testid="upload-errors"' in html and "请上传 .xlsx 文件" in html
    assert not ImportJob.objects.exists()


def test_a_prefecture_cannot_create_a_batch_and_is_told_in_a_fragment(
    client_for, prefecture, batch
):
    km = make_user("km_xn", prefecture, "supervisor")
    upload = SimpleUploadedFile("ledger.xlsx", xlsx(HEADERS, [ledger_row("W1")]))
    response = _post(client_for(km), {"batch": "2099Q9", "file": upload})
    html = response.content.decode()
    assert response.status_code == 200 and _is_fragment(html), html[:300]
    assert "新批次只能由省效能办建立" in html
    assert not Batch.objects.filter(code="2099Q9").exists() and not ImportJob.objects.exists()
    # Without htmx the whole page comes back, with the error on the field.
    upload.seek(0)
    page = _post(client_for(km), {"batch": "2099Q9", "file": upload}, htmx=False)
    assert "<html" in page.content.decode() and "新批次只能由省效能办建立" in page.content.decode()


def test_a_failed_web_import_leaves_no_new_batch(
    immediate_tasks, client_for, province_supervisor, county_a, batch,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    client = client_for(province_supervisor)
    bad = SimpleUploadedFile("bad.xlsx", xlsx(HEADERS, [ledger_row("W1", county="月球区")]))
    response = _post(client, {"batch": "2023Q1", "ceremony_date": "2023-03-08", "file": bad},
                     capture=django_capture_on_commit_callbacks)  # fmt: skip
    assert response.status_code == 200
    job = ImportJob.objects.get()
    assert job.state == "failed" and job.batch is None and job.batch_code == "2023Q1"
    assert not Batch.all_objects.filter(code="2023Q1").exists()
    good = SimpleUploadedFile("good.xlsx", xlsx(HEADERS, [ledger_row("W1")]))
    _post(client, {"batch": "2023Q1", "ceremony_date": "2023-03-08", "file": good},
          capture=django_capture_on_commit_callbacks)  # fmt: skip
    job = ImportJob.objects.order_by("-pk").first()
    assert job.state == "done" and job.batch.code == "2023Q1"
    assert Batch.objects.get(code="2023Q1").ceremony_date == dt.date(2023, 3, 8)
    polled = client.get(f"/projects/import/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "?batch=2023Q1" in polled


def test_moving_projects_between_batches_is_a_checkbox(
    immediate_tasks, client_for, province_supervisor, county_a, batch, make_project,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    make_project("W1", county=county_a)
    Batch.objects.create(code="2022Q3", actor=SYSTEM)
    client = client_for(province_supervisor)
    upload = SimpleUploadedFile("move.xlsx", xlsx(HEADERS, [ledger_row("W1")]))
    _post(client, {"batch": "2022Q3", "file": upload}, capture=django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.state == "failed"
    assert "该项目已属于批次 2022Q2" in job.errors[0]["message"]
    assert Project.objects.get(code="W1").batch == batch
    upload.seek(0)
    _post(client, {"batch": "2022Q3", "file": upload, "move": "on"},
          capture=django_capture_on_commit_callbacks)  # fmt: skip
    assert Project.objects.get(code="W1").batch.code == "2022Q3"


def test_a_file_that_is_no_workbook_is_named_without_a_row(
    immediate_tasks, client_for, province_supervisor, county_a, batch,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    client = client_for(province_supervisor)
    junk = SimpleUploadedFile("junk.xlsx", b"not a workbook")
    _post(client, {"batch": "2022Q2", "file": junk}, capture=django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.errors == [
        {"row": "", "column": "", "value": "", "message": "无法读取该文件，请上传 .xlsx 文件"}
    ]


def test_the_ceremony_date_of_an_existing_batch_is_the_provinces_to_change(
    immediate_tasks, client_for, province_supervisor, prefecture, county_a, batch,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    km = make_user("km_xn", prefecture, "supervisor")
    upload = SimpleUploadedFile("ledger.xlsx", xlsx(HEADERS, [ledger_row("W1")]))
    data = {"batch": "2022Q2", "ceremony_date": "2022-06-18", "file": upload}
    html = _post(client_for(km), data).content.decode()
    assert _is_fragment(html) and "只有省效能办可以修改批次的集中开工日期" in html
    upload.seek(0)
    _post(client_for(province_supervisor), data, capture=django_capture_on_commit_callbacks)
    batch.refresh_from_db()
    assert batch.ceremony_date == dt.date(2022, 6, 18)
    assert any("集中开工日期已由" in w for w in ImportJob.objects.get().warnings)


def test_the_report_import_page_names_a_broken_file_without_a_row(client_for, province_supervisor):
    junk = SimpleUploadedFile("junk.xlsx", b"not a workbook")
    page = client_for(province_supervisor).post("/projects/reports/import/", {"file": junk})
    html = page.content.decode()
    assert "无法读取该文件，请上传 .xlsx 文件" in html
    assert '<td data-label="行">0</td>' not in html
