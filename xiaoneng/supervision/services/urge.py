"""Urging an item, and escalating it to the lead unit's leaders after repeated urging."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.core import policy
from xiaoneng.supervision import conf
from xiaoneng.supervision.models import EventAction, Item, Status, Urge
from xiaoneng.supervision.services.lifecycle import lock_item
from xiaoneng.supervision.services.recipients import handler_ids, leader_ids, notify_item
from xiaoneng.supervision.services.timeline import person_of, record_event


@transaction.atomic
def urge(item: Item, *, actor, comment: str = "") -> Urge:
    item = lock_item(item, actor)
    policy.require(actor, "urge", item, _("只有交办单位的督查人员可以催办。"))
    if item.status == Status.CLOSED:
        raise ValidationError(_("事项已办结，无需催办。"))
    record = Urge.objects.create(item=item, by=person_of(actor), comment=comment, actor=actor)
    item.urge_count += 1
    item._audit_action = "urge"
    item._audit_comment = comment
    escalate = not item.escalated and item.urge_count >= conf.escalate_after()
    if escalate:
        item.escalated = True
    item.save(actor=actor)
    record_event(item, EventAction.URGE, actor=actor, comment=comment)
    notify_item(
        item, handler_ids(item), "urge", _("催办（第 %d 次）") % item.urge_count, robots=True
    )
    if escalate:
        record_event(
            item,
            EventAction.ESCALATE,
            actor=actor,
            comment=_("催办 %d 次仍未办结，提级至单位领导") % item.urge_count,
        )
        notify_item(item, leader_ids(item), "escalate", _("多次催办未办结，提级督办"), robots=True)
    return record
