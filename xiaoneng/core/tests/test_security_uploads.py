"""Hostile spreadsheets, generated here, through the guarded reader and every way in: the
web imports, the background worker and the command line. None may take the process down;
each ends as a Chinese "文件过大或结构异常：…" and nothing is written.

The XFD1048576 file is the real upstream bug of the spreadsheet library (an abort, not an
exception): if the guard ever let it through in-process, this test process would die.
"""

import io
import re
import zipfile

import pytest
import xlsxwriter
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from xiaoneng.core import guarded
from xiaoneng.core.policy import SYSTEM
from xiaoneng.core.xlsx import ImportFailed, read_sheet
from xiaoneng.projects import tasks
from xiaoneng.projects.models import Batch, ImportJob, Project

pytestmark = pytest.mark.django_db


def _book(rows=(("项目编号", "项目名称"), ("A1", "甲"))) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = book.add_worksheet("台账")
    for r, row in enumerate(rows):
        ws.write_row(r, 0, row)
    book.close()
    return buffer.getvalue()


def _rewrite_sheet(data: bytes, change) -> bytes:
    """The same workbook with its first sheet's XML passed through `change`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = change(content)
            target.writestr(info.filename, content)
    return out.getvalue()


def far_cell(data: bytes | None = None, ref=b"XFD1048576", space=b" ") -> bytes:
    """One cell at the sheet's far corner, the dimension left honest (A1:…) or not."""

    def change(xml):
        xml = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1"/>', xml)
        return xml.replace(b' r="B2"', space + b'r="' + ref + b'"')

    return _rewrite_sheet(data or _book(), change)


def wide_dimension() -> bytes:
    return _rewrite_sheet(
        _book(),
        lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml),
    )


def zip_bomb(megabytes=20) -> bytes:
    """A sheet padded with megabytes of white space: a few KB packed."""
    pad = b" " * (megabytes * 1024 * 1024)
    return _rewrite_sheet(_book(), lambda xml: xml.replace(b"<sheetData>", pad + b"<sheetData>"))


def many_rows_without_numbers(rows: int) -> bytes:
    """Rows that name no row number are numbered by their place."""
    body = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * rows
    return _rewrite_sheet(_book(), lambda xml: xml.replace(b"</sheetData>", body + b"</sheetData>"))


def refusal(data: bytes) -> str:
    with pytest.raises(ImportFailed) as caught:
        read_sheet(data, {"code": ["项目编号"]}, file_label="hostile.xlsx")
    (error,) = caught.value.errors
    return str(error)


# The reader itself


def test_it_reads_an_ordinary_file_in_the_child():
    sheet = read_sheet(_book(), {"code": ["项目编号"], "name": ["项目名称"]})
    assert sheet.name == "台账"
    assert sheet.rows == [(2, {"code": "A1", "name": "甲"})]


def test_it_refuses_a_cell_at_the_far_corner_before_parsing():
    text = refusal(far_cell())
    assert text.startswith("文件“hostile.xlsx”：文件过大或结构异常：")
    assert "1,048,576 行" in text and "200,000" in text


@pytest.mark.parametrize(
    ("ref", "space", "words"),
    [
        (b"XFD1", b" ", "16,384 列"),  # far right, first row
        (b"A200001", b" ", "200,001 行"),  # just past the row cap
        (b"GS1", b" ", "201 列"),  # just past the column cap
        (b"xfd1048576", b" ", "行"),  # lower case
        (b"XFD1048576", b"\n", "1,048,576 行"),  # attributes split by a line break
        (b"XFD1048576", b"\t", "1,048,576 行"),
    ],
)
def test_it_refuses_every_spelling_of_a_far_cell(ref, space, words):
    text = refusal(far_cell(ref=ref, space=space))
    assert "文件过大或结构异常" in text and words in text


@pytest.mark.parametrize(
    ("ref", "refused"),
    [(b"AD5000", False), (b"AE5000", True), (b"AD5001", True), (b"A10000", True)],
)
def test_the_caps_are_exact(settings, ref, refused):
    settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS = 5000, 30  # AD is column 30
    data = far_cell(ref=ref)
    if refused:
        assert "文件过大或结构异常" in refusal(data)
    else:
        sheet = read_sheet(data, {"code": ["项目编号"]})
        assert sheet.rows[0] == (2, {"code": "A1"})


def test_it_refuses_a_dimension_beyond_the_caps():
    assert "1,048,576 行" in refusal(wide_dimension())


def test_it_refuses_rows_counted_by_place(settings):
    settings.IMPORT_MAX_ROWS = 1000
    assert "行" in refusal(many_rows_without_numbers(1200))


