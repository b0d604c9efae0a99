import datetime as dt
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.urls import reverse

from xiaoneng.conftest import make_unit
from xiaoneng.core.versioning import version_of
from xiaoneng.supervision import services
from xiaoneng.supervision.models import Behaviour, Holiday, Item, Violation
from xiaoneng.units.models import Level

pytestmark = pytest.mark.django_db


def test_it_prefills_the_assign_form_from_a_project_warning(
    client_for, province_supervisor, county_a
):
    url = (
        reverse("supervision:item_create")
        + "?"
        + urlencode(
            {
                "kind": "problem",
                "lead_unit": county_a.pk,
                "title": "项目开工滞后",
                "description": "连续两月零投资",
                "source": "inspection",
                "ref": "projects.project:42",
            }
        )
    )
    r = client_for(province_supervisor).get(url)
    form = r.context["form"]
    assert form["kind"].value() == "problem" and form["lead_unit"].value() == county_a.pk
    assert form["title"].value() == "项目开工滞后" and form["source"].value() == "inspection"
    assert form["ref"].value() == "projects.project:42"
    assert "projects.project:42" in r.content.decode()


def test_it_assigns_through_the_form_and_shows_the_ref(client_for, province_supervisor, county_a):
    c = client_for(province_supervisor)
    r = c.post(
        reverse("supervision:item_create"),
        {
            "kind": "problem",
            "title": "项目开工滞后",
            "source": "inspection",
            "lead_unit": county_a.pk,
            "deadline_mode": "workdays",
            "deadline_count": 10,
            "assigned_on": "2022-09-29",
            "urgency": "normal",
            "ref": "projects.project:42",
        },
    )
    item = Item.objects.get()
    assert r.status_code == 302 and item.deadline == dt.date(2022, 10, 18)
    assert item.ref == "projects.project:42"
    # Stored, never shown as such: the page names a row it refers to (core/tests/test_ref_link).
    assert "projects.project:42" not in c.get(r["Location"]).content.decode()


def test_a_handler_cannot_open_the_assign_form(client_for, handler_a):
    assert client_for(handler_a).get(reverse("supervision:item_create")).status_code == 403


def test_my_work_lists_what_needs_my_action(make_item, client_for, handler_a, province_supervisor):
    item = make_item(title="等签收")
    page = client_for(handler_a).get(reverse("supervision:my_work")).content.decode()
    assert "等签收" in page
    services.acknowledge(item, actor=handler_a)
    services.report_progress(item, actor=handler_a, percent=90, comment="快完了")
    services.request_closure(item, actor=handler_a, comment="完成")
    assert (
        "等签收"
        in client_for(province_supervisor).get(reverse("supervision:my_work")).content.decode()
    )


def test_the_detail_page_shows_the_timeline_and_only_allowed_forms(
    make_item, client_for, handler_a, province_supervisor
):
    item = make_item(title="看详情")
    html = (
        client_for(handler_a)
        .get(reverse("supervision:item_detail", args=[item.pk]))
        .content.decode()
    )
    assert f'action="/supervision/{item.pk}/do/acknowledge/"' in html
    assert "do/approve" not in html and "催办意见" not in html
    html = (
        client_for(province_supervisor)
        .get(reverse("supervision:item_detail", args=[item.pk]))
        .content.decode()
    )
    assert "do/acknowledge" not in html and "催办意见" in html and "交办" in html


def test_the_action_view_reports_refusals(make_item, client_for, handler_a):
    item = make_item()
    c = client_for(handler_a)
    r = c.post(
        reverse("supervision:item_action", args=[item.pk, "request_closure"]),
        {"comment": "x", "version": version_of(item)},
        follow=True,
    )
    assert "不能申请办结" in r.content.decode()


def test_decomposition_page_creates_children(make_item, client_for, handler_a, county_a):
    s1 = make_unit("530112001", "碧鸡街道", Level.TOWNSHIP, county_a)
    s2 = make_unit("530112002", "马街街道", Level.TOWNSHIP, county_a)
    item = make_item()
    c = client_for(handler_a)
    assert (
        "碧鸡街道" in c.get(reverse("supervision:item_decompose", args=[item.pk])).content.decode()
    )
    c.post(reverse("supervision:item_decompose", args=[item.pk]), {"units": [s1.pk, s2.pk]})
    assert item.children.count() == 2


def test_a_child_item_names_its_parent_and_links_it_only_for_who_may_see_it(
    make_item, client_for, handler_a, county_a
):
    from xiaoneng.conftest import make_user

    street = make_unit("530112001", "碧鸡街道", Level.TOWNSHIP, county_a)
    street_handler = make_user("bj_cb", street, "handler", name="街道承办")
    item = make_item(title="县里的总任务")
    client_for(handler_a).post(
        reverse("supervision:item_decompose", args=[item.pk]), {"units": [street.pk]}
    )
    child = item.children.get()
    parent_link = f'href="{reverse("supervision:item_detail", args=[item.pk])}"'
    mine = client_for(street_handler).get(reverse("supervision:item_detail", args=[child.pk]))
    assert "县里的总任务" in mine.content.decode()
    assert parent_link not in mine.content.decode()  # the street cannot open the county's item
    theirs = client_for(handler_a).get(reverse("supervision:item_detail", args=[child.pk]))
    assert parent_link in theirs.content.decode()


