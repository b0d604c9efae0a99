from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.forms import Form, ModelForm
from xiaoneng.core.versioning import VersionedFormMixin
from xiaoneng.core.widgets import UnitPicker
from xiaoneng.units.models import Unit


class UnitForm(VersionedFormMixin, ModelForm):
    class Meta:
        model = Unit
        fields = ["code", "name", "short_name", "level", "kind", "parent", "sort"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The units under which the user may maintain units (core.policy "manage_units").
        self.fields["parent"].widget = UnitPicker(params={"action": "manage_units"})
        self.fields["parent"].queryset = Unit.objects.restrict(user, "manage_units")
        self.fields["parent"].required = self.fields["parent"].widget.is_required = True
        self.fields["parent"].label = _("上级单位")


class UnitFilterForm(Form):
    q = forms.CharField(label=_("名称或编码"), required=False)
