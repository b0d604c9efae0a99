"""Who may do what to people (the rules of core.policy), and the rule of granting roles.

Unit admins and 效能办 (MANAGERS) manage the people of their subtree: "manage_users" on a
unit is "may add people there and manage them"; "change" on a person is "may edit them, reset
their password, delete them (and restore them)". Nobody grants more than they hold
(`grantable_roles`): a manager grants only roles they hold, only in their own subtree, and
supervisor and unit admin only from the level above (at the province, its own unit admins).
So nobody takes over a peer's or a superior's account: a person whose supervisor or
unit-admin role the actor could not have granted is not theirs to change.
"""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from xiaoneng.accounts.models import ApiToken, RoleCode, User
from xiaoneng.core import policy
from xiaoneng.units.models import LEVEL_ORDER, Unit

# Who manages units, people, robots and the trash: a unit's admins and its 效能办.
MANAGERS = frozenset({RoleCode.UNIT_ADMIN.value, RoleCode.SUPERVISOR.value})
# Roles with power over other people: granted only from the level above.
APPOINTED_ROLES = frozenset({RoleCode.SUPERVISOR.value, RoleCode.UNIT_ADMIN.value})


# --- Granting roles -----------------------------------------------------------------------


def _level(unit: Unit) -> int:
    return LEVEL_ORDER.index(unit.level)


def _appoints_at_own_level(actor) -> bool:
    """The province has no level above: its own unit admins appoint there."""
    return actor.unit.parent_id is None and RoleCode.UNIT_ADMIN in actor.role_codes


def grantable_roles(actor, unit: Unit | None = None) -> set[str]:
    """The roles `actor` may grant to, or take from, someone in `unit`.

    Nobody grants more than they hold: a unit admin or supervisor grants only roles they hold
    themselves, only in their own unit's subtree; supervisor and unit admin only to units of a
    level below their own. The province has no level above: its own unit admins grant those
    there. The system grants anything: that is how the first admin is made. Without a unit:
    the roles `actor` may grant somewhere in their subtree (the user form's choices).
    """
    if not policy.can_any(actor, "manage_users", Unit):
        return set()
    if policy.is_system(actor):
        return set(RoleCode.values)
    held = set(actor.role_codes)
    if unit is None:
        return held
    if not policy.can(actor, "manage_users", unit):
        return set()
    if _level(unit) <= _level(actor.unit) and not _appoints_at_own_level(actor):
        held -= APPOINTED_ROLES
    return held


def _labels(codes) -> str:
    return "、".join(str(label) for code, label in RoleCode.choices if code in codes)


def role_change_refusal(actor, user: User | None, unit: Unit, roles) -> tuple[str, str] | None:
    """Why `actor` may not give `user` (None: a new person) the roles `roles` in `unit`, as
    (field, message); None when allowed. Taking a role away is a change of roles too, and so is
    moving its holder to another unit (taken away there, granted here)."""
    if not policy.can_any(actor, "manage_users", Unit):
        return "roles", _("只有单位管理员或效能办可以管理人员。")
    old_unit = user.unit if user is not None else None
    old, new = (set(user.role_codes) if user is not None else set()), set(roles)
    if user is not None and user.pk == actor.pk:
        if new != old or unit.pk != user.unit_id:
            return "roles", _("不能修改自己的角色或所在单位，请联系上级单位的管理员。")
        return None
    for where in (unit, old_unit):
        if where is not None and not policy.can(actor, "manage_users", where):
            return "unit", _("“%s”不在您的管理范围内（只能管理本单位及下级单位的人员）。") % (
                where.name
            )
    if old_unit is None or old_unit.pk == unit.pk:
        changes = [(unit, new ^ old)]
    else:
        changes = [(old_unit, old), (unit, new)]
    for where, codes in changes:
        refused = codes - grantable_roles(actor, where)
        if refused:
            return "roles", _(
                "您不能在“%(unit)s”授予或撤销角色：%(roles)s。只能授予自己持有的角色；"
                "效能办和单位管理员由上一级授予。"
            ) % {"unit": where.name, "roles": _labels(refused)}
    return None


# --- People -------------------------------------------------------------------------------


def _people(actor) -> Q | None:
    unit = policy.unit_of(actor)
    if unit is None:
        return Q(pk=actor.pk)  # a resident sees themselves
    return Q(unit__path__startswith=unit.path) | Q(pk=actor.pk)


def _person(actor, user) -> bool:
    return user.pk == actor.pk or policy.within(user.unit, actor)


def _holding_none_of(codes) -> Q:
    """People who hold none of the roles `codes`."""
    if not codes:
        return Q(pk__isnull=False)  # everyone (an empty Q() would vanish in an OR)
    held = User.roles.through.objects.filter(user_id=OuterRef("pk"), role__code__in=codes)
    return ~Q(Exists(held))


def _manageable_people(actor) -> Q | None:
    """`where` of `can_manage`: the people of the actor's subtree whose supervisor and
    unit-admin roles the actor could have granted where they are, and the actor themselves."""
    unit = policy.unit_of(actor)
    if unit is None:
        return None
    not_held = sorted(APPOINTED_ROLES - set(actor.role_codes))  # granted nowhere by them
    if _appoints_at_own_level(actor):
        in_power = _holding_none_of(not_held)
    else:
        below = Q(unit__level__in=LEVEL_ORDER[_level(unit) + 1 :])
        in_power = (below & _holding_none_of(not_held)) | (
            ~below & _holding_none_of(sorted(APPOINTED_ROLES))
        )
    return Q(unit__path__startswith=unit.path) & (Q(pk=actor.pk) | in_power)


def can_manage(actor, user: User) -> bool:
    """The same for one person (the `change` rule's check)."""
    if user.unit is None or not policy.within(user.unit, actor):
        return False
    if user.pk == actor.pk:
        return True
    return not (user.role_codes & APPOINTED_ROLES) - grantable_roles(actor, user.unit)


policy.register(
    User, "view", roles=(), where=_people, check=_person, doc="本人，以及本单位及下级单位的人员"
)
policy.register(
    User,
    "change",
    roles=MANAGERS,
    where=_manageable_people,
    check=can_manage,
    doc="编辑人员、重置密码、撤销令牌、删除：单位管理员、效能办，本单位及下级单位的人员；"
    "同级的效能办和单位管理员由上一级管理",
)
policy.register(
    User,
    "restore",
    roles=MANAGERS,
    where=_manageable_people,
    check=can_manage,
    doc="从回收站恢复人员（连同其角色）：与编辑、删除相同",
)
policy.register(
    Unit,
    "manage_users",
    roles=MANAGERS,
    **policy.subtree(""),
    doc="在该单位新增、管理人员（授予角色见 grantable_roles）：单位管理员、效能办，本单位及下级",
)
policy.register(
    ApiToken,
    "revoke",
    where=lambda actor: Q(user_id=actor.pk),
    check=lambda actor, token: token.user_id == actor.pk,
    doc="查看、撤销 API 令牌：本人的（管理员撤销他人的全部令牌属于 User.change）",
)


# --- Actions on no row --------------------------------------------------------------------


policy.register(
    None,
    "use_trash",
    roles=MANAGERS,
    doc="打开回收站：单位管理员、效能办（能恢复哪些记录，由各模型的 restore 规则决定）",
)
