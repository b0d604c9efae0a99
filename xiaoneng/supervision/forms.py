import copy

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xiaoneng.accounts.models import User
from xiaoneng.core.forms import Form, ModelForm
from xiaoneng.core.versioning import VersionedFormMixin, version_of
from xiaoneng.core.widgets import PersonPicker, UnitMultiPicker, UnitPicker
from xiaoneng.supervision import conf, services
from xiaoneng.supervision.ledgers import ITEMS, DateInput
from xiaoneng.supervision.models import (
    ActionTaken,
    Behaviour,
    Item,
    ItemKind,
    Source,
    Urgency,
    Violation,
)
from xiaoneng.supervision.negative import people_for, person_in_unit
from xiaoneng.units.models import Unit


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Attachments: several files; the browser refuses one over the upload limit before
    sending it (app.js, data-max-mb) — on a slow line, not after minutes of upload."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={
                    "data-max-mb": settings.UPLOAD_MAX_MB,
                    "data-too-big": _("文件“{name}”超过 {max} MB，不能上传。"),
                }
            ),
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class AssignForm(Form):
    kind = forms.ChoiceField(label=_("类型"), choices=ItemKind.choices)
    title = forms.CharField(label=_("标题"), max_length=200)
    description = forms.CharField(
        label=_("内容"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    source = forms.ChoiceField(label=_("来源"), choices=Source.choices, initial="superior")
    # Pickers (core.widgets): searched among the units the user may assign to; they post
    # the ids a <select> posted.
    lead_unit = forms.ModelChoiceField(
        label=_("牵头单位"),
        queryset=Unit.objects.none(),
        widget=UnitPicker(params={"action": "assign"}),
    )
    co_units = forms.ModelMultipleChoiceField(
        label=_("配合单位"),
        queryset=Unit.objects.none(),
        required=False,
        widget=UnitMultiPicker(params={"action": "assign"}),
    )
    # Chosen among the lead unit's members, posted as the user name (services.member_named).
    responsible = forms.CharField(
        label=_("责任人"),
        required=False,
        max_length=150,
        help_text=_("从牵头单位的人员中选择；可留空"),
        widget=PersonPicker(unit_field="lead_unit"),
    )
    assigned_on = forms.DateField(label=_("交办日期"), required=False, widget=DateInput())
    deadline_mode = forms.ChoiceField(
        label=_("时限方式"),
        choices=[("workdays", _("工作日")), ("days", _("自然日")), ("date", _("指定日期"))],
        initial="workdays",
    )
    deadline_count = forms.IntegerField(
        label=_("天数"), min_value=1, max_value=3650, required=False
    )
    deadline = forms.DateField(label=_("指定日期"), required=False, widget=DateInput())
    plan_deadline = forms.DateField(
        label=_("方案报送期限"),
        required=False,
        widget=DateInput(),
        help_text=_("留空则为交办后 %(days)s 天"),
    )
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices, initial="normal")
    tags = forms.CharField(label=_("标签"), required=False, max_length=200)
    rectification = forms.CharField(
        label=_("整改措施（问题类）"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    standard = forms.CharField(
        label=_("完成标准及考核方式（责任事项）"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    ref = forms.CharField(
        label=_("关联对象"), required=False, max_length=100, widget=forms.HiddenInput
    )
    parent = forms.ModelChoiceField(
        label=_("上级事项"), queryset=Item.objects.none(), required=False, widget=forms.HiddenInput
    )
    files = MultipleFileField(label=_("附件"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.restrict(user, "assign").order_by("sort_key")
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units
        self.fields["responsible"].widget.people = User.objects.restrict(user, "view")
        self.fields["parent"].queryset = Item.objects.restrict(user, "assign_child")
        self.fields["plan_deadline"].help_text %= {"days": conf.plan_days()}

    def clean(self):
        data = super().clean()
        mode = data.get("deadline_mode")
        if mode in ("workdays", "days") and not data.get("deadline_count"):
            self.add_error("deadline_count", _("请填写天数。"))
        if mode == "date" and not data.get("deadline"):
            self.add_error("deadline", _("请选择日期。"))
        if data.get("lead_unit") is not None:
            try:
                data["responsible"] = services.member_named(
                    data["lead_unit"], data.get("responsible", "")
                )
            except ValidationError as exc:
                self.add_error("responsible", exc)
        else:
            data["responsible"] = None
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        kwargs = {
            k: d[k]
            for k in (
                "kind",
                "title",
                "description",
                "source",
                "lead_unit",
                "urgency",
                "tags",
                "rectification",
                "standard",
                "ref",
                "responsible",
                "plan_deadline",
                "parent",
            )
        }
        kwargs["co_units"] = list(d["co_units"])
        kwargs["assigned_on"] = d.get("assigned_on")
        kwargs["files"] = d.get("files") or []
        if d["deadline_mode"] == "workdays":
            kwargs["deadline_workdays"] = d["deadline_count"]
        elif d["deadline_mode"] == "days":
            kwargs["deadline_days"] = d["deadline_count"]
        else:
            kwargs["deadline"] = d["deadline"]
        return kwargs


class ItemForm(VersionedFormMixin, ITEMS.form_class(services.EDITABLE, base=ModelForm)):
    """修改事项: the ledger's columns a re-import may change (`ledgers.ITEMS`), with their
    labels, and what is typed read by the same parsers as the import's cells; the rules are
    services.update_item's, as for the import. Units: those the user may assign to, and the
    item's own (kept even if outside their reach); the responsible person: a member of the
    lead unit, named as on the assign form."""

    class Meta:
        model = Item
        fields = [key for key in services.EDITABLE if key != "deadline_workdays"]
        widgets = {  # the pickers of the assign form (core.widgets)
            "lead_unit": UnitPicker(params={"action": "assign"}),
            "co_units": UnitMultiPicker(params={"action": "assign"}),
        }

    field_order = services.EDITABLE  # the ledger's order (the model's fields come first)

    def __init__(self, data=None, *, item: Item, actor, **kwargs):
        self.item = item
        person = item.responsible
        initial = {
            "responsible": person.username if person is not None else "",
            "deadline_workdays": item.deadline_count if item.deadline_basis == "workdays" else None,
        }
        # The form writes what is typed into its instance: a copy, the page shows the item.
        super().__init__(data, instance=copy.copy(item), initial=initial, **kwargs)
        own = [item.lead_unit_id, *(u.pk for u in item.co_units.all())]
        reach = Unit.objects.restrict(actor, "assign").values("pk")
        units = Unit.objects.filter(Q(pk__in=reach) | Q(pk__in=own)).order_by("sort_key")
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units
        self.fields["responsible"].widget = PersonPicker(unit_field="lead_unit")
        self.fields["responsible"].widget.people = User.objects.restrict(actor, "view")
        if person is not None:
            self.fields["responsible"].help_text = _(
                "现为 %(name)s（%(username)s）。牵头单位的人员：用户名，或单位内唯一的姓名；可留空"
            ) % {"name": person.name or person.username, "username": person.username}

    def clean_responsible(self):
        """The person the text names among the lead unit's members (the lead unit as
        chosen above); the current one as long as the text names them."""
        typed = (self.cleaned_data.get("responsible") or "").strip()
        current = self.item.responsible
        if current is not None and typed in (current.username, current.name):
            return current  # changes(): kept, or left behind by a new lead unit
        lead = self.cleaned_data.get("lead_unit")
        return services.member_named(lead, typed) if lead is not None else None

    def clean(self):
        data = super().clean()
        fields = ("deadline", "deadline_workdays")
        if not any(data.get(f) for f in fields) and not any(f in self.errors for f in fields):
            self.add_error("deadline", _("请填写办理时限（日期），或时限（工作日）。"))
        return data

    def changes(self) -> dict:
        """services.update_item's arguments: every field (what is unchanged changes
        nothing); an empty date or number of days keeps the item's."""
        data = self.cleaned_data
        values = {key: data[key] for key in services.EDITABLE if key in data}
        values["co_units"] = list(data["co_units"])
        if values.get("responsible") is not None and values["responsible"] == self.item.responsible:
            # As a ledger row still naming them: kept, unless the item moves to a lead unit
            # they do not belong to (update_item clears them then).
            del values["responsible"]
        for key in ("assigned_on", "deadline", "deadline_workdays"):
            if values.get(key) is None:
                values.pop(key, None)
        return values


class ActionForm(VersionedFormMixin, Form):
    comment = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    percent = forms.IntegerField(label=_("进度(%)"), min_value=0, max_value=100, required=False)
    plan = forms.CharField(
        label=_("实施方案"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    rectification = forms.CharField(
        label=_("整改措施"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    evidence = forms.CharField(
        label=_("办结材料说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    override_reason = forms.CharField(label=_("强制办结理由"), required=False, max_length=500)
    lower_reason = forms.CharField(
        label=_("进度下调原因"),
        required=False,
        max_length=500,
        help_text=_("填报的进度低于当前进度（%(progress)s%%）时必填"),
    )
    files = MultipleFileField(label=_("附件"))

    FIELDS = {
        "acknowledge": ["comment"],
        "submit_plan": ["plan"],
        "report_progress": ["percent", "lower_reason", "comment", "files"],
        "request_closure": ["rectification", "evidence", "comment", "files"],
        "approve": ["comment", "override_reason"],
        "send_back": ["comment"],
        "reopen": ["comment"],
    }

    def __init__(self, *args, action: str, item=None, may_force: bool = False, **kwargs):
        """`may_force`: the user may force a closure (the policy's "force_close"): only then,
        and only with children still open, does the approval ask for a reason to."""
        version = version_of(item) if item is not None else None
        super().__init__(*args, version=version, **kwargs)
        self.action = action
        keep = [*self.FIELDS.get(action, ["comment"]), "version"]
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if action in ("send_back", "reopen"):
            self.fields["comment"].label = _("理由")
            self.fields["comment"].required = True
        if action == "report_progress":
            self.fields["percent"].required = True
            self.fields["comment"].label = _("进展情况")
            if item is not None and item.progress:
                field = self.fields["lower_reason"] = copy.copy(self.fields["lower_reason"])
                field.help_text = field.help_text % {"progress": item.progress}
            else:  # nothing to lower from
                del self.fields["lower_reason"]
        if "override_reason" in self.fields and not (
            may_force and item is not None and item.open_children
        ):
            del self.fields["override_reason"]
        if "rectification" in self.fields and item is not None:
            if item.kind != "problem":
                del self.fields["rectification"]
            else:
                self.fields["rectification"].initial = item.rectification
        self.auto_id = f"id_{action}_%s"


class UrgeForm(Form):
    comment = forms.CharField(
        label=_("催办意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("随催办通知发给牵头单位承办人，如：请于本周五前报送整改进展"),
    )
    confirm_escalation = forms.BooleanField(
        label=_("确认提级督办"),
        required=False,
        help_text=_("本次催办后将提级至牵头单位领导督办，并通知其领导。"),
    )

    def __init__(self, *args, escalates: bool = False, **kwargs):
        """`escalates`: this urge would escalate the item (services.urge_escalates): only
        then is the confirmation asked (and the service refuses it unconfirmed)."""
        super().__init__(*args, **kwargs)
        if not escalates:
            del self.fields["confirm_escalation"]
        self.auto_id = "id_urge_%s"


class DecomposeForm(Form):
    units = forms.ModelMultipleChoiceField(
        label=_("下级单位"), queryset=Unit.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    title = forms.CharField(label=_("标题（留空沿用）"), required=False, max_length=200)
    deadline = forms.DateField(label=_("时限（留空沿用）"), required=False, widget=DateInput())

    def __init__(self, *args, item, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The lead unit's own sub-units: whoever may decompose the item sees them (its
        # handlers or reviewers, whose subtree holds the lead unit's).
        taken = item.children.values_list("lead_unit_id", flat=True)
        self.fields["units"].queryset = (
            Unit.objects.restrict(user, "view")
            .filter(parent=item.lead_unit)
            .exclude(pk__in=taken)
            .order_by("sort_key")
        )


class ImportForm(Form):
    file = forms.FileField(label=_("台账文件（.xlsx）"))


class ScheduleForm(Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    text = forms.CharField(
        label=_("国务院办公厅通知中的日期"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "每行一项：日期或日期范围、休/班、说明。例：2027-02-06~2027-02-12 休 春节；2027-02-14 班 春节调休"
        ),
    )


class BehaviourForm(ModelForm):
    class Meta:
        model = Behaviour
        fields = ["name", "description", "sort"]


def lookup_field(model, to_field_name, label, help_text, not_found):
    """A text box that finds one row by a unique value. The form narrows the queryset to the
    user's scope, so a row outside it gets the same answer as one that does not exist and
    cannot be probed (a drop-down would list thousands of rows for a province)."""
    return forms.ModelChoiceField(
        label=label,
        queryset=model.objects.none(),
        to_field_name=to_field_name,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=help_text,
        error_messages={"invalid_choice": not_found},
    )


class ViolationForm(ModelForm):
    person = lookup_field(
        User,
        "username",
        _("当事人账号"),
        _("当事人有平台账号时填写其用户名；没有账号的只填姓名。"),
        _("找不到该账号，或该账号不在您的管辖范围内。"),
    )
    # The item the violation was found on, by its code (编号).
    item = lookup_field(
        Item,
        "code",
        _("关联事项编号"),
        _("在督办事项上发现的问题，填写事项编号，如 WT-2026-000002。"),
        _("找不到该事项，或该事项不在您的管辖范围内。"),
    )

    class Meta:
        model = Violation
        fields = [
            "behaviour",
            "unit",
            "item",
            "person",
            "person_name",
            "date",
            "facts",
            "action",
            "action_detail",
        ]
        widgets = {
            "date": DateInput(),
            "facts": forms.Textarea(attrs={"rows": 4}),
            "unit": UnitPicker(params={"action": "record_violation"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.restrict(user, "record_violation").order_by(
            "sort_key"
        )
        self.fields["person"].queryset = people_for(user)
        # The item it was found on: any the user may see (naming it reads it).
        self.fields["item"].queryset = Item.objects.restrict(user, "view")
        self.fields["action"].choices = ActionTaken.choices

    def clean(self):
        data = super().clean()
        person, unit = data.get("person"), data.get("unit")
        if person and unit and not person_in_unit(person, unit):
            self.add_error("person", _("该账号不属于所选单位及其下级单位。"))
        return data
