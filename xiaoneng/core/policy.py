"""Who may do what: the one permission policy (after NetBox's `restrict()`).

Every question "may this person do this" is asked here, by the name of the action:

    Item.objects.restrict(user, "view")     # the rows the person may see
    Item.objects.restrict(user, "review")   # the rows they may review (a list, a form field)
    can(user, "review", item)               # one row (a button, a service's check)
    can(user, "manage_holidays")            # an action on no row

Each app declares its rules in its own `policy.py`, imported when the app is ready::

    policy.register(Item, "review", roles=SUPERVISORS, where=..., check=...)

A rule has:

* `roles`: who may take the action at all (empty: anyone signed in, and `where` decides;
  `where` gives a resident, who has no staff unit, nothing of staff data);
* `where(actor)`: a Q of the rows they may take it on (None: no row; Q(): every row);
* `check(actor, obj)`: the same answer for one row in Python, so a page of buttons costs no
  query. Without it, `can()` asks the database with `where`, so the two cannot disagree;
  with it, the generated matrix test (core/tests/test_policy_matrix.py) proves they agree.

The actor is a user, or `SYSTEM` (commands, background tasks, the demo), passed explicitly.
Nobody else is anyone: no user, an anonymous or an inactive one may do nothing, and no code
asks "is the actor None". Seeing a unit up one's ancestor chain (breadcrumbs) is its own
action, `view_ancestors`, never the default for a write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.db.models import Q


class SystemActor:
    """The platform itself: what commands, scheduled jobs, background tasks and the demo do.

    It may do everything, and the change log names it "系统". It is not a user: it has no
    unit and no roles, and it cannot log in."""

    is_system = True
    is_authenticated = True
    is_active = True
    is_staff_member = False
    pk = None
    id = None
    unit = None
    unit_id = None
    name = "系统"
    role_codes: frozenset[str] = frozenset()

    def has_role(self, *codes: str) -> bool:
        return False

    def get_username(self) -> str:
        return self.name

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = SystemActor()


def is_system(actor) -> bool:
    return actor is SYSTEM


Where = Callable[[Any], Q | None]
Check = Callable[[Any, Any], bool]


@dataclass(frozen=True)
class Rule:
    model: type[models.Model] | None
    action: str
    roles: frozenset[str] = field(default_factory=frozenset)
    where: Where | None = None
    check: Check | None = None
    doc: str = ""

    def admits(self, actor) -> bool:
        """May `actor` take this action at all (before any row): a staff member with one of
        the rule's roles, or any staff member when the rule names none."""
        if not self.roles:
            return True  # the rows (`where`) decide
        return bool(self.roles & actor.role_codes)


_RULES: dict[tuple[type[models.Model] | None, str], Rule] = {}


def register(
    model: type[models.Model] | None,
    action: str,
    *,
    roles: Iterable[str] = (),
    where: Where | None = None,
    check: Check | None = None,
    doc: str = "",
) -> Rule:
    """Declare who may take `action` (on rows of `model`; None for an action on no row)."""
    if model is not None and where is None:
        raise ImproperlyConfigured(f"{model.__name__}.{action}: a rule on rows needs `where`")
    key = (model, action)
    if key in _RULES:
        raise ImproperlyConfigured(f"{key} is registered twice")
    rule = Rule(model, action, frozenset(roles), where, check, doc)
    _RULES[key] = rule
    return rule


def rules() -> list[Rule]:
    """Every registered rule (the permission matrix test walks them)."""
    return list(_RULES.values())


def rule_for(model: type[models.Model] | None, action: str) -> Rule:
    key = (model, action)
    rule = _RULES.get(key)
    if rule is None and model is not None:
        # A proxy or a subclass asks its concrete model's rules.
        concrete = model._meta.concrete_model
        rule = _RULES.get((concrete, action))
    if rule is None:
        name = model.__name__ if model is not None else "—"
        raise ImproperlyConfigured(f"no permission rule for {name}.{action}")
    return rule


def _nobody(actor) -> bool:
    return (
        actor is None
        or not getattr(actor, "is_authenticated", False)
        or not getattr(actor, "is_active", False)
    )