def test_holidays_form_and_command_load_a_year(
    client_for, province_supervisor, make_item, tmp_path, capsys
):
    item = make_item(assigned_on=dt.date(2026, 12, 28), deadline=None, deadline_workdays=10)
    c = client_for(province_supervisor)
    r = c.post(reverse("supervision:holiday_list"), {"year": 2027, "text": "2027-01-01 休 元旦"})
    assert r.status_code == 302 and Holiday.objects.filter(year=2027).count() == 1
    item.refresh_from_db()
    assert not item.deadline_provisional and item.deadline == dt.date(2027, 1, 12)
    f = tmp_path / "2028.txt"
    f.write_text("2028-01-01 休 元旦\n2028-01-29~2028-02-04 休 春节\n", encoding="utf-8")
    call_command("holidays", "import", str(f))
    call_command("holidays", "add", "2028-02-06", "--workday", "--note", "调休")
    assert Holiday.objects.filter(year=2028).count() == 9
    assert "已载入" in capsys.readouterr().out


def test_negative_list_publish_and_board(
    client_for, province_supervisor, county_a, handler_b, behaviour
):
    c = client_for(province_supervisor)
    r = c.post(
        reverse("supervision:violation_create"),
        {
            "behaviour": behaviour.pk,
            "unit": county_a.pk,
            "person_name": "张某",
            "date": "2026-05-01",
            "facts": "供水问题推诿40天",
            "action": "criticism",
        },
    )
    v = Violation.objects.get()
    assert r.status_code == 302
    board = reverse("supervision:exposure_board")
    assert "供水问题推诿40天" not in client_for(handler_b).get(board).content.decode()
    c.post(reverse("supervision:violation_publish", args=[v.pk]), {"published": "1"})
    assert "供水问题推诿40天" in client_for(handler_b).get(board).content.decode()
    assert (
        client_for(handler_b)
        .post(reverse("supervision:violation_publish", args=[v.pk]))
        .status_code
        == 404
    )


def test_the_behaviour_catalogue_is_seeded_and_editable(client_for, province_supervisor, handler_a):
    names = set(Behaviour.objects.values_list("name", flat=True))
    assert {
        "守摊子",
        "等靠要",
        "太平官",
        "数字游戏",
        "推诿扯皮",
        "只说不做",
        "不担当不作为",
    } <= names
    c = client_for(province_supervisor)
    c.post(
        reverse("supervision:behaviour_create"),
        {"name": "新官不理旧账", "description": "", "sort": 9},
    )
    assert Behaviour.objects.filter(name="新官不理旧账").exists()
    assert client_for(handler_a).get(reverse("supervision:behaviour_create")).status_code == 403


def test_the_workbench_links_my_work(client_for, province_supervisor):
    assert (
        reverse("supervision:my_work") in client_for(province_supervisor).get("/").content.decode()
    )


def test_the_list_says_which_filter_it_could_not_use(make_item, client_for, province_supervisor):
    """A date typed in a form the filter does not read (an old browser shows a text box)
    is named, not silently dropped."""
    make_item(title="某事项")
    url = reverse("supervision:item_list")
    page = client_for(province_supervisor).get(url, {"deadline_from": "2026年12月"})
    text = page.content.decode()
    assert page.status_code == 200 and 'data-testid="filter-errors"' in text
    assert "筛选条件“时限自”无效" in text and "某事项" in text
    assert 'data-testid="filter-errors"' not in (
        client_for(province_supervisor).get(url, {"deadline_from": "2026-12-01"}).content.decode()
    )


def test_a_refused_action_keeps_what_was_typed(make_item, client_for, handler_a):
    item = make_item(kind="problem")
    services.acknowledge(item, actor=handler_a)
    c = client_for(handler_a)
    url = reverse("supervision:item_action", args=[item.pk, "report_progress"])
    r = c.post(url, {"comment": "已完成三个片区的摸底排查，正在整改", "version": version_of(item)})
    page = r.content.decode()
    assert r.status_code == 200
    assert "未能进展反馈" in page and "已完成三个片区的摸底排查，正在整改" in page
    assert "进度(%)" in page and "errorlist" in page
    services.report_progress(item, actor=handler_a, percent=80, comment="换管")
    # Refused by the service (a problem needs its rectification measures): the text stays.
    r = c.post(
        reverse("supervision:item_action", args=[item.pk, "request_closure"]),
        {
            "comment": "片区管网全部更换完毕",
            "rectification": "",
            "version": version_of(Item.objects.get(pk=item.pk)),
        },
    )
    page = r.content.decode()
    assert "问题类事项申请办结前须填写整改措施" in page and "片区管网全部更换完毕" in page
    item.refresh_from_db()
    assert item.status == "in_progress"
