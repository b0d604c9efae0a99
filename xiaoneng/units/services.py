"""Actions on units. Each runs in one transaction, re-checks scope and is audited."""

import csv
from decimal import Decimal
from importlib import resources

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.core import policy
from xiaoneng.core.versioning import check_version
from xiaoneng.units.models import LEVEL_ORDER, Kind, Level, Unit


def _require_manager(actor, parent: Unit | None) -> None:
    """May `actor` maintain the units under `parent` (None: the top of the tree)?"""
    if not policy.can_any(actor, "manage_units", Unit):
        raise PermissionDenied(_("只有单位管理员或效能办可以维护单位。"))
    policy.require(actor, "manage_units", parent, _("只能在本单位之下维护单位。"))


def validate_level(level: str, parent: Unit | None, kind: str) -> None:
    if parent is None:
        if level != Level.PROVINCE:
            raise ValidationError({"parent": _("只有省级单位可以没有上级单位。")})
        return
    if kind == Kind.DEPARTMENT or kind in {Kind.PARTY_COMMITTEE, Kind.CONGRESS, Kind.CPPCC}:
        # Departments and organs sit at their parent's level (省直部门、县直部门).
        if LEVEL_ORDER.index(level) < LEVEL_ORDER.index(parent.level):
            raise ValidationError({"level": _("部门的层级不能高于上级单位。")})
        return
    if (
        LEVEL_ORDER.index(level) <= LEVEL_ORDER.index(parent.level)
        and parent.kind != Kind.DEPARTMENT
    ):
        raise ValidationError({"level": _("下级单位的层级必须低于上级单位。")})


@transaction.atomic
def create_unit(
    *,
    actor,
    code: str,
    name: str,
    level: str,
    kind: str,
    parent: Unit | None,
    short_name: str = "",
    sort: int = 0,
) -> Unit:
    _require_manager(actor, parent)
    if "/" in code:
        raise ValidationError({"code": _("单位编码不能含“/”。")})
    validate_level(level, parent, kind)
    unit = Unit(
        code=code,
        name=name,
        level=level,
        kind=kind,
        parent=parent,
        short_name=short_name,
        sort=sort,
    )
    unit.full_clean()
    unit.save(actor=actor)
    unit.ensure(actor, "change")
    return unit


@transaction.atomic
def update_unit(unit: Unit, *, actor, version: str | None = None, **changes) -> Unit:
    """`version`: the version the edit was read at (core.versioning); None: not checked."""
    _require_manager(actor, unit.parent)
    check_version(Unit.all_objects.select_for_update().get(pk=unit.pk), version)
    unit.ensure(actor, "change")
    for field, value in changes.items():
        setattr(unit, field, value)
    if unit.parent is not None and unit.parent.is_within(unit):
        raise ValidationError({"parent": _("不能把单位移到它自己的下级之下。")})
    validate_level(unit.level, unit.parent, unit.kind)
    unit.full_clean()
    unit.save(actor=actor)
    _require_manager(actor, unit.parent)  # where it moved to
    unit.ensure(actor, "change")
    return unit


@transaction.atomic
def delete_unit(unit: Unit, *, actor, comment: str = "") -> None:
    _require_manager(actor, unit.parent)
    unit.ensure(actor, "change")
    if unit.children.exists():
        raise ValidationError(_("该单位还有下级单位，不能删除。"))
    if unit.members.exists():
        raise ValidationError(_("该单位还有人员，不能删除。"))
    unit.delete(actor=actor, comment=comment)


def load_divisions(*, actor) -> dict[str, Unit]:
    """Yunnan's province, 16 prefectures and 129 counties, from the reference CSV. Idempotent."""
    by_code: dict[str, Unit] = {
        u.code: u
        for u in Unit.all_objects.filter(level__in=[Level.PROVINCE, Level.PREFECTURE, Level.COUNTY])
    }
    text = (
        resources.files("xiaoneng.units").joinpath("data/yunnan_divisions.csv").read_text("utf-8")
    )
    for row in csv.DictReader(text.splitlines()):
        parent = by_code.get(row["parent"]) if row["parent"] else None
        values = {
            "name": row["name"],
            "level": row["level"],
            "kind": Kind.GOVERNMENT,
            "parent": parent,
            "former_name": row["former_name"],
            "lon": Decimal(row["lon"]) if row["lon"] else None,
            "lat": Decimal(row["lat"]) if row["lat"] else None,
        }
        unit = by_code.get(row["adcode"])
        if unit is None:
            unit = Unit(code=row["adcode"], **values)
            unit.save(actor=actor)
        else:
            changed = False
            for key, value in values.items():
                if getattr(unit, key) != value:
                    setattr(unit, key, value)
                    changed = True
            if unit.deleted_at is not None:
                unit.deleted_at = None
                changed = True
            if changed:
                unit.save(actor=actor)
        by_code[unit.code] = unit
    return by_code
