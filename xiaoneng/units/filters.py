import django_filters
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.filters import FilterSet, IdFilter
from xiaoneng.units.models import Kind, Level, Unit


class UnitFilterSet(FilterSet):
    parent = IdFilter(field_name="parent_id", label=_("上级单位"))
    level = django_filters.ChoiceFilter(choices=Level.choices)
    kind = django_filters.ChoiceFilter(choices=Kind.choices)
    code = django_filters.CharFilter()
    q = django_filters.CharFilter(method="search", label="名称或编码")

    class Meta:
        model = Unit
        fields = ["parent", "level", "kind", "code"]

    def search(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(name__icontains=value) | Q(code__startswith=value))
