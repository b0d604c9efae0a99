from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.projects.models import Batch, Industry, Status
from xiaoneng.projects.parsing import add_months
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


class ScopeForm(forms.Form):
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


class MonthlyReportForm(forms.Form):
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


class UploadForm(forms.Form):
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
        label=_("集中开工日期（新批次）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    field_order = ["batch", "ceremony_date", "file"]


class IndustryForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=40)
    aliases = forms.CharField(label=_("别名（用“、”分隔）"), max_length=200, required=False)
    sort = forms.IntegerField(label=_("排序"), initial=0)
