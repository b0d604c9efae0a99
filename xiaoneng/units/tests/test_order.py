"""The standard order of units (Unit.sort_key): by code within a level, a unit's own offices
after its subordinate divisions, `sort` overriding both, parents before children; never the
order the rows were inserted in. Kept in step by moves, new codes and the migration."""

from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from xiaoneng.conftest import make_unit
from xiaoneng.core.policy import SYSTEM
from xiaoneng.units import services
from xiaoneng.units.models import Kind, Level, Unit, sibling_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(province):
    """Inserted out of order on purpose: a department first, then 曲靖 before 昆明, 五华区
    (530102) after 西山区 (530112)."""
    office = make_unit(
        "530000-FG", "云南省发展和改革委员会", Level.PROVINCE, province, Kind.DEPARTMENT
    )
    qujing = make_unit("530300", "曲靖市", Level.PREFECTURE, province)
    kunming = make_unit("530100", "昆明市", Level.PREFECTURE, province)
    xishan = make_unit("530112", "西山区", Level.COUNTY, kunming)
    wuhua = make_unit("530102", "五华区", Level.COUNTY, kunming)
    km_office = make_unit("530100-XN", "昆明市效能办", Level.PREFECTURE, kunming, Kind.DEPARTMENT)
    qilin = make_unit("530302", "麒麟区", Level.COUNTY, qujing)
    return {
        "province": province,
        "office": office,
        "qujing": qujing,
        "kunming": kunming,
        "xishan": xishan,
        "wuhua": wuhua,
        "km_office": km_office,
        "qilin": qilin,
    }


def names(units) -> list[str]:
    return [u.name for u in units]


def test_it_lists_prefectures_by_code_and_the_provinces_offices_after_them(tree):
    assert names(Unit.objects.all()) == [
        "云南省",
        "昆明市",
        "五华区",
        "西山区",
        "昆明市效能办",
        "曲靖市",
        "麒麟区",
        "云南省发展和改革委员会",
    ]
    prefectures = Unit.objects.filter(level=Level.PREFECTURE, kind=Kind.GOVERNMENT)
    assert names(prefectures) == ["昆明市", "曲靖市"]


def test_sort_overrides_the_code_and_the_offices_place(tree):
    services.update_unit(tree["office"], actor=SYSTEM, sort=-1)  # the province puts it first
    services.update_unit(tree["kunming"], actor=SYSTEM, sort=5)  # and Kunming last
    assert names(Unit.objects.filter(depth=1)) == ["云南省发展和改革委员会", "曲靖市", "昆明市"]
    # The subtree moved with its parent: still right under it.
    assert names(Unit.objects.all())[-4:] == ["昆明市", "五华区", "西山区", "昆明市效能办"]


def test_a_move_rekeys_the_whole_subtree(tree):
    street = make_unit("530112007", "永昌街道", Level.TOWNSHIP, tree["xishan"], Kind.STREET)
    make_unit("530112007001", "永兴路社区", Level.COMMUNITY, street, Kind.COMMUNITY)
    xishan = Unit.objects.get(pk=tree["xishan"].pk)
    services.update_unit(xishan, actor=SYSTEM, parent=tree["qujing"])
    assert names(Unit.objects.filter(path__startswith=tree["qujing"].path)) == [
        "曲靖市",
        "西山区",
        "永昌街道",
        "永兴路社区",
        "麒麟区",
    ]
    for unit in Unit.objects.all():
        parent = unit.parent
        expected = sibling_key(
            unit.sort, unit.code, office=parent is not None and unit.level == parent.level
        )
        assert unit.sort_key == (parent.sort_key if parent else "") + expected, unit.name


def test_a_new_code_moves_the_unit_among_its_siblings(tree):
    services.update_unit(tree["wuhua"], actor=SYSTEM, code="530199")
    assert names(Unit.objects.filter(parent=tree["kunming"])) == [
        "西山区",
        "五华区",
        "昆明市效能办",
    ]


def test_a_code_sorts_before_the_codes_it_is_a_prefix_of(province):
    longer = make_unit("5301001", "乙", Level.PREFECTURE, province)
    shorter = make_unit("530100", "甲", Level.PREFECTURE, province)
    dashed = make_unit("530100-A", "丙", Level.PREFECTURE, province)
    assert list(Unit.objects.filter(depth=1)) == [shorter, dashed, longer]


def test_the_units_page_lists_them_in_the_standard_order(tree, client_for, province_supervisor):
    page = client_for(province_supervisor).get(reverse("units:list")).content.decode()
    positions = [page.index(f">{name}</a>") for name in names(Unit.objects.all())]
    assert positions == sorted(positions)
    assert page.index(">曲靖市</a>") < page.index(">云南省发展和改革委员会</a>")


def test_the_migration_fills_the_keys_of_the_units_there_are(tree):
    expected = dict(Unit.all_objects.values_list("pk", "sort_key"))
    Unit.all_objects.update(sort_key="", initials="", short_initials="")
    migration = import_module("xiaoneng.units.migrations.0003_unit_sort_key_initials")
    migration.fill(django_apps, None)
    assert dict(Unit.all_objects.values_list("pk", "sort_key")) == expected
    assert Unit.objects.get(pk=tree["xishan"].pk).initials == "xsq"


def test_the_demo_loader_keeps_the_order(db):
    from xiaoneng.units import demo

    ctx: dict = {}
    demo.load(ctx)
    top = names(Unit.objects.filter(depth=1))
    assert top[:2] == ["昆明市", "曲靖市"]  # 530100, 530300 …
    assert top[-4:] == [
        "中共云南省委办公厅",
        "云南省人大常委会办公厅",
        "云南省人民政府办公厅",
        "政协云南省委员会办公厅",
    ]
    codes = [u.code for u in Unit.objects.filter(level=Level.PREFECTURE)]
    assert codes == sorted(codes)
