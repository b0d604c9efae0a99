"""Who may do what to an item, and which child items count as the parent's."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from xiaoneng.supervision.models import Item
from xiaoneng.units.models import Unit

HANDLER_ROLES = ("handler", "unit_admin", "leader")
SUPERVISOR_ROLES = ("supervisor",)


def is_handler(actor, item: Item) -> bool:
    """The lead unit acts: its handlers (and the named responsible person)."""
    if actor is None:
        return True
    if item.responsible_id and item.responsible_id == actor.pk:
        return True
    return actor.unit_id == item.lead_unit_id and actor.has_role(*HANDLER_ROLES)


def is_reviewer(actor, item: Item) -> bool:
    """The assigning side reviews: supervisors of the assigning unit or above it;
    for a decomposed child item, also the parent's handlers (一级带着一级干)."""
    if actor is None:
        return True
    if (
        actor.has_role(*SUPERVISOR_ROLES)
        and actor.unit is not None
        and item.assigning_unit.is_within(actor.unit)
    ):
        return True
    return bool(item.parent_id) and is_handler(actor, item.parent)


def can_assign_to(actor, unit: Unit) -> bool:
    if actor is None:
        return True
    if actor.unit is None or not unit.is_within(actor.unit):
        return False
    return actor.has_role(*SUPERVISOR_ROLES, "leader")


def check_child_unit(parent: Item, unit: Unit, *, actor) -> bool:
    """May a child item of `parent` be led by `unit`? Within the parent's lead unit's
    subtree, yes. Outside it only for an assigner whose subtree holds both the parent's
    lead unit and `unit` (a prefecture asks another county to help with a county's item);
    then the parent's lead unit must be told: True. Otherwise ValidationError on lead_unit."""
    if unit.is_within(parent.lead_unit):
        return False
    reach = getattr(actor, "unit", None)
    if actor is None or (
        reach is not None and parent.lead_unit.is_within(reach) and unit.is_within(reach)
    ):
        return True
    raise ValidationError(
        {
            "lead_unit": _(
                "上级事项 %(code)s 的子事项只能交办给其牵头单位（%(unit)s）及其下级单位。"
            )
            % {"code": parent.code, "unit": parent.lead_unit.name}
        }
    )


def counted_children(parent: Item):
    """The children whose progress and state are the parent's: those check_child_unit
    allows — led within the parent's lead unit's subtree, or assigned by a unit whose
    subtree holds the parent's lead unit. A child outside both (an old row, assigned
    before the rule) neither feeds the parent's progress nor holds its closure."""
    lead = parent.lead_unit
    return parent.children.filter(
        Q(lead_unit__path__startswith=lead.path)
        | Q(assigning_unit_id__in=[*lead.ancestor_ids(), lead.pk])
    )
