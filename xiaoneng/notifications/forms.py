from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.forms import ModelForm
from xiaoneng.core.versioning import VersionedFormMixin
from xiaoneng.notifications.models import Preference, Webhook
from xiaoneng.units.models import Unit


class PreferenceForm(ModelForm):
    class Meta:
        model = Preference
        fields = ["delivery", "email"]


def masked_url(url: str) -> str:
    """A robot's address with its credential hidden (WeCom's `key`, DingTalk's
    `access_token`: whoever has the address can post to the group)."""
    base, sep, query = url.partition("?")
    if not sep:
        return url
    parts = []
    for pair in query.split("&"):
        name, eq, value = pair.partition("=")
        shown = f"{value[:4]}…{value[-2:]}" if len(value) > 8 else "…"
        parts.append(f"{name}{eq}{shown}" if eq else pair)
    return f"{base}?{'&'.join(parts)}"


class WebhookForm(VersionedFormMixin, ModelForm):
    """Neither the stored address (its query holds the group's credential) nor the signing
    secret is sent back to the browser: each field starts empty and, left empty, keeps the
    stored value; "clear_secret" removes the secret. The address must be a robot's
    (`Webhook.clean`, webhooks.address_problem): a stored one that no longer is must be
    replaced."""

    url = forms.URLField(label=_("Webhook 地址"), max_length=500, assume_scheme="https")
    secret = forms.CharField(
        label=_("加签密钥"),
        max_length=200,
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    clear_secret = forms.BooleanField(label=_("清除已设置的加签密钥"), required=False)

    class Meta:
        model = Webhook
        fields = ["unit", "name", "kind", "url", "secret", "active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The units where the user may put a robot (core.policy "manage_robots").
        self.fields["unit"].queryset = Unit.objects.restrict(user, "manage_robots")
        self.stored_url = self.instance.url if self.instance.pk else ""
        if self.stored_url:
            self.initial["url"] = ""
            self.fields["url"].required = False
            self.fields["url"].help_text = _("已设置：%s。留空则保留，填写则替换。") % masked_url(
                self.stored_url
            )
        else:
            self.fields["url"].help_text = _(
                "钉钉：https://oapi.dingtalk.com/robot/send?access_token=…；"
                "企业微信：https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"
            )
        self.stored_secret = self.instance.secret if self.instance.pk else ""
        if self.stored_secret:
            self.fields["secret"].help_text = _("已设置。留空则保留原密钥，填写则替换。")
        else:
            self.fields["secret"].help_text = _("钉钉“加签”安全设置的密钥（SEC 开头）")
            del self.fields["clear_secret"]

    def clean(self):
        data = super().clean()
        if not data.get("url") and "url" not in self.errors:
            data["url"] = self.stored_url
        if data.pop("clear_secret", False):
            if data.get("secret"):
                self.add_error("secret", _("清除密钥时请不要同时填写新密钥。"))
            data["secret"] = ""
        elif not data.get("secret"):
            data["secret"] = self.stored_secret
        return data
