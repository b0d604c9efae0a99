"""Actions on people: provisioning, roles, passwords, API tokens, the users sheet import."""

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.accounts.models import ApiToken, Role, RoleCode, User, hash_token_key, parse_role
from xiaoneng.core import audit
from xiaoneng.core.versioning import check_version
from xiaoneng.core.xlsx import CellError, ImportFailed, as_text, read_sheet
from xiaoneng.units.models import LEVEL_ORDER, Unit

MANAGER_ROLES = ("unit_admin", "supervisor")
# Roles with power over other people: granted only from the level above.
APPOINTED_ROLES = frozenset({"supervisor", "unit_admin"})


def is_province_supervisor(user) -> bool:
    """What the whole province shares (batches, industries, the negative list) is maintained by
    the province's 效能办; the system (None) may too."""
    return user is None or (
        user.has_role("supervisor") and user.unit is not None and user.unit.parent_id is None
    )


def manages_people(actor) -> bool:
    """Unit admins and supervisors manage people; the system (None: the `users` command) too."""
    return actor is None or (
        actor.is_active and actor.is_staff_member and actor.has_role(*MANAGER_ROLES)
    )


def _level(unit: Unit) -> int:
    return LEVEL_ORDER.index(unit.level)


def grantable_roles(actor, unit: Unit | None = None) -> set[str]:
    """The roles `actor` may grant to, or take from, someone in `unit`.

    Nobody grants more than they hold: a unit admin or supervisor grants only roles they hold
    themselves, only in their own unit's subtree; supervisor and unit admin only to units of a
    level below their own. The province has no level above: its own unit admins grant those
    there. The system (None) grants anything: that is how the first admin is made. Without a
    unit: the roles `actor` may grant somewhere in their subtree (the user form's choices).
    """
    if actor is None:
        return set(RoleCode.values)
    if not manages_people(actor):
        return set()
    held = set(actor.role_codes)
    if unit is None:
        return held
    if not unit.is_within(actor.unit):
        return set()
    at_province = actor.unit.parent_id is None and actor.has_role("unit_admin")
    if _level(unit) <= _level(actor.unit) and not at_province:
        held -= APPOINTED_ROLES
    return held


def _labels(codes) -> str:
    return "、".join(str(label) for code, label in RoleCode.choices if code in codes)


def role_change_refusal(actor, user: User | None, unit: Unit, roles) -> tuple[str, str] | None:
    """Why `actor` may not give `user` (None: a new person) the roles `roles` in `unit`, as
    (field, message); None when allowed. Taking a role away is a change of roles too, and so is
    moving its holder to another unit (taken away there, granted here)."""
    if actor is None:
        return None
    if not manages_people(actor):
        return "roles", _("只有单位管理员或效能办可以管理人员。")
    old_unit = user.unit if user is not None else None
    old, new = (set(user.role_codes) if user is not None else set()), set(roles)
    if user is not None and user.pk == actor.pk:
        if new != old or unit.pk != user.unit_id:
            return "roles", _("不能修改自己的角色或所在单位，请联系上级单位的管理员。")
        return None
    for where in (unit, old_unit):
        if where is not None and not where.is_within(actor.unit):
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


def can_manage_user(actor, user: User) -> bool:
    """Whether `actor` may edit, reset or deactivate `user`: a person in their subtree whose
    supervisor and unit-admin roles they could have granted (nobody takes over the account of
    a peer or a superior), or themselves."""
    if actor is None:
        return True
    if not manages_people(actor) or user.unit is None or not user.unit.is_within(actor.unit):
        return False
    if user.pk == actor.pk:
        return True
    return not (user.role_codes & APPOINTED_ROLES) - grantable_roles(actor, user.unit)


def check_manages(actor, user: User) -> None:
    if not can_manage_user(actor, user):
        raise PermissionDenied(
            _(
                "您不能管理“%(user)s”（%(unit)s）：只能管理本单位及下级单位的人员，"
                "效能办和单位管理员由上一级管理。"
            )
            % {"user": user, "unit": user.unit.name if user.unit else "—"}
        )


