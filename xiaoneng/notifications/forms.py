from django import forms

from xiaoneng.notifications.models import Preference, Webhook
from xiaoneng.units.models import Unit


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["delivery", "email"]


class WebhookForm(forms.ModelForm):
    url = forms.URLField(label="Webhook 地址", max_length=500, assume_scheme="https")

    class Meta:
        model = Webhook
        fields = ["unit", "name", "kind", "url", "secret", "active"]
        widgets = {"secret": forms.PasswordInput(render_value=True)}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.visible_to(user).filter(
            path__startswith=user.unit.path
        )
