"""The FilterSet every list, export and API of the project derives from.

django-filter deep-copies every filter for every FilterSet, builds a new form class for
every FilterSet, and Django deep-copies every form field (choices and widgets included)
for every form. A list page builds one or two FilterSets per request: on the most-read
page of the campaign (督查督办) that copying was over a third of its CPU time.

Here the form class is built once per FilterSet class, and filters and form fields are
copied shallowly: each instance gets its own objects (a FilterSet sets `model` and
`parent` on its filters) sharing the parts nobody changes after they are built (choices,
widgets, the filter's arguments). A FilterSet whose fields depend on the request (a
ModelChoiceFilter with a queryset per user, say) must override `get_form_class` to build
its class per instance again.
"""

import copy

import django_filters
import django_filters.conf
import django_filters.widgets
from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.converters import MAX_ID


class SharedFields(dict):
    """Form fields or filters whose deep copy is a shallow copy of each."""

    def __deepcopy__(self, memo):
        return {name: copy.copy(value) for name, value in self.items()}


class SharedFilters(SharedFields):
    def __deepcopy__(self, memo):
        copies = super().__deepcopy__(memo)
        for f in copies.values():
            # django-filter writes `extra["queryset"]` when a choice filter builds its field:
            # each instance its own dict, or one user's choices would reach another request.
            f.extra = dict(f.extra)
            if f.method is not None:
                f.method = f.method  # its FilterMethod bound to this copy, not the shared one
        return copies


ALL = _("全部")


class AllYesNo(forms.Select):
    """A yes/no filter's choices: 全部 (no filter), 是, 否 (Django's own read 未知/是/否)."""

    def __init__(self, attrs=None):
        super().__init__(attrs, choices=[("", ALL), ("true", _("是")), ("false", _("否"))])


def with_all_choice(filters: dict) -> dict:
    """Every filter's empty choice reads 全部 (never django-filter's "---------")."""
    for f in filters.values():
        if (
            isinstance(f, django_filters.ChoiceFilter)
            and f.extra.get("empty_label", django_filters.conf.settings.EMPTY_CHOICE_LABEL)
            == django_filters.conf.settings.EMPTY_CHOICE_LABEL
        ):
            f.extra["empty_label"] = ALL
        elif isinstance(f, django_filters.BooleanFilter):
            widget = f.extra.get("widget")
            if widget is None or widget in (django_filters.widgets.BooleanWidget,
                                            forms.NullBooleanSelect):  # fmt: skip
                f.extra["widget"] = AllYesNo
    return filters


class FilterSet(django_filters.FilterSet):
    @classmethod
    def get_filters(cls):
        return SharedFilters(with_all_choice(super().get_filters()))

    def get_form_class(self):
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            form_class = super().get_form_class()
            form_class.base_fields = SharedFields(form_class.base_fields)
            cls._form_class = form_class
        return cls._form_class


NOT_AN_ID = _("应为有效的编号（正整数）。")


class IdField(forms.IntegerField):
    default_error_messages = {"invalid": NOT_AN_ID, "min_value": NOT_AN_ID, "max_value": NOT_AN_ID}

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


class IdFilter(django_filters.NumberFilter):
    """A row's id in a query string: "abc", "1.5", "-1", "1e23" or an id beyond 64 bits is
    an invalid filter (the list shows why; the API answers 400 naming it), not a database
    error or a silent match on id 1."""

    field_class = IdField
