"""Actions on people: provisioning, roles, passwords, API tokens, the users sheet import."""

import datetime as dt
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.accounts import privacy
from xiaoneng.accounts.forms import UserForm
from xiaoneng.accounts.ledgers import FORM_KEYS, USERS, form_data
from xiaoneng.accounts.models import ApiToken, Role, RoleCode, User, hash_token_key, username_in_use
from xiaoneng.accounts.policy import role_change_refusal
from xiaoneng.core import audit, policy
from xiaoneng.core.ledgers import shown
from xiaoneng.core.versioning import check_version
from xiaoneng.core.xlsx import CellError, ImportFailed, Sheet, as_text, read_sheet
from xiaoneng.units.models import Unit


def manage_refusal(actor, user: User) -> str | None:
    """Why `actor` may not edit, reset, delete or restore `user` (User "change"), or None."""
    if policy.can(actor, "change", user):
        return None
    return _(
        "您不能管理“%(user)s”（%(unit)s）：只能管理本单位及下级单位的人员，"
        "效能办和单位管理员由上一级管理。"
    ) % {"user": user, "unit": user.unit.name if user.unit else "—"}


def check_manages(actor, user: User) -> None:
    """Raise unless `actor` may edit, reset, delete or restore `user` (User "change")."""
    if refusal := manage_refusal(actor, user):
        raise PermissionDenied(refusal)


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
    if refusal := username_in_use(username):
        raise ValidationError({"username": refusal})
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
    user.save(actor=actor)
    user.roles.set(role_objs)  # logged as the save's actor
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
    locked = User.all_objects.select_for_update().get(pk=user.pk)
    check_version(locked, version, shown=lambda rows: privacy.masked_history(rows, actor, locked))
    role_objs = _roles(roles) if roles is not None else None
    target = unit or user.unit
    if target is None:
        raise ValidationError({"unit": _("请选择所在单位。")})
    _check_roles(actor, user, target, user.role_codes if roles is None else roles)
    if unit is not None:
        user.unit = unit
    for key, value in fields.items():
        setattr(user, key, value)
    if role_objs is not None:  # before the save, whose time is then the version's
        user._audit_actor = actor  # (the change log's actor for the roles, as for the save)
        user.roles.set(role_objs)
        user.__dict__.pop("role_codes", None)
    user.full_clean(exclude=["password"])
    user.save(actor=actor)
    return user


@transaction.atomic
def reset_password(user: User, *, actor) -> str:
    """Admin-forced reset: a one-time password the user must change at next login.
    The user's API tokens go with the old password (User.save)."""
    check_manages(actor, user)
    password = generate_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(actor=actor)
    audit.log(user, "reset_password", actor=actor, comment=_("管理员重置密码"))
    return password


@transaction.atomic
def change_own_password(user: User, password: str, *, actor) -> User:
    """A person sets their own new password (already checked by Django's
    PasswordChangeForm: the old one, the password rules); the one-time password of an
    admin's reset goes with it, and so do their API tokens (User.save)."""
    if getattr(actor, "pk", None) != user.pk:
        raise PermissionDenied(_("只能修改自己的密码。"))
    user.set_password(password)
    user.must_change_password = False
    user.save(actor=actor)
    return user


@transaction.atomic
def deactivate_user(user: User, *, actor, comment: str = "") -> None:
    check_manages(actor, user)
    if user.pk == actor.pk:
        raise ValidationError(_("不能删除自己的账号。"))
    user.delete(actor=actor, comment=comment)


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
    policy.require(actor, "revoke", token, _("只能撤销自己的令牌。"))
    token.delete()
    audit.log(token.user, "revoke_tokens", actor=actor, comment=str(token))


@transaction.atomic
def revoke_tokens(user: User, *, actor) -> int:
    """A unit admin revokes every API token of someone they manage."""
    check_manages(actor, user)
    count, _deleted = user.api_tokens.all().delete()
    audit.log(user, "revoke_tokens", actor=actor, comment=_("撤销全部令牌（%d 个）") % count)
    return count


@dataclass
class ImportResult:
    created: list[tuple[str, str]]  # (username, initial password)
    updated: list[str]
    warnings: list[str]
    unchanged: list[str] = field(default_factory=list)  # rows that change nothing


@dataclass
class _Checked:
    row: int
    person: User | None  # None: a new person
    data: dict  # the form's cleaned data
    password: str = ""  # a new person's one-time password


def _form_errors(form, sheet: Sheet, row: int, cells: dict, failed: set[str]) -> list[CellError]:
    """The form's refusals of a row, each under its column with the value as typed; a cell
    that could not be read keeps that one error. (Like Ledger.form_errors, with the values.)"""
    errors: list[CellError] = []
    for key, messages in form.errors.items():
        if key in failed:
            continue
        column = USERS.by_key.get(key)
        header = USERS.header_of(sheet, key) if column is not None else ""
        value = shown(cells.get(key)) if column is not None else None
        errors.extend(CellError(sheet.name, row, header, str(m), value) for m in messages)
    return errors


