from django.apps import apps

from xiaoneng.core import policy
from xiaoneng.core.nav import NavEntry, entries_for


def test_a_module_slots_into_the_menu_from_its_app_config(handler_a, monkeypatch):
    config = apps.get_app_config("units")
    monkeypatch.setattr(
        config,
        "nav",
        [
            *config.nav,
            NavEntry("不存在的模块", "nowhere:index", order=1),  # not installed: no link
            NavEntry("只给管理员", "core:trash", order=2, action="use_trash"),
        ],
    )
    labels = [e["label"] for e in entries_for(handler_a)]
    assert "单位" in labels
    assert "不存在的模块" not in labels
    assert "只给管理员" not in labels


def test_an_entry_shows_when_the_policy_allows_its_action(admin_a, handler_a):
    """The menu asks the policy: the people pages for those who manage people."""
    assert "人员" in [e["label"] for e in entries_for(admin_a)]
    assert "人员" not in [e["label"] for e in entries_for(handler_a)]


def test_residents_see_only_entries_meant_for_them(county_a, monkeypatch):
    from xiaoneng.conftest import make_user

    resident = make_user("jm", county_a, "resident")
    rule = policy.Rule(None, "discuss", frozenset({"resident"}))
    monkeypatch.setitem(policy._RULES, (None, "discuss"), rule)
    config = apps.get_app_config("units")
    monkeypatch.setattr(
        config, "nav", [*config.nav, NavEntry("居民专栏", "core:home", action="discuss")]
    )
    labels = [e["label"] for e in entries_for(resident)]
    assert "居民专栏" in labels and "单位" not in labels and "人员" not in labels
    assert "居民专栏" not in [e["label"] for e in entries_for(make_user("cb", county_a, "handler"))]


def test_only_the_longest_matching_entry_marks_the_page():
    from xiaoneng.core.nav import current_entry

    urls = ["/supervision/", "/supervision/negative/", "/supervision/todo/", "/projects/"]
    assert current_entry(urls, "/supervision/negative/") == "/supervision/negative/"
    assert current_entry(urls, "/supervision/negative/3/") == "/supervision/negative/"
    assert current_entry(urls, "/supervision/15/") == "/supervision/"
    assert current_entry(urls, "/supervision/") == "/supervision/"
    assert current_entry(urls, "/projectsX/") is None  # a prefix of the text is not a parent
    assert current_entry([*urls, "/"], "/") is None  # the shell marks 首页 itself, on "/" only
    assert current_entry(urls, "/units/") is None


def test_the_menu_marks_one_entry(client_for, province_supervisor):
    import re

    from django.urls import reverse

    page = (
        client_for(province_supervisor).get(reverse("supervision:violation_list")).content.decode()
    )
    nav = page[page.index('id="site-nav"') : page.index("</nav>")]
    assert len(re.findall(r'aria-current="page"', nav)) == 1


def test_the_messages_entry_shows_the_unread_count(client_for, handler_a):
    from xiaoneng.notifications.services import deliver, mark_read

    deliver([handler_a.pk], verb="urge", title="催办一")
    deliver([handler_a.pk], verb="urge", title="催办二")
    entry = next(e for e in entries_for(handler_a) if e["label"] == "消息")
    assert entry["count"] == 2 and entry["count_text"] == "2 条未读"
    page = client_for(handler_a).get("/").content.decode()
    assert '<span class="badge" aria-hidden="true">2</span>' in page and "（2 条未读）" in page
    mark_read(handler_a)
    assert next(e for e in entries_for(handler_a) if e["label"] == "消息")["count"] == 0
    assert 'class="badge"' not in client_for(handler_a).get("/").content.decode()
