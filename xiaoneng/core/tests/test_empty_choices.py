"""Every empty choice in words (issue 12 item 10): 全部 in a filter, 请选择 in a form where a
choice is required, 无 where it is not; never Django's "---------"."""

import django_filters
from django import forms

from xiaoneng.core.filters import FilterSet
from xiaoneng.core.forms import Form, ModelForm
from xiaoneng.units.models import Kind, Unit


class UnitFilters(FilterSet):
    kind = django_filters.ChoiceFilter(choices=Kind.choices)
    parent = django_filters.ModelChoiceFilter(queryset=Unit.objects.all())
    active = django_filters.BooleanFilter(field_name="deleted_at", lookup_expr="isnull")

    class Meta:
        model = Unit
        fields = ["kind", "parent", "level"]


class UnitEdit(ModelForm):
    class Meta:
        model = Unit
        fields = ["kind", "parent"]


class Picks(Form):
    required_unit = forms.ModelChoiceField(queryset=Unit.objects.none())
    optional_kind = forms.ChoiceField(choices=[("", "---------"), *Kind.choices], required=False)


def test_a_filters_empty_choices_read_all(db):
    page = str(UnitFilters({}, queryset=Unit.objects.all()).form)
    assert "---------" not in page and "未知" not in page
    assert page.count('<option value="" selected>全部</option>') == 4  # kind, parent, level, active


def test_a_forms_empty_choices_read_choose_or_none(db):
    page = str(UnitEdit())
    assert "---------" not in page
    assert '<option value="" selected>无</option>' in page  # parent: optional
    page = str(Picks())
    assert '<option value="" selected>请选择</option>' in page
    assert '<option value="" selected>无</option>' in page and "---------" not in page
