"""Issue 10, requirement 2: nobody grants more than they hold.

A manager (unit admin or supervisor) grants only roles they hold, only in their own subtree,
never to themselves; supervisor and unit admin come from the level above (at the province,
from its own unit admins). Taking a role away is a change of roles too.
"""

import re

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from xiaoneng.accounts import services
from xiaoneng.accounts.models import RoleCode, User
from xiaoneng.accounts.policy import grantable_roles
from xiaoneng.conftest import make_unit, make_user
from xiaoneng.core import policy
from xiaoneng.core.policy import SYSTEM
from xiaoneng.core.xlsx import ImportFailed
from xiaoneng.units.models import Kind, Level

ALL_ROLES = RoleCode.values
APPOINTED = {"supervisor", "unit_admin"}
# Each of the seven roles alone, and two holders of several.
GRANTERS = [(role,) for role in ALL_ROLES] + [
    ("unit_admin", "handler", "reporter"),
    ("supervisor", "unit_admin"),
]


@pytest.fixture
def tree(province, prefecture, county_a, county_b):
    """云南省 ─ 昆明市 ─ 西山区 ─ 永兴街道 / 五华区; 云南省 ─ 曲靖市."""
    township = make_unit("530112007", "永兴街道", Level.TOWNSHIP, county_a, kind=Kind.STREET)
    qujing = make_unit("530300", "曲靖市", Level.PREFECTURE, province)
    return {
        "province": {"own": province, "below": prefecture},
        "prefecture": {
            "own": prefecture,
            "below": county_a,
            "sibling": qujing,
            "parent": province,
        },
        "county": {"own": county_a, "below": township, "sibling": county_b, "parent": prefecture},
    }


def person(username, unit, *roles) -> User:
    """Someone made by the system, without a password (hashing one takes a third of a second)."""
    return services.add_user(actor=SYSTEM, username=username, unit=unit, roles=list(roles))


def expected(granter_roles, level, relation, role) -> bool:
    """The rule restated, as the issue puts it."""
    if not set(granter_roles) & APPOINTED:
        return False  # handlers, reporters, leaders … manage nobody
    if relation in ("sibling", "parent"):
        return False  # outside their subtree
    if role not in granter_roles:
        return False  # only what they hold
    if role in APPOINTED:
        # from the level above; at the province, from its own unit admins
        return relation == "below" or (level == "province" and "unit_admin" in granter_roles)
    return True


CASES = [
    (granter, level, relation)
    for granter in GRANTERS
    for level, relations in [
        ("province", ["own", "below"]),
        ("prefecture", ["own", "below", "sibling", "parent"]),
        ("county", ["own", "below", "sibling", "parent"]),
    ]
    for relation in relations
]


@pytest.mark.parametrize(
    "granter_roles, level, relation",
    CASES,
    ids=[f"{'+'.join(g)}@{lv}->{rel}" for g, lv, rel in CASES],
)
def test_it_grants_and_takes_away_only_what_the_rule_allows(tree, granter_roles, level, relation):
    granter = person("granter", tree[level]["own"], *granter_roles)
    unit = tree[level][relation]
    allowed = {r for r in ALL_ROLES if expected(granter_roles, level, relation, r)}
    assert grantable_roles(granter, unit) == allowed

    for role in ALL_ROLES:
        # Granting: a new person with that role.
        username = f"new_{role}"
        if role in allowed:
            services.add_user(actor=granter, username=username, unit=unit, roles=[role])
            assert User.objects.get(username=username).role_codes == {role}
        else:
            with pytest.raises((ValidationError, PermissionDenied)):
                services.add_user(actor=granter, username=username, unit=unit, roles=[role])
            assert not User.objects.filter(username=username).exists()

        # Taking away: someone who holds it and one more role keeps only the other.
        other = "viewer" if role != "viewer" else "handler"
        holder = services.add_user(
            actor=SYSTEM, username=f"holder_{role}", unit=unit, roles=[role, other]
        )
        try:
            services.update_user(holder, actor=granter, roles=[other])
        except (ValidationError, PermissionDenied):
            assert role not in allowed, role
            holder = User.objects.get(pk=holder.pk)
            assert holder.role_codes == {role, other}
        else:
            assert role in allowed, role
            assert User.objects.get(pk=holder.pk).role_codes == {other}


