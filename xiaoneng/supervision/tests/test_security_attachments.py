"""Issue 10, requirement 8 (attachments): a refused multi-file upload leaves no file of
it under MEDIA_ROOT, and no row."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from xiaoneng.supervision import services
from xiaoneng.supervision.models import Attachment, Item

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def three_files(bad_name="说明.bin", bad_content=PDF):
    """Two good files, then a refused one: a PDF whose name does not say so."""
    return [
        SimpleUploadedFile("照片.png", PNG, content_type="image/png"),
        SimpleUploadedFile("方案.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile(bad_name, bad_content, content_type="application/octet-stream"),
    ]


def test_a_refused_third_file_leaves_nothing_of_a_progress_report(
    client_for, make_item, handler_a, settings
):
    item = make_item()
    services.acknowledge(item, actor=handler_a)
    before = stored_files(settings)
    c = client_for(handler_a)
    page = c.get(reverse("supervision:item_detail", args=[item.pk]))
    form = {name: form for name, _label, form in page.context["forms"]}["report_progress"]
    hidden = {f.name: f.value() for f in form.hidden_fields()}  # what the page sends along
    r = c.post(
        reverse("supervision:item_action", args=[item.pk, "report_progress"]),
        {**hidden, "percent": 30, "comment": "已摸底", "files": three_files()},
    )
    assert r.status_code == 200
    assert stored_files(settings) == before
    text = r.content.decode()
    assert "文件“说明.bin”：文件内容是 application/pdf，文件名应以 .pdf 结尾。" in text
    assert not Attachment.all_objects.exists()
    item.refresh_from_db()
    assert item.progress == 0


def test_a_refused_third_file_leaves_nothing_of_an_assignment(
    client_for, province_supervisor, county_a, settings
):
    before = stored_files(settings)
    r = client_for(province_supervisor).post(
        reverse("supervision:item_create"),
        {
            "kind": "task",
            "title": "带附件交办",
            "source": "superior",
            "lead_unit": county_a.pk,
            "deadline_mode": "date",
            "deadline": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
            "urgency": "normal",
            "files": three_files("通知.bat", b"del /q *.*\r\n"),
        },
    )
    assert r.status_code == 200
    assert stored_files(settings) == before
    refusal = r.context["form"].errors["files"][0]
    assert refusal == "文件“通知.bat”：纯文本附件只接受 .txt 或 .csv 文件。"
    assert not Item.all_objects.exists() and not Attachment.all_objects.exists()


def test_an_action_failing_after_its_files_were_written_removes_them(
    make_item, province_supervisor, settings
):
    """Every refusal the services know comes before the first write; whatever fails later
    (here: an action that raises after storing two files) still takes its files along."""
    item = make_item()
    before = stored_files(settings)

    @services.removes_files_on_failure
    @transaction.atomic
    def attach_then_fail():
        for upload in three_files("说明.pdf")[:2]:
            services.add_attachment(item, upload, actor=province_supervisor)
        assert len(stored_files(settings)) == len(before) + 2
        raise ValidationError("之后被拒绝")

    with pytest.raises(ValidationError):
        attach_then_fail()
    assert stored_files(settings) == before
    assert not Attachment.all_objects.exists()


def test_a_file_name_too_long_to_store_is_refused_by_name(make_item, handler_a, settings):
    item = make_item()
    services.acknowledge(item, actor=handler_a)
    files = three_files("长" * 101 + ".txt", "整改说明".encode())
    with pytest.raises(ValidationError, match="文件名过长"):
        services.report_progress(item, actor=handler_a, percent=30, comment="x", files=files)
    assert stored_files(settings) == []


def test_an_accepted_upload_keeps_its_files(make_item, handler_a, settings):
    item = make_item()
    services.acknowledge(item, actor=handler_a)
    files = three_files("说明.pdf")
    services.report_progress(item, actor=handler_a, percent=30, comment="x", files=files)
    assert len(stored_files(settings)) == 3
    assert item.attachments.count() == 3
