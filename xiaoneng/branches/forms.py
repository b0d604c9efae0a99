from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.branches import services
from xiaoneng.branches.models import BranchActivity, BranchPairing
from xiaoneng.core.forms import Form, ModelForm
from xiaoneng.supervision.forms import MultipleFileField
from xiaoneng.supervision.ledgers import DateInput


class BranchChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name}（{obj.unit.name}）"


class BranchMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name}（{obj.unit.name}）"


class PairingForm(ModelForm):
    organ_branch = BranchChoiceField(label=_("机关党支部"), queryset=None)
    community_branch = BranchChoiceField(label=_("社区（村）党支部"), queryset=None)

    class Meta:
        model = BranchPairing
        fields = ["organ_branch", "community_branch", "started_on", "ended_on", "notes"]
        widgets = {
            "started_on": DateInput(),
            "ended_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        branches = (
            services.pairing_branches(user)
            .select_related("unit")
            .order_by("unit__sort_key", "name")
        )
        self.fields["organ_branch"].queryset = branches
        self.fields["community_branch"].queryset = branches

    def clean(self):
        data = super().clean()
        start, end = data.get("started_on"), data.get("ended_on")
        if start and end and end < start:
            self.add_error("ended_on", _("结束日期不能早于结对日期。"))
        return data

    def _post_clean(self):
        """The service validates the pairing (as the actor), not the model form."""


class EndPairingForm(Form):
    ended_on = forms.DateField(label=_("结束日期"), widget=DateInput())
    comment = forms.CharField(label=_("说明"), required=False, max_length=500)


class ActivityForm(ModelForm):
    branches = BranchMultipleChoiceField(
        label=_("参加的党支部"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("机关党支部与结对社区党支部一起开展的，两个都勾选，即为联建活动"),
    )
    photos = MultipleFileField(
        label=_("活动照片（可不传）"), help_text=_("不要求上传照片；如有，可传 PNG 或 JPEG")
    )

    class Meta:
        model = BranchActivity
        fields = [
            "kind",
            "title",
            "date",
            "place",
            "branches",
            "participant_count",
            "participants",
            "notes",
        ]
        widgets = {
            "date": DateInput(),
            "participants": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branches"].queryset = (
            services.activity_branches(user)
            .select_related("unit")
            .order_by("unit__sort_key", "name")
        )

    def _post_clean(self):
        """The service validates the activity (as the actor), not the model form."""
