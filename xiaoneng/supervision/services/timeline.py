"""The item's timeline: one event per action."""

from xiaoneng.core import policy
from xiaoneng.supervision.models import ItemEvent

# The user behind an actor for a "who" column (交办人, an event's actor, 催办人…): None for
# the system, which the pages show as 系统.
person_of = policy.person_of


def record_event(item, action, *, actor, comment="", percent=None, from_status="", to_status=""):
    # Built, then saved as `actor`'s: the model's own `actor` field is the event's "who"
    # (ItemEvent.objects.create(actor=…) would take it for the change log's writer).
    event = ItemEvent(
        item=item,
        action=action,
        actor=person_of(actor),
        actor_unit=actor.unit,
        comment=comment,
        percent=percent,
        from_status=from_status,
        to_status=to_status or item.status,
    )
    event.save(actor=actor)
    return event
