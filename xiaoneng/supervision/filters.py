"""The FilterSets of supervision, each shared by its pages, its export and the API:

- `ItemFilterSet`: the item lists, their .xlsx export and /api/items/;
- `ViolationFilterSet`: the negative list's records (负面清单违反记录) and /api/violations/.
"""

import datetime as dt

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from xiaoneng.core import policy
from xiaoneng.core.filters import FilterSet, IdFilter
from xiaoneng.supervision import conf
from xiaoneng.supervision.lights import due_soon, filter_by_light
from xiaoneng.supervision.models import (
    ActionTaken,
    EventAction,
    Item,
    ItemEvent,
    ItemKind,
    Light,
    Source,
    Status,
    Violation,
)
from xiaoneng.units.models import Unit


def progress_due(queryset, on: dt.date | None = None):
    """进展待报: items at work (plan submitted, in progress) whose lead unit has reported
    neither a plan nor progress in the last XIAONENG_PROGRESS_REPORT_DAYS days. (Items not
    yet acknowledged, acknowledged without a plan or sent back are counted by their status:
    待签收, 待报方案, 被退回.)"""
    on = on or timezone.localdate()
    since = on - dt.timedelta(days=conf.progress_report_days())
    cutoff = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    reported = ItemEvent.objects.filter(
        item=OuterRef("pk"),
        action__in=[EventAction.SUBMIT_PLAN, EventAction.REPORT_PROGRESS],
        created_at__gte=cutoff,
    )
    return queryset.filter(status__in=[Status.PLAN_SUBMITTED, Status.IN_PROGRESS]).filter(
        ~Exists(reported)
    )


LIGHT_CHOICES = [
    ("green", _("绿灯")),
    ("yellow", _("黄灯")),
    ("red", _("红灯")),
    ("none", _("已办结")),
]
OPEN_CHOICE = [("open", _("未办结")), *Status.choices]
# Which side of an item the user is on (the policy's actions; the workbench's counters).
MINE_CHOICES = [("handle", _("我承办的")), ("review", _("我审核的")), ("urge", _("我可催办的"))]
DUE_CHOICES = [("soon", _("即将到期")), ("report", _("进展待报"))]


class ItemFilterSet(FilterSet):
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=ItemKind.choices)
    source = django_filters.ChoiceFilter(label=_("来源"), choices=Source.choices)
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=OPEN_CHOICE, method="filter_status"
    )
    light = django_filters.ChoiceFilter(
        label=_("灯色"), choices=LIGHT_CHOICES, method="filter_light"
    )
    unit = IdFilter(label=_("单位（含下级）"), method="filter_unit")
    deadline_from = django_filters.DateFilter(
        label=_("时限自"), field_name="deadline", lookup_expr="gte"
    )
    deadline_to = django_filters.DateFilter(
        label=_("时限至"), field_name="deadline", lookup_expr="lte"
    )
    q = django_filters.CharFilter(label=_("编号或标题"), method="search")
    parent = IdFilter(field_name="parent_id", label=_("上级事项"))
    escalated = django_filters.BooleanFilter(label=_("提级督办"), widget=BooleanWidget)
    mine = django_filters.ChoiceFilter(label=_("我的"), choices=MINE_CHOICES, method="filter_mine")
    due = django_filters.ChoiceFilter(label=_("时限"), choices=DUE_CHOICES, method="filter_due")

    class Meta:
        model = Item
        fields = [
            "kind",
            "source",
            "status",
            "light",
            "unit",
            "deadline_from",
            "deadline_to",
            "q",
            "escalated",
            "mine",
            "due",
        ]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, user=None):
        """`user`: whose side `mine` means (the API's request user when not given)."""
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.user = user if user is not None else getattr(request, "user", None)

    def filter_mine(self, queryset, name, value):
        """The items the user may take that action on (the policy's restrict)."""
        return policy.restrict(queryset, self.user, value)

    def filter_due(self, queryset, name, value):
        return due_soon(queryset) if value == "soon" else progress_due(queryset)

    def filter_status(self, queryset, name, value):
        if value == "open":
            return queryset.exclude(status=Status.CLOSED)
        return queryset.filter(status=value)

    def filter_light(self, queryset, name, value):
        return filter_by_light(queryset, value)

    def filter_unit(self, queryset, name, value):
        unit = Unit.objects.filter(pk=value).first()
        if unit is None:
            return queryset.none()
        sub = Unit.objects.filter(path__startswith=unit.path).values("pk")
        return queryset.filter(lead_unit__in=sub)

    def search(self, queryset, name, value):
        value = value.strip()
        if value.upper().startswith(("DB-", "WT-", "ZR-")):
            return queryset.filter(code__istartswith=value)
        return queryset.filter(Q(title__icontains=value) | Q(code__icontains=value))


class ViolationFilterSet(FilterSet):
    """The behaviour and the unit (that unit only) by id, the action taken, published or
    not (true/false, 1/0). The rows are already the caller's: an id that names nothing of
    theirs matches nothing, whether it exists or not."""

    behaviour = IdFilter(label=_("负面行为"), field_name="behaviour_id")
    unit = IdFilter(label=_("单位"), field_name="unit_id")
    published = django_filters.BooleanFilter(label=_("已曝光"), widget=BooleanWidget)
    action = django_filters.ChoiceFilter(label=_("处理方式"), choices=ActionTaken.choices)

    class Meta:
        model = Violation
        fields = ["behaviour", "unit", "published", "action"]


__all__ = ["ItemFilterSet", "Light", "ViolationFilterSet"]