def _check_roles(actor, user: User | None, unit: Unit, roles) -> None:
    refusal = role_change_refusal(actor, user, unit, roles)
    if refusal is not None:
        raise ValidationError({refusal[0]: refusal[1]})


def generate_password() -> str:
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


def _roles(codes) -> list[Role]:
    unknown = [c for c in codes if c not in RoleCode.values]
    if unknown:
        raise ValidationError({"roles": _("未知角色：%s") % "、".join(unknown)})
    if not codes:
        raise ValidationError({"roles": _("至少需要一个角色。")})
    return Role.for_codes(codes)


@transaction.atomic
def add_user(
    *,
    actor,
    username: str,
    unit: Unit,
    roles: list[str],
    password: str | None = None,
    name: str = "",
    phone: str = "",
    email: str = "",
    must_change_password: bool = False,
) -> User:
    role_objs = _roles(roles)
    _check_roles(actor, None, unit, roles)
    if User.all_objects.filter(username=username).exists():
        raise ValidationError({"username": _("用户名“%s”已存在。") % username})
    user = User(
        username=username,
        unit=unit,
        name=name,
        phone=phone,
        email=email,
        must_change_password=must_change_password,
    )
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user.roles.set(role_objs)
    return user


@transaction.atomic
def update_user(
    user: User,
    *,
    actor,
    unit: Unit | None = None,
    roles: list[str] | None = None,
    version: str | None = None,
    **fields,
) -> User:
    """`version`: the version the form was read at (core.versioning); None: not checked."""
    check_manages(actor, user)
    check_version(User.all_objects.select_for_update().get(pk=user.pk), version)
    role_objs = _roles(roles) if roles is not None else None
    _check_roles(actor, user, unit or user.unit, user.role_codes if roles is None else roles)
    if unit is not None:
        user.unit = unit
    for key, value in fields.items():
        setattr(user, key, value)
    if role_objs is not None:  # before the save, whose time is then the version's
        user.roles.set(role_objs)
        user.__dict__.pop("role_codes", None)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def reset_password(user: User, *, actor) -> str:
    """Admin-forced reset: a one-time password the user must change at next login.
    The user's API tokens go with the old password (User.save)."""
    check_manages(actor, user)
    password = generate_password()
    user.set_password(password)
    user.must_change_password = True
    user.save()
    audit.log(user, "reset_password", comment=_("管理员重置密码"))
    return password


@transaction.atomic
def deactivate_user(user: User, *, actor, comment: str = "") -> None:
    check_manages(actor, user)
    if actor is not None and user.pk == actor.pk:
        raise ValidationError(_("不能删除自己的账号。"))
    user.delete(comment=comment)


# --- API tokens -----------------------------------------------------------------------------


def create_token(user: User, *, name: str = "") -> str:
    """A new API token for `user` (one per device); returns its key, which only the caller
    ever sees: the table keeps a hash. The user's expired tokens go."""
    expired_before = timezone.now() - dt.timedelta(hours=settings.TOKEN_HOURS)
    user.api_tokens.filter(created_at__lte=expired_before).delete()
    key = secrets.token_hex(20)
    ApiToken.objects.create(user=user, key_hash=hash_token_key(key), name=name[:100])
    return key


@transaction.atomic
def revoke_token(token: ApiToken, *, actor) -> None:
    """A user revokes one of their own tokens."""
    if actor is not None and token.user_id != actor.pk:
        raise PermissionDenied(_("只能撤销自己的令牌。"))
    token.delete()
    audit.log(token.user, "revoke_tokens", comment=str(token))


@transaction.atomic
def revoke_tokens(user: User, *, actor) -> int:
    """A unit admin revokes every API token of someone they manage."""
    check_manages(actor, user)
    count, _deleted = user.api_tokens.all().delete()
    audit.log(user, "revoke_tokens", comment=_("撤销全部令牌（%d 个）") % count)
    return count


USER_COLUMNS = {
    "username": ["用户名", "username"],
    "name": ["姓名", "name"],
    "unit_code": ["单位编码", "unit_code", "unit"],
    "roles": ["角色", "roles"],
    "phone": ["手机号", "手机", "phone"],
}
ROLE_SEPARATORS = ["、", "，", ",", ";", "；", " ", "/"]


