"""The FilterSets of 机关–社区联建, shared by the pages and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from xiaoneng.branches.models import ActivityKind, BranchActivity, BranchPairing
from xiaoneng.core.filters import FilterSet, IdFilter


class ActivityFilterSet(FilterSet):
    kind = django_filters.ChoiceFilter(label=_("活动类型"), choices=ActivityKind.choices)
    branch = IdFilter(label=_("党支部"), method="filter_branch")
    date_from = django_filters.DateFilter(label=_("日期自"), field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("日期至"), field_name="date", lookup_expr="lte")

    class Meta:
        model = BranchActivity
        fields = ["kind", "branch", "date_from", "date_to"]

    def filter_branch(self, queryset, name, value):
        return queryset.filter(
            pk__in=BranchActivity.branches.through.objects.filter(partybranch=value).values(
                "branchactivity"
            )
        )


class PairingFilterSet(FilterSet):
    branch = IdFilter(label=_("党支部"), method="filter_branch")
    active = django_filters.BooleanFilter(
        label=_("未结束"), method="filter_active", widget=BooleanWidget
    )

    class Meta:
        model = BranchPairing
        fields = ["branch", "active"]

    def filter_branch(self, queryset, name, value):
        return queryset.filter(Q(organ_branch=value) | Q(community_branch=value))

    def filter_active(self, queryset, name, value):
        from django.utils import timezone

        open_ = Q(ended_on__isnull=True) | Q(ended_on__gte=timezone.localdate())
        return queryset.filter(open_) if value else queryset.exclude(open_)
