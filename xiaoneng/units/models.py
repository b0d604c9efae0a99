"""Units (单位/组织): a tree from the province down to communities, with departments at any level."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import lookups
from django.utils.translation import gettext_lazy as _
from pypinyin import Style, lazy_pinyin

from xiaoneng.core.models import BaseModel


class PathField(models.CharField):
    """A materialised path of ids ("1/5/23/"): a subtree is a prefix match on its index."""


@PathField.register_lookup
class PathStartsWith(lookups.StartsWith):
    """On SQLite, LIKE is case-insensitive and never uses the index (it scans the table);
    GLOB is case-sensitive and becomes an index range. Paths hold only digits and "/", so a
    literal prefix needs no escaping. Other databases and expressions keep Django's LIKE."""

    def as_sqlite(self, compiler, connection):
        if not isinstance(self.rhs, str) or not set(self.rhs) <= set("0123456789/"):
            return self.as_sql(compiler, connection)
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} GLOB %s", [*params, f"{self.rhs}*"]


class InitialsField(models.CharField):
    """The pinyin initials of a name ("xsq" for 西山区): lower-case letters and digits only."""


class CodeField(models.CharField):
    """A unit's code: a prefix ("5301") is an indexed range on both databases."""


_INITIALS_TEXT = re.compile(r"[a-z0-9]+")
_CODE_PREFIX = re.compile(r"[0-9A-Za-z_.-]+")


class _GlobStartsWith(lookups.StartsWith):
    """As PathStartsWith: GLOB on SQLite for a literal prefix made of `safe` characters
    (none of GLOB's * ? [ ]), so the index serves it; Django's LIKE otherwise."""

    safe: re.Pattern

    def as_sqlite(self, compiler, connection):
        if not isinstance(self.rhs, str) or not self.safe.fullmatch(self.rhs):
            return self.as_sql(compiler, connection)
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} GLOB %s", [*params, f"{self.rhs}*"]


@InitialsField.register_lookup
class InitialsStartsWith(_GlobStartsWith):
    safe = _INITIALS_TEXT


@CodeField.register_lookup
class CodeStartsWith(_GlobStartsWith):
    safe = _CODE_PREFIX


def initials(text: str) -> str:
    """The pinyin initials of `text`, lower case: 西山区 → xsq, 永昌街道 → ycjd; letters and
    digits that are not Chinese are kept (A区 → aq), anything else is left out."""
    letters = "".join(lazy_pinyin(text or "", style=Style.FIRST_LETTER)).lower()
    return "".join(_INITIALS_TEXT.findall(letters))[:60]


class Level(models.TextChoices):
    PROVINCE = "province", _("省")
    PREFECTURE = "prefecture", _("州市")
    COUNTY = "county", _("县市区")
    TOWNSHIP = "township", _("乡镇街道")
    COMMUNITY = "community", _("社区村")


LEVEL_ORDER = [c.value for c in Level]


class Kind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("党委")
    CONGRESS = "congress", _("人大")
    GOVERNMENT = "government", _("政府")
    CPPCC = "cppcc", _("政协")
    DEPARTMENT = "department", _("部门")
    STREET = "street", _("街道乡镇")
    COMMUNITY = "community", _("社区村")
    ENTERPRISE = "enterprise", _("企业")
    OTHER = "other", _("其他")


# `Unit.sort` is an integer of the database's 32-bit range: shifted to 0 … 2**32 - 1 it is
# ten digits that sort as the numbers do.
_SORT_SHIFT = 2**31


def sibling_key(sort: int, code: str, *, office: bool) -> str:
    """A unit's place among its siblings, as digits (every collation orders digits alike):
    its `sort` first (the override, 0 unless set), then the parent's subordinate divisions
    before its own offices (a unit at its parent's level: 省直部门 after the 州市), then
    its code (区划代码). Each character of the code is two digits, "00" ends it, so a code
    sorts before the codes it is a prefix of and a key never runs into the next one."""
    shifted = min(max(sort + _SORT_SHIFT, 0), 2**32 - 1)
    digits = []
    for char in code:
        point = ord(char)
        digits.append(f"{point - 31:02d}" if 32 <= point < 127 else f"99{point:08d}")
    return f"{shifted:010d}{int(office)}{''.join(digits)}00"


