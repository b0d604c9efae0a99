from xiaoneng.core.versioning import version_of
from xiaoneng.units.models import Unit


def form(parent, **extra):
    return {
        "code": "530112010",
        "name": "团结街道",
        "short_name": "",
        "level": "township",
        "kind": "street",
        "parent": parent.pk,
        "sort": 0,
        **extra,
    }


def test_an_admin_adds_edits_and_deletes_a_unit_below(client_for, admin_a, county_a):
    client = client_for(admin_a)
    assert client.post("/units/new/", form(county_a)).status_code == 302
    unit = Unit.objects.get(code="530112010")
    assert unit.parent == county_a and unit.path == f"{county_a.path}{unit.pk}/"
    edited = form(county_a, short_name="团结", version=version_of(unit))
    response = client.post(f"/units/{unit.pk}/edit/", edited)
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.short_name == "团结"
    assert client.post(f"/units/{unit.pk}/delete/").status_code == 302
    assert not Unit.objects.filter(pk=unit.pk).exists()


def test_a_wrong_level_is_refused_with_a_message(client_for, admin_a, county_a):
    response = client_for(admin_a).post("/units/new/", form(county_a, level="prefecture"))
    assert response.status_code == 200
    assert "下级单位的层级必须低于上级单位" in response.content.decode()
    assert not Unit.objects.filter(code="530112010").exists()


def test_a_handler_cannot_add_units(client_for, handler_a, county_a):
    assert client_for(handler_a).post("/units/new/", form(county_a)).status_code == 403
    assert not Unit.objects.filter(code="530112010").exists()


def test_an_admin_cannot_put_a_unit_under_a_sibling(client_for, admin_a, county_a, county_b):
    response = client_for(admin_a).post("/units/new/", form(county_b))
    assert response.status_code == 200  # the parent is not among the choices
    assert not Unit.objects.filter(code="530112010").exists()


def test_a_unit_with_children_cannot_be_deleted(
    client_for, province_supervisor, prefecture, county_a
):
    client = client_for(province_supervisor)
    response = client.post(f"/units/{prefecture.pk}/delete/", follow=True)
    assert "还有下级单位" in response.content.decode()
    assert Unit.objects.filter(pk=prefecture.pk).exists()


def test_the_list_runs_a_constant_number_of_queries(
    client_for, province_supervisor, county_a, county_b, django_assert_max_num_queries
):
    from xiaoneng.conftest import make_unit

    for i in range(20):
        make_unit(f"5301120{i:02d}", f"街道{i}", "township", county_a)
    client = client_for(province_supervisor)
    with django_assert_max_num_queries(8):
        response = client.get("/units/")
    assert "街道19" in response.content.decode()


def test_the_unit_page_counts_branch_members_in_one_query(
    client_for, admin_a, county_a, django_assert_max_num_queries
):
    from xiaoneng.conftest import make_user
    from xiaoneng.core.policy import SYSTEM
    from xiaoneng.units.models import PartyBranch

    branches = [
        PartyBranch.objects.create(unit=county_a, name=f"第{i}党支部", actor=SYSTEM)
        for i in range(5)
    ]
    members = [make_user(f"dy{i}", county_a, "viewer") for i in range(3)]
    for person in members:
        person.party_branch = branches[0]
        person.save(actor=SYSTEM)
    members[2].delete(actor=SYSTEM)  # a deleted member no longer counts
    client = client_for(admin_a)
    client.get(f"/units/{county_a.pk}/")  # warm the session and role caches
    # 13: the page's history names the units it mentions (one query for the whole page).
    with django_assert_max_num_queries(13):
        html = client.get(f"/units/{county_a.pk}/").content.decode()
    assert "第0党支部（2 名党员）" in html and "第4党支部（0 名党员）" in html


def test_an_admin_maintains_the_units_below_not_their_own(client_for, admin_a, county_a):
    """Their own unit is the level above's to edit or delete: no button, and a 403 that
    says so; adding below it is theirs (units/policy.py)."""
    client = client_for(admin_a)
    page = client.get(f"/units/{county_a.pk}/").content.decode()
    assert f"/units/{county_a.pk}/edit/" not in page
    assert f"/units/new/?parent={county_a.pk}" in page
    response = client.get(f"/units/{county_a.pk}/edit/")
    assert response.status_code == 403
    assert "只能在本单位之下维护单位" in response.content.decode()
    assert client.post(f"/units/{county_a.pk}/delete/").status_code == 403
    assert Unit.objects.filter(pk=county_a.pk).exists()


def test_a_unit_above_is_shown_by_name_only(client_for, handler_a, county_a, prefecture):
    """Breadcrumbs link to the units above ("view_ancestors"): their page names them and
    shows nothing of theirs; the unit list and the form choices keep to the own subtree."""
    from xiaoneng.conftest import make_user

    make_user("km_cb", prefecture, "handler", name="市里的人")
    client = client_for(handler_a)
    page = client.get(f"/units/{county_a.pk}/").content.decode()
    assert f'href="/units/{prefecture.pk}/"' in page
    above = client.get(f"/units/{prefecture.pk}/")
    assert above.status_code == 200 and "昆明市" in above.content.decode()
    assert "市里的人" not in above.content.decode() and "下级单位" not in above.content.decode()
    assert [u.code for u in client.get("/units/").context["page"]] == ["530112"]
    codes = {u["code"] for u in client.get("/api/units/").json()["results"]}
    assert codes == {"530000", "530100", "530112"}  # the API names the chain above too


def test_the_parent_choices_are_the_units_one_maintains(client_for, admin_a, county_a, county_b):
    from xiaoneng.units.forms import UnitForm

    choices = set(UnitForm(user=admin_a).fields["parent"].queryset)
    assert choices == {county_a}
