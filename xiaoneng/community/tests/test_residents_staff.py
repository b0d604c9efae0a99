"""The community's staff add residents: one at a time (an initial password shown once) or
from a sheet of 姓名 and 手机号, all or nothing."""

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xiaoneng.accounts.models import User
from xiaoneng.community import residents
from xiaoneng.core.xlsx import ImportFailed

pytestmark = pytest.mark.django_db


def sheet(rows, headers=("姓名", "手机号")) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    book.active.title = "居民"
    book.active.append(list(headers))
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("居民.xlsx", buffer.getvalue())


def residents_count() -> int:
    return User.objects.filter(roles__code="resident").count()


def test_the_staff_add_one_resident(community_a, staff_a, client):
    user, password = residents.add_resident(
        actor=staff_a, community=community_a, phone=" 13712345678 ", name=" 马大姐 "
    )
    assert (user.name, user.phone, user.unit) == ("马大姐", "13712345678", community_a)
    assert user.role_codes == {"resident"} and user.must_change_password
    assert user.username.startswith("jm530112007001-")
    assert len(password) == 12 and user.check_password(password)
    # They log in with the phone, then must change the password.
    response = client.post(
        reverse("accounts:login"), {"username": "13712345678", "password": password}
    )
    assert response.status_code == 302
    assert client.get("/")["Location"] == reverse("accounts:password_change")


def test_adding_refuses_what_the_sign_up_refuses(community_a, staff_a, resident_a):
    for phone, name, field in (
        ("138", "马大姐", "phone"),
        ("13712345678", "", "name"),
        (resident_a.phone, "马大姐", "phone"),
    ):
        with pytest.raises(ValidationError) as refused:
            residents.add_resident(actor=staff_a, community=community_a, phone=phone, name=name)
        assert field in refused.value.message_dict
    assert residents_count() == 6


def test_only_the_communitys_staff_add(community_a, street_staff, resident_a, handler_a):
    for actor in (street_staff, resident_a, handler_a):
        with pytest.raises(PermissionDenied):
            residents.add_resident(
                actor=actor, community=community_a, phone="13712345678", name="马大姐"
            )
    assert not User.objects.filter(phone="13712345678").exists()


def test_the_residents_page_lists_them_whole_and_adds_one(client_for, staff_a, residents_a):
    client = client_for(staff_a)
    url = reverse("community_residents:residents")
    page = client.get(url).content.decode()
    assert "13800000000" in page and "冯居民" in page  # the staff see the numbers whole
    assert "共 6 位居民" in page
    response = client.post(url, {"name": "马大姐", "phone": "13712345678"})
    assert response.status_code == 302
    message = next(iter(response.wsgi_request._messages)).message
    assert "初始密码：" in message and "13712345678" in message
    response = client.post(url, {"name": "", "phone": "13800000000"})
    assert response.status_code == 400
    assert "该手机号已注册为居民" in response.content.decode() or "此项必填" in (
        response.content.decode()
    )
    assert client.get(url, {"q": "马大"}).content.decode().count("13712345678") == 1


def test_the_sheet_imports_every_row(community_a, staff_a):
    upload = sheet([("马大姐", "13712345678"), ("牛师傅", 13712345679.0)])
    result = residents.import_residents(actor=staff_a, community=community_a, upload=upload)
    assert [(u.name, u.phone) for u, _p in result.created] == [
        ("马大姐", "13712345678"),
        ("牛师傅", "13712345679"),
    ]
    assert all(u.must_change_password and u.check_password(p) for u, p in result.created)
    names = [u.username for u, _p in result.created]
    assert names == ["jm530112007001-0001", "jm530112007001-0002"]