def test_the_system_grants_anything(tree):
    """The `users` command acts as the system: it makes the first admin."""
    province = tree["province"]["own"]
    user = services.add_user(actor=SYSTEM, username="root", unit=province, roles=ALL_ROLES)
    assert user.role_codes == set(ALL_ROLES)
    assert grantable_roles(SYSTEM, province) == set(ALL_ROLES)


@pytest.mark.parametrize("roles", [["unit_admin", "supervisor"], ["handler"], []])
def test_nobody_changes_their_own_roles(tree, roles):
    """Not even the province's admin, who may grant every role they hold to others there."""
    root = person("root", tree["province"]["own"], "unit_admin", "supervisor", "handler")
    with pytest.raises(ValidationError) as exc:
        services.update_user(root, actor=root, roles=roles or ["viewer"])
    assert "不能修改自己的角色" in str(exc.value)
    assert User.objects.get(pk=root.pk).role_codes == {"unit_admin", "supervisor", "handler"}


def test_nobody_moves_themselves_to_another_unit(tree, admin_a):
    with pytest.raises(ValidationError):
        services.update_user(admin_a, actor=admin_a, unit=tree["county"]["below"])
    assert User.objects.get(pk=admin_a.pk).unit == tree["county"]["own"]


def test_moving_a_person_grants_their_roles_where_they_go(tree):
    """A unit admin who may make township admins may not move one up into their own county."""
    county_admin = person("county_admin", tree["county"]["own"], "unit_admin")
    jd_admin = person("jd_admin", tree["county"]["below"], "unit_admin")
    with pytest.raises(ValidationError) as exc:
        services.update_user(jd_admin, actor=county_admin, unit=tree["county"]["own"])
    assert "您不能在“西山区”授予或撤销角色：单位管理员" in str(exc.value)
    assert User.objects.get(pk=jd_admin.pk).unit == tree["county"]["below"]


def test_a_peers_account_is_not_taken_over(tree, admin_a):
    """A county admin may not reset the password of the county's supervisor (and log in as
    them), edit or delete them: supervisors and unit admins are managed from above."""
    peer = make_user("xs_xn", tree["county"]["own"], "supervisor")
    for action in (services.reset_password, services.deactivate_user):
        with pytest.raises(PermissionDenied):
            action(peer, actor=admin_a)
    with pytest.raises(PermissionDenied):
        services.update_user(peer, actor=admin_a, phone="13800000000")
    peer = User.objects.get(pk=peer.pk)
    assert peer.check_password("Test-pass-2026") and peer.is_active and not peer.phone


TARGET_ROLES = [("handler",), ("supervisor",), ("unit_admin",), ("unit_admin", "viewer")]


@pytest.mark.parametrize(
    "granter_roles, level",
    [(g, lv) for g in GRANTERS for lv in ("province", "prefecture", "county")],
)
def test_the_people_one_may_change_are_the_list_and_the_buttons_alike(tree, granter_roles, level):
    """User "change" (edit, reset, delete, restore): a person of one's subtree whose
    supervisor and unit-admin roles one could have granted there, or oneself. Its queryset
    (`restrict`) and its object check (`can`) give the same answer, and the rule's."""
    own = tree[level]["own"]
    department = make_unit(f"{own.code}-BM", "某局", own.level, own, kind=Kind.DEPARTMENT)
    granter = person("granter", own, *granter_roles)
    manager = bool(set(granter_roles) & APPOINTED)
    people = {granter.pk: manager}
    places = {**tree[level], "department": department}
    for relation, unit in places.items():
        for roles in TARGET_ROLES:
            target = person(f"{relation}_{'_'.join(roles)}", unit, *roles)
            seen_as = "own" if relation == "department" else relation  # its level, not below
            people[target.pk] = (
                manager
                and seen_as in ("own", "below")
                and all(expected(granter_roles, level, seen_as, r) for r in APPOINTED & set(roles))
            )
    listed = set(
        User.objects.restrict(granter, "change")
        .filter(pk__in=list(people))
        .values_list("pk", flat=True)
    )
    for target in User.objects.filter(pk__in=list(people)):
        want = people[target.pk]
        assert (target.pk in listed) is want, (target.username, target.unit.name)
        assert policy.can(granter, "change", target) is want, (target.username, target.unit.name)
        assert policy.can(granter, "restore", target) is want, target.username


