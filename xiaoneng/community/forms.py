"""The forms of 社区共治's pages. They check what was typed (length, numbers, dates); the
services decide what is allowed (the policy) and in which state, with their own messages."""

from urllib.parse import urlencode

from django import forms
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xiaoneng.community import conf, services
from xiaoneng.community.models import (
    COMMENT_MAX,
    REASON_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Category,
    DecisionKind,
    Group,
    GroupKind,
    Matter,
    MatterStatus,
    RatingValue,
)
from xiaoneng.core.filters import IdField
from xiaoneng.core.forms import Form
from xiaoneng.core.widgets import Picker
from xiaoneng.supervision.forms import MultipleFileField, MultipleFileInput
from xiaoneng.supervision.ledgers import DateInput


class PhotoField(MultipleFileField):
    """Photos (PNG or JPEG, checked by their content in the service); the browser refuses one
    over the limit before sending it, and offers the camera on a phone."""

    def __init__(self, **kwargs):
        mb = conf.photo_max_bytes() // (1024 * 1024)
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={
                    "accept": "image/png,image/jpeg",
                    "data-max-mb": mb,
                    "data-too-big": _("照片“{name}”超过 {max} MB，请压缩后再上传。"),
                }
            ),
        )
        kwargs.setdefault("label", _("照片（可不传）"))
        super().__init__(**kwargs)


def candidate_label(person, phone: str = "") -> str:
    """赵秀英（永兴路社区 · 138****1001）: the name, the unit, the phone as the viewer may see
    it — two residents of one name told apart."""
    where = " · ".join(part for part in (person.unit.name if person.unit else "", phone) if part)
    name = person.name or person.username
    return f"{name}（{where}）" if where else name


class CandidatePicker(Picker):
    """A lead or a group's contact, chosen by typing among `services.lead_candidates` (a
    community may have thousands of residents: far too many for a drop-down). Posts the
    person's id, as the <select> did; the field's queryset still validates it. The search is
    `community:people` (the community's staff only)."""

    placeholder = _("输入姓名或手机号搜索")

    def __init__(self, community, **kwargs):
        super().__init__(params={"community": community.pk}, **kwargs)

    def source(self) -> str:
        return f"{reverse('community:people')}?{urlencode(self.params)}"

    def chosen(self, values):
        rows = self.chosen_rows(values)
        people = [] if rows is None else rows.select_related("unit")
        return [{"value": str(p.pk), "label": candidate_label(p)} for p in people]


def _candidates(field: forms.ModelChoiceField, community) -> None:
    """The field chooses among the community's lead candidates, by the picker."""
    field.widget = CandidatePicker(community)
    field.queryset = services.lead_candidates(community)  # after the widget: it gets the choices


def _text(label, limit: int, *, rows: int = 3, required: bool = True, **kwargs):
    return forms.CharField(
        label=label,
        max_length=limit,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


class MatterForm(Form):
    """提出议题: the category as big buttons, a title, what and where; the community is the
    resident's own (not asked)."""

    category = forms.ChoiceField(
        label=_("是什么方面的事"), choices=Category.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(
        label=_("一句话说说是什么事"),
        max_length=TITLE_MAX,
        widget=forms.TextInput(attrs={"placeholder": _("例如：3 栋门口路灯不亮")}),
    )
    description = _text(_("具体情况（可不填）"), TEXT_MAX, rows=2, required=False)
    place = forms.CharField(
        label=_("在哪里（可不填）"),
        max_length=services.PLACE_MAX,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("例如：3 栋 2 单元门口")}),
    )
    photos = PhotoField()


class CommentForm(Form):
    text = _text(_("说说您的看法"), COMMENT_MAX, rows=2)


class ReplyForm(CommentForm):
    """A reply: its prefix (r<comment id>) names the comment replied to."""

    text = _text(_("回复"), COMMENT_MAX, rows=2)


class ReasonForm(Form):
    """A report (举报理由) or a hiding (隐藏原因): one reason."""

    reason = forms.CharField(label=_("理由"), max_length=REASON_MAX)

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label


class ReportForm(ReasonForm):
    comment = IdField(required=False, widget=forms.HiddenInput)
    progress = IdField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("举报理由"))
        super().__init__(*args, **kwargs)


class KeepForm(Form):
    outcome = forms.CharField(label=_("保留的理由"), max_length=REASON_MAX - 10)