def test_a_bad_row_is_named_and_nothing_is_stored(community_a, staff_a, resident_b):
    upload = sheet(
        [
            ("马大姐", "13712345678"),
            ("", "13712345670"),
            ("牛师傅", "138-abc"),
            ("羊阿姨", "13712345678"),
            ("华山人", resident_b.phone),
        ]
    )
    with pytest.raises(ImportFailed) as failed:
        residents.import_residents(actor=staff_a, community=community_a, upload=upload)
    found = {(e.row, e.column): e.message for e in failed.value.errors}
    assert found[(3, "姓名")] == "请填写姓名。"
    assert "电话号码格式不对" in found[(4, "手机号")]
    assert found[(5, "手机号")] == "与第 2 行的手机号重复"
    assert found[(6, "手机号")] == "该手机号已注册为其他社区的居民"
    text = [str(e) for e in failed.value.errors]
    assert "工作表“居民”第 3 行“姓名”列：请填写姓名。" in text
    assert not User.objects.filter(phone__startswith="137123456").exists()


def test_a_phone_already_a_resident_here_is_skipped(community_a, staff_a, resident_a):
    upload = sheet([(resident_a.name, resident_a.phone), ("马大姐", "13712345678")])
    result = residents.import_residents(actor=staff_a, community=community_a, upload=upload)
    assert result.skipped == [resident_a.phone] and len(result.created) == 1


def test_a_sheet_without_its_columns_or_rows_is_refused(community_a, staff_a):
    with pytest.raises(ImportFailed) as failed:
        residents.import_residents(
            actor=staff_a, community=community_a, upload=sheet([("马大姐",)], headers=("姓名",))
        )
    assert "缺少必需的列：手机号" in str(failed.value)
    with pytest.raises(ImportFailed) as failed:
        residents.import_residents(actor=staff_a, community=community_a, upload=sheet([]))
    assert "表中没有居民" in str(failed.value)
    not_a_sheet = SimpleUploadedFile("居民.xlsx", b"not a spreadsheet")
    with pytest.raises(ImportFailed) as failed:
        residents.import_residents(actor=staff_a, community=community_a, upload=not_a_sheet)
    assert "无法读取该文件" in str(failed.value)


def test_only_the_communitys_staff_import(community_a, street_staff):
    with pytest.raises(PermissionDenied):
        residents.import_residents(
            actor=street_staff, community=community_a, upload=sheet([("马大姐", "13712345678")])
        )
    assert not User.objects.filter(phone="13712345678").exists()


def test_the_import_page_and_its_template(client_for, staff_a):
    client = client_for(staff_a)
    content = client.get(reverse("community_residents:import_template")).content
    book = openpyxl.load_workbook(io.BytesIO(content))
    rows = [[c.value for c in row] for row in book.active.iter_rows()]
    assert rows == [["姓名", "手机号"], ["张三", "13800000000"]]
    assert not any(
        isinstance(c.value, str) and c.value.startswith("=")
        for row in book.active.iter_rows()
        for c in row
    )
    url = reverse("community_residents:import")
    response = client.post(url, {"file": sheet([("马大姐", "13712345678")])})
    assert response.status_code == 200
    page = response.content.decode()
    assert "新增 1 位居民" in page and "13712345678" in page and "初始密码" in page
    response = client.post(url, {"file": sheet([("牛师傅", "138")])})
    assert response.status_code == 400
    assert "第 2 行“手机号”列" in response.content.decode()
    assert not User.objects.filter(name="牛师傅").exists()


def test_the_pages_read_as_written_by_a_person(client, client_for, staff_a, residents_a):
    """The typography rules of core/tests/test_chinese_text.py on these pages (the URL walk
    reaches them with no community's staff)."""
    from xiaoneng.core.tests.test_chinese_text import page_problems

    residents.create_invitation(actor=staff_a, community=community_a_of(staff_a), max_uses=5)
    logged_in = client_for(staff_a)
    found = page_problems(client, reverse("community_residents:join"))
    found += page_problems(client, reverse("community_residents:join"), "post")
    for name in ("residents", "invitations", "import"):
        url = reverse(f"community_residents:{name}")
        found += page_problems(logged_in, url) + page_problems(logged_in, url, "post")
    assert found == []


def community_a_of(staff):
    return staff.unit
