import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from xiaoneng.accounts.models import User
from xiaoneng.core.models import ChangeLog

HEADERS = ["用户名", "姓名", "单位编码", "角色", "手机号"]


def sheet(tmp_path, rows, headers=HEADERS, name="users.xlsx"):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "人员"
    ws.append(headers)
    for row in rows:
        ws.append(row)
    path = tmp_path / name
    book.save(path)
    return str(path)


def run(*args, stdin=None, monkeypatch=None):
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as exc:
        # What the command wrote (each refused cell) goes with the failure, so that an
        # unexpected refusal says which.
        raise CommandError(f"{exc}\n{err.getvalue()}") from None
    return out.getvalue(), err.getvalue()


def test_it_adds_a_user_with_a_password_from_stdin(county_a, monkeypatch):
    out, _ = run(
        "users",
        "add",
        "lisi",
        "--unit",
        "530112",
        "--role",
        "handler",
        "--role",
        "领导干部",
        "--name",
        "李四",
        "--password-stdin",
        stdin="Secret-pass-99\n",
        monkeypatch=monkeypatch,
    )
    user = User.objects.get(username="lisi")
    assert user.unit == county_a and user.role_codes == {"handler", "leader"}
    assert user.check_password("Secret-pass-99") and not user.must_change_password
    assert "已创建用户 lisi" in out
    assert ChangeLog.objects.filter(action="create", object_repr="李四", user_name="系统").exists()


def test_without_stdin_it_generates_a_one_time_password(county_a):
    out, _ = run("users", "add", "wangwu", "--unit", "530112", "--role", "viewer")
    password = out.split("初始密码：")[1].split("（")[0]
    user = User.objects.get(username="wangwu")
    assert user.check_password(password) and user.must_change_password


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "999999", "--role", "handler"], "--unit 999999: 没有这个单位编码"),
        (["--unit", "530112", "--role", "boss"], "--role boss: 未知角色"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(county_a, args, message):
    with pytest.raises(CommandError, match=message):
        run("users", "add", "zhaoliu", *args)
    assert not User.all_objects.filter(username="zhaoliu").exists()


def test_a_weak_password_is_refused(county_a, monkeypatch):
    with pytest.raises(CommandError, match=r"password|密码"):
        run(
            "users",
            "add",
            "weak",
            "--unit",
            "530112",
            "--role",
            "handler",
            "--password-stdin",
            stdin="123\n",
            monkeypatch=monkeypatch,
        )
    assert not User.all_objects.filter(username="weak").exists()


def test_it_imports_a_sheet_and_updates_on_reimport(county_a, county_b, tmp_path):
    path = sheet(
        tmp_path,
        [
            ["zhangsan", "张三", "530112", "承办人", 13800000001],
            ["lisi", "李四", 530102, "效能办、viewer", "13800000002"],
        ],
    )
    out, _ = run("users", "import", path)
    assert "新增 2 人，更新 0 人" in out
    lisi = User.objects.get(username="lisi")
    assert lisi.unit == county_b and lisi.role_codes == {"supervisor", "viewer"}
    assert lisi.phone == "13800000002" and lisi.must_change_password
    path = sheet(tmp_path, [["lisi", "李四", "530112", "承办人", None]], name="again.xlsx")
    out, _ = run("users", "import", path)
    assert "新增 0 人，更新 1 人" in out
    lisi = User.objects.get(username="lisi")
    assert lisi.unit == county_a and lisi.role_codes == {"handler"}
    assert User.objects.filter(username="lisi").count() == 1


def test_a_malformed_sheet_names_every_bad_row_and_writes_nothing(county_a, tmp_path):
    path = sheet(
        tmp_path,
        [
            ["ok1", "好人", "530112", "承办人", None],
            ["bad1", "坏单位", "888888", "承办人", None],
            ["bad2", "坏角色", "530112", "局长", None],
            ["ok1", "重复", "530112", "承办人", None],
            ["", "没名字", "530112", "承办人", None],
        ],
    )
    users_before, log_before = User.all_objects.count(), ChangeLog.objects.count()
    err = io.StringIO()
    with pytest.raises(CommandError, match="4 处错误"):
        call_command("users", "import", path, stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert len(lines) == 4
    assert "第 3 行“单位编码”列（值：888888）：没有这个单位编码" in lines[0]
    assert "第 4 行“角色”列（值：局长）：未知角色" in lines[1]
    assert "第 5 行“用户名”列（值：ok1）：与第 2 行的用户名重复" in lines[2]
    assert "第 6 行“用户名”列：用户名不能为空" in lines[3]
    assert all("工作表“人员”" in line for line in lines)
    assert (User.all_objects.count(), ChangeLog.objects.count()) == (users_before, log_before)


def test_a_sheet_without_the_required_columns_is_refused(county_a, tmp_path):
    path = sheet(tmp_path, [["x", "530112"]], headers=["用户名", "单位编码"])
    with pytest.raises(CommandError):
        run("users", "import", path)


def test_a_file_that_is_not_excel_is_refused(county_a, tmp_path):
    path = tmp_path / "users.xlsx"
    path.write_text("not a spreadsheet")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("users", "import", str(path), stdout=io.StringIO(), stderr=err)
    assert "无法读取该文件" in err.getvalue()


def test_the_web_import_is_scoped_to_the_admins_subtree(
    client_for, admin_a, county_a, county_b, tmp_path
):
    """A unit outside the admin's subtree is answered as a code that does not exist (no
    existence oracle): the same words, word for word."""
    answers = []
    for code in ("530102", "999999"):  # county B's code; a made-up one
        path = sheet(tmp_path, [["far", "远方", code, "承办人", None]])
        with open(path, "rb") as fh:
            response = client_for(admin_a).post("/accounts/users/import/", {"file": fh})
        errors = response.context["errors"]
        answers.append([(e.column, e.message) for e in errors])
    assert answers[0] == answers[1] == [("单位编码", "没有这个单位编码")]
    assert not User.objects.filter(username="far").exists()


def test_a_sheet_in_chinese_reads_the_same_in_english(county_a, tmp_path):
    """The role names are read in every language the platform offers, not only the active
    one: an English interface (or a thread left in English) still reads 承办人."""
    path = sheet(tmp_path, [["zhaoliu", "赵六", "530112", "承办人、Leader", None]])
    with translation.override("en"):
        run("users", "import", path)
    assert User.objects.get(username="zhaoliu").role_codes == {"handler", "leader"}
