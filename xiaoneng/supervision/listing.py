"""What a list of items shows: the scoped queryset, the rows of a page and the light counts.

The list page is the most-read page of the campaign, so a page of rows is fetched as plain
values in one query (no model instances), each row's light computed in that query by the
light's one SQL expression (lights.light_expression), as the filter and the counts are.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from xiaoneng.supervision.filters import LIGHT_CHOICES, ItemFilterSet
from xiaoneng.supervision.lights import light_expression, with_light
from xiaoneng.supervision.models import Item, Status

ORDER = ("deadline", "id")


def list_queryset(user):
    """Every item the user may see, joined to what a row shows."""
    return Item.objects.restrict(user, "view").select_related("lead_unit", "responsible")


def filtered(user, data) -> ItemFilterSet:
    return ItemFilterSet(data, queryset=list_queryset(user))


@dataclass(slots=True)
class ItemRow:
    pk: int
    code: str | None
    title: str
    status: str
    assigned_on: dt.date
    deadline: dt.date | None
    deadline_provisional: bool
    progress: int
    lead_unit_name: str
    light_now: str = ""

    def get_status_display(self) -> str:
        return str(Status(self.status).label)


ROW_FIELDS = [f for f in ItemRow.__slots__ if f not in ("lead_unit_name", "light_now")]


def rows(queryset, on: dt.date | None = None) -> list[ItemRow]:
    """The rows of a (sliced) item queryset, each with its light as of `on`."""
    values = queryset.annotate(light_now=light_expression(on)).values_list(
        *ROW_FIELDS, "lead_unit__name", "light_now"
    )
    return [ItemRow(*row) for row in values]


def first_page(user, data, size: int = 50) -> list[ItemRow]:
    """The first page of a filtered list, as the list page fetches it."""
    return rows(filtered(user, data).qs.order_by(*ORDER)[:size])


def light_counts(queryset) -> dict:
    """Counts by light in one aggregate query over the filtered list."""
    return with_light(queryset.order_by()).aggregate(
        total=Count("pk"),
        **{name: Count("pk", filter=Q(light_now=name)) for name, _label in LIGHT_CHOICES},
    )