@dataclass
class ImportResult:
    created: list[tuple[str, str]]  # (username, initial password)
    updated: list[str]
    warnings: list[str]


def _split_roles(text: str) -> list[str]:
    for sep in ROLE_SEPARATORS[1:]:
        text = text.replace(sep, "、")
    return [part for part in text.split("、") if part]


@transaction.atomic
def import_users(source, *, actor, file_label: str = "") -> ImportResult:
    """Create or update users from a sheet (用户名, 姓名, 单位编码, 角色, 手机号).

    All rows are checked first; one bad row means nothing is written.
    New users get a one-time password they must change at first login.
    """
    if not manages_people(actor):
        raise PermissionDenied(_("只有单位管理员或效能办可以导入人员。"))
    sheet = read_sheet(
        source, USER_COLUMNS, required=["username", "unit_code", "roles"], file_label=file_label
    )
    errors: list[CellError] = []
    codes = {as_text(v["unit_code"]) for _, v in sheet.rows}
    # Only units within the importer's subtree are known: a code outside it gets the same
    # answer as a code that does not exist (no existence oracle).
    known = Unit.objects.filter(code__in=codes)
    if actor is not None:
        known = known.filter(path__startswith=actor.unit.path) if actor.unit else known.none()
    units = {u.code: u for u in known}
    usernames = {as_text(v["username"]) for _, v in sheet.rows}
    existing = {
        u.username: u
        for u in User.all_objects.filter(username__in=usernames)
        .select_related("unit")
        .prefetch_related("roles")
    }
    seen: dict[str, int] = {}
    parsed = []
    for row, values in sheet.rows:

        def err(field, message, value=None, row=row):
            errors.append(
                CellError(sheet.name, row, sheet.headers.get(field, field), message, value)
            )

        username = as_text(values["username"])
        if not username:
            err("username", _("用户名不能为空"))
        elif username in seen:
            err("username", _("与第 %s 行的用户名重复") % seen[username], username)
        else:
            seen[username] = row
        code = as_text(values["unit_code"])
        unit = units.get(code)
        if not code:
            err("unit_code", _("单位编码不能为空"))
        elif unit is None:
            err("unit_code", _("没有这个单位编码"), code)
        role_codes = []
        for text in _split_roles(as_text(values["roles"])):
            code_ = parse_role(text)
            if code_ is None:
                err(
                    "roles",
                    _("未知角色（可用：%s）") % "、".join(str(label) for label in RoleCode.labels),
                    text,
                )
            else:
                role_codes.append(code_)
        if not values["roles"]:
            err("roles", _("角色不能为空"))
        user = existing.get(username)
        if user is not None and not can_manage_user(actor, user):
            err("username", _("该用户名已有人使用，且您不能管理此人"), username)
        elif unit is not None and role_codes:
            refusal = role_change_refusal(actor, user, unit, role_codes)
            if refusal is not None:
                field = {"unit": "unit_code", "roles": "roles"}[refusal[0]]
                err(field, refusal[1], as_text(values[field]))
        phone = as_text(values.get("phone"))
        if phone and not phone.replace("-", "").isdigit():
            err("phone", _("手机号只能包含数字"), phone)
        parsed.append((username, as_text(values.get("name")), unit, role_codes, phone))
    if errors:
        raise ImportFailed(errors, sheet.warnings)

    result = ImportResult(created=[], updated=[], warnings=sheet.warnings)
    for username, name, unit, role_codes, phone in parsed:
        user = existing.get(username)
        if user is None:
            password = generate_password()
            add_user(
                actor=actor,
                username=username,
                unit=unit,
                roles=role_codes,
                name=name,
                phone=phone,
                password=password,
                must_change_password=True,
            )
            result.created.append((username, password))
        else:
            if user.deleted_at is not None:
                user.restore(comment=_("导入时恢复"))
            update_user(
                user,
                actor=actor,
                unit=unit,
                roles=role_codes,
                name=name or user.name,
                phone=phone or user.phone,
            )
            result.updated.append(username)
    return result
