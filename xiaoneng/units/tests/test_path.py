"""A subtree is one prefix match on the indexed path, on every database."""

import pytest
from django.db import connection

from xiaoneng.conftest import make_unit
from xiaoneng.units.models import Level, Unit

pytestmark = pytest.mark.django_db


def test_it_matches_exactly_the_subtree(province):
    # Twelve siblings: some ids are string prefixes of others ("…/3/" and "…/31/").
    a = make_unit("539900", "甲市", Level.PREFECTURE, province)
    children = [make_unit(f"5399{i:02d}", f"乙{i}", Level.COUNTY, a) for i in range(1, 13)]
    grandchild = make_unit("539901001", "丙镇", Level.TOWNSHIP, children[0])
    got = set(Unit.objects.filter(path__startswith=children[1].path))
    assert got == {children[1]}
    got = set(Unit.objects.filter(path__startswith=children[0].path))
    assert got == {children[0], grandchild}
    everything = set(Unit.objects.all())
    for unit in everything:
        expected = {u for u in everything if u.path.startswith(unit.path)}
        assert set(Unit.objects.filter(path__startswith=unit.path)) == expected


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's LIKE is the problem")
def test_it_uses_the_path_index_on_sqlite(province):
    plan = Unit.objects.filter(path__startswith=province.path).values("pk").explain()
    assert "INDEX" in plan and "path>" in plan.replace(" ", ""), plan
