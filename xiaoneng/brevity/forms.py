"""Forms of 会风文风: a meeting with its speeches (a few repeated rows), a document, a
document by upload, the analyzer's upload."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.brevity.models import DOCUMENT_KINDS, Document, Meeting, SpeechRole
from xiaoneng.brevity.rules import MAX_DAYS, MINUTES_PER_DAY
from xiaoneng.core.forms import Form, ModelForm
from xiaoneng.core.widgets import UnitPicker
from xiaoneng.supervision.ledgers import DateInput
from xiaoneng.units.models import Unit

MOST_MINUTES = MAX_DAYS * MINUTES_PER_DAY
SPEECH_ROWS = 3  # empty rows offered under the speeches already recorded


def _units(user):
    return Unit.objects.restrict(user, "record_brevity").order_by("sort_key")


class MeetingForm(ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "organiser",
            "kind",
            "title",
            "date",
            "days",
            "planned_minutes",
            "actual_minutes",
            "mode",
            "attendees",
        ]
        widgets = {
            "date": DateInput(),
            "organiser": UnitPicker(params={"action": "record_brevity"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = _units(user)
        # Out-of-range numbers are named by the field (not a database error): rules.py
        # refuses what a day of meeting cannot hold.
        for name in ("planned_minutes", "actual_minutes"):
            self.fields[name].min_value = None
            self.fields[name].validators = []
            self.fields[name].widget.attrs.update(min=1, max=MOST_MINUTES, inputmode="numeric")
        self.fields["days"].validators = []
        self.fields["days"].widget.attrs.update(min=1, max=MAX_DAYS)
        self.fields["attendees"].widget.attrs.update(min=0, max=100000)
        self.fields["attendees"].validators = [
            v for v in self.fields["attendees"].validators if not hasattr(v, "limit_value")
        ]

    def clean_attendees(self):
        value = self.cleaned_data.get("attendees")
        if value is not None and not 0 <= value <= 100000:
            raise forms.ValidationError(_("参会人数应为 0 至 100000 之间的整数。"))
        return value

    def _bounded(self, name: str, label: str):
        value = self.cleaned_data.get(name)
        if value is not None and abs(value) > 10**9:
            raise forms.ValidationError(_("%(field)s数值过大。") % {"field": label})
        return value

    def clean_planned_minutes(self):
        return self._bounded("planned_minutes", str(_("计划时长")))

    def clean_actual_minutes(self):
        return self._bounded("actual_minutes", str(_("实际时长")))

    def clean_days(self):
        value = self.cleaned_data.get("days")
        if value is not None and not 1 <= value <= MAX_DAYS:
            raise forms.ValidationError(
                _("会期（天）应为 1 至 %(n)d 之间的整数。") % {"n": MAX_DAYS}
            )
        return value


class SpeechForm(Form):
    speaker = forms.CharField(label=_("讲话人"), max_length=50, required=False)
    role = forms.ChoiceField(
        label=_("讲话类别"), choices=SpeechRole.choices, initial=SpeechRole.OTHER, required=False
    )
    minutes = forms.IntegerField(
        label=_("时长（分钟）"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 1, "max": MINUTES_PER_DAY, "inputmode": "numeric"}),
    )

    def clean(self):
        data = super().clean()
        speaker, minutes = (data.get("speaker") or "").strip(), data.get("minutes")
        if minutes is not None and abs(minutes) > 10**9:
            self.add_error("minutes", _("时长数值过大。"))
        elif speaker and minutes is None:
            self.add_error("minutes", _("请填写讲话时长（分钟）。"))
        elif minutes is not None and not speaker:
            self.add_error("speaker", _("请填写讲话人。"))
        return data


class BaseSpeechFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        """The filled rows, in order: {"speaker", "role", "minutes"}."""
        found = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if (data.get("speaker") or "").strip():
                found.append(
                    {
                        "speaker": data["speaker"].strip(),
                        "role": data.get("role") or SpeechRole.OTHER,
                        "minutes": data.get("minutes"),
                        "form": form,
                    }
                )
        return found


SpeechFormSet = forms.formset_factory(
    SpeechForm, formset=BaseSpeechFormSet, extra=SPEECH_ROWS, max_num=30, absolute_max=30
)


class DocumentForm(ModelForm):
    class Meta:
        model = Document
        fields = ["unit", "kind", "title", "date", "chars", "single_task"]
        widgets = {
            "date": DateInput(),
            "unit": UnitPicker(params={"action": "record_brevity"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(user)
        self.fields["chars"].validators = []
        self.fields["chars"].widget.attrs.update(min=0, inputmode="numeric")

    def clean_chars(self):
        value = self.cleaned_data.get("chars")
        if value is not None and not 0 <= value <= 10**8:
            raise forms.ValidationError(_("字数应为 0 至 100000000 之间的整数。"))
        return value


def _upload_help() -> str:
    return str(_("Word 文档（.docx）或文本文件（.txt），文件不保存"))


class DocumentUploadForm(Form):
    file = forms.FileField(label=_("文件"), help_text=_upload_help)
    unit = forms.ModelChoiceField(
        label=_("发文单位"),
        queryset=Unit.objects.none(),
        widget=UnitPicker(params={"action": "record_brevity"}),
    )
    single_task = forms.BooleanField(
        label=_("部署单项工作或具体工作"),
        required=False,
        help_text=_("部署专项工作或具体工作的文件，字数限额更低"),
    )
    kind = forms.ChoiceField(
        label=_("文种"),
        choices=[("", _("按标题判断")), *DOCUMENT_KINDS],
        required=False,
    )
    title = forms.CharField(
        label=_("标题"), max_length=200, required=False, help_text=_("不填则取文件中的标题")
    )
    date = forms.DateField(label=_("成文日期"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(user)
        if user.unit_id and "unit" not in self.initial:
            self.initial["unit"] = user.unit_id


class AnalyzeForm(Form):
    file = forms.FileField(label=_("文件"), help_text=_upload_help)
    kind = forms.ChoiceField(
        label=_("文种"),
        choices=[("", _("按标题判断")), *DOCUMENT_KINDS],
        required=False,
    )
    single_task = forms.BooleanField(label=_("部署单项工作或具体工作"), required=False)
