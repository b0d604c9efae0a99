"""One FilterSet for people, shared by the people list and its export: the same query
string gives the same rows. (There is no list of users in the API: /api/me/ only.)"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xiaoneng.accounts.models import User
from xiaoneng.core.filters import FilterSet, IdFilter
from xiaoneng.units.models import Unit


class UserFilterSet(FilterSet):
    q = django_filters.CharFilter(label=_("用户名、姓名或单位"), method="search")
    unit = IdFilter(label=_("所在单位（含下级）"), method="filter_unit")

    class Meta:
        model = User
        fields = ["q", "unit"]

    def filter_unit(self, queryset, name, value):
        """The people of a unit's subtree; a unit the user may not see matches nobody."""
        actor = self.request.user if self.request is not None else None
        unit = Unit.objects.restrict(actor, "view").filter(pk=value).first()
        if unit is None:
            return queryset.none()
        return queryset.filter(unit__path__startswith=unit.path)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(username__icontains=value) | Q(name__icontains=value) | Q(unit__name__icontains=value)
        )
