"""The visit form (a one-minute job on a phone), a finding, and turning a finding into an
item. The services do the work and the checks; the forms only read what was typed."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.accounts.models import User
from xiaoneng.core.forms import Form
from xiaoneng.core.widgets import PersonPicker, UnitMultiPicker, UnitPicker
from xiaoneng.fieldwork import services
from xiaoneng.fieldwork.models import VisitKind
from xiaoneng.supervision.ledgers import DateInput
from xiaoneng.supervision.services import member_named
from xiaoneng.units.models import Unit

FINDING_BOXES = 2  # empty boxes on a new visit; "再加一条" adds more


class VisitForm(Form):
    leader = forms.ModelChoiceField(label=_("领导干部"), queryset=User.objects.none())
    start_date = forms.DateField(label=_("开始日期"), widget=DateInput())
    end_date = forms.DateField(label=_("结束日期"), widget=DateInput())
    kind = forms.ChoiceField(label=_("方式"), choices=VisitKind.choices, initial=VisitKind.SURVEY)
    places = forms.ModelMultipleChoiceField(
        label=_("到访地点"),
        queryset=Unit.objects.none(),
        widget=UnitMultiPicker(params={"action": "visit_place"}),
        error_messages={"required": _("请至少选择一个到访地点。")},
    )
    met = forms.CharField(
        label=_("座谈走访对象"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("如：社区党委书记、网格员、居民代表；可留空"),
    )
    notes = forms.CharField(
        label=_("情况记录"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        leaders = User.objects.restrict(user, "record_visit").order_by("name", "pk")
        self.fields["leader"].queryset = leaders
        self.fields["places"].queryset = Unit.objects.restrict(user, "visit_place").order_by(
            "sort_key"
        )
        if editing:
            del self.fields["leader"]
        elif not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("start_date", today)
            self.initial.setdefault("end_date", today)
            if leaders.filter(pk=user.pk).exists():
                self.initial.setdefault("leader", user.pk)
        self.findings: list[str] = []

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            self.add_error("end_date", _("结束日期不能早于开始日期。"))
        if self.is_bound and hasattr(self.data, "getlist"):
            texts = [t.strip() for t in self.data.getlist("findings") if t.strip()]
            if any(len(t) > 2000 for t in texts):
                self.add_error(None, _("每条发现的问题不超过 2000 字。"))
            if len(texts) > services.MAX_FINDINGS:
                self.add_error(None, _("一次最多登记 %s 条问题。") % services.MAX_FINDINGS)
            self.findings = texts
        return data


class FindingForm(Form):
    text = forms.CharField(
        label=_("补充发现的问题"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ToItemForm(Form):
    """转为问题清单: the lead unit (the visited unit by default), the deadline (in
    XIAONENG_FINDING_DEADLINE_DAYS days by default), the responsible person (optional)."""

    title = forms.CharField(label=_("标题"), max_length=200)
    lead_unit = forms.ModelChoiceField(
        label=_("牵头单位"),
        queryset=Unit.objects.none(),
        widget=UnitPicker(params={"action": "assign"}),
    )
    deadline = forms.DateField(label=_("办理时限"), widget=DateInput())
    responsible = forms.CharField(
        label=_("责任人"),
        required=False,
        max_length=150,
        help_text=_("从牵头单位的人员中选择；可留空"),
        widget=PersonPicker(unit_field="lead_unit"),
    )

    def __init__(self, *args, user, finding, **kwargs):
        kwargs.setdefault("auto_id", f"f{finding.pk}_%s")  # one form per finding on a page
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = Unit.objects.restrict(user, "assign").order_by(
            "sort_key"
        )
        self.fields["responsible"].widget.people = User.objects.restrict(user, "view")
        if not self.is_bound:
            lead = services.default_lead_unit(finding)
            self.initial.update(
                title=finding.title,
                lead_unit=lead.pk if lead else None,
                deadline=services.default_deadline(),
            )

    def clean(self):
        data = super().clean()
        unit, name = data.get("lead_unit"), data.get("responsible")
        data["responsible"] = None
        if unit is not None and name:
            try:
                data["responsible"] = member_named(unit, name)
            except ValidationError as exc:
                self.add_error("responsible", exc)
        return data
