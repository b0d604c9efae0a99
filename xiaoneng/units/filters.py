import django_filters
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.filters import FilterSet, IdFilter
from xiaoneng.units.models import Kind, Level, Unit
from xiaoneng.units.search import word_filter


class UnitFilterSet(FilterSet):
    parent = IdFilter(field_name="parent_id", label=_("上级单位"))
    within = IdFilter(label=_("所属单位（含下级）"), method="filter_within")
    level = django_filters.ChoiceFilter(choices=Level.choices)
    kind = django_filters.ChoiceFilter(choices=Kind.choices)
    code = django_filters.CharFilter()
    q = django_filters.CharFilter(method="search", label=_("名称、拼音首字母或编码"))

    class Meta:
        model = Unit
        fields = ["parent", "within", "level", "kind", "code"]

    def filter_within(self, queryset, name, value):
        """The subtree of a unit the rows already hold (one outside them matches nothing)."""
        unit = queryset.filter(pk=value).first()
        if unit is None:
            return queryset.none()
        return queryset.filter(path__startswith=unit.path)

    def search(self, queryset, name, value):
        """As the pickers search (units.search): every word narrows."""
        for word in value.split()[:5]:
            queryset = queryset.filter(word_filter(word[:40]))
        return queryset