# --- Through the web form ---------------------------------------------------------------


def _version(page) -> dict:
    """The hidden fields an edit form carries (the version it was read at), if any."""
    found = re.search(r'name="version" value="([^"]*)"', page.content.decode())
    return {"version": found.group(1)} if found else {}


def test_a_unit_admin_cannot_promote_themselves_through_the_form(client_for, admin_a, county_a):
    client = client_for(admin_a)
    url = reverse("accounts:user_edit", args=[admin_a.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="supervisor"' not in page.content.decode()  # not offered
    response = client.post(
        url,
        {
            "name": admin_a.name,
            "unit": county_a.pk,
            "roles": ["supervisor"],
            **_version(page),
        },
    )
    assert response.status_code == 200
    assert "“supervisor”不在可选范围内" in response.content.decode()
    assert User.objects.get(pk=admin_a.pk).role_codes == {"unit_admin"}


def test_the_form_offers_only_grantable_roles(client_for, county_a):
    admin = person("xs_admin2", county_a, "unit_admin", "handler")
    page = client_for(admin).get(reverse("accounts:user_create")).content.decode()
    offered = set(re.findall(r'name="roles" value="([a-z_]+)"', page))
    assert offered == {"unit_admin", "handler"}


def test_posting_a_role_not_offered_is_refused(client_for, county_a):
    admin = person("xs_admin2", county_a, "unit_admin", "handler")
    client = client_for(admin)
    url = reverse("accounts:user_create")
    base = {"username": "newbie", "name": "新人", "unit": county_a.pk}
    response = client.post(url, {**base, "roles": ["supervisor"]})
    assert response.status_code == 200
    assert "“supervisor”不在可选范围内" in response.content.decode()
    # Offered (held), but an admin is appointed from the level above: named in the answer.
    response = client.post(url, {**base, "roles": ["unit_admin"]})
    assert "您不能在“西山区”授予或撤销角色：单位管理员" in response.content.decode()
    assert not User.objects.filter(username="newbie").exists()
    # What the admin may grant goes through.
    response = client.post(url, {**base, "roles": ["handler"]})
    assert response.status_code == 302
    assert User.objects.get(username="newbie").role_codes == {"handler"}


def test_roles_the_editor_cannot_grant_are_kept(client_for, county_a):
    """Editing a person who holds a role the admin cannot grant leaves that role alone."""
    admin = person("xs_admin2", county_a, "unit_admin", "handler")
    target = person("xs_two", county_a, "handler", "leader")
    client = client_for(admin)
    url = reverse("accounts:user_edit", args=[target.pk])
    page = client.get(url)
    assert "另有角色（您不能修改，保持不变）：领导干部" in page.content.decode()
    response = client.post(
        url, {"name": "改名", "unit": county_a.pk, "roles": ["handler"], **_version(page)}
    )
    assert response.status_code == 302
    target = User.objects.get(pk=target.pk)
    assert target.name == "改名" and target.role_codes == {"handler", "leader"}


def test_a_peers_page_has_no_buttons_and_their_edit_is_refused(client_for, admin_a, county_a):
    peer = person("xs_xn", county_a, "supervisor")
    client = client_for(admin_a)
    page = client.get(reverse("accounts:user_detail", args=[peer.pk])).content.decode()
    assert reverse("accounts:user_edit", args=[peer.pk]) not in page
    assert "效能办和单位管理员由上一级管理" in page
    response = client.post(reverse("accounts:user_reset_password", args=[peer.pk]))
    assert response.status_code == 403
    assert "您不能管理" in response.content.decode()


@pytest.mark.parametrize("role", ["handler", "reporter", "leader", "viewer"])
def test_non_managers_cannot_edit_users(client_for, county_a, handler_a, role):
    someone = person("someone", county_a, role)
    client = client_for(someone)
    for url in (
        reverse("accounts:user_list"),
        reverse("accounts:user_create"),
        reverse("accounts:user_edit", args=[handler_a.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert "只有单位管理员或效能办可以管理人员" in response.content.decode()


# --- Through the users import -----------------------------------------------------------


def _sheet(tmp_path, rows):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "人员"
    ws.append(["用户名", "姓名", "单位编码", "角色", "手机号"])
    for row in rows:
        ws.append(row)
    path = tmp_path / "users.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize("role", ["reporter", "handler"])
def test_a_non_manager_cannot_import_a_supervisor(client_for, county_a, tmp_path, role):
    uploader = person("xs_tb", county_a, role)
    path = _sheet(tmp_path, [["boss", "老板", "530112", "效能办", None]])
    with open(path, "rb") as fh:
        response = client_for(uploader).post(reverse("accounts:user_import"), {"file": fh})
    assert response.status_code == 403
    assert "只有单位管理员或效能办可以管理人员" in response.content.decode()
    with pytest.raises(PermissionDenied):
        services.import_users(str(path), actor=uploader)
    assert not User.objects.filter(username="boss").exists()


def test_an_admins_import_names_the_row_and_column_it_refuses(
    client_for, admin_a, county_a, tmp_path
):
    path = _sheet(
        tmp_path,
        [
            ["ok_one", "一号", "530112", "单位管理员", None],  # same level: from above only
            ["boss", "老板", "530112", "效能办", None],  # not held
            ["xs_admin", "孙管理", "530112", "单位管理员、效能办", None],  # themselves
        ],
    )
    with open(path, "rb") as fh:
        response = client_for(admin_a).post(reverse("accounts:user_import"), {"file": fh})
    text = response.content.decode()
    assert "第 2 行“角色”列（值：单位管理员）：您不能在“西山区”授予或撤销角色：单位管理员" in text
    assert "第 3 行“角色”列（值：效能办）：您不能在“西山区”授予或撤销角色：效能办/督查室" in text
    assert "第 4 行“角色”列" in text and "不能修改自己的角色" in text
    assert not User.objects.filter(username__in=["ok_one", "boss"]).exists()
    assert User.objects.get(pk=admin_a.pk).role_codes == {"unit_admin"}


def test_an_import_cannot_take_a_role_away_it_could_not_grant(admin_a, county_a, tmp_path):
    supervisor = person("xs_xn", county_a, "supervisor", "handler")
    path = _sheet(tmp_path, [["xs_xn", "", "530112", "承办人", None]])
    with pytest.raises(ImportFailed) as exc:
        services.import_users(str(path), actor=admin_a)
    assert "第 2 行“用户名”列" in str(exc.value)
    assert User.objects.get(pk=supervisor.pk).role_codes == {"supervisor", "handler"}


def test_an_import_by_a_manager_who_holds_the_roles_goes_through(county_a, tmp_path):
    admin = person("xs_admin2", county_a, "unit_admin", "handler")
    path = _sheet(tmp_path, [["cb1", "承办一", "530112", "承办人", None]])
    result = services.import_users(str(path), actor=admin)
    assert [u for u, _p in result.created] == ["cb1"]
    assert User.objects.get(username="cb1").role_codes == {"handler"}