def where(actor, model: type[models.Model], action: str) -> Q | None:
    """The rows of `model` that `actor` may take `action` on, as a Q (None: none)."""
    if actor is SYSTEM:
        return Q()
    if _nobody(actor):
        return None
    rule = rule_for(model, action)
    if not rule.admits(actor):
        return None
    return rule.where(actor) if rule.where is not None else None


def restrict(queryset: models.QuerySet, actor, action: str) -> models.QuerySet:
    q = where(actor, queryset.model, action)
    if q is None:
        return queryset.none()
    return queryset.filter(q) if q else queryset


def can(actor, action: str, obj: models.Model | None = None) -> bool:
    """May `actor` take `action` on `obj` (or, with no object, the action on no row)."""
    if actor is SYSTEM:
        return True
    if _nobody(actor):
        return False
    rule = rule_for(obj.__class__ if obj is not None else None, action)  # (a lazy user too)
    if not rule.admits(actor):
        return False
    if obj is None:
        return bool(rule.check(actor, None)) if rule.check is not None else True
    if rule.check is not None:
        return bool(rule.check(actor, obj))
    q = rule.where(actor) if rule.where is not None else None
    if q is None:
        return False
    manager = obj.__class__._base_manager
    return manager.filter(pk=obj.pk).filter(q).exists()


def require(actor, action: str, obj: models.Model | None = None, message: str = "") -> None:
    """Raise PermissionDenied unless `actor` may take `action` on `obj`."""
    if not can(actor, action, obj):
        raise PermissionDenied(message or "无权进行此操作。")


def can_any(actor, action: str, model: type[models.Model]) -> bool:
    """May `actor` take `action` on some row of `model` (a menu entry, a "new" button)?
    The role gate only: no query."""
    if actor is SYSTEM:
        return True
    if _nobody(actor):
        return False
    rule = rule_for(model, action)
    return rule.admits(actor) and (rule.where is None or rule.where(actor) is not None)


# --- The building blocks of rules ---------------------------------------------------------


def unit_of(actor):
    """The actor's unit, or None for someone who holds no staff role."""
    return actor.unit if actor.is_staff_member else None


def in_subtree(lookup: str) -> Where:
    """`where` for rows whose `lookup` (a unit foreign key path, "" for a Unit itself) lies
    in the actor's own unit's subtree."""
    path_lookup = f"{lookup}__path__startswith" if lookup else "path__startswith"

    def where_(actor) -> Q | None:
        unit = unit_of(actor)
        if unit is None:
            return None
        return Q(**{path_lookup: unit.path})

    return where_


def within(unit, actor) -> bool:
    """Does `unit` lie in the actor's subtree (its own unit included)?"""
    reach = unit_of(actor)
    return unit is not None and reach is not None and unit.path.startswith(reach.path)


def subtree_check(attr: str) -> Check:
    """`check` matching `in_subtree`: the row's unit (attribute path "a.b", "" for a Unit)."""

    def check(actor, obj) -> bool:
        unit = obj
        for part in attr.split(".") if attr else ():
            unit = getattr(unit, part)
        return within(unit, actor)

    return check


def subtree(lookup: str) -> dict[str, Any]:
    """`where` and `check` for rows whose unit (`lookup`, a foreign-key path such as
    "webhook__unit"; "" for a Unit itself) lies in the actor's subtree, as one pair:
    `policy.register(Webhook, "manage_robots", roles=…, **policy.subtree("unit"))`."""
    return {"where": in_subtree(lookup), "check": subtree_check(lookup.replace("__", "."))}


def staff_rows(actor) -> Q | None:
    """`where` for rows every staff member may see (the holiday calendar, batches)."""
    return Q() if actor.is_staff_member else None


def at_root(actor) -> bool:
    """Does the actor sit at the root of the tree (the province)?"""
    unit = unit_of(actor)
    return unit is not None and unit.parent_id is None


def province_rows(actor) -> Q | None:
    """`where` for what the whole province shares (catalogues, the calendar): every row for
    someone at the root of the tree, none for anyone else."""
    return Q() if at_root(actor) else None


def province_check(actor, obj=None) -> bool:
    """`check` matching `province_rows` (and the check of an action on no row)."""
    return at_root(actor)


def person_of(actor):
    """The user to record in a "who" column (交办人, 登记人, 填报人): None for the system."""
    return None if actor is SYSTEM else actor
