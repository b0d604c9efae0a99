"""`xiaoneng import <kind>`: one command in core, each app registering its importer."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command, get_commands

from xiaoneng.core import importers


def _sheet(tmp_path, name, title, headers, rows) -> str:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = title
    ws.append(headers)
    for row in rows:
        ws.append(row)
    path = tmp_path / name
    book.save(path)
    return str(path)


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, no_progress=True, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_lives_in_core_and_each_app_registers_its_importer():
    assert get_commands()["import"] == "xiaoneng.core"
    assert sorted(importers.registered_importers()) == ["items", "projects", "users"]


def test_two_importers_of_one_name_are_refused(monkeypatch):
    from django.apps import apps

    config = apps.get_app_config("core")
    monkeypatch.setattr(
        config,
        "importers",
        ["xiaoneng.projects.cli.ProjectsImporter"],
        raising=False,
    )
    with pytest.raises(ValueError, match="projects"):
        importers.registered_importers()


def test_it_imports_users(county_a, tmp_path):
    from xiaoneng.accounts.models import User

    path = _sheet(
        tmp_path,
        "users.xlsx",
        "人员",
        ["用户名", "姓名", "单位编码", "角色", "手机号"],
        [["zhangsan", "张三", "530112", "承办人", None]],
    )
    out, _err = _run("users", path)
    assert "新增 1 人，更新 0 人" in out and "zhangsan\t初始密码 " in out
    assert User.objects.get(username="zhangsan").unit == county_a


def test_it_imports_items(county_a, tmp_path):
    from xiaoneng.supervision.models import Item

    due = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    headers = ["编号", "类型", "标题", "来源", "牵头单位", "办理时限", "紧急程度"]
    path = _sheet(
        tmp_path,
        "items.xlsx",
        "督办事项",
        headers,
        [["", "问题", "命令行导入的事项", "暗访", "530112", due, "一般"]],
    )
    out, _err = _run("items", path)
    assert "新增 1 项，更新 0 项，未变 0 项" in out
    item = Item.objects.get(title="命令行导入的事项")
    assert item.lead_unit == county_a


def test_a_bad_row_is_reported_and_the_exit_status_is_one(county_a, tmp_path):
    from xiaoneng.supervision.models import Item

    due = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    path = _sheet(
        tmp_path,
        "items.xlsx",
        "督办事项",
        ["编号", "类型", "标题", "来源", "牵头单位", "办理时限", "紧急程度"],
        [["", "问题", "单位不存在", "暗访", "999999", due, "一般"]],
    )
    err = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import", "items", path, no_progress=True, stdout=io.StringIO(), stderr=err)
    assert failed.value.returncode == 1
    assert "发现 1 处错误，未导入任何数据" in err.getvalue() and "牵头单位" in err.getvalue()
    assert not Item.objects.exists()


def test_a_missing_file_is_an_error(db, tmp_path):
    with pytest.raises(CommandError, match="文件不存在"):
        _run("items", str(tmp_path / "nope.xlsx"))
