"""The change history as people read it (issue 12 item 9): roles and co-units by name, local
times in one format, no framework flags, no trace of a password hash, fields in the model's
order."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from xiaoneng.accounts import services as accounts
from xiaoneng.conftest import make_unit
from xiaoneng.core.audit import history_for
from xiaoneng.core.policy import SYSTEM
from xiaoneng.supervision import services as supervision
from xiaoneng.units.models import Level


def history_text(client, url) -> str:
    page = client.get(url).content.decode()
    start = page.index('class="card history"')
    section = page[start : page.index("</section>", start)]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section))


@pytest.fixture
def person(county_a):
    return accounts.add_user(
        actor=SYSTEM,
        username="xs_new",
        unit=county_a,
        roles=["handler"],
        password="Xiaoneng@2026x",
        name="李新人",
    )


def test_a_persons_history_names_roles_and_hides_the_framework(
    client_for, province_supervisor, person
):
    accounts.update_user(person, actor=SYSTEM, roles=["handler", "viewer"], name="李新")
    accounts.reset_password(person, actor=SYSTEM)
    text = history_text(
        client_for(province_supervisor), reverse("accounts:user_detail", args=[person.pk])
    )

    assert "角色：承办人 → 承办人、查看人员" in text
    assert "角色：— → 承办人" in text  # the roles set on creation
    assert "密码已修改" in text and "密码已设置" in text
    assert "••" not in text and "argon2" not in text and "pbkdf2" not in text
    for flag in ("工作人员状态", "超级用户状态", "上次登录", "加入日期", "名字", "姓氏"):
        assert flag not in text, flag
    assert "roles" not in text and "[" not in text


def test_the_fields_of_a_row_follow_the_models_order(person):
    created = next(e for e in history_for(person) if e.action == "create").display_changes()
    labels = [label for label, _old, _new in created]
    # username, is_active, name, unit, must_change_password: User's own declaration order
    assert labels.index("用户名") < labels.index("姓名") < labels.index("所在单位")
    assert labels.index("所在单位") < labels.index("须修改密码")
    password = next(c for c in created if c[0] == "密码")
    assert password.text == "密码已设置" and password[2] == "已设置"


def test_co_units_show_by_name_and_times_are_local(
    client_for, province_supervisor, county_a, county_b, prefecture
):
    extra = make_unit("530111", "官渡区", Level.COUNTY, prefecture)
    item = supervision.assign_item(
        actor=province_supervisor,
        kind="task",
        title="历史记录测试事项",
        lead_unit=county_a,
        co_units=[county_b],
        deadline=timezone.localdate() + dt.timedelta(days=30),
    )
    supervision.update_item(
        item, actor=province_supervisor, version=None, co_units=[county_b, extra]
    )
    text = history_text(
        client_for(province_supervisor), reverse("supervision:item_detail", args=[item.pk])
    )
    assert "配合单位：— → 五华区" in text
    assert "配合单位：五华区 → " in text and "官渡区" in text
    lines = re.findall(r"配合单位：(\S*) → (\S*)", text)
    assert ("五华区", "五华区、官渡区") in lines and ("—", "五华区") in lines  # names, no ids
    # The creation's time, in Asia/Shanghai and one format.
    entry = history_for(item).filter(action="create").first()
    local = timezone.localtime(entry.time)
    assert f"{local:%Y-%m-%d %H:%M}" in text
    assert "T" not in re.sub(r"[A-Za-z]{2,}", "", text)  # no ISO "2026-11-30T07:35:18Z"


def test_a_recorded_time_value_reads_in_local_time(settings, person):
    from xiaoneng.core.models import ChangeLog

    settings.TIME_ZONE = "Asia/Shanghai"
    entry = ChangeLog(content_type=history_for(person).first().content_type, action="update")
    entry.before = {"must_change_password": False}
    entry.after = {"must_change_password": True}
    assert entry.display_changes() == [("须修改密码", "否", "是")]
    from xiaoneng.core.models import _local_time

    timezone.activate("Asia/Shanghai")
    try:
        assert _local_time("2026-11-30T06:05:09.123Z") == "2026-11-30 14:05"
        assert _local_time("不是时间") == "不是时间"
    finally:
        timezone.deactivate()


def test_money_reads_as_on_the_pages(person):
    from xiaoneng.core.models import _readable
    from xiaoneng.projects.models import Project

    field = Project._meta.get_field("total_investment")
    assert _readable(field, "3130.00", {}) == "3,130.00"
    assert _readable(field, "1234567.5", {}) == "1,234,567.5"
