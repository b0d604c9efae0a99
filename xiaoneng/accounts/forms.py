from django import forms
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from xiaoneng.accounts.models import RoleCode, User
from xiaoneng.accounts.services import grantable_roles
from xiaoneng.core.forms import Form
from xiaoneng.core.versioning import VersionedFormMixin
from xiaoneng.units.models import Unit


class UserForm(VersionedFormMixin, Form):
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
        # Only the roles the actor may grant here are offered; the person's other roles are
        # kept as they are (services.grantable_roles is the rule).
        offered = grantable_roles(actor, editing.unit if editing else None)
        if editing is not None and editing.pk == actor.pk:
            offered = set()
            self.fields["unit"].disabled = True
        self.kept_roles = set(editing.role_codes) - offered if editing else set()
        roles = self.fields["roles"]
        roles.choices = [(c, label) for c, label in RoleCode.choices if c in offered]
        roles.required = not self.kept_roles
        if self.kept_roles:
            labels = "、".join(str(label) for c, label in RoleCode.choices if c in self.kept_roles)
            roles.help_text = gettext_now("另有角色（您不能修改，保持不变）：%s") % labels
        if editing is not None:
            self.fields["username"].disabled = True

    def clean_roles(self) -> list[str]:
        return sorted(set(self.cleaned_data["roles"]) | self.kept_roles)


class UserImportForm(Form):
    file = forms.FileField(
        label=_("人员表（.xlsx）"),
        help_text=_("列：用户名、姓名、单位编码、角色、手机号。多个角色用顿号分隔。"),
    )
