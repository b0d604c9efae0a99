"""People and their roles. A user belongs to one unit and holds one or more roles."""

import datetime as dt
import hashlib
from functools import cache, cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.models import BaseModel, ScopedQuerySet
from xiaoneng.core.validators import validate_phone


class RoleCode(models.TextChoices):
    SUPERVISOR = "supervisor", _("效能办/督查室")
    UNIT_ADMIN = "unit_admin", _("单位管理员")
    HANDLER = "handler", _("承办人")
    LEADER = "leader", _("领导干部")
    REPORTER = "reporter", _("项目填报员")
    VIEWER = "viewer", _("查看人员")
    RESIDENT = "resident", _("居民")


# Roles that see staff data of their unit's subtree; a resident alone sees none.
STAFF_ROLES = frozenset(RoleCode.values) - {RoleCode.RESIDENT}


def parse_role(text: str) -> str | None:
    """A role from its code or its name in any of the platform's languages (效能办, 督查室,
    承办人 …, Handler): a sheet reads the same whatever language its reader has chosen."""
    return _role_names().get(text.strip())


@cache
def _role_names() -> dict[str, str]:
    """Every name of every role → its code, built once (an import asks for each row)."""
    names: dict[str, str] = {}
    for code, label in reversed(RoleCode.choices):  # the first role wins a shared name
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                names.update(dict.fromkeys({str(label), *str(label).split("/")}, code))
        names[code] = code
    return names


def username_in_use(username: str) -> str | None:
    """Why a new person may not take `username` (None: they may). A deleted person keeps
    theirs (the trash restores them): it is never given again. The add form, the import and
    `services.add_user` ask this."""
    if User.all_objects.filter(username=username).exists():
        return gettext("用户名“%s”已存在。") % username
    return None


class Role(models.Model):
    code = models.CharField(_("代码"), max_length=20, unique=True, choices=RoleCode.choices)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.get_code_display()

    @classmethod
    def for_codes(cls, codes) -> list["Role"]:
        """The Role rows for these codes, created if missing (the seed migration made them,
        but a flushed test database has none)."""
        codes = [c for c in codes if c in RoleCode.values]
        cls.objects.bulk_create([cls(code=c) for c in codes], ignore_conflicts=True)
        return list(cls.objects.filter(code__in=codes))


class AliveUserManager(UserManager.from_queryset(ScopedQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class AllUserManager(UserManager.from_queryset(ScopedQuerySet)):
    pass


class User(AbstractUser, BaseModel):
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("所在单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    roles = models.ManyToManyField(Role, verbose_name=_("角色"), blank=True, related_name="users")
    phone = models.CharField(_("手机号"), max_length=20, blank=True, validators=[validate_phone])
    party_branch = models.ForeignKey(
        "units.PartyBranch",
        verbose_name=_("所在党支部"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    must_change_password = models.BooleanField(_("须修改密码"), default=False)

    objects = AliveUserManager()
    all_objects = AllUserManager()

    audit_exclude = ("created_at", "updated_at", "last_login")
    history_actions = {"revoke_tokens": _("撤销 API 令牌")}
    # Django's own bookkeeping, which nobody here sets: left out of the change history.
    history_hidden = ("is_staff", "is_superuser", "last_login", "first_name", "last_name",
                      "date_joined")  # fmt: skip

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        base_manager_name = "all_objects"
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.name or self.username

    @cached_property
    def role_codes(self) -> frozenset[str]:
        if "roles" in getattr(self, "_prefetched_objects_cache", {}):  # lists prefetch roles
            return frozenset(role.code for role in self.roles.all())
        return frozenset(self.roles.values_list("code", flat=True))

    def has_role(self, *codes: str) -> bool:
        return bool(self.role_codes.intersection(codes))

    @property
    def is_staff_member(self) -> bool:
        """Cadres with any role but resident see staff data within their unit's subtree."""
        return self.unit_id is not None and bool(self.role_codes & STAFF_ROLES)

    def role_labels(self) -> list[str]:
        return [str(RoleCode(c).label) for c in RoleCode.values if c in self.role_codes]

    def save(self, *args, **kwargs):
        # set_password() keeps the new password in _password until the save.
        password_changed = self._password is not None
        super().save(*args, **kwargs)
        if password_changed or not self.is_active or self.deleted_at is not None:
            self.api_tokens.all().delete()

    def delete(self, using=None, keep_parents=False, *, actor=None, comment: str = ""):
        self.is_active = False
        return super().delete(using, keep_parents, actor=actor, comment=comment)

    def restore_refusal(self, actor) -> str | None:
        """Restoring a person gives their roles back: only someone who may manage them
        (User "restore", accounts/policy.py)."""
        from xiaoneng.core import policy

        if policy.can(actor, "restore", self):
            return None
        return _("您不能恢复“%s”：效能办和单位管理员只能由上一级恢复。") % self

    def restore(self, *, actor=None, comment: str = "") -> None:
        self.is_active = True
        super().restore(actor=actor, comment=comment)


def hash_token_key(key: str) -> str:
    """Keys are 40 random hex digits: a plain SHA-256 is enough to keep them out of the table."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """An API token (one per device). Only a hash of the key is stored; the key is shown once.

    A token expires settings.TOKEN_HOURS after its creation, and goes when its user changes or
    is given a new password, is deactivated or deleted (User.save), or revokes it.
    """

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    name = models.CharField(_("设备"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name or str(_("API 令牌"))

    @property
    def expires_at(self) -> dt.datetime:
        return self.created_at + dt.timedelta(hours=settings.TOKEN_HOURS)

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at
