"""Urging an item, and escalating it to the lead unit's leaders after repeated urging.

An urge means something only if it is not repeated every hour and if the one that escalates
is meant: an item is urged again only XIAONENG_URGE_MIN_WORKDAYS working days after its last
urge (`next_urge_on`), and the urge that escalates (`urge_escalates`) must be confirmed
(`confirm_escalation`). The handlers' notice carries the urge's text and who urged.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _

from xiaoneng.core import policy
from xiaoneng.supervision import conf
from xiaoneng.supervision.models import EventAction, Item, Status, Urge
from xiaoneng.supervision.services.lifecycle import lock_item
from xiaoneng.supervision.services.recipients import handler_ids, leader_ids, notify_item
from xiaoneng.supervision.services.timeline import person_of, record_event
from xiaoneng.supervision.workdays import add_workdays


def next_urge_on(item: Item) -> dt.date | None:
    """The first day the item may be urged again: XIAONENG_URGE_MIN_WORKDAYS working days
    after the day of its last urge; None when it may be urged now (never urged, the
    interval passed, or no interval configured)."""
    days = conf.urge_min_workdays()
    if not days:
        return None
    last = item.urges.order_by("-created_at").values_list("created_at", flat=True).first()
    if last is None:
        return None
    allowed, _provisional = add_workdays(timezone.localdate(last), days)
    return allowed if timezone.localdate() < allowed else None


def urge_escalates(item: Item) -> bool:
    """Whether the next urge escalates the item to the lead unit's leaders."""
    return not item.escalated and item.urge_count + 1 >= conf.escalate_after()


def _day(day: dt.date) -> str:
    return _("%(month)d月%(day)d日（%(weekday)s）") % {
        "month": day.month,
        "day": day.day,
        "weekday": WEEKDAYS_ABBR[day.weekday()],  # 星期二, Tue
    }


def who_urged(actor) -> str:
    """ "昆明市 张三": the unit and name of who urged, for the handlers' notice."""
    unit = getattr(actor, "unit", None)
    name = str(person_of(actor) or actor)
    return f"{unit.name} {name}" if unit is not None else name


@transaction.atomic
def urge(item: Item, *, actor, comment: str = "", confirm_escalation: bool = False) -> Urge:
    item = lock_item(item, actor)
    policy.require(actor, "urge", item, _("只有审核人或牵头单位的上级效能办可以催办该事项。"))
    if item.status == Status.CLOSED:
        raise ValidationError(_("事项已办结，无需催办。"))
    again = next_urge_on(item)
    if again is not None:
        raise ValidationError(
            _("该事项最近一次催办不足 %(n)d 个工作日，%(day)s起可再次催办。")
            % {"n": conf.urge_min_workdays(), "day": _day(again)},
            code="too_soon",
        )
    escalate = urge_escalates(item)
    if escalate and not confirm_escalation:
        raise ValidationError(
            _("本次催办后将提级至牵头单位领导督办，请勾选“确认提级督办”后再催办。"),
            code="confirm_escalation",
        )
    comment = (comment or "").strip()
    record = Urge.objects.create(item=item, by=person_of(actor), comment=comment, actor=actor)
    item.urge_count += 1
    item._audit_action = "urge"
    item._audit_comment = comment
    if escalate:
        item.escalated = True
    item.save(actor=actor)
    record_event(item, EventAction.URGE, actor=actor, comment=comment)
    # Who urged first: a long text is cut at the notice's length, the name must not be.
    title = _("催办（第 %(n)d 次，%(who)s）") % {"n": item.urge_count, "who": who_urged(actor)}
    if comment:
        title += f"：{comment}"
    notify_item(item, handler_ids(item), "urge", title, robots=True)
    if escalate:
        record_event(
            item,
            EventAction.ESCALATE,
            actor=actor,
            comment=_("催办 %d 次仍未办结，提级至单位领导") % item.urge_count,
        )
        notify_item(
            item,
            leader_ids(item),
            "escalate",
            _("多次催办未办结，提级督办（%s 催办）") % who_urged(actor),
            robots=True,
        )
    return record
