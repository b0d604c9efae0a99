from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.accounts.models import RoleCode, User
from xiaoneng.units.models import Unit


class UserForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    name = forms.CharField(label=_("姓名"), max_length=50)
    unit = forms.ModelChoiceField(label=_("所在单位"), queryset=Unit.objects.none())
    roles = forms.MultipleChoiceField(
        label=_("角色"), choices=RoleCode.choices, widget=forms.CheckboxSelectMultiple
    )
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    email = forms.EmailField(label=_("邮箱"), required=False)

    def __init__(self, *args, actor, editing: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = actor.unit.subtree().order_by("path")
        if editing is not None:
            self.fields["username"].disabled = True


class UserImportForm(forms.Form):
    file = forms.FileField(
        label=_("人员表（.xlsx）"),
        help_text=_("列：用户名、姓名、单位编码、角色、手机号。多个角色用顿号分隔。"),
    )
