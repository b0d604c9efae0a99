"""Which child items an item may have, and which count as its own. (Who may do what is
the permission policy's: supervision/policy.py.)"""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from xiaoneng.core import policy
from xiaoneng.supervision.models import Item
from xiaoneng.units.models import Unit


def check_child_unit(parent: Item, unit: Unit, *, actor) -> bool:
    """May a child item of `parent` be led by `unit`? Within the parent's lead unit's
    subtree, yes. Outside it only for an assigner who may assign to both the parent's lead
    unit and `unit` (a prefecture asks another county to help with a county's item); then
    the parent's lead unit must be told: True. Otherwise ValidationError on lead_unit."""
    if unit.is_within(parent.lead_unit):
        return False
    if policy.can(actor, "assign", parent.lead_unit) and policy.can(actor, "assign", unit):
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
