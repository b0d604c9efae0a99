from django.apps import apps

from xiaoneng.core.nav import NavEntry, entries_for


def test_a_module_slots_into_the_menu_from_its_app_config(handler_a, monkeypatch):
    config = apps.get_app_config("units")
    monkeypatch.setattr(
        config,
        "nav",
        [
            *config.nav,
            NavEntry("不存在的模块", "nowhere:index", order=1),  # not installed: no link
            NavEntry("只给督查", "core:trash", order=2, roles=frozenset({"supervisor"})),
        ],
    )
    labels = [e["label"] for e in entries_for(handler_a)]
    assert "单位" in labels
    assert "不存在的模块" not in labels
    assert "只给督查" not in labels


def test_residents_see_only_entries_meant_for_them(county_a, monkeypatch):
    from xiaoneng.conftest import make_user

    resident = make_user("jm", county_a, "resident")
    config = apps.get_app_config("units")
    monkeypatch.setattr(config, "nav", [NavEntry("社区议事", "core:home", for_residents=True)])
    labels = [e["label"] for e in entries_for(resident)]
    assert "社区议事" in labels and "单位" not in labels
