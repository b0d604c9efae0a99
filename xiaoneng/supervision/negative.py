"""The negative list: recording violations, publishing them on the exposure board, and
maintaining the catalogue of listed behaviours."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import policy
from xiaoneng.supervision.models import Behaviour, Item, Violation
from xiaoneng.supervision.services import person_of
from xiaoneng.units.models import Unit


def person_in_unit(person, unit) -> bool:
    """A violation names an account only inside the violating unit's subtree."""
    return person.unit is not None and person.unit.is_within(unit)


def people_for(actor):
    """The accounts a violation recorded by `actor` may name: the active members of the
    units they may record violations on (the form's and the API's choices)."""
    from xiaoneng.accounts.models import User

    units = Unit.objects.restrict(actor, "record_violation")
    return User.objects.filter(is_active=True, unit__in=units.values("pk"))


@transaction.atomic
def record_violation(*, actor, **fields) -> Violation:
    """Record a violation against a unit and, optionally, a person: an account (`person`,
    among people_for(actor) and inside the unit's subtree) and/or a name (`person_name`,
    for people without an account)."""
    unit = fields["unit"]
    policy.require(
        actor,
        "record_violation",
        unit,
        _("只有督查人员可以登记本单位及下级单位的负面清单记录。"),
    )
    # The item it was found on: one the actor may see (naming it is reading it).
    item = fields.get("item")
    if item is not None and not Item.objects.restrict(actor, "view").filter(pk=item.pk).exists():
        raise ValidationError({"item": _("找不到该事项，或该事项不在您的管辖范围内。")})
    person = fields.get("person")
    if person is not None:
        if not people_for(actor).filter(pk=person.pk).exists():
            raise ValidationError({"person": _("找不到该账号，或该账号不在您的管辖范围内。")})
        if not person_in_unit(person, unit):
            raise ValidationError({"person": _("该账号不属于所选单位及其下级单位。")})
    v = Violation(recorded_by=person_of(actor), **fields)
    v.full_clean()
    v.save(actor=actor)
    return v


@transaction.atomic
def set_published(violation: Violation, *, actor, published: bool, comment: str = "") -> Violation:
    policy.require(actor, "publish", violation, _("只有督查人员可以决定曝光。"))
    violation.published = published
    violation.published_on = timezone.localdate() if published else None
    violation._audit_action = "publish" if published else "unpublish"
    violation._audit_comment = comment
    violation.save(actor=actor)
    return violation


@transaction.atomic
def save_behaviour(behaviour, *, actor, name: str, description: str = "", sort: int = 0):
    refusal = _("负面行为目录全省统一，只有省效能办可以维护。")
    if behaviour is None:
        if not policy.can_any(actor, "change", Behaviour):  # a new one: the role gate
            raise PermissionDenied(refusal)
        behaviour = Behaviour()
    else:
        policy.require(actor, "change", behaviour, refusal)
    behaviour.name = name
    behaviour.description = description
    behaviour.sort = sort
    behaviour.full_clean()
    behaviour.save(actor=actor)
    return behaviour
