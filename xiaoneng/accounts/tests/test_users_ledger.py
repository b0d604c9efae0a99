"""The users ledger (accounts/ledgers.py): one declaration for the template, the import, the
export and the add/edit form; an imported row is refused as the form refuses it."""

import io

import openpyxl
import pytest
from django.urls import reverse

from xiaoneng.accounts import services
from xiaoneng.accounts.ledgers import USERS
from xiaoneng.accounts.models import User
from xiaoneng.conftest import make_user
from xiaoneng.core.policy import SYSTEM
from xiaoneng.core.xlsx import ImportFailed

HEADERS = [c.header for c in USERS.imported()]


def workbook(rows, headers=HEADERS) -> io.BytesIO:
    book = openpyxl.Workbook()
    book.active.title = "人员"
    book.active.append(headers)
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def import_errors(actor, row: dict) -> dict[str, list[str]]:
    """The import's refusals of one row, by column."""
    cells = [row.get(c.key) for c in USERS.imported()]
    with pytest.raises(ImportFailed) as exc:
        services.import_users(workbook([cells]), actor=actor, file_label="人员.xlsx")
    found: dict[str, list[str]] = {}
    for error in exc.value.errors:
        assert error.row == 2, str(error)
        found.setdefault(error.column, []).append(error.message)
    return found


def rows_of(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.fixture
def admin(county_a):
    """A county unit admin who also holds handler: may make handlers in their county."""
    return make_user("xs_admin2", county_a, "unit_admin", "handler", name="钱管理")


# (what is wrong, the form's field, the page's value, the sheet's value)
REFUSED = [
    ("a role the admin may not grant", "roles", ["unit_admin"], "单位管理员"),
    ("a unit outside reach", "unit", "county_b", "530102"),
    ("a unit that does not exist", "unit", 999999, "999999"),
    ("a malformed phone", "phone", "138-abc", "138-abc"),
    ("a username taken by someone out of sight", "username", "wh_cb", "wh_cb"),
    ("a username with a space", "username", "zhang san", "zhang san"),
    ("a new person without a name", "name", "", None),
    ("a name too long", "name", "长" * 51, "长" * 51),
    ("a malformed email", "email", "zhang@", "zhang@"),
]


@pytest.mark.parametrize(
    "field, on_page, in_sheet", [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED]
)
def test_the_import_refuses_what_the_form_refuses_in_the_same_words(
    client_for, admin, county_a, county_b, handler_b, field, on_page, in_sheet
):
    if on_page == "county_b":
        on_page = county_b.pk
    page = {"username": "newbie", "name": "新人", "unit": county_a.pk, "roles": ["handler"]}
    response = client_for(admin).post(reverse("accounts:user_create"), {**page, field: on_page})
    assert response.status_code == 200
    on_the_page = response.context["form"].errors.get_json_data()
    sheet = {"username": "newbie", "name": "新人", "unit": "530112", "roles": "承办人"}
    in_the_import = import_errors(admin, {**sheet, field: in_sheet})

    header = USERS.by_key[field].header
    assert list(on_the_page) == [field]
    assert list(in_the_import) == [header]
    assert [e["message"] for e in on_the_page[field]] == in_the_import[header]
    assert not User.objects.filter(username="newbie").exists()


def test_a_person_one_may_not_manage_is_refused_in_the_edit_pages_words(
    client_for, admin_a, county_a
):
    peer = make_user("xs_xn", county_a, "supervisor", name="同级效能办")
    page = client_for(admin_a).get(reverse("accounts:user_edit", args=[peer.pk]))
    assert page.status_code == 403
    row = {"username": "xs_xn", "unit": "530112", "roles": "效能办", "phone": "13800000000"}
    (message,) = import_errors(admin_a, row)["用户名"]
    assert message in page.content.decode()
    assert not User.objects.get(pk=peer.pk).phone


def test_the_template_and_the_import_page_are_the_ledgers(client_for, admin_a):
    page = client_for(admin_a).get(reverse("accounts:user_import")).content.decode()
    assert "列：用户名、姓名、单位编码、角色、手机号、邮箱。" in page
    content = client_for(admin_a).get(reverse("accounts:user_import_template")).content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[1]] == ["用户名", "姓名", "单位编码", "角色", "手机号", "邮箱"]
    assert "必填" in sheet["A1"].comment.text and "顿号" in sheet["D1"].comment.text
    assert [c.value for c in sheet[2]][:4] == ["zhangsan", "张三", "530112", "承办人"]


