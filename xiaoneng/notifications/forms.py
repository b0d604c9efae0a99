from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.notifications.models import Preference, Webhook
from xiaoneng.units.models import Unit


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["delivery", "email"]


class WebhookForm(forms.ModelForm):
    """The stored signing secret is never sent back to the browser: the field starts empty,
    left empty it keeps the stored secret, and "clear_secret" removes it."""

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
        self.fields["unit"].queryset = Unit.objects.visible_to(user).filter(
            path__startswith=user.unit.path
        )
        self.stored_secret = self.instance.secret if self.instance.pk else ""
        if self.stored_secret:
            self.fields["secret"].help_text = _("已设置。留空则保留原密钥，填写则替换。")
        else:
            self.fields["secret"].help_text = _("钉钉“加签”安全设置的密钥（SEC 开头）")
            del self.fields["clear_secret"]

    def clean(self):
        data = super().clean()
        if data.pop("clear_secret", False):
            if data.get("secret"):
                self.add_error("secret", _("清除密钥时请不要同时填写新密钥。"))
            data["secret"] = ""
        elif not data.get("secret"):
            data["secret"] = self.stored_secret
        return data
