"""Units (单位/组织): a tree from the province down to communities, with departments at any level."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import lookups
from django.utils.translation import gettext_lazy as _

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


class Unit(BaseModel):
    code = models.CharField(
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
    sort = models.IntegerField(_("排序"), default=0)
    lon = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    former_name = models.CharField(_("曾用名"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["path"]

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
        if self.pk is None:
            # The path holds the new id: insert quietly, then record one "create".
            self._audit_suppress = True
            super().save(*args, **kwargs)
            self._audit_suppress = False
            self._set_path()
            self._audit_action = "create"
            super().save(update_fields=["path", "depth"])
            return
        old_path = self.path
        self._set_path()
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "path", "depth"}
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            self._move_descendants(old_path)

    def _set_path(self) -> None:
        parent_path = self.parent.path if self.parent_id else ""
        self.path = f"{parent_path}{self.pk}/"
        self.depth = self.path.count("/") - 1

    def _move_descendants(self, old_path: str) -> None:
        actor = getattr(self, "_audit_actor", None)  # the move's actor moves them too
        for unit in Unit.all_objects.filter(path__startswith=old_path).exclude(pk=self.pk):
            unit.path = self.path + unit.path[len(old_path) :]
            unit.depth = unit.path.count("/") - 1
            unit._audit_actor = actor
            models.Model.save(unit, update_fields=["path", "depth"])


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
