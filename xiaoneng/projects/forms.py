"""Forms of the project module. The edit forms' fields of ledger columns come from the
ledgers' declarations (`ledgers.PROJECTS`, `ledgers.REPORTS`): the same labels, and what is
typed read by the same parsers as the import's cells."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.forms import Form
from xiaoneng.core.versioning import VersionedFormMixin, version_of
from xiaoneng.projects.ledgers import PROJECTS, REPORTS, date_field
from xiaoneng.projects.models import Industry, Status
from xiaoneng.projects.parsing import add_months
from xiaoneng.units.models import Level, Unit

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


def _last_month():
    today = timezone.localdate()
    previous = add_months(today.replace(day=1), -1)
    return previous


class MonthlyReportForm(
    VersionedFormMixin,
    REPORTS.form_class([c.key for c in REPORTS if c.key != "code"], base=Form),
):
    """One month of one project: the report ledger's columns but the code (the project is
    the page's); the rules are services.check_report's, as for the import."""

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


class ProjectForm(VersionedFormMixin, PROJECTS.form_class(PROJECTS.updatable(), base=Form)):
    """One project's ledger fields (the columns a re-import may change) and its status; the
    rules are checked by services.update_project, the import's."""

    status = forms.ChoiceField(
        label=_("状态"), choices=Status.choices,
        help_text=_("未开工、已开工、已入库应与开工和入库情况一致"),
    )  # fmt: skip

    def __init__(self, data=None, *, project, actor, with_completed: bool, **kwargs):
        from xiaoneng.projects.services import EDITABLE_FIELDS

        initial = {f: getattr(project, f) for f in EDITABLE_FIELDS}
        super().__init__(data, initial=initial, version=version_of(project), **kwargs)
        # The county: one the actor may put projects in; the prefecture: named by a county
        # admin too (the unit above them). services.update_project checks the pair.
        places = Unit.objects.restrict(actor, "place_projects").order_by("code")
        names = Unit.objects.restrict(actor, "view_ancestors").order_by("code")
        self.fields["prefecture"].queryset = names.filter(level=Level.PREFECTURE)
        self.fields["county"].queryset = places.filter(level=Level.COUNTY)
        self.fields["industry"].queryset = Industry.objects.restrict(actor, "view")
        if not with_completed:
            del self.fields["completed_ytd"]

    def clean_annual_plan(self):
        return self.cleaned_data["annual_plan"] or Decimal("0.00")

    def clean_completed_ytd(self):
        return self.cleaned_data["completed_ytd"] or Decimal("0.00")


class BatchForm(VersionedFormMixin, Form):
    name = forms.CharField(label=_("名称"), max_length=100, required=False,
                           help_text=_("如 2022年第二季度集中开工；不填时按批次编号命名"))  # fmt: skip
    ceremony_date = date_field(
        label=_("集中开工日期"), help_text=_("如 2022-06-08、2022/6/8、2022年6月8日")
    )
