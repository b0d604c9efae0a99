import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.forms import Form
from xiaoneng.core.versioning import VersionedFormMixin, version_of
from xiaoneng.projects.models import Batch, Industry, Status
from xiaoneng.projects.parsing import BadValue, add_months, parse_date, parse_money
from xiaoneng.units.models import Level, Unit

WARNING_CHOICES = [
    ("", _("全部")),
    ("warned", _("黄灯或红灯")),
    ("red", _("红灯")),
    ("yellow", _("黄灯")),
    ("missing", _("月报缺报")),
]
RANK_CHOICES = [
    ("projects", _("项目数")),
    ("total_investment", _("总投资")),
    ("annual_plan", _("年度计划投资")),
    ("start_rate", _("开工率")),
    ("in_stats_rate", _("入库率")),
    ("in_stats_rate_of_started", _("入库占开工比")),
    ("completed_ytd", _("累计完成投资")),
    ("completion_rate", _("投资完成率")),
]


class ScopeForm(Form):
    """The filters of the dashboard and the project list (GET)."""

    batch = forms.ModelMultipleChoiceField(
        label=_("批次"), queryset=Batch.objects.all(), to_field_name="code", required=False,
        widget=forms.SelectMultiple(attrs={"size": 2}),
    )  # fmt: skip
    prefecture = forms.ModelChoiceField(
        label=_("州市"), queryset=Unit.objects.none(), required=False
    )
    county = forms.ModelChoiceField(label=_("县市区"), queryset=Unit.objects.none(), required=False)
    industry = forms.ModelChoiceField(
        label=_("行业"), queryset=Industry.objects.all(), required=False
    )

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        visible = Unit.objects.visible_to(user).filter(path__startswith=user.unit.path)
        self.fields["prefecture"].queryset = visible.filter(level=Level.PREFECTURE).order_by("code")
        self.fields["county"].queryset = visible.filter(level=Level.COUNTY).order_by("code")


class ListFilterForm(ScopeForm):
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部")), *Status.choices], required=False
    )
    warning = forms.ChoiceField(label=_("预警"), choices=WARNING_CHOICES, required=False)
    q = forms.CharField(label=_("编号或名称"), required=False)


def _last_month():
    today = timezone.localdate()
    previous = add_months(today.replace(day=1), -1)
    return previous


