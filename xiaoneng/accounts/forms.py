from typing import cast

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from xiaoneng.accounts import privacy
from xiaoneng.accounts.ledgers import FORM_KEYS, USERS
from xiaoneng.accounts.models import RoleCode, User, username_in_use
from xiaoneng.accounts.policy import grantable_roles, role_change_refusal
from xiaoneng.core.forms import Form
from xiaoneng.core.versioning import VersionedFormMixin
from xiaoneng.core.widgets import UnitPicker
from xiaoneng.units.models import Unit


class KeptPhoneField(forms.CharField):
    """A resident's phone for an editor who may not see it whole (accounts.privacy): shown
    masked; the mask saved back as it was keeps the stored number."""

    def __init__(self, *, stored: str, **kwargs):
        self.stored = stored
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return privacy.mask_phone(value) if value and value == self.stored else value

    def to_python(self, value):
        phone = privacy.unmasked(super().to_python(value) or "", self.stored)
        if "*" in phone:
            # The mask of a number changed since the form was read: not a number to store.
            raise forms.ValidationError(
                gettext_now(
                    "“%s”是隐去中间四位的号码，与现在登记的号码不符（可能已被他人修改）。"
                    "请刷新页面后再改，或填写完整号码。"
                )
                % phone
            )
        return phone


class UserForm(VersionedFormMixin, USERS.form_class(FORM_KEYS, base=Form)):  # type: ignore[misc]
    """Add or edit a person; its fields come from the users ledger (accounts/ledgers.py).

    The users import checks each row with this form too (`imported=True`), so both refuse the
    same values in the same words. A sheet differs from the page in two ways only: it names
    the unit by its code, and it lists every role of the person (on the page, the roles the
    editor may not change are kept without being shown as choices); whether those roles may
    be given is the same rule, `policy.role_change_refusal`, which `clean` asks."""

    def __init__(self, *args, actor, editing: User | None = None, imported=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor, self.editing = actor, editing
        if editing is not None and editing.phone and not privacy.sees_phone(actor, editing):
            phone = self.fields["phone"]
            self.fields["phone"] = KeptPhoneField(
                stored=editing.phone,
                label=phone.label,
                required=phone.required,
                max_length=20,
                validators=phone.validators,
            )
        # The units where the actor may add and manage people (core.policy "manage_users").
        unit = cast(forms.ModelChoiceField, self.fields["unit"])
        # A picker searched among the same units (core.widgets); it posts the unit's id.
        unit.widget = UnitPicker(params={"action": "manage_users"})
        unit.widget.is_required = unit.required
        unit.queryset = Unit.objects.restrict(actor, "manage_users").order_by("sort_key")
        roles = cast(forms.MultipleChoiceField, self.fields["roles"])
        self.kept_roles: set[str] = set()
        if imported:
            unit.to_field_name = "code"
            return
        # Only the roles the actor may grant here are offered; the person's other roles are
        # kept as they are (accounts.policy.grantable_roles is the rule).
        offered = grantable_roles(actor, editing.unit if editing else None)
        if editing is not None and editing.pk == actor.pk:
            offered = set()
            unit.disabled = True
        self.kept_roles = set(editing.role_codes) - offered if editing else set()
        roles.choices = [(c, label) for c, label in RoleCode.choices if c in offered]
        roles.required = not self.kept_roles
        if self.kept_roles:
            labels = "、".join(str(label) for c, label in RoleCode.choices if c in self.kept_roles)
            roles.help_text = gettext_now("另有角色（您不能修改，保持不变）：%s") % labels
        if editing is not None:
            self.fields["username"].disabled = True

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if self.editing is None and (refusal := username_in_use(username)):
            raise forms.ValidationError(refusal)
        return username

    def clean_roles(self) -> list[str]:
        return sorted(set(self.cleaned_data["roles"]) | self.kept_roles)

    def clean(self):
        data = super().clean()
        unit, roles = data.get("unit"), data.get("roles")
        if unit is not None and roles:
            # Nobody grants more than they hold (the service asks again, under lock).
            refusal = role_change_refusal(self.actor, self.editing, unit, roles)
            if refusal is not None:
                self.add_error(refusal[0], refusal[1])
        return data


def _import_help() -> str:
    headers = "、".join(c.header for c in USERS.imported())
    return gettext_now("列：%s。多个角色用顿号分隔。") % headers


class UserImportForm(Form):
    file = forms.FileField(label=_("人员表（.xlsx）"), help_text=lazy(_import_help, str)())
