"""Pages of 重大项目调度: dashboard with drill-down, project list and detail, monthly
reports, imports, the big screen. Thin: data through `restrict`, writes through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import policy
from xiaoneng.core.audit import history_for
from xiaoneng.core.versioning import StaleEdit, version_of
from xiaoneng.core.xlsx import ImportFailed, xlsx_response
from xiaoneng.projects import alerts as warn
from xiaoneng.projects import charts, conf, kpis, services
from xiaoneng.projects.alerts import LEVEL_TEXT
from xiaoneng.projects.filters import ProjectFilterSet, ScopeFilterSet
from xiaoneng.projects.forms import (
    RANK_CHOICES,
    BatchForm,
    IndustryForm,
    MonthlyReportForm,
    ProjectForm,
    ProjectUploadForm,
    UploadForm,
)
from xiaoneng.projects.ledgers import PROJECTS, REPORTS
from xiaoneng.projects.links import can_raise_problem, problem_item_url
from xiaoneng.projects.models import Batch, ImportJob, Industry, Project
from xiaoneng.projects.tasks import fail_stalled_jobs
from xiaoneng.units.models import Level


def _staff(request) -> None:
    if not request.user.is_staff_member:
        raise PermissionDenied


def filtered(request, filterset_class=ScopeFilterSet):
    """The request's filters over the projects the user may see: the page, its export and
    the API (which builds the same FilterSet from the same query string) give the same
    rows. The valid filters apply; an invalid one (a unit outside the user's scope, a typo
    in the address) is named on the page (core/_filter_errors.html) and left out."""
    return filterset_class(
        request.GET or None, Project.objects.restrict(request.user, "view"), request=request
    )


def _scope(request):
    """The dashboard's filtered projects, its filters and its labels."""
    filterset = filtered(request)
    qs = filterset.qs  # validates the form: cleaned_data then holds the valid fields only
    data = filterset.form.cleaned_data if filterset.is_bound else {}
    prefecture = data.get("prefecture")
    county = data.get("county")
    if county is not None and prefecture is None:
        prefecture = county.parent if county.parent.level == Level.PREFECTURE else None
    batch_label, scope = kpis.scope_labels(
        request.user,
        batches=[b.code for b in data.get("batch") or []],
        prefecture=prefecture,
        county=county,
        industry=data.get("industry"),
    )
    return filterset.form, data, qs, batch_label, scope, prefecture, county


def _dashboard_context(request, *, screen: bool = False) -> dict:
    form, data, qs, batch_label, scope, prefecture, county = _scope(request)
    today = timezone.localdate()
    by_county = prefecture is not None and county is None
    summary = kpis.summary(qs, batch=batch_label, scope=scope, by_county=by_county)
    units = summary["by_county"] if by_county else summary["by_prefecture"]
    rank = request.GET.get("rank") or "projects"
    if rank not in dict(RANK_CHOICES):
        rank = "projects"
    ranked = sorted(units, key=lambda r: (r[rank] is None, -(r[rank] or 0), r["name"]))
    # The year of the headline: the trend ends on the same figure.
    year, trend = kpis.monthly_trend(qs, summary["year"])
    return {
        "form": form,
        "summary": summary,
        "scope_label": scope,
        "batch_label": batch_label,
        "prefecture": prefecture,
        "county": county,
        "by_county": by_county,
        "ranked": ranked,
        "rank": rank,
        "rank_label": dict(RANK_CHOICES)[rank],
        "rank_choices": RANK_CHOICES,
        "trend_year": year,
        "trend": trend,
        "warnings": warn.counts(qs, today),
        "charts": charts.dashboard_charts(
            summary, ranked, rank, dict(RANK_CHOICES)[rank], trend, by_county, screen=screen
        ),
        "query": request.GET.urlencode(),
        "drill_query": _drill_query(data),
    }


def _drill_query(data: dict) -> str:
    """Batches and industry carried into a drill-down link, ending with "&" when not empty."""
    from urllib.parse import urlencode

    params = [("batch", b.code) for b in data.get("batch") or []]
    if data.get("industry"):
        params.append(("industry", data["industry"].pk))
    return urlencode(params) + "&" if params else ""


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _staff(request)
    context = _dashboard_context(request)
    return render(request, "projects/dashboard.html", context)


@login_required
def screen(request: HttpRequest) -> HttpResponse:
    """大屏: 1920×1080, dark, large type; the body refreshes itself by htmx polling."""
    _staff(request)
    context = _dashboard_context(request, screen=True)
    context["now"] = timezone.localtime()
    context["refresh_seconds"] = max(1, conf.get("SCREEN_REFRESH_SECONDS"))
    if request.htmx:
        return render(request, "projects/_screen_body.html", context)
    return render(request, "projects/screen.html", context)


