"""The item's timeline: one event per action."""

from xiaoneng.supervision.models import ItemEvent


def record_event(item, action, *, actor, comment="", percent=None, from_status="", to_status=""):
    return ItemEvent.objects.create(
        item=item,
        action=action,
        actor=actor,
        actor_unit=getattr(actor, "unit", None),
        comment=comment,
        percent=percent,
        from_status=from_status,
        to_status=to_status or item.status,
    )
