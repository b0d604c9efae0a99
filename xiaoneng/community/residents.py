"""Residents join their community (issue 14, item 1): the actions.

A community's staff hand out invitation codes (`create_invitation`, `revoke_invitation`);
a resident signs up with one, their phone number, name and a password (`sign_up`, on the
public join page and `POST /api/join/`), or the staff add them one at a time
(`add_resident`) or from a sheet of 姓名 and 手机号 (`import_residents`). Either way the
resident is a User with the resident role whose unit is the community.

A resident's user name is the platform's (`jm` + the community's code + a number, see
`_usernames`), never their phone number: streets and counties see user names in their
lists. The resident logs in with the phone number (accounts/backends.py), which is
therefore unique among active residents; every creation takes one lock
(`_one_at_a_time`), so two sign-ups cannot take the same number or user name, and the
code's uses are counted on its locked row, so two sign-ups cannot pass its limit.
"""

import datetime as dt
import secrets
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.accounts.models import Role, RoleCode, User
from xiaoneng.accounts.services import generate_password
from xiaoneng.community import conf
from xiaoneng.community.models import Invitation
from xiaoneng.core import policy, throttle
from xiaoneng.core.ledgers import Column, Ledger
from xiaoneng.core.policy import SYSTEM
from xiaoneng.core.validators import validate_phone
from xiaoneng.core.xlsx import CellError, ImportFailed, as_text, read_sheet
from xiaoneng.units.models import Level, Unit

# Codes people read aloud and type on a phone: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
MAX_USES = 1000
MAX_DAYS = 366
NAME_MAX = 50
# The key of the lock every creation of a resident takes (PostgreSQL advisory lock).
LOCK_KEY = 1_400_001


def normalize_code(code: Any) -> str:
    """A code as typed: case and spaces do not matter ("abcd 2345" is ABCD2345)."""
    return "".join(str(code or "").split()).replace("-", "").upper()


def invitation_state(invitation: Invitation, now=None) -> str:
    """有效, 已过期, 已用完 or 已作废 (the invitations page): the words of `refusal()`."""
    now = now or timezone.now()
    if invitation.revoked_at is not None or invitation.deleted_at is not None:
        return _("已作废")
    if now >= invitation.expires_at:
        return _("已过期")
    if invitation.uses >= invitation.max_uses:
        return _("已用完")
    return _("有效")


def _require_runs(actor, community: Unit) -> None:
    policy.require(
        actor,
        "run_community",
        community,
        _("只有本社区的工作人员可以管理邀请码和居民。"),
    )


def _whole_number(value, low: int, high: int, field_name: str, label: str) -> int:
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(high))):
        number = None
    else:
        number = int(text)
    if number is None or not low <= number <= high:
        raise ValidationError(
            {
                field_name: _("%(label)s应为 %(low)d 至 %(high)d 之间的整数。")
                % {"label": label, "low": low, "high": high}
            }
        )
    return number


def _new_code() -> str:
    for _attempt in range(20):
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        if not Invitation.all_objects.filter(code=code).exists():
            return code
    raise RuntimeError("no free invitation code found")  # 31^8 codes: never in practice


@transaction.atomic
def create_invitation(*, actor, community: Unit, max_uses, days=None, note: str = "") -> Invitation:
    """A new code for `community`, valid `days` days (default conf.invitation_days()) for
    `max_uses` sign-ups."""
    _require_runs(actor, community)
    max_uses = _whole_number(max_uses, 1, MAX_USES, "max_uses", _("可用次数"))
    if days in (None, ""):
        days = conf.invitation_days()
    days = _whole_number(days, 1, MAX_DAYS, "days", _("有效天数"))
    note = str(note or "").strip()
    if len(note) > 100:
        raise ValidationError({"note": _("备注最多 100 个字（现有 %d 个）。") % len(note)})
    invitation = Invitation(
        community=community,
        code=_new_code(),
        note=note,
        expires_at=timezone.now() + dt.timedelta(days=days),
        max_uses=max_uses,
        created_by=policy.person_of(actor),
    )
    invitation.save(actor=actor)
    return invitation


@transaction.atomic
def revoke_invitation(invitation: Invitation, *, actor) -> Invitation:
    """The code can no longer be used (the residents who joined with it stay)."""
    locked = Invitation.all_objects.select_for_update().get(pk=invitation.pk)
    policy.require(actor, "manage", locked, _("只有本社区的工作人员可以作废邀请码。"))
    if locked.revoked_at is not None:
        raise ValidationError(_("该邀请码已作废。"))
    locked.revoked_at = timezone.now()
    locked.save(actor=actor)
    return locked


