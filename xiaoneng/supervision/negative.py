"""The negative list: recording violations, publishing them on the exposure board, and
maintaining the catalogue of listed behaviours."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.accounts.services import is_province_supervisor
from xiaoneng.supervision.models import Item, Violation
from xiaoneng.supervision.services import SUPERVISOR_ROLES


def person_in_unit(person, unit) -> bool:
    """A violation names an account only inside the violating unit's subtree."""
    return person.unit is not None and person.unit.is_within(unit)


@transaction.atomic
def record_violation(*, actor, **fields) -> Violation:
    """Record a violation against a unit and, optionally, a person: an account (`person`,
    visible to the actor and inside the unit's subtree) and/or a name (`person_name`, for
    people without an account)."""
    from xiaoneng.accounts.models import User

    unit = fields["unit"]
    if actor is not None and (
        not actor.has_role(*SUPERVISOR_ROLES) or not unit.is_within(actor.unit)
    ):
        raise PermissionDenied(_("只有督查人员可以登记本单位及下级单位的负面清单记录。"))
    item = fields.get("item")
    if (
        item is not None
        and actor is not None
        and not Item.objects.visible_to(actor).filter(pk=item.pk).exists()
    ):
        raise ValidationError({"item": _("找不到该事项，或该事项不在您的管辖范围内。")})
    person = fields.get("person")
    if person is not None:
        visible = actor is None or User.objects.visible_to(actor).filter(pk=person.pk).exists()
        if not visible or not person.is_active:
            raise ValidationError({"person": _("找不到该账号，或该账号不在您的管辖范围内。")})
        if not person_in_unit(person, unit):
            raise ValidationError({"person": _("该账号不属于所选单位及其下级单位。")})
    v = Violation(recorded_by=actor, **fields)
    v.full_clean()
    v.save()
    return v


@transaction.atomic
def set_published(violation: Violation, *, actor, published: bool, comment: str = "") -> Violation:
    if actor is not None:
        violation.ensure_visible_to(actor)
        if not actor.has_role(*SUPERVISOR_ROLES) or not violation.unit.is_within(actor.unit):
            raise PermissionDenied(_("只有督查人员可以决定曝光。"))
    violation.published = published
    violation.published_on = timezone.localdate() if published else None
    violation._audit_action = "publish" if published else "unpublish"
    violation._audit_comment = comment
    violation.save()
    return violation


@transaction.atomic
def save_behaviour(behaviour, *, actor, name: str, description: str = "", sort: int = 0):
    from xiaoneng.supervision.models import Behaviour

    if not is_province_supervisor(actor):
        raise PermissionDenied(_("负面行为目录全省统一，只有省效能办可以维护。"))
    behaviour = behaviour or Behaviour()
    behaviour.name = name
    behaviour.description = description
    behaviour.sort = sort
    behaviour.full_clean()
    behaviour.save()
    return behaviour