class Unit(BaseModel):
    code = CodeField(
        _("单位编码"), max_length=32, unique=True, help_text=_("有行政区划代码的用区划代码")
    )
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.GOVERNMENT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of ids, "1/5/23/": a subtree is one indexed prefix match.
    path = PathField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    sort = models.IntegerField(
        _("排序"),
        default=0,
        help_text=_("默认 0，按区划代码排列；填数字可调整同级单位的先后，小的在前"),
    )
    # The standard order (`ordering`): the sibling keys of the chain from the root, so a
    # tree lists parents before children and siblings by sort, divisions before offices,
    # code. Kept in step with the path by save() (a move or a new code re-keys the subtree).
    sort_key = models.CharField(max_length=1000, db_index=True, editable=False, default="")
    # The pinyin initials of the name and the short name, for the pickers' search.
    initials = InitialsField(max_length=60, db_index=True, editable=False, default="")
    short_initials = InitialsField(max_length=60, db_index=True, editable=False, default="")
    lon = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    former_name = models.CharField(_("曾用名"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["sort_key"]

    # Bookkeeping the change history does not show (core.models.ChangeLog).
    history_hidden = ("sort_key", "initials", "short_initials")

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name

    def validate_unique(self, exclude=None):
        """A deleted unit keeps its code (ledgers, imports and the change log name units by
        code, and the unit can be restored): a new unit cannot take it. Say so, rather than
        fail at the INSERT."""
        super().validate_unique(exclude)
        if exclude and "code" in exclude:
            return
        deleted = (
            Unit.all_objects.filter(code=self.code, deleted_at__isnull=False)
            .exclude(pk=self.pk)
            .first()
        )
        if deleted is not None:
            message = _(
                "编码 %(code)s 属于已删除的单位“%(name)s”，可在回收站恢复，或改用其他编码。"
            )
            raise ValidationError({"code": message % {"code": self.code, "name": deleted.name}})

    def ancestor_ids(self) -> list[int]:
        return [int(p) for p in self.path.split("/") if p][:-1]

    def ancestors(self):
        ids = self.ancestor_ids()
        return sorted(Unit.all_objects.filter(pk__in=ids), key=lambda u: ids.index(u.pk))

    def subtree(self):
        return Unit.objects.filter(path__startswith=self.path)

    def is_within(self, other: "Unit") -> bool:
        return self.path.startswith(other.path)

    def save(self, *args, **kwargs):
        self.initials = initials(self.name)
        self.short_initials = initials(self.short_name)
        if self.pk is None:
            # The path holds the new id: insert quietly, then record one "create".
            self._audit_suppress = True
            self._set_sort_key()
            super().save(*args, **kwargs)
            self._audit_suppress = False
            self._set_path()
            self._audit_action = "create"
            super().save(update_fields=["path", "depth"])
            return
        old = (self.path, self.sort_key)
        self._set_path()
        self._set_sort_key()
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                *("path", "depth", "sort_key", "initials", "short_initials"),
            }
        super().save(*args, **kwargs)
        if old[0] and old != (self.path, self.sort_key):
            self._move_descendants(old[0])

    def _set_path(self) -> None:
        parent_path = self.parent.path if self.parent_id else ""
        self.path = f"{parent_path}{self.pk}/"
        self.depth = self.path.count("/") - 1

    def _set_sort_key(self) -> None:
        self.sort_key = self._key_under(self.parent if self.parent_id else None)

    def _key_under(self, parent: "Unit | None") -> str:
        office = parent is not None and self.level == parent.level
        own = sibling_key(self.sort, self.code, office=office)
        return (parent.sort_key if parent is not None else "") + own

    def _move_descendants(self, old_path: str) -> None:
        """Re-path and re-key the subtree under a unit that moved, or whose sort, code or
        level changed: parents first, each child from its parent's new values."""
        actor = getattr(self, "_audit_actor", None)  # the move's actor moves them too
        done: dict[int, Unit] = {self.pk: self}
        below = Unit.all_objects.filter(path__startswith=old_path).exclude(pk=self.pk)
        for unit in below.order_by("depth"):
            parent = done.get(unit.parent_id)
            if parent is None:  # pragma: no cover - a subtree is closed under parents
                continue
            path, key = f"{parent.path}{unit.pk}/", unit._key_under(parent)
            done[unit.pk] = unit
            if (unit.path, unit.sort_key) == (path, key):
                continue
            unit.path, unit.sort_key = path, key
            unit.depth = unit.path.count("/") - 1
            unit._audit_actor = actor
            models.Model.save(unit, update_fields=["path", "depth", "sort_key"])


def subtree_ids(unit: Unit):
    """A subquery of the ids in a unit's subtree, for filtering big tables by unit."""
    return Unit.objects.filter(path__startswith=unit.path).values("pk")


class PartyBranch(BaseModel):
    """党支部: every leader belongs to one."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="party_branches"
    )
    name = models.CharField(_("名称"), max_length=100)
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("书记"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("党支部")
        verbose_name_plural = _("党支部")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="unique_branch_per_unit")
        ]

    def __str__(self) -> str:
        return self.name
