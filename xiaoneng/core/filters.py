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


class SharedFields(dict):
    """Form fields or filters whose deep copy is a shallow copy of each."""

    def __deepcopy__(self, memo):
        return {name: copy.copy(value) for name, value in self.items()}


class SharedFilters(SharedFields):
    def __deepcopy__(self, memo):
        copies = super().__deepcopy__(memo)
        for f in copies.values():
            if f.method is not None:
                f.method = f.method  # its FilterMethod bound to this copy, not the shared one
        return copies


class FilterSet(django_filters.FilterSet):
    @classmethod
    def get_filters(cls):
        return SharedFilters(super().get_filters())

    def get_form_class(self):
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            form_class = super().get_form_class()
            form_class.base_fields = SharedFields(form_class.base_fields)
            cls._form_class = form_class
        return cls._form_class