@login_required
def summary_export(request: HttpRequest) -> HttpResponse:
    _staff(request)
    context = _dashboard_context(request)
    content = charts.summary_workbook(context["summary"], context["by_county"])
    return xlsx_response(content, f"重大项目汇总-{timezone.localdate():%Y%m%d}.xlsx")


def _list_queryset(request):
    filterset = filtered(request, ProjectFilterSet)
    qs = warn.annotate(filterset.qs.with_facts(), timezone.localdate())
    qs = qs.select_related("batch", "industry", "prefecture", "county")
    return filterset, qs.order_by("-warning", "batch__code", "code")


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    filterset, qs = _list_queryset(request)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    user = request.user
    return render(
        request,
        "projects/project_list.html",
        {
            "form": filterset.form,
            "page": page,
            "can_import": policy.can(user, "import_projects"),
            "can_import_reports": policy.can_any(user, "report", Project),
        },
    )


@login_required
def project_export(request: HttpRequest) -> HttpResponse:
    _staff(request)
    filterset, qs = _list_queryset(request)
    if filterset.is_bound and not filterset.is_valid():
        # A file cannot say that a filter was left out: back to the list, which names it.
        messages.error(request, _("筛选条件有误，未导出；请修改后再导出。"))
        return redirect(f"{reverse('projects:project_list')}?{request.GET.urlencode()}")
    content = PROJECTS.export(qs.iterator(chunk_size=2000), sheet="重大项目")
    return xlsx_response(content, f"重大项目-{timezone.localdate():%Y%m%d}.xlsx")


def _warning_texts(project) -> list[str]:
    texts = []
    if project.start_level:
        texts.append(_("开工滞后（%s）") % LEVEL_TEXT[project.start_level])
    if project.stats_level:
        texts.append(_("入库滞后（%s）") % LEVEL_TEXT[project.stats_level])
    if project.pace_level:
        texts.append(_("投资完成进度滞后（%s）") % LEVEL_TEXT[project.pace_level])
    if project.report_missing:
        texts.append(_("月度调度缺报"))
    return texts


def _visible_project(request, pk: int, action: str = "view") -> Project:
    """The project `pk` the user may see (404 otherwise); with a write's `action`, 403
    unless they may also take it (a project they see: its existence is no secret)."""
    today = timezone.localdate()
    qs = warn.annotate(Project.objects.restrict(request.user, "view"), today).select_related(
        "batch", "industry", "prefecture", "county"
    )
    project = get_object_or_404(qs, pk=pk)
    policy.require(request.user, action, project)
    return project


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    project = _visible_project(request, pk)
    reports = list(project.reports.select_related("reported_by").order_by("-year", "-month"))
    warnings_text = _warning_texts(project)
    difficulties = reports[0].difficulties if reports else ""
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "reports": reports,
            "warning_texts": warnings_text,
            "problem_url": problem_item_url(
                project, warnings=warnings_text, difficulties=difficulties
            )
            if can_raise_problem(request.user, project)
            else None,
            "can_report": policy.can(request.user, "report", project),
            "can_edit": policy.can(request.user, "change", project),
            "history": history_for(project)[:50],
            "due_day": services.conf.get("REPORT_DUE_DAY"),
        },
    )


def _saved(form, service, *args, **kwargs) -> bool:
    """Call a service with the form's data; its refusals land on the form's fields (an
    edit that someone else's save overtook: at the top, the form now at the new version)."""
    try:
        service(*args, **kwargs, **form.cleaned_data)
    except StaleEdit as exc:
        form.stale(exc)
        return False
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return False
    return True


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """One project's ledger fields, with the import's rules (services.update_project)."""
    _staff(request)
    project = _visible_project(request, pk, "change")
    with_completed = not project.reports.exists()
    form = ProjectForm(
        request.POST or None, project=project, actor=request.user, with_completed=with_completed
    )
    posted = request.method == "POST" and form.is_valid()
    if posted and _saved(form, services.update_project, project, actor=request.user):
        messages.success(request, _("已保存项目信息。"))
        return redirect("projects:project_detail", project.pk)
    return render(request, "projects/project_form.html", {"form": form, "project": project})