def test_the_export_lists_the_people_one_sees_and_imports_back_unchanged(
    client_for, admin_a, county_a, handler_a, handler_b
):
    peer = make_user("xs_xn", county_a, "supervisor", "handler", name="同级效能办")
    response = client_for(admin_a).get(reverse("accounts:user_export"))
    assert response.status_code == 200
    rows = rows_of(response.content)
    assert rows[0] == ["用户名", "姓名", "单位编码", "单位名称", "角色", "手机号", "邮箱"]
    assert rows[1:] == [
        ["xs_admin", "孙管理", "530112", "西山区", "单位管理员", None, None],
        ["xs_cb", "周承办", "530112", "西山区", "承办人", None, None],
        ["xs_xn", "同级效能办", "530112", "西山区", "效能办/督查室、承办人", None, None],
    ]

    # Back as it is: nothing to write, so the peer the admin may not change is no refusal.
    result = services.import_users(io.BytesIO(response.content), actor=admin_a)
    assert (result.created, result.updated) == ([], [])
    assert sorted(result.unchanged) == ["xs_admin", "xs_cb", "xs_xn"]
    assert result.warnings == ["已忽略未知列“单位名称”"]

    # One phone typed in: that row is an update, the rest stay as they are.
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    book.active["F3"] = "13800000001"
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    result = services.import_users(buffer, actor=admin_a)
    assert result.updated == ["xs_cb"] and sorted(result.unchanged) == ["xs_admin", "xs_xn"]
    assert User.objects.get(pk=handler_a.pk).phone == "13800000001"
    assert User.objects.get(pk=peer.pk).role_codes == {"supervisor", "handler"}


def test_the_export_follows_the_search_and_the_scope(client_for, county_b, handler_a, handler_b):
    admin_b = make_user("wh_admin", county_b, "unit_admin")
    url = reverse("accounts:user_export")
    usernames = [r[0] for r in rows_of(client_for(admin_b).get(url).content)[1:]]
    assert usernames == ["wh_admin", "wh_cb"]
    usernames = [r[0] for r in rows_of(client_for(admin_b).get(url, {"q": "cb"}).content)[1:]]
    assert usernames == ["wh_cb"]
    page = client_for(admin_b).get(reverse("accounts:user_list"), {"q": "cb"}).content.decode()
    assert f'href="{url}?q=cb"' in page


@pytest.mark.parametrize("role", ["handler", "reporter", "leader", "viewer"])
def test_only_those_who_manage_people_export_them(client_for, county_a, handler_a, role):
    someone = make_user("someone", county_a, role)
    response = client_for(someone).get(reverse("accounts:user_export"))
    assert response.status_code == 403


def test_an_export_writes_a_formula_as_text(client_for, admin_a, county_a):
    make_user("evil", county_a, "handler", name='=HYPERLINK("http://x.example","点我")')
    content = client_for(admin_a).get(reverse("accounts:user_export")).content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    (cell,) = [row[1] for row in sheet.iter_rows(min_row=2) if row[0].value == "evil"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_a_blank_cell_keeps_what_is_there(county_a, handler_a):
    User.objects.filter(pk=handler_a.pk).update(phone="0871-1234567", email="zhou@example.cn")
    row = ["xs_cb", None, "530112", "承办人、查看人员", None, None]
    result = services.import_users(workbook([row]), actor=SYSTEM)
    assert result.updated == ["xs_cb"]
    person = User.objects.get(pk=handler_a.pk)
    assert (person.name, person.phone, person.email) == (
        "周承办",
        "0871-1234567",
        "zhou@example.cn",
    )
    assert person.role_codes == {"handler", "viewer"}


def test_a_file_may_leave_the_optional_columns_out(county_a):
    rows = [["lisi", "李四", "530112", "承办人"]]
    result = services.import_users(workbook(rows, headers=HEADERS[:4]), actor=SYSTEM)
    assert [u for u, _p in result.created] == ["lisi"]
    assert User.objects.get(username="lisi").email == ""


def test_the_phone_rule_is_the_forms_on_the_page_too(client_for, admin, county_a):
    url = reverse("accounts:user_create")
    data = {"username": "newbie", "name": "新人", "unit": county_a.pk, "roles": ["handler"]}
    response = client_for(admin).post(url, {**data, "phone": "+86 138"})
    assert "电话号码格式不对" in response.content.decode()
    response = client_for(admin).post(url, {**data, "phone": "0871-12345678"})
    assert response.status_code == 302
    assert User.objects.get(username="newbie").phone == "0871-12345678"
