"""Who is told of an item's changes: its handlers, the reviewers, the lead unit's leaders."""

from django.urls import reverse
from django.utils.translation import gettext as _

from xiaoneng.notifications.services import notify
from xiaoneng.supervision.models import Item


def item_url(item: Item) -> str:
    return reverse("supervision:item_detail", args=[item.pk])


def handler_rows(items) -> list[tuple]:
    """Who counts as an item's handlers and is told of its work — the one rule, used for one
    item (handler_ids) and set-based by the deadline scan (scan.notify_worsened): the active
    members of its lead unit with the handler role, and its named responsible person if
    active and not one of them. As (item rows, person column) pairs: each row of each
    queryset is one (item, person), the person's id in the column; together, every pair once."""
    from django.db.models import F, OuterRef

    from xiaoneng.accounts.models import User

    items = items.order_by()
    members = items.filter(
        lead_unit__members__roles__code="handler",
        lead_unit__members__is_active=True,
        lead_unit__members__deleted_at__isnull=True,
    )
    lead_unit_handlers = User.objects.filter(
        unit_id=OuterRef("lead_unit_id"), roles__code="handler"
    ).values("pk")
    responsible = items.filter(
        responsible__is_active=True, responsible__deleted_at__isnull=True
    ).exclude(responsible__in=lead_unit_handlers)
    return [(members, F("lead_unit__members__id")), (responsible, F("responsible_id"))]


def handler_ids(item: Item) -> set[int]:
    """The ids of the item's handlers (handler_rows), in one query."""
    first, *rest = (
        rows.values_list(person, flat=True)
        for rows, person in handler_rows(Item.objects.filter(pk=item.pk))
    )
    return set(first.union(*rest))


def reviewer_ids(item: Item) -> set[int]:
    ids = set()
    if item.assigned_by_id:
        ids.add(item.assigned_by_id)
    from xiaoneng.accounts.models import User

    ids |= set(
        User.objects.filter(unit_id=item.assigning_unit_id, roles__code="supervisor").values_list(
            "pk", flat=True
        )
    )
    return ids


def notify_item(item: Item, recipients: set[int], verb: str, title: str, *, robots=False) -> None:
    notify(
        recipients,
        verb=verb,
        title=f"{item.code} {item.title}：{title}",
        url=item_url(item),
        ref=f"supervision.item:{item.pk}",
        unit_ids=[item.lead_unit_id] if robots else [],
    )


def tell_parent(child: Item) -> None:
    """The parent's lead unit hears of a child item assigned outside its subtree."""
    parent = child.parent
    if parent is None:  # a top-level item has no one above to tell
        return
    notify_item(
        parent,
        handler_ids(parent),
        "child_assigned",
        _("上级单位在本事项下向%(unit)s交办了子事项“%(title)s”")
        % {"unit": child.lead_unit.name, "title": child.title},
    )


def leader_ids(item: Item) -> set[int]:
    """The lead unit's leaders; if it has none on the platform, its unit admins."""
    from xiaoneng.accounts.models import User

    people = User.objects.filter(unit_id=item.lead_unit_id)
    ids = set(people.filter(roles__code="leader").values_list("pk", flat=True))
    return ids or set(people.filter(roles__code="unit_admin").values_list("pk", flat=True))
