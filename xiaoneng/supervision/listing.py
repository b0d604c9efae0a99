"""What a list of items shows: the scoped queryset, the rows of a page and the light counts.

The list page is the most-read page of the campaign, so a page of rows is fetched as plain
values in one query (no model instances), each row's light computed in that query by the
light's one SQL expression (lights.light_expression), as the filter and the counts are.

Attention first (lights.attention_order): red, yellow, green, closed; within a light those
with a deadline before those without; then by deadline. Ordering a whole list by that CASE
makes the database compute and sort it for every row (100,000 items: ≈ 0.5 s for a page
of 50). The page already counts its rows by light (light_counts), so it knows where each
light's rows fall in that order: `AttentionList` fetches a page segment by segment — the
rows of one light, with or without a deadline, ordered by deadline — each a plain indexed
query, the same rows in the same order (tests/test_attention.py holds the two equal). A
list of a few hundred rows or fewer is one query ordered by the CASE.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from xiaoneng.supervision import services
from xiaoneng.supervision.filters import LIGHT_CHOICES, ItemFilterSet
from xiaoneng.supervision.lights import (
    RANK,
    attention_order,
    filter_by_light,
    light_expression,
    today,
    with_light,
)
from xiaoneng.supervision.models import Item, Status
from xiaoneng.supervision.workdays import Calendar, Due, due


def list_queryset(user):
    """Every item the user may see, joined to what a row shows."""
    return Item.objects.restrict(user, "view").select_related("lead_unit", "responsible")


def filtered(user, data) -> ItemFilterSet:
    return ItemFilterSet(data, queryset=list_queryset(user), user=user)


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
    due: Due | None = None

    def get_status_display(self) -> str:
        return str(Status(self.status).label)


ROW_FIELDS = [f for f in ItemRow.__slots__ if f not in ("lead_unit_name", "light_now", "due")]


def with_due(items, on: dt.date | None = None, calendar: Calendar | None = None):
    """Set `due` (workdays.due: the working days overdue or remaining) on rows or items
    that carry their light (`light_now`); one calendar for all of them."""
    on = on or today()
    calendar = calendar or Calendar()
    for item in items:
        item.due = due(item.deadline, item.light_now, on, calendar)
    return items


def rows(queryset, on: dt.date | None = None, calendar: Calendar | None = None) -> list[ItemRow]:
    """The rows of a (sliced) item queryset, each with its light as of `on` and the working
    days beside its deadline."""
    values = queryset.annotate(light_now=light_expression(on)).values_list(
        *ROW_FIELDS, "lead_unit__name", "light_now"
    )
    return with_due([ItemRow(*row) for row in values], on, calendar)


# The segments of the attention order: (light, without a deadline?), in order.
SEGMENTS = [(light, undated) for light in sorted(RANK, key=RANK.get) for undated in (False, True)]


class AttentionList:
    """The rows of `queryset` in attention order, sliced as a Paginator slices a list; the
    size of each segment read from `counts` (light_counts of the same queryset). `light`:
    only that light's rows (the list's light filter)."""

    # Up to this many rows in all, one query ordered by the CASE costs less than a query
    # per segment (each of which scans the same few rows).
    ONE_QUERY_UP_TO = 200

    def __init__(self, queryset, counts: dict, light: str = "", calendar=None):
        self.queryset = queryset
        self.light = light
        self.on = today()
        self.calendar = calendar or Calendar()
        self.sizes = []
        for name, undated in SEGMENTS:
            n_undated = counts.get(f"{name}_undated", 0)
            size = n_undated if undated else counts[name] - n_undated
            self.sizes.append(size if not light or light == name else 0)

    def count(self) -> int:
        return sum(self.sizes)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[ItemRow]:
        start, stop = index.start or 0, index.stop if index.stop is not None else self.count()
        if self.count() <= self.ONE_QUERY_UP_TO:
            rows_of = self.queryset
            if self.light:
                rows_of = filter_by_light(rows_of, self.light, self.on)
            ordered = rows_of.order_by(*attention_order(self.on))[start:stop]
            return rows(ordered, self.on, self.calendar)
        found: list[ItemRow] = []
        offset = 0
        for (name, undated), size in zip(SEGMENTS, self.sizes, strict=True):
            low, high = max(start - offset, 0), min(stop - offset, size)
            if low < high:
                segment = filter_by_light(self.queryset, name, self.on).filter(
                    deadline__isnull=undated
                )
                found += rows(segment.order_by("deadline", "id")[low:high], self.on, self.calendar)
            offset += size
            if offset >= stop:
                break
        return found


def first_page(user, data, size: int = 50, counts: dict | None = None) -> list[ItemRow]:
    """The first page of a filtered list, as the list page fetches it (`counts`: the light
    counts the page computes anyway, counted here if not given)."""
    filterset = filtered(user, data)
    filterset.is_valid()
    light = filterset.form.cleaned_data.get("light", "")
    base = without_light(filterset)
    return AttentionList(base, counts or light_counts(base), light)[:size]


def without_light(filterset):
    """The filterset's rows before its light filter (what the light counts count)."""
    data = {k: v for k, v in filterset.data.items() if k != "light"}
    return type(filterset)(data, queryset=filterset.queryset, user=filterset.user).qs


def light_counts(queryset) -> dict:
    """Counts by light in one aggregate query over the filtered list, and of each light's
    rows without a deadline (`green_undated`, `none_undated`: the attention order's
    segments)."""
    return with_light(queryset.order_by()).aggregate(
        total=Count("pk"),
        **{name: Count("pk", filter=Q(light_now=name)) for name, _label in LIGHT_CHOICES},
        **{
            f"{name}_undated": Count("pk", filter=Q(light_now=name, deadline__isnull=True))
            for name in ("green", "none")
        },
    )


def my_work_lists(user) -> dict:
    """待办: what needs this user's action now — the items of each list are exactly those
    whose page offers the user that action (the policy's "handle", "review", "urge", and
    the states in which the transitions of that side apply). As querysets, unordered."""

    def states(side):
        return {s for rule in services.RULES.values() if rule.who == side for s in rule.sources}

    scoped = Item.objects.select_related("lead_unit")
    return {
        "to_handle": scoped.restrict(user, "handle").filter(status__in=states("handle")),
        "to_review": scoped.restrict(user, "review").filter(status=Status.CLOSURE_REQUESTED),
        # Red (overdue) and not waiting for a review: the supervisors of the lead unit's
        # subtree and the reviewers may urge it (the policy's "urge").
        "to_urge": filter_by_light(scoped.restrict(user, "urge"), "red").exclude(
            status=Status.CLOSURE_REQUESTED
        ),
    }


MY_WORK_SHOWN = 100  # rows shown per list of 我的待办 (the count says how many there are)


def my_work_count(user) -> int:
    """The number of rows 我的待办 lists (the workbench's counter): an item on two lists
    counts twice, as it shows twice."""
    return sum(qs.count() for qs in my_work_lists(user).values())