@login_required
def report_create(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    project = _visible_project(request, pk, "report")
    form = MonthlyReportForm(request.POST or None, version=services.reports_version(project))
    posted = request.method == "POST" and form.is_valid()
    if posted and _saved(form, services.save_report, project, actor=request.user):
        messages.success(request, _("已保存月度调度。"))
        return redirect("projects:project_detail", project.pk)
    return render(request, "projects/report_form.html", {"form": form, "project": project})


def _error_rows(exc: ImportFailed) -> list[dict]:
    return [
        {
            "row": e.row or "",  # 0: the file as a whole
            "column": e.column,
            "value": "" if e.value is None else e.value,
            "message": e.message,
        }
        for e in exc.errors
    ]


@login_required
def report_import(request: HttpRequest) -> HttpResponse:
    _staff(request)
    if not policy.can_any(request.user, "report", Project):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = services.import_reports(
                upload.read(), actor=request.user, file_label=upload.name
            )
        except ImportFailed as exc:
            context.update(errors=_error_rows(exc), warnings=exc.warnings)
        else:
            messages.success(request, _("已导入 %d 条月度调度。") % count)
            return redirect("projects:project_list")
    return render(request, "projects/report_import.html", context)


@login_required
def report_template(request: HttpRequest) -> HttpResponse:
    _staff(request)
    content = REPORTS.template()
    return xlsx_response(content, "月度调度模板.xlsx")


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    """The headers only (an example row would be imported by whoever forgets to delete
    it); each header carries a note with an example."""
    _staff(request)
    content = PROJECTS.template()
    return xlsx_response(content, "重大项目台账模板.xlsx")


@login_required
def import_start(request: HttpRequest) -> HttpResponse:
    """The upload form. Posted by htmx, it answers with a fragment for #import-result: the
    job's progress, or the form's errors; never a whole page inside the page."""
    _staff(request)
    policy.require(request.user, "import_projects")
    form = ProjectUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = services.start_import(
                actor=request.user,
                upload=data["file"],
                batch=data["batch"].strip(),
                ceremony_date=data["ceremony_date"],
                move=data["move"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            job.refresh_from_db()
            if request.htmx:
                return render(request, "projects/_import_job.html", {"job": job})
            return redirect("projects:import_job", job.pk)
    if request.method == "POST" and request.htmx:
        return render(request, "projects/_import_form_errors.html", {"form": form})
    recent = ImportJob.objects.restrict(request.user, "view")[:5]
    batches = Batch.objects.restrict(request.user, "view").order_by("-code")
    return render(
        request, "projects/import.html", {"form": form, "recent": recent, "batches": batches}
    )


@login_required
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    jobs = ImportJob.objects.restrict(request.user, "view")
    fail_stalled_jobs(actor=request.user, jobs=jobs.filter(pk=pk))
    job = get_object_or_404(jobs, pk=pk)
    if request.method == "POST":
        return HttpResponse(status=405)
    template = "projects/_import_job.html" if request.htmx else "projects/import_job.html"
    return render(request, template, {"job": job})


@login_required
def batch_list(request: HttpRequest) -> HttpResponse:
    """开工批次: every staff member reads them; the province's 效能办 edits them."""
    _staff(request)
    batches = Batch.objects.restrict(request.user, "view").annotate(
        n_projects=Count("projects", filter=Q(projects__deleted_at__isnull=True))
    )
    return render(
        request,
        "projects/batch_list.html",
        {"batches": batches, "can_edit": policy.can_any(request.user, "change", Batch)},
    )


@login_required
def batch_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    batch = get_object_or_404(Batch.objects.restrict(request.user, "view"), pk=pk)
    policy.require(request.user, "change", batch)
    form = BatchForm(
        request.POST or None,
        initial={"name": batch.name, "ceremony_date": batch.ceremony_date},
        version=version_of(batch),
    )
    posted = request.method == "POST" and form.is_valid()
    if posted and _saved(form, services.update_batch, batch, actor=request.user):
        messages.success(request, _("已保存批次 %s。") % batch.code)
        return redirect("projects:batch_list")
    return render(
        request,
        "projects/batch_form.html",
        {"form": form, "batch": batch, "history": history_for(batch)[:50]},
    )


@login_required
def industry_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    industries = Industry.objects.restrict(request.user, "view")
    can_edit = policy.can_any(request.user, "change", Industry)
    form = IndustryForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid() and _saved(form, services.save_industry, None, actor=request.user):
            messages.success(request, _("已添加行业。"))
            return redirect("projects:industry_list")
    return render(
        request,
        "projects/industry_list.html",
        {"industries": industries, "form": form, "can_edit": can_edit},
    )


@login_required
def industry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    industry = get_object_or_404(Industry.objects.restrict(request.user, "view"), pk=pk)
    policy.require(request.user, "change", industry)
    form = IndustryForm(
        request.POST or None,
        initial={"name": industry.name, "aliases": industry.aliases, "sort": industry.sort},
        version=version_of(industry),
    )
    posted = request.method == "POST" and form.is_valid()
    if posted and _saved(form, services.save_industry, industry, actor=request.user):
        messages.success(request, _("已保存。"))
        return redirect("projects:industry_list")
    return render(
        request,
        "projects/industry_form.html",
        {"form": form, "industry": industry, "history": history_for(industry)[:50]},
    )