# --- Residents ----------------------------------------------------------------------------


def _one_at_a_time() -> None:
    """Residents are created one at a time (in the caller's transaction): the phone number
    and the user name are checked free, then taken. SQLite's writers already wait for each
    other (transaction_mode IMMEDIATE)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def registered_resident(phone: str) -> User | None:
    """The resident who already has this phone number (it is their login)."""
    return (
        User.objects.filter(phone=phone, roles__code=RoleCode.RESIDENT)
        .select_related("unit")
        .first()
    )


def _usernames(community: Unit) -> Iterator[str]:
    """Free user names for new residents of `community`: jm530112007001-0001, -0002 …"""
    prefix = f"jm{community.code}-"
    taken = User.all_objects.filter(username__startswith=prefix).values_list("username", flat=True)
    numbers = [int(u[len(prefix) :]) for u in taken if u[len(prefix) :].isdigit()]
    number = max(numbers, default=0)
    while True:
        number += 1
        yield f"{prefix}{number:04d}"


def _check_name(name: Any) -> str:
    name = str(name or "").strip()
    if not name:
        raise ValueError(_("请填写姓名。"))
    if len(name) > NAME_MAX:
        raise ValueError(
            _("姓名最多 %(max)d 个字（现有 %(n)d 个）。") % {"max": NAME_MAX, "n": len(name)}
        )
    return name


def _check_phone(phone: Any) -> str:
    phone = "".join(str(phone or "").split())
    if not phone:
        raise ValueError(_("请填写手机号。"))
    try:
        validate_phone(phone)
    except ValidationError as exc:
        raise ValueError(exc.messages[0]) from None
    return phone


def _new_resident(
    *, actor, community: Unit, username: str, name: str, phone: str, password: str, must_change
) -> User:
    user = User(
        username=username,
        unit=community,
        name=name,
        phone=phone,
        must_change_password=must_change,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save(actor=actor)
    user.roles.set(Role.for_codes([RoleCode.RESIDENT.value]))  # logged as the save's actor
    return user


def taken_message() -> str:
    return _("该手机号已注册，请直接用手机号登录；忘记密码请联系社区工作人员。")


def _checked_person(name, phone) -> tuple[str, str, dict[str, list[str]]]:
    """A new resident's name and phone, cleaned, and what is wrong with them (by field)."""
    errors: dict[str, list[str]] = {}
    try:
        name = _check_name(name)
    except ValueError as exc:
        errors["name"] = [str(exc)]
    try:
        phone = _check_phone(phone)
    except ValueError as exc:
        errors["phone"] = [str(exc)]
    return name, phone, errors


class TooManyTries(Exception):
    """The address made too many refused sign-ups lately (core/throttle.py)."""

    def __init__(self, minutes: int):
        self.minutes = minutes
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return (
            _("尝试次数过多，请 %d 分钟后再试。如邀请码有误，请找社区工作人员核对。") % self.minutes
        )


JOIN = "community.join"


def sign_up_from(client: str, typed: Mapping[str, Any]) -> User:
    """`sign_up` with what the public page or API received (code, phone, name, password),
    counted per client address: each refusal counts (a wrong code, a phone already
    registered, a weak password), and after too many the address waits (TooManyTries)
    whatever it sends, the good code too."""
    window = conf.join_throttle()
    wait = throttle.wait_minutes(JOIN, client, **window)
    if wait:
        raise TooManyTries(wait)
    try:
        return sign_up(**{key: typed[key] for key in ("code", "phone", "name", "password")})
    except ValidationError:
        throttle.record_refusal(JOIN, client, minutes=window["minutes"])
        raise


@transaction.atomic
def sign_up(*, code, phone, name, password) -> User:
    """A resident joins the community of invitation `code`. Every refusal names its field
    (code, phone, name, password); nothing is stored unless all pass. Written by the system
    (nobody is logged in yet)."""
    name, phone, errors = _checked_person(name, phone)
    password = str(password or "")
    if not password:
        errors["password"] = [_("请设置密码。")]
    else:
        try:
            validate_password(password, User(name=str(name), phone=str(phone)))
        except ValidationError as exc:
            errors["password"] = exc.messages
    typed = normalize_code(code)
    invitation = None
    if not typed:
        errors["code"] = [_("请填写邀请码。")]
    else:
        invitation = (
            Invitation.all_objects.select_for_update()
            .select_related("community")
            .filter(code=typed)
            .first()
        )
        if invitation is None or invitation.community.level != Level.COMMUNITY:
            errors["code"] = [_("邀请码不正确，请核对后再输入。")]
        elif refusal := invitation.refusal():
            errors["code"] = [refusal]
    if errors or invitation is None:
        raise ValidationError(errors)
    _one_at_a_time()
    # Asked only with a valid code: the page is public, the numbers of residents are not.
    if registered_resident(phone) is not None:
        raise ValidationError({"phone": taken_message()})
    community = invitation.community
    user = _new_resident(
        actor=SYSTEM,
        community=community,
        username=next(_usernames(community)),
        name=name,
        phone=phone,
        password=password,
        must_change=False,
    )
    invitation.uses += 1
    invitation.save(actor=SYSTEM)
    return user


