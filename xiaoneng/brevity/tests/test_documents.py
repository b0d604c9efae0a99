"""Documents (文风): the limit at its thresholds, kept as it applied at registration;
registration by upload; the analyzer page and API; the outsider."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xiaoneng.brevity import services
from xiaoneng.brevity.models import Document
from xiaoneng.core.models import ChangeLog

DAY = dt.date(2026, 3, 10)


def document(actor, unit, chars, *, single_task=False, kind="通知", title="测试文件"):
    return services.save_document(
        None, actor=actor, unit=unit, kind=kind, title=title, date=DAY, chars=chars,
        single_task=single_task,
    )  # fmt: skip


def over_sql(d) -> bool:
    return Document.objects.over().filter(pk=d.pk).exists()


@pytest.mark.parametrize(
    "chars, single, over",
    [(4999, False, False), (5000, False, False), (5001, False, True),
     (3999, True, False), (4000, True, False), (4001, True, True)],
)  # fmt: skip
def test_the_limit_at_its_thresholds(handler_a, county_a, chars, single, over):
    d = document(handler_a, county_a, chars, single_task=single)
    assert d.limit == (4000 if single else 5000)
    assert d.over is over and over_sql(d) is over
    assert Document.objects.within_limit().filter(pk=d.pk).exists() is not over


def test_a_document_keeps_the_limit_of_its_registration(settings, handler_a, county_a):
    d = document(handler_a, county_a, 4500)
    settings.XIAONENG_BREVITY_DOC_LIMIT = 4000
    assert not over_sql(Document.objects.get(pk=d.pk))  # registered under 5,000
    assert document(handler_a, county_a, 4500).over  # a new one under today's rule


def test_a_negative_count_is_refused_by_field(client_for, handler_a, county_a):
    c = client_for(handler_a)
    data = {"unit": county_a.pk, "kind": "通知", "title": "x", "date": "2026-03-10"}
    for bad in ("-1", "abc", "99999999999"):
        r = c.post(reverse("brevity:document_create"), {**data, "chars": bad})
        assert r.status_code == 200 and "chars" in r.context["form"].errors
    r = c.post("/api/documents/", {**data, "chars": -1}, content_type="application/json")
    assert r.status_code == 400 and "chars" in r.json()
    assert not Document.objects.exists()
    r = c.post("/api/documents/", {**data, "chars": 5001}, content_type="application/json")
    assert r.status_code == 201 and r.json()["over"] is True and r.json()["limit"] == 5000


def docx_bytes(title: str, paragraphs: list[str]) -> bytes:
    import docx

    doc = docx.Document()
    doc.add_paragraph(title)
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_registering_by_upload_fills_chars_kind_and_title(client_for, handler_a, county_a):
    # Title 19 字 (关于…的通知), body 2 × 10 字 + "2026年" (2) = 22.
    data = docx_bytes(
        "关于做好社区议事协商工作的通知", ["各街道办事处：请认真做好。", "二零二六年2026年完成。"]
    )
    c = client_for(handler_a)
    r = c.post(
        reverse("brevity:document_upload"),
        {"file": SimpleUploadedFile("x.docx", data), "unit": county_a.pk,
         "single_task": "on", "date": "2026-03-10"},
    )  # fmt: skip
    assert r.status_code == 302, r.context["form"].errors
    d = Document.objects.get()
    from xiaoneng.brevity.reading import analyze_file

    report = analyze_file(data, "x.docx")
    assert d.chars == report.chars > 0
    assert d.kind == "通知" and d.title == "关于做好社区议事协商工作的通知"
    assert d.single_task and d.limit == 4000 and d.recorded_by == handler_a


def test_a_refused_upload_stores_nothing(client_for, handler_a, county_a):
    c = client_for(handler_a)
    before = ChangeLog.objects.count()
    r = c.post(
        reverse("brevity:document_upload"),
        {"file": SimpleUploadedFile("x.docx", b"not a zip at all"), "unit": county_a.pk,
         "date": "2026-03-10"},
    )  # fmt: skip
    assert r.status_code == 200 and "file" in r.context["form"].errors
    assert not Document.all_objects.exists() and ChangeLog.objects.count() == before


def test_the_analyzer_page_reports_and_stores_nothing(client_for, handler_a):
    c = client_for(handler_a)
    data = docx_bytes("关于报送材料的函", ["为深入贯彻落实有关精神，现将有关事项函告如下。"])
    before = ChangeLog.objects.count()
    r = c.post(reverse("brevity:analyze"), {"file": SimpleUploadedFile("a.docx", data)})
    assert r.status_code == 200
    report = r.context["report"]
    assert report.kind == "函" and report.limit == 5000 and not report.over
    text = r.content.decode()
    assert "第 2 段" in text
    r = c.post(reverse("brevity:analyze"), {"file": SimpleUploadedFile("a.docx", b"junk")})
    assert r.status_code == 200 and r.context["report"] is None
    assert r.context["form"].errors["file"][0].endswith("。")
    assert ChangeLog.objects.count() == before and not Document.all_objects.exists()


def test_the_analyzer_api(client_for, handler_a):
    c = client_for(handler_a)
    data = docx_bytes("关于报送材料的函", ["请于3月底前报送。"])
    r = c.post("/api/brevity/analyze/", {"file": SimpleUploadedFile("a.docx", data)})
    assert r.status_code == 200
    body = r.json()
    assert set(body) >= {"chars", "paragraphs", "kind", "limit", "over", "padding"}
    assert body["kind"] == "函"
    r = c.post("/api/brevity/analyze/", {"file": SimpleUploadedFile("a.docx", b"junk")})
    assert r.status_code == 400
    (message,) = r.json()["file"]
    assert message.endswith("。") and not message.isascii()
    r = c.post("/api/brevity/analyze/", {"file": SimpleUploadedFile("a.doc", b"")})
    assert r.status_code == 400
    assert c.get("/api/brevity/analyze/").status_code == 405
    assert not Document.all_objects.exists()


def test_the_outsider_sees_no_document_of_county_a(client_for, handler_a, handler_b, county_a):
    d = document(handler_a, county_a, 6000, title="甲县长文")
    c = client_for(handler_b)
    for url in (
        reverse("brevity:document_detail", args=[d.pk]),
        reverse("brevity:document_edit", args=[d.pk]),
        f"/api/documents/{d.pk}/",
    ):
        assert c.get(url).status_code == 404, url
    assert c.post(reverse("brevity:document_delete", args=[d.pk])).status_code == 404
    assert "甲县长文" not in c.get(reverse("brevity:document_list")).content.decode()
    assert c.get("/api/documents/").json()["count"] == 0
    assert c.get(f"/api/documents/?unit={county_a.pk}").json()["count"] == 0
    with pytest.raises(ValidationError):
        document(handler_b, county_a, 100)
    r = c.post(
        reverse("brevity:document_upload"),
        {"file": SimpleUploadedFile("x.txt", "关于x的通知\n正文".encode()), "unit": county_a.pk,
         "date": "2026-03-10"},
    )  # fmt: skip
    assert r.status_code == 200 and "unit" in r.context["form"].errors
    assert Document.objects.count() == 1


def test_the_list_puts_documents_over_the_limit_first(client_for, handler_a, county_a):
    short = document(handler_a, county_a, 100, title="短文")
    long = document(handler_a, county_a, 7000, title="长文")
    Document.objects.filter(pk=long.pk).update(date=dt.date(2025, 1, 1))
    page = client_for(handler_a).get(reverse("brevity:document_list"))
    assert [d.pk for d in page.context["page"]] == [long.pk, short.pk]


def test_an_upload_over_the_size_limit_is_refused_before_it_is_read(
    client_for, handler_a, county_a, settings
):
    settings.XIAONENG_BREVITY_MAX_MB = 1
    big = SimpleUploadedFile("big.txt", "通知".encode() * 400_000)  # 2.4 MB
    c = client_for(handler_a)
    r = c.post(reverse("brevity:analyze"), {"file": big})
    assert "超过上限 1 MB" in r.context["form"].errors["file"][0]
    big.seek(0)
    r = c.post("/api/brevity/analyze/", {"file": big})
    assert r.status_code == 400 and "超过上限 1 MB" in r.json()["file"][0]
    big.seek(0)
    r = c.post(
        reverse("brevity:document_upload"), {"file": big, "unit": county_a.pk, "date": "2026-03-10"}
    )
    assert "超过上限 1 MB" in r.context["form"].errors["file"][0]
    assert not Document.all_objects.exists()