def test_it_refuses_a_zip_bomb_without_inflating_it(settings):
    data = zip_bomb(20)
    assert len(data) < 100_000
    assert "压缩比" in refusal(data)
    settings.IMPORT_MAX_UNPACKED_MB = 10
    assert "解压后有 20 MB" in refusal(data)


def test_it_refuses_an_upload_over_the_size_limit(settings):
    settings.IMPORT_MAX_MB = 1
    data = _book() + b"\0" * (1024 * 1024)
    assert "上限为 1 MB" in refusal(data)
    assert "上限为 1 MB" in refusal(io.BytesIO(data))


def test_it_refuses_what_is_not_an_xlsx():
    assert "请上传 .xlsx 文件" in refusal(b"%PDF-1.4 not a spreadsheet")


def test_a_parser_crash_ends_as_an_error_not_a_dead_process(settings):
    """With the caps lifted the far cell reaches the library, which fails as it does
    upstream (an abort, or a panic under the memory limit): in the child only."""
    settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS = 2_000_000, 20_000
    text = refusal(far_cell())
    assert "文件过大或结构异常" in text
    assert "Panic" not in text and "Error" not in text


def test_a_parse_over_the_time_limit_is_stopped(settings):
    settings.IMPORT_PARSE_SECONDS = 0.001  # no child starts that fast
    assert "秒仍未完成" in refusal(_book())


def test_a_parse_over_the_memory_limit_is_stopped(settings):
    """60,000 rows of text need well over 64 MB once parsed."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    ws = book.add_worksheet()
    for r in range(60_000):
        ws.write_row(r, 0, [f"文本{r}-{c}" for c in range(8)])
    book.close()
    # Under memory pressure the library sometimes hangs instead of failing at once: the
    # time limit ends that too, so either reason is a refusal.
    settings.IMPORT_PARSE_MEMORY_MB, settings.IMPORT_PARSE_SECONDS = 48, 20
    text = refusal(buffer.getvalue())
    assert "解析所需内存超过上限" in text or "秒仍未完成" in text


def test_a_background_job_shows_it_is_alive_while_the_child_parses(monkeypatch):
    monkeypatch.setattr(guarded, "HEARTBEAT_SECONDS", 0.001)
    beats = []
    guarded.parse_sheet(_book(), heartbeat=lambda: beats.append(1))
    assert beats


def test_the_guard_names_the_sheet_as_the_user_sees_it():
    with pytest.raises(guarded.UnsafeFile, match="台账"):
        guarded.parse_sheet(far_cell())


# Every way in


@pytest.fixture
def batch():
    return Batch.objects.create(code="2022Q2", actor=SYSTEM)


def test_the_monthly_report_import_answers_with_the_reason(client_for, province_supervisor):
    upload = ContentFile(far_cell(), name="月报.xlsx")
    response = client_for(province_supervisor).post("/projects/reports/import/", {"file": upload})
    assert response.status_code == 200
    assert "文件过大或结构异常" in response.content.decode()


def test_the_worker_survives_and_the_job_fails_with_the_reason(batch, province_supervisor):
    job = ImportJob(batch=batch, created_by=province_supervisor, file_name="台账.xlsx")
    job.file.save("hostile.xlsx", ContentFile(far_cell()), save=False)
    job.save(actor=SYSTEM)
    tasks.run_project_import.call(job.pk)
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert "文件过大或结构异常" in job.errors[0]["message"]
    assert not Project.objects.exists()


def test_the_web_ledger_import_ends_failed(
    client_for, province_supervisor, batch, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    upload = ContentFile(zip_bomb(20), name="台账.xlsx")
    client = client_for(province_supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/projects/import/", {"file": upload, "batch": "2022Q2"})
    assert response.status_code in (200, 302)
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.FAILED
    page = client.get(f"/projects/import/{job.pk}/").content.decode()
    assert "压缩比" in page


def test_the_command_line_exits_with_the_reason(tmp_path, capsys):
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(far_cell())
    with pytest.raises(CommandError):
        call_command("import", "projects", str(path), "--batch", "2022Q2")
    assert "文件过大或结构异常" in capsys.readouterr().err


def test_the_users_import_answers_with_the_reason(client_for, admin_a):
    upload = ContentFile(far_cell(), name="人员.xlsx")
    response = client_for(admin_a).post("/accounts/users/import/", {"file": upload})
    assert response.status_code == 200
    assert "文件过大或结构异常" in response.content.decode()


def test_the_items_import_answers_with_the_reason(client_for, province_supervisor):
    upload = ContentFile(far_cell(), name="事项.xlsx")
    response = client_for(province_supervisor).post("/supervision/import/", {"file": upload})
    assert response.status_code == 200
    assert "文件过大或结构异常" in response.content.decode()
