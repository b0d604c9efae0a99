"""The FilterSets of 会风文风, each shared by its list page and the API:

- `MeetingFilterSet`: the meeting list and /api/meetings/;
- `DocumentFilterSet`: the document list and /api/documents/.

`unit` is a unit and its subtree; the rows are already the caller's (restrict), so an id
that names nothing of theirs matches nothing.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from xiaoneng.brevity import rules
from xiaoneng.brevity.models import DOCUMENT_KINDS, OVER_Q, Document, Meeting, MeetingKind
from xiaoneng.core.filters import FilterSet, IdFilter
from xiaoneng.units.models import Unit


def in_subtree(queryset, field: str, unit_id: int):
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        return queryset.none()
    return queryset.filter(**{f"{field}__path__startswith": unit.path})


class MeetingFilterSet(FilterSet):
    kind = django_filters.ChoiceFilter(label=_("会议类型"), choices=MeetingKind.choices)
    unit = IdFilter(label=_("主办单位（含下级）"), method="filter_unit")
    date_from = django_filters.DateFilter(label=_("日期自"), field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("日期至"), field_name="date", lookup_expr="lte")
    breach = django_filters.BooleanFilter(
        label=_("超出规定"), method="filter_breach", widget=BooleanWidget
    )
    q = django_filters.CharFilter(label=_("会议名称"), field_name="title", lookup_expr="icontains")

    class Meta:
        model = Meeting
        fields = ["kind", "unit", "date_from", "date_to", "breach", "q"]

    def filter_unit(self, queryset, name, value):
        return in_subtree(queryset, "organiser", value)

    def filter_breach(self, queryset, name, value):
        return queryset.filter(rules.breach_q() if value else rules.within_q())


class DocumentFilterSet(FilterSet):
    kind = django_filters.ChoiceFilter(label=_("文种"), choices=DOCUMENT_KINDS)
    unit = IdFilter(label=_("发文单位（含下级）"), method="filter_unit")
    date_from = django_filters.DateFilter(label=_("日期自"), field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("日期至"), field_name="date", lookup_expr="lte")
    over = django_filters.BooleanFilter(
        label=_("超出字数限额"), method="filter_over", widget=BooleanWidget
    )
    single_task = django_filters.BooleanFilter(label=_("单项工作"), widget=BooleanWidget)
    q = django_filters.CharFilter(label=_("标题"), field_name="title", lookup_expr="icontains")

    class Meta:
        model = Document
        fields = ["kind", "unit", "date_from", "date_to", "over", "single_task", "q"]

    def filter_unit(self, queryset, name, value):
        return in_subtree(queryset, "unit", value)

    def filter_over(self, queryset, name, value):
        return queryset.filter(OVER_Q) if value else queryset.exclude(OVER_Q)
