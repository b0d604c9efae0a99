"""The users ledger (人员), declared once (`core.ledgers`).

From `USERS` come the import template (`/accounts/users/import/template.xlsx`), the import's
header matching and cell parsing (`services.import_users`), the people list's export
(`/accounts/users/export.xlsx`, which imports back unchanged), the columns a re-import may
change, and the fields of the add/edit form (`forms.UserForm`). Each imported row is then
checked by that form itself (`UserForm(..., imported=True)`), so the web form and the import
refuse the same values in the same words: the user name's rules, a new person's name, the
unit within reach, the roles one may grant (`policy.role_change_refusal`), the phone.

The parsers only turn a cell into what the form is given: a unit code as text, role names
into role codes, a number typed into a text column into its digits. The rules are the form's.

To add a column: one `Column` here (and its model field); the template, the import, the
export and the form follow (give `services.update_user` the field if it is new).
"""

import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from xiaoneng.accounts import privacy
from xiaoneng.accounts.models import RoleCode, User, parse_role
from xiaoneng.core.ledgers import Column, Ledger
from xiaoneng.core.validators import validate_phone
from xiaoneng.core.xlsx import as_text
from xiaoneng.units.models import Unit

# Between roles in one cell: 承办人、领导干部 (or , ; / and spaces).
ROLE_SEPARATORS = re.compile(r"[、，,;；/\s]+")
# A unit code that does not exist and one outside the actor's reach get the same answer (no
# existence oracle), in the form and the import alike.
UNKNOWN_UNIT = gettext_lazy("没有这个单位编码")


def _required_text(message: str) -> Callable[[Any], str]:
    """A cell that must not be empty (the key and the columns a person cannot lack);
    `message` is marked with gettext_noop and translated when refused."""

    def parse(value: Any) -> str:
        typed = as_text(value)
        if not typed:
            raise ValueError(_(message))
        return typed

    return parse


def parse_roles(value: Any) -> list[str]:
    """承办人、领导干部 → ["handler", "leader"]: role names or codes, in RoleCode's order."""
    parts = [p for p in ROLE_SEPARATORS.split(as_text(value)) if p]
    if not parts:
        raise ValueError(_("角色不能为空"))
    unknown = [p for p in parts if parse_role(p) is None]
    if unknown:
        available = "、".join(str(label) for label in RoleCode.labels)
        if len(parts) == 1:
            raise ValueError(_("未知角色（可用：%s）") % available)
        raise ValueError(
            _("未知角色：%(unknown)s（可用：%(available)s）")
            % {"unknown": "、".join(unknown), "available": available}
        )
    codes = {parse_role(p) for p in parts}
    return [code for code in RoleCode.values if code in codes]


def _field(cls: type[forms.Field], **options) -> Callable[..., forms.Field]:
    """The form field of a column: `options` win over the column's label and required (the
    form's label is translated; a column a file may leave out can be required in the form)."""
    return lambda **kwargs: cls(**{**kwargs, **options})


def _roles_text(user: User) -> str:
    return "、".join(user.role_labels())


def _phone_cell(user: User) -> str | None:
    """The phone as the exporting user may see it (`privacy.as_seen_by` sets it; without it, a
    resident's is masked): a masked phone imported back changes nothing."""
    shown = getattr(user, "phone_shown", None)
    return (shown if shown is not None else privacy.shown_phone(None, user)) or None


def _cell(key: str) -> Callable[[User], str | None]:
    """A text attribute as an export cell: an empty one as an empty cell."""
    return lambda user: getattr(user, key) or None


USERS = Ledger(
    "人员",
    [
        Column(
            "username", "用户名", aliases=("username",), required=True, updatable=False,
            note="必填。已有的用户名：更新此人；新的：新增人员，初始密码导入后显示一次",
            parse=_required_text(gettext_noop("用户名不能为空")),
            field=_field(
                forms.CharField, label=gettext_lazy("用户名"), max_length=150,
                validators=[UnicodeUsernameValidator()],
            ),
        ),
        Column(
            "name", "姓名", aliases=("name",), note="新增人员必填；已有人员留空则不变",
            parse=as_text, export=_cell("name"),
            field=_field(
                forms.CharField, label=gettext_lazy("姓名"), max_length=50, required=True
            ),
        ),
        Column(
            "unit", "单位编码", aliases=("unit_code", "unit"), required=True,
            note="必填。本单位或下级单位的编码，如 530112",
            parse=_required_text(gettext_noop("单位编码不能为空")),
            export=lambda user: user.unit.code if user.unit else None,
            # The form narrows the queryset to the actor's reach ("manage_users"); the
            # import names the unit by its code (`UserForm(imported=True)`).
            field=_field(
                forms.ModelChoiceField, label=gettext_lazy("所在单位"),
                queryset=Unit.objects.none(), error_messages={"invalid_choice": UNKNOWN_UNIT},
            ),
        ),
        # In the export only, to read it by: the import takes the unit by its code.
        Column(
            "unit_name", "单位名称", imported=False,
            export=lambda user: user.unit.name if user.unit else None,
        ),
        Column(
            "roles", "角色", aliases=("roles",), required=True, width=24,
            note="必填。多个角色用顿号分隔，如 承办人、领导干部；一个人的全部角色都要列出",
            parse=parse_roles, export=_roles_text,
            field=_field(
                forms.MultipleChoiceField, label=gettext_lazy("角色"),
                choices=RoleCode.choices, widget=forms.CheckboxSelectMultiple,
            ),
        ),
        Column(
            "phone", "手机号", aliases=("手机", "phone"), note="已有人员留空则不变",
            parse=as_text, export=_phone_cell,
            field=_field(
                forms.CharField, label=gettext_lazy("手机号"), max_length=20,
                validators=[validate_phone],
            ),
        ),
        Column(
            "email", "邮箱", aliases=("电子邮箱", "email"), note="已有人员留空则不变",
            parse=as_text, export=_cell("email"), width=24,
            field=_field(forms.EmailField, label=gettext_lazy("邮箱")),
        ),
    ],
)  # fmt: skip

# The add/edit form's fields, in this order.
FORM_KEYS = ["username", "name", "unit", "roles", "phone", "email"]


def form_data(user: User) -> dict[str, Any]:
    """A person as the imported form is given them: what a blank cell keeps."""
    return {
        "username": user.username,
        "name": user.name,
        "unit": user.unit.code if user.unit else "",
        "roles": [code for code in RoleCode.values if code in user.role_codes],
        "phone": user.phone,
        "email": user.email,
    }
