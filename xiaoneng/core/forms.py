"""What every form and API body of the project refuses: a date outside a sane window and a
text longer than its maximum.

A date must lie between 1 January of settings.DATE_MIN_YEAR and settings.DATE_MAX_YEARS_AHEAD
years from today: a deadline in 1900 or 9999 is a typing error, and an old date moves lights
and scores. A text field without its own maximum (a model TextField, a CharField declared
without max_length) takes settings.TEXT_MAX_CHARS; a field that declares max_length keeps it
(on a model TextField too: `models.TextField(max_length=20000)` raises the maximum of its
forms and serializers without changing the column).

Forms derive from `Form` or `ModelForm` here and check their cleaned values, so a custom
field that cleans to a date (the ledger's 2022年3月) is checked too; serializers derive from
`core.api.Serializer` or `core.api.ModelSerializer`, whose fields get the same validators.
The imports read dates through `date_error` as well (projects.parsing.parse_date).
"""

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def date_window() -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    years = settings.DATE_MAX_YEARS_AHEAD
    try:
        latest = today.replace(year=today.year + years)
    except ValueError:  # 29 February
        latest = today.replace(year=today.year + years, day=28)
    return dt.date(settings.DATE_MIN_YEAR, 1, 1), latest


def date_error(value) -> str | None:
    """Why a date (or datetime) is refused, or None. One rule for forms, API and imports."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if not isinstance(value, dt.date):
        return None
    earliest, latest = date_window()
    if earliest <= value <= latest:
        return None
    return _("日期超出范围：应在 %(earliest)s 至 %(latest)s 之间") % {
        "earliest": earliest.isoformat(),
        "latest": latest.isoformat(),
    }


def validate_date(value) -> None:
    if error := date_error(value):
        raise ValidationError(error, code="date_window")


def text_validator(limit: int | None = None) -> MaxLengthValidator:
    """A text's maximum: its own, or settings.TEXT_MAX_CHARS for a field that has none."""
    return MaxLengthValidator(
        limit or settings.TEXT_MAX_CHARS,
        message=gettext_lazy("内容过长：最多 %(limit_value)d 个字符（现有 %(show_value)d 个）"),
    )


def bounded_validators(validators: list, max_length: int | None) -> list:
    """A text field's validators with its maximum (its own or the default) in our words."""
    kept = [
        v
        for v in validators
        if not (isinstance(v, MaxLengthValidator) and v.limit_value == max_length)
    ]
    return [*kept, text_validator(max_length)]


# A mixin for forms: to the type checker it is one (at run time it stays a plain mixin).
if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


DASHES = "---------"  # Django's empty choice (ModelChoiceField, a model field's blank choice)


def empty_choice_label(field) -> str:
    """What a form's empty choice reads: 请选择 where a choice is required, 无 where none is
    (filters read 全部: core.filters)."""
    return str(gettext_lazy("请选择") if field.required else gettext_lazy("无"))


def name_empty_choice(field) -> None:
    """Replace Django's "---------" on one field (a form's own copy) by words, once."""
    if getattr(field, "_empty_choice_named", False):
        return
    field._empty_choice_named = True
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == DASHES:
            field.empty_label = empty_choice_label(field)
    elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
        choices: list[Any] = list(cast(Iterable[Any], field.choices))
        if any(value == "" and str(label) == DASHES for value, label in choices):
            label = empty_choice_label(field)
            field.choices = [(v, label if v == "" and str(t) == DASHES else t) for v, t in choices]


class BoundedInputMixin(_FormBase):
    """Every text field gets its maximum, and every cleaned value that is a date must lie
    in the window (a custom field that cleans to a date is checked too). An empty choice
    reads 请选择 or 无, never "---------" (also on fields a subclass changes after
    __init__: it is named when the field is rendered)."""

    def __getitem__(self, name):
        bound = super().__getitem__(name)
        name_empty_choice(bound.field)
        return bound

    def full_clean(self):
        for field in self.fields.values():  # this form's own copies of the fields
            if isinstance(field, forms.CharField):
                field.validators = bounded_validators(field.validators, field.max_length)
        super().full_clean()
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return
        for name in list(self.cleaned_data):
            if name in self.fields and (error := date_error(self.cleaned_data[name])):
                self.add_error(name, error)


class Form(BoundedInputMixin, forms.Form):
    pass


class ModelForm(BoundedInputMixin, forms.ModelForm):
    pass


def refused_on(form, exc: ValidationError) -> None:
    """A service's refusal on the form that called it: each field's error under its field,
    the others at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
