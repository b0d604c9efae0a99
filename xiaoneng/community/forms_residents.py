"""The forms of joining a community: the public sign-up, and the staff's invitation, one
resident and the residents sheet. Each asks the least it can; the rules are the services'
(community/residents.py), whose refusals come back under these fields."""

from django import forms
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from xiaoneng.community import conf
from xiaoneng.community.residents import MAX_DAYS, MAX_USES, NAME_MAX
from xiaoneng.core.forms import Form


class JoinForm(Form):
    code = forms.CharField(
        label=_("邀请码"),
        max_length=16,
        help_text=_("社区工作人员给您的 8 位邀请码，不分大小写"),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    name = forms.CharField(
        label=_("姓名"),
        max_length=NAME_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        help_text=_("以后用这个手机号登录"),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    password = forms.CharField(
        label=_("设置密码"),
        max_length=128,
        strip=False,
        help_text=_("至少 8 位，不能全是数字，不要用太简单的密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("再输一次密码"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean() or {}
        first, again = data.get("password"), data.get("password_again")
        if first and again and first != again:
            self.add_error("password_again", gettext_now("两次输入的密码不一致，请重新输入。"))
        return data


class InvitationForm(Form):
    max_uses = forms.IntegerField(
        label=_("可用次数"),
        min_value=1,
        max_value=MAX_USES,
        initial=50,
        help_text=_("最多可以有多少位居民用这个邀请码注册"),
    )
    days = forms.IntegerField(
        label=_("有效天数"),
        min_value=1,
        max_value=MAX_DAYS,
        required=False,
        help_text=_("留空为默认天数"),
    )
    note = forms.CharField(
        label=_("备注"),
        max_length=100,
        required=False,
        help_text=_("如：3 栋、议事会成员"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].widget.attrs["placeholder"] = str(conf.invitation_days())


class ResidentForm(Form):
    name = forms.CharField(label=_("姓名"), max_length=NAME_MAX)
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        help_text=_("居民用这个手机号登录"),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )


class ResidentImportForm(Form):
    file = forms.FileField(label=_("居民表（.xlsx）"), help_text=_("列：姓名、手机号"))
