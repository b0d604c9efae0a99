import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.forms import Form, ModelForm
from xiaoneng.core.widgets import UnitPicker
from xiaoneng.exemplars.models import Exemplar
from xiaoneng.supervision.forms import MultipleFileField
from xiaoneng.supervision.models import Item
from xiaoneng.units.models import Unit

_CODES = re.compile(r"[\s,，、;；]+")
MAX_LINKED_ITEMS = 50


class VisitChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.start_date:%Y-%m-%d} {obj.leader}"


class ExemplarForm(ModelForm):
    item_codes = forms.CharField(
        label=_("相关督办事项编号"),
        required=False,
        max_length=1000,
        help_text=_("可不填；多个编号用逗号分隔，如 WT-2026-000002"),
    )
    files = MultipleFileField(label=_("佐证材料（可不传）"))

    class Meta:
        model = Exemplar
        fields = ["title", "unit", "summary", "practice", "results", "tags", "visits"]
        widgets = {
            "unit": UnitPicker(params={"action": "write_exemplar"}),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "practice": forms.Textarea(attrs={"rows": 6}),
            "results": forms.Textarea(attrs={"rows": 4}),
        }
        field_classes = {"visits": VisitChoiceField}

    def __init__(self, *args, user, **kwargs):
        from xiaoneng.fieldwork.models import Visit

        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].queryset = Unit.objects.restrict(user, "write_exemplar").order_by(
            "sort_key"
        )
        self.fields["visits"].queryset = (
            Visit.objects.restrict(user, "view").select_related("leader").order_by("-start_date")
        )
        self.fields["visits"].required = False
        self.fields["visits"].help_text = _("可不选；按住 Ctrl 可多选")
        if self.instance.pk and not self.is_bound:
            codes = self.instance.items.exclude(code=None).values_list("code", flat=True)
            self.initial["item_codes"] = "，".join(codes)

    def clean_item_codes(self):
        codes = [c for c in _CODES.split(self.cleaned_data.get("item_codes") or "") if c]
        codes = list(dict.fromkeys(codes))
        if len(codes) > MAX_LINKED_ITEMS:
            raise ValidationError(_("最多关联 %d 个事项。") % MAX_LINKED_ITEMS)
        found = {i.code: i for i in Item.objects.restrict(self.user, "view").filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise ValidationError(_("找不到事项“%s”，或该事项不在您的管辖范围内。") % missing[0])
        return [found[c] for c in codes]

    def _post_clean(self):
        """The service validates the case (as the actor), not the model form."""

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["items"] = data.pop("item_codes")
        return data


class StepForm(Form):
    comment = forms.CharField(label=_("说明"), required=False, max_length=500)