@transaction.atomic
def add_resident(*, actor, community: Unit, phone, name) -> tuple[User, str]:
    """The staff add one resident; returns them and their initial password (shown once;
    they must change it at their first login)."""
    _require_runs(actor, community)
    name, phone, errors = _checked_person(name, phone)
    if errors:
        raise ValidationError(errors)
    _one_at_a_time()
    if registered_resident(phone) is not None:
        raise ValidationError({"phone": _("该手机号已注册为居民。")})
    password = generate_password()
    user = _new_resident(
        actor=actor,
        community=community,
        username=next(_usernames(community)),
        name=name,
        phone=phone,
        password=password,
        must_change=True,
    )
    return user, password


# --- The residents sheet ------------------------------------------------------------------


def _parse_name(value: Any) -> str:
    return _check_name(as_text(value))


def _parse_phone(value: Any) -> str:
    return _check_phone(as_text(value))


RESIDENTS = Ledger(
    "居民",
    [
        Column(
            "name", "姓名", aliases=("name",), required=True, width=14,
            note="必填，最多 50 个字", parse=_parse_name,
        ),
        Column(
            "phone", "手机号", aliases=("手机", "电话", "phone"), required=True, width=18,
            note="必填。居民用手机号登录；已是本社区居民的手机号跳过不改",
            parse=_parse_phone,
        ),
    ],
)  # fmt: skip


@dataclass
class ImportResult:
    created: list[tuple[User, str]]  # (resident, initial password)
    skipped: list[str] = field(default_factory=list)  # phones already residents here
    warnings: list[str] = field(default_factory=list)


@transaction.atomic
def import_residents(*, actor, community: Unit, upload, file_label: str = "") -> ImportResult:
    """Residents from a sheet of 姓名 and 手机号 (the RESIDENTS ledger), all or nothing: one
    bad row (its row number and column named) and nothing is stored. A phone number that is
    already a resident of this community is skipped; of another community's, refused."""
    _require_runs(actor, community)
    label = file_label or getattr(upload, "name", "") or ""
    sheet = read_sheet(
        upload, RESIDENTS.headers_by_key(), required=RESIDENTS.required(), file_label=label
    )
    if not sheet.rows:
        raise ImportFailed(
            [CellError(sheet.name, 2, "", _("表中没有居民：第 1 行为表头，从第 2 行起每行一人"))],
            sheet.warnings,
        )
    _one_at_a_time()
    errors: list[CellError] = []
    rows: list[tuple[str, str]] = []
    skipped: list[str] = []
    seen: dict[str, int] = {}
    phone_header = RESIDENTS.header_of(sheet, "phone")
    for row, cells in sheet.rows:
        values, row_errors = RESIDENTS.parse_row(sheet, row, cells)
        errors += row_errors
        phone = values.get("phone")
        if not phone:
            continue
        if phone in seen:
            message = _("与第 %s 行的手机号重复") % seen[phone]
            errors.append(CellError(sheet.name, row, phone_header, message, phone))
            continue
        seen[phone] = row
        existing = registered_resident(phone)
        if existing is not None and existing.unit_id == community.pk:
            skipped.append(phone)
        elif existing is not None:
            message = _("该手机号已注册为其他社区的居民")
            errors.append(CellError(sheet.name, row, phone_header, message, phone))
        elif not row_errors:
            rows.append((values["name"], phone))
    if errors:
        raise ImportFailed(errors, sheet.warnings)
    usernames = _usernames(community)
    created = []
    for name, phone in rows:
        password = generate_password()
        user = _new_resident(
            actor=actor,
            community=community,
            username=next(usernames),
            name=name,
            phone=phone,
            password=password,
            must_change=True,
        )
        created.append((user, password))
    return ImportResult(created=created, skipped=skipped, warnings=sheet.warnings)


def template_xlsx() -> bytes:
    return RESIDENTS.template([["张三", "13800000000"]])


def residents_of(community: Unit):
    """The community's residents (the staff's list)."""
    return (
        User.objects.filter(unit=community, roles__code=RoleCode.RESIDENT)
        .distinct()
        .order_by("-date_joined", "-pk")
    )