class MonthlyReportForm(VersionedFormMixin, Form):
    year = forms.IntegerField(label=_("年"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("月"), min_value=1, max_value=12)
    completed_this_month = forms.DecimalField(
        label=_("本月完成投资（万元）"), min_value=0, max_digits=16, decimal_places=2, required=False,
        help_text=_("只填本月完成即可，本年累计自动计算；也可只填本年累计。"),
    )  # fmt: skip
    completed_ytd = forms.DecimalField(
        label=_("本年累计完成投资（万元）"),
        min_value=0,
        max_digits=16,
        decimal_places=2,
        required=False,
    )
    progress = forms.CharField(
        label=_("形象进度"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    difficulties = forms.CharField(
        label=_("困难问题"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            month = _last_month()
            self.initial.setdefault("year", month.year)
            self.initial.setdefault("month", month.month)


class UploadForm(Form):
    file = forms.FileField(label=_("台账文件（.xlsx）"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 文件"))
        return upload


class ProjectUploadForm(UploadForm):
    batch = forms.CharField(
        label=_("开工批次"), max_length=20, help_text=_("如 2022Q2；新批次由效能办在此直接建立"),
        widget=forms.TextInput(attrs={"list": "batch-codes", "autocomplete": "off"}),
    )  # fmt: skip
    ceremony_date = forms.DateField(
        label=_("集中开工日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("新批次填写；对已有批次填写则修改其日期（仅省效能办）"),
    )
    move = forms.BooleanField(
        label=_("移入本批次"),
        required=False,
        help_text=_("台账中已属于其他批次的项目改属本批次；不勾选时这些行报错"),
    )

    field_order = ["batch", "ceremony_date", "file", "move"]


class IndustryForm(VersionedFormMixin, Form):
    name = forms.CharField(label=_("名称"), max_length=40)
    aliases = forms.CharField(label=_("别名（用“、”分隔）"), max_length=200, required=False)
    sort = forms.IntegerField(label=_("排序"), initial=0)


class LedgerDateField(forms.CharField):
    """A date written as in the ledger (2022-03, 2022-03-15, 2022/3/15, 2022年3月):
    the import's own parser, so that the form and the import accept the same texts."""

    def __init__(self, *, month_only: bool = False, **kwargs):
        self.month_only = month_only
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, dt.date):
            return f"{value:%Y-%m}" if self.month_only else value.isoformat()
        return value

    def clean(self, value):
        text = super().clean(value)
        try:
            return parse_date(text or None, month_only=self.month_only)
        except BadValue as exc:
            raise forms.ValidationError(str(exc)) from None


class LedgerMoneyField(forms.CharField):
    """万元 as in the ledger: two decimals at most, commas allowed, never negative."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        try:
            return parse_money(text or None)
        except BadValue as exc:
            raise forms.ValidationError(str(exc)) from None


class ProjectForm(VersionedFormMixin, Form):
    """One project's ledger fields; the rules are checked by services.update_project."""

    name = forms.CharField(label=_("项目名称"), max_length=200)
    prefecture = forms.ModelChoiceField(label=_("州市"), queryset=Unit.objects.none())
    county = forms.ModelChoiceField(
        label=_("县市区"), queryset=Unit.objects.none(), required=False,
        help_text=_("州市本级项目可不填"),
    )  # fmt: skip
    industry = forms.ModelChoiceField(label=_("行业类别"), queryset=Industry.objects.all())
    total_investment = LedgerMoneyField(label=_("总投资（万元）"))
    annual_plan = LedgerMoneyField(label=_("年度计划投资（万元）"), required=False)
    completed_ytd = LedgerMoneyField(
        label=_("累计完成投资（万元）"), required=False,
        help_text=_("尚无月度调度时可填；有月报后以月报为准"),
    )  # fmt: skip
    planned_start = LedgerDateField(
        label=_("计划开工时间"), month_only=True, help_text=_("如 2022-03、2022年3月")
    )
    actual_start = LedgerDateField(label=_("实际开工时间"), help_text=_("如 2022-03-15"))
    in_stats = forms.BooleanField(label=_("已入库"), required=False)
    in_stats_on = LedgerDateField(label=_("入库时间"), help_text=_("如 2022-04"))
    owner = forms.CharField(label=_("项目业主"), max_length=200, required=False)
    leader_in_charge = forms.CharField(label=_("包保领导"), max_length=100, required=False)
    private_investment = forms.BooleanField(label=_("民间投资"), required=False)
    top_priority = forms.BooleanField(label=_("重中之重"), required=False)
    status = forms.ChoiceField(
        label=_("状态"), choices=Status.choices,
        help_text=_("未开工、已开工、已入库应与开工和入库情况一致"),
    )  # fmt: skip

    def __init__(self, data=None, *, project, with_completed: bool, **kwargs):
        from xiaoneng.projects.services import EDITABLE_FIELDS

        initial = {f: getattr(project, f) for f in EDITABLE_FIELDS}
        super().__init__(data, initial=initial, version=version_of(project), **kwargs)
        units = Unit.objects.order_by("code")
        self.fields["prefecture"].queryset = units.filter(level=Level.PREFECTURE)
        self.fields["county"].queryset = units.filter(level=Level.COUNTY)
        if not with_completed:
            del self.fields["completed_ytd"]

    def clean_annual_plan(self):
        return self.cleaned_data["annual_plan"] or Decimal("0.00")

    def clean_completed_ytd(self):
        return self.cleaned_data["completed_ytd"] or Decimal("0.00")


class BatchForm(VersionedFormMixin, Form):
    name = forms.CharField(label=_("名称"), max_length=100, required=False,
                           help_text=_("如 2022年第2季度集中开工"))  # fmt: skip
    ceremony_date = LedgerDateField(
        label=_("集中开工日期"), help_text=_("如 2022-06-08、2022/6/8、2022年6月8日")
    )