class LeadForm(Form):
    """确定牵头: a named group of the community, or a person; the steps one per line; the
    working days (the default prefilled)."""

    lead_group = forms.ModelChoiceField(
        label=_("牵头力量"), queryset=Group.objects.none(), required=False
    )
    lead_user = forms.ModelChoiceField(
        label=_("或牵头人"), queryset=services.User.objects.none(), required=False
    )
    steps = _text(
        _("办理步骤（每行一步，可不填）"),
        services.MAX_STEPS * (services.STEP_MAX + 1),
        rows=3,
        required=False,
    )
    deadline_workdays = forms.IntegerField(
        label=_("办理时限（工作日）"), min_value=1, max_value=250
    )

    def __init__(self, *args, matter: Matter, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "deadline_workdays": matter.deadline_workdays or conf.deadline_workdays(),
                "lead_group": matter.lead_group_id,
                "lead_user": matter.lead_user_id,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["lead_group"].queryset = Group.objects.filter(community=matter.community_id)
        _candidates(self.fields["lead_user"], matter.community)
        if matter.status == MatterStatus.HANDLING:
            self.fields["deadline_workdays"].required = False
            self.fields["deadline_workdays"].help_text = _(
                "已定期限：%s；留空则不变，填写则从今天重新计算"
            ) % (matter.deadline or "—")
            self.initial["deadline_workdays"] = None

    def clean(self):
        data = super().clean()
        if data.get("lead_group") and data.get("lead_user"):
            self.add_error("lead_user", _("牵头力量和牵头人只能选一个。"))
        elif not data.get("lead_group") and not data.get("lead_user"):
            self.add_error("lead_group", _("请选择牵头力量或牵头人。"))
        return data


class ProgressForm(Form):
    text = _text(_("进展情况"), TEXT_MAX)
    photos = PhotoField()
    steps_done = forms.ModelMultipleChoiceField(
        label=_("已完成的步骤"),
        queryset=Matter.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, matter: Matter, **kwargs):
        super().__init__(*args, **kwargs)
        steps = matter.steps.filter(done_on__isnull=True)
        self.fields["steps_done"].queryset = steps
        if not steps.exists():
            del self.fields["steps_done"]


class CloseForm(Form):
    result = _text(_("办理结果"), TEXT_MAX)


class RateForm(Form):
    rating = forms.ChoiceField(label=_("评价"), choices=RatingValue.choices)
    comment = forms.CharField(label=_("意见（可不填）"), max_length=REASON_MAX, required=False)


class DeliberationForm(Form):
    """议事会: date, place, how many attended (the votes may not exceed it), who, and the
    agenda (the matters on the deliberation list ticked already)."""

    date = forms.DateField(label=_("日期"), widget=DateInput())
    place = forms.CharField(label=_("地点"), max_length=services.PLACE_MAX)
    attendee_count = forms.IntegerField(
        label=_("参会人数"), min_value=1, max_value=services.MAX_ATTENDEES
    )
    attendees = _text(_("参会人员（可不填）"), services.ATTENDEES_MAX, rows=2, required=False)
    matters = forms.ModelMultipleChoiceField(
        label=_("议程（要讨论的议题）"),
        queryset=Matter.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("已列入议事的议题已勾选；征集附议中的议题也可加入议程。"),
    )

    def __init__(self, *args, community, exclude=(), **kwargs):
        super().__init__(*args, **kwargs)
        agenda = (
            Matter.objects.filter(
                community=community,
                status__in=(MatterStatus.RAISED, MatterStatus.LISTED),
                hidden_at__isnull=True,
            )
            .exclude(pk__in=list(exclude))
            .order_by("-status", "-seconds_count", "-created_at")
        )
        self.fields["matters"].queryset = agenda
        self.fields["matters"].label_from_instance = lambda m: (
            gettext("%(title)s（%(status)s，附议 %(n)s）")
            % {"title": m.title, "status": m.get_status_display(), "n": m.seconds_count}
        )
        if not self.is_bound and "matters" not in self.initial:
            self.initial["matters"] = [m.pk for m in agenda if m.status == MatterStatus.LISTED]


class DeliberationEditForm(DeliberationForm):
    minutes = _text(_("会议纪要"), TEXT_MAX, rows=6, required=False)

    field_order = ["date", "place", "attendee_count", "attendees", "minutes", "matters"]

    def __init__(self, *args, deliberation, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "date": deliberation.date,
                "place": deliberation.place,
                "attendee_count": deliberation.attendee_count,
                "attendees": deliberation.attendees,
                "minutes": deliberation.minutes,
                "matters": [],
            },
        )
        on = deliberation.decisions.values_list("matter_id", flat=True)
        super().__init__(*args, community=deliberation.community, exclude=on, **kwargs)
        self.fields["matters"].label = _("加入议程")
        self.fields["matters"].help_text = ""


class DecisionForm(Form):
    decision = forms.ChoiceField(
        label=_("决定"), choices=DecisionKind.choices, widget=forms.RadioSelect
    )
    votes_for = forms.IntegerField(label=_("赞成"), min_value=0, max_value=services.MAX_ATTENDEES)
    votes_against = forms.IntegerField(
        label=_("反对"), min_value=0, max_value=services.MAX_ATTENDEES, initial=0
    )
    votes_abstain = forms.IntegerField(
        label=_("弃权"), min_value=0, max_value=services.MAX_ATTENDEES, initial=0
    )
    reason = forms.CharField(
        label=_("理由（不予采纳时必填）"), max_length=REASON_MAX, required=False
    )
    merge_into = forms.ModelChoiceField(
        label=_("合并到（选择合并时填）"), queryset=Matter.objects.none(), required=False
    )
    matter = IdField(widget=forms.HiddenInput)

    def __init__(self, *args, matter: Matter, **kwargs):
        kwargs.setdefault("prefix", f"m{matter.pk}")
        kwargs.setdefault("initial", {"matter": matter.pk})
        super().__init__(*args, **kwargs)
        self.fields["merge_into"].queryset = (
            Matter.objects.filter(community=matter.community_id, hidden_at__isnull=True)
            .exclude(pk=matter.pk)
            .exclude(status__in=services.NOT_MERGE_TARGET)
            .order_by("-created_at")
        )


class GroupForm(Form):
    kind = forms.ChoiceField(label=_("类别"), choices=GroupKind.choices)
    name = forms.CharField(label=_("名称"), max_length=services.GROUP_NAME_MAX)
    contact = forms.ModelChoiceField(
        label=_("联系人（可不选）"),
        queryset=services.User.objects.none(),
        required=False,
        help_text=_("联系人可以为该力量牵头的议题发布办理进展"),
    )

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        _candidates(self.fields["contact"], community)