def _check_rows(sheet: Sheet, *, actor) -> tuple[list[_Checked], list[str], list[CellError]]:
    """Every row through the users ledger's parsers and then the add/edit form (as NetBox's
    bulk import does): the rows to write, the usernames of rows that change nothing, and
    every refusal."""
    usernames = {as_text(cells["username"]) for _row, cells in sheet.rows}
    existing = {
        u.username: u
        for u in User.all_objects.filter(username__in=usernames)
        .select_related("unit")
        .prefetch_related("roles")
    }
    updatable = set(USERS.updatable())
    blank = {key: [] if key == "roles" else "" for key in FORM_KEYS}
    checked: list[_Checked] = []
    unchanged: list[str] = []
    errors: list[CellError] = []
    seen: dict[str, int] = {}
    for row, cells in sheet.rows:
        values, row_errors = USERS.parse_row(sheet, row, cells)
        failed = {key for key in cells if key not in values}
        username = values.get("username", "")
        if username in seen:
            failed.add("username")
            row_errors.append(
                CellError(
                    sheet.name,
                    row,
                    USERS.header_of(sheet, "username"),
                    _("与第 %s 行的用户名重复") % seen[username],
                    username,
                )
            )
        elif username:
            seen[username] = row
        person = existing.get(username) if "username" not in failed else None
        if person is not None and not policy.can(actor, "view", person):
            # Someone out of sight: their username is taken, as the add form answers.
            person = None
        # A blank cell keeps what is there; a re-import changes only the updatable columns.
        typed = {k: v for k, v in values.items() if v not in ("", None, [])}
        if person is not None and "phone" in typed:
            # A resident's phone exported masked (accounts.privacy) and imported back.
            typed["phone"] = privacy.unmasked(typed["phone"], person.phone)
        if person is None:
            data = {**blank, **typed}
        else:
            current = form_data(person)
            data = {**current, **{k: v for k, v in typed.items() if k in updatable}}
            if data == current and person.deleted_at is None and not row_errors:
                unchanged.append(username)  # nothing to write, nothing to permit
                continue
            if refusal := manage_refusal(actor, person):  # the edit page's 403, in its words
                header = USERS.header_of(sheet, "username")
                errors += [*row_errors, CellError(sheet.name, row, header, refusal, username)]
                continue
        form = UserForm(data, actor=actor, editing=person, imported=True)
        row_errors += _form_errors(form, sheet, row, cells, failed)
        password = ""
        if person is None and not row_errors:
            # A new person's one-time password passes the password rules as the web's does.
            password = generate_password()
            draft = User(username=username, name=data["name"], email=data["email"])
            try:
                validate_password(password, draft)
            except ValidationError as exc:
                row_errors += [CellError(sheet.name, row, "", m) for m in exc.messages]
        errors += row_errors
        if not row_errors:
            checked.append(_Checked(row, person, form.cleaned_data, password))
    return checked, unchanged, errors


@transaction.atomic
def import_users(source, *, actor, file_label: str = "") -> ImportResult:
    """Create or update people from a sheet of the users ledger (accounts/ledgers.py:
    用户名, 姓名, 单位编码, 角色, 手机号, 邮箱), by username.

    Each row passes the add/edit form's checks; all rows are checked first and one bad row
    means nothing is written. A row that changes nothing is left alone (an export imports
    back as it is). New people get a one-time password they must change at first login.
    """
    if not policy.can_any(actor, "manage_users", Unit):
        raise PermissionDenied(_("只有单位管理员或效能办可以导入人员。"))
    sheet = read_sheet(
        source, USERS.headers_by_key(), required=USERS.required(), file_label=file_label
    )
    checked, unchanged, errors = _check_rows(sheet, actor=actor)
    if errors:
        raise ImportFailed(errors, sheet.warnings)

    result = ImportResult(created=[], updated=[], warnings=sheet.warnings, unchanged=unchanged)
    for item in checked:
        data = dict(item.data)
        try:
            if item.person is None:
                add_user(actor=actor, password=item.password, must_change_password=True, **data)
                result.created.append((data["username"], item.password))
            else:
                if item.person.deleted_at is not None:
                    item.person.restore(actor=actor, comment=_("导入时恢复"))
                del data["username"]
                update_user(item.person, actor=actor, **data)
                result.updated.append(item.person.username)
        except ValidationError as exc:  # changed since the check (another import, a page)
            raise ImportFailed(
                [CellError(sheet.name, item.row, "", m) for m in exc.messages], sheet.warnings
            ) from None
    return result
