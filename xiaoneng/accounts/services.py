"""Actions on people: provisioning, roles, passwords, the users sheet import."""

import secrets
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.accounts.models import Role, RoleCode, User, parse_role
from xiaoneng.core import audit
from xiaoneng.core.xlsx import CellError, ImportFailed, as_text, read_sheet
from xiaoneng.units.models import Unit

MANAGER_ROLES = ("unit_admin", "supervisor")


def _check_manager(actor, unit: Unit) -> None:
    if actor is None:
        return
    if not actor.has_role(*MANAGER_ROLES) or actor.unit is None or not unit.is_within(actor.unit):
        raise PermissionDenied(_("只能管理本单位及下级单位的人员。"))


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
    _check_manager(actor, unit)
    role_objs = _roles(roles)
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
    user: User, *, actor, unit: Unit | None = None, roles: list[str] | None = None, **fields
) -> User:
    _check_manager(actor, user.unit)
    if unit is not None:
        _check_manager(actor, unit)
        user.unit = unit
    for key, value in fields.items():
        setattr(user, key, value)
    user.full_clean(exclude=["password"])
    user.save()
    if roles is not None:
        user.roles.set(_roles(roles))
        user.__dict__.pop("role_codes", None)
    return user


@transaction.atomic
def reset_password(user: User, *, actor) -> str:
    """Admin-forced reset: a one-time password the user must change at next login."""
    _check_manager(actor, user.unit)
    password = generate_password()
    user.set_password(password)
    user.must_change_password = True
    user.save()
    audit.log(user, "reset_password", comment=_("管理员重置密码"))
    return password


@transaction.atomic
def deactivate_user(user: User, *, actor, comment: str = "") -> None:
    _check_manager(actor, user.unit)
    if actor is not None and user.pk == actor.pk:
        raise ValidationError(_("不能删除自己的账号。"))
    user.delete(comment=comment)


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
    sheet = read_sheet(
        source, USER_COLUMNS, required=["username", "unit_code", "roles"], file_label=file_label
    )
    errors: list[CellError] = []
    codes = {as_text(v["unit_code"]) for _, v in sheet.rows}
    units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
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
        elif actor is not None and (actor.unit is None or not unit.is_within(actor.unit)):
            err("unit_code", _("该单位不在您的管理范围内"), code)
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
        phone = as_text(values.get("phone"))
        if phone and not phone.replace("-", "").isdigit():
            err("phone", _("手机号只能包含数字"), phone)
        parsed.append((username, as_text(values.get("name")), unit, role_codes, phone))
    if errors:
        raise ImportFailed(errors, sheet.warnings)
    if actor is not None and not actor.has_role(*MANAGER_ROLES):
        raise PermissionDenied(_("只有单位管理员或效能办可以导入人员。"))

    existing = {u.username: u for u in User.all_objects.filter(username__in=seen)}
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
