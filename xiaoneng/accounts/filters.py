"""One FilterSet for people, shared by the people list and its export: the same query
string gives the same rows. (There is no list of users in the API: /api/me/ only.)"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xiaoneng.accounts.models import User
from xiaoneng.core.filters import FilterSet


class UserFilterSet(FilterSet):
    q = django_filters.CharFilter(label=_("用户名、姓名或单位"), method="search")

    class Meta:
        model = User
        fields = ["q"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(username__icontains=value) | Q(name__icontains=value) | Q(unit__name__icontains=value)
        )
