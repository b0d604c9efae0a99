"""The home page is the workbench (工作台): each module's panels for the user, no tile grid
repeating the menu; a resident gets a page saying what they can do here, never a 403."""

import re

import pytest

from xiaoneng.conftest import make_unit, make_user
from xiaoneng.core import workbench
from xiaoneng.units.models import Kind, Level


@pytest.mark.django_db
def test_a_resident_gets_a_page_of_what_they_can_do_not_a_403(client_for, county_a):
    street = make_unit("530112001", "永昌街道", Level.TOWNSHIP, county_a, Kind.STREET)
    community = make_unit("530112001001", "永兴路社区", Level.COMMUNITY, street, Kind.COMMUNITY)
    resident = make_user("jm", community, "resident", name="冯居民")
    page = client_for(resident).get("/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "永兴路社区" in text
    assert "社区议事" in text
    assert "工作台" not in text  # no staff counters for a resident


@pytest.mark.django_db
def test_the_home_page_shows_the_panels_and_no_tile_grid(client_for, handler_a):
    panels = workbench.panels_for(handler_a)
    assert panels, "a handler has at least the supervision panel"
    page = client_for(handler_a).get("/")
    text = page.content.decode()
    assert "<h1>工作台</h1>" in text
    for panel in panels:
        assert str(panel.title) in text
        for counter in panel.counters:
            assert f'href="{counter.url}"'.replace("&", "&amp;") in text
    assert "功能模块" not in text  # the grid of tiles that repeated the menu is gone
    assert not re.search(r'class="stat"', text)


def two_panels(user):
    return [workbench.Panel("乙面板", order=20), workbench.Panel("甲面板", order=10)]


@pytest.mark.django_db
def test_panels_of_every_module_come_in_their_order(client_for, handler_a, monkeypatch):
    from django.apps import apps

    monkeypatch.setattr(
        apps.get_app_config("units"),
        "workbench",
        "xiaoneng.core.tests.test_home.two_panels",
        raising=False,
    )
    titles = [str(panel.title) for panel in workbench.panels_for(handler_a)]
    assert titles.index("甲面板") < titles.index("乙面板")
    text = client_for(handler_a).get("/").content.decode()
    assert text.index("甲面板") < text.index("乙面板")


@pytest.mark.django_db
def test_a_workbench_with_nothing_to_do_says_so(client_for, county_a):
    viewer = make_user("ck", county_a, "viewer", name="查看员")
    assert workbench.panels_for(viewer) == []
    text = client_for(viewer).get("/").content.decode()
    assert "目前没有需要你处理的事项" in text
