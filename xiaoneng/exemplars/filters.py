"""The FilterSet of the exemplar library, shared by its page and /api/exemplars/."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from xiaoneng.core.filters import FilterSet, IdFilter
from xiaoneng.exemplars import services
from xiaoneng.exemplars.models import Exemplar, Status
from xiaoneng.units.models import Unit


class ExemplarFilterSet(FilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Status.choices)
    unit = IdFilter(label=_("单位（含下级）"), method="filter_unit")
    tag = django_filters.CharFilter(label=_("标签"), method="filter_tag", max_length=20)
    public = django_filters.BooleanFilter(label=_("对外公开"), widget=BooleanWidget)
    # Last: the search orders the cases by how well they match.
    q = django_filters.CharFilter(label=_("关键词"), method="filter_q", max_length=200)

    class Meta:
        model = Exemplar
        fields = ["status", "unit", "tag", "public", "q"]

    def filter_unit(self, queryset, name, value):
        unit = Unit.objects.filter(pk=value).first()
        if unit is None:
            return queryset.none()
        return queryset.filter(unit__path__startswith=unit.path)

    def filter_tag(self, queryset, name, value):
        return services.tagged(queryset, value)

    def filter_q(self, queryset, name, value):
        return services.search(queryset, value)
