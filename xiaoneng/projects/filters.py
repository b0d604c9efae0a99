"""The filters of projects, each FilterSet shared by its page, its export and the API.

- `ScopeFilterSet` (batch, prefecture, county, industry): the dashboard, the big screen and
  the summary workbook;
- `ProjectFilterSet` (those, and status, warning, in_stats, q): the project list, its
  .xlsx export and /api/projects/ — the same parameters give the same rows.

The choices of batch, prefecture, county and industry are the actor's
(`restrict(actor, "view")`): a unit outside the actor's subtree is an invalid filter, like
one that does not exist, never a probe of whether it does. The actor is the request's
user (django-filter's `request=`, which DRF passes too); without one there is no choice.
"""

import copy

import django_filters
from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from xiaoneng.core.converters import parse_id
from xiaoneng.core.filters import FilterSet
from xiaoneng.projects import alerts
from xiaoneng.projects.models import IN_STATS_Q, Batch, Industry, Project, Status, stage_sql
from xiaoneng.units.models import Level, Unit

WARNING_CHOICES = [
    ("warned", _("黄灯或红灯")),
    ("red", _("红灯")),
    ("yellow", _("黄灯")),
    ("due", _("上月月度调度表待报")),
    ("missing", _("月度调度表缺报")),
]


@extend_schema_field(OpenApiTypes.STR)
class BatchCodesFilter(django_filters.ModelMultipleChoiceFilter):
    """Batches by their codes (2022Q2): text in the API's schema."""


class ScopeFilterSet(FilterSet):
    """Which projects a summary covers: batches (by code, several), prefecture, county,
    industry (by id)."""

    # A few batches a year: ticked, never Ctrl-clicked.
    batch = BatchCodesFilter(
        label=_("批次"),
        field_name="batch__code",
        to_field_name="code",
        distinct=False,
        queryset=Batch.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checks"}),
    )
    # Choosing a prefecture narrows the counties (server-side below; in the page, htmx asks
    # for the county choices of the new prefecture: projects:county_choices).
    prefecture = django_filters.ModelChoiceFilter(
        label=_("州市"), queryset=Unit.objects.none(),
        widget=forms.Select(attrs={
            "hx-get": reverse_lazy("projects:county_choices"), "hx-trigger": "change",
            "hx-target": "#id_county", "hx-swap": "outerHTML", "hx-include": "this",
        }),
    )  # fmt: skip
    county = django_filters.ModelChoiceFilter(label=_("县市区"), queryset=Unit.objects.none())
    industry = django_filters.ModelChoiceFilter(label=_("行业"), queryset=Industry.objects.none())

    class Meta:
        model = Project
        fields = ["batch", "prefecture", "county", "industry"]

    @staticmethod
    def choices(actor, prefecture_id=None) -> dict:
        """The rows each choice filter offers `actor`; with a prefecture chosen (its id, as
        typed), the counties are that prefecture's."""
        units = Unit.objects.restrict(actor, "view").order_by("code")
        counties = units.filter(level=Level.COUNTY)
        pk = parse_id(prefecture_id) if prefecture_id else None
        if pk is not None:
            counties = counties.filter(parent_id=pk)
        return {
            "batch": Batch.objects.restrict(actor, "view"),
            "prefecture": units.filter(level=Level.PREFECTURE),
            "county": counties,
            "industry": Industry.objects.restrict(actor, "view"),
        }

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        # This instance's own choice filters, holding the actor's rows (core.filters shares
        # a filter's parts between instances, its `extra` included: those stay unchanged).
        prefecture_id = (data or {}).get("prefecture")
        for name, rows in self.choices(getattr(request, "user", None), prefecture_id).items():
            filter_ = copy.copy(self.filters[name])
            filter_.extra = dict(filter_.extra)
            filter_.__dict__.pop("_field", None)
            filter_.queryset = rows
            self.filters[name] = filter_

    def get_form_class(self):
        # The choices are the actor's: the form class is built per instance (core.filters).
        return django_filters.FilterSet.get_form_class(self)


# How a 包保领导 cell lists several people: "张伟、李娜", "张伟,李娜", "张伟 李娜".
LEADER_SEPARATORS = ("、", "，", ",", "；", ";", "/", " ")


def leader_q(name: str) -> Q:
    """Projects whose 包保领导 (free text) names `name`: the whole cell, or one of the names
    it lists — never a part of a longer name (王强 is not 王强华)."""
    name = name.strip()
    if not name:
        return Q(pk__in=[])
    found = Q(leader_in_charge=name)
    for sep in LEADER_SEPARATORS:
        found |= Q(leader_in_charge__startswith=name + sep)
        found |= Q(leader_in_charge__endswith=sep + name)
        found |= Q(leader_in_charge__contains=sep + name + sep)
    return found


class ProjectFilterSet(ScopeFilterSet):
    """The project list: the scope, and the stage (`with_facts`' definition), the warning
    light (`alerts`' conditions, as of today), 入库 and a code or name."""

    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=Status.choices, empty_label=_("全部"), method="filter_status"
    )
    warning = django_filters.ChoiceFilter(
        label=_("预警"), choices=WARNING_CHOICES, empty_label=_("全部"), method="filter_warning"
    )
    in_stats = django_filters.BooleanFilter(
        label=_("已入库"), method="filter_in_stats",
        widget=forms.Select(choices=[("", _("全部")), ("true", _("是")), ("false", _("否"))]),
    )  # fmt: skip
    q = django_filters.CharFilter(label=_("编号或名称"), method="search")
    leader = django_filters.CharFilter(label=_("包保领导"), method="filter_leader")

    class Meta:
        model = Project
        fields = [*ScopeFilterSet.Meta.fields, "status", "warning", "in_stats", "q", "leader"]

    def filter_status(self, queryset, name, value):
        return queryset.alias(stage_now=stage_sql()).filter(stage_now=value)

    def filter_warning(self, queryset, name, value):
        return alerts.filter_level(queryset, value, timezone.localdate())

    def filter_in_stats(self, queryset, name, value):
        return queryset.filter(IN_STATS_Q if value else ~IN_STATS_Q)

    def filter_leader(self, queryset, name, value):
        return queryset.filter(leader_q(value))

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))
