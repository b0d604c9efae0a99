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
from xiaoneng.projects.ledgers import PROJECTS
from xiaoneng.projects.links import can_raise_problem, problem_item_url
from xiaoneng.projects.models import Batch, ImportJob, Industry, Project
from xiaoneng.projects.tasks import fail_stalled_jobs
from xiaoneng.units.models import Level, Unit


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


def _own_places(user) -> tuple[Unit | None, Unit | None]:
    """(prefecture, county) the user's unit lies in: where their dashboard opens."""
    unit = policy.unit_of(user)
    if unit is None or unit.parent_id is None:
        return None, None
    chain = {u.level: u for u in [*unit.ancestors(), unit]}
    return chain.get(Level.PREFECTURE), chain.get(Level.COUNTY)


def _scope(request):
    """The dashboard's filtered projects, its filters and its labels. Without a place
    chosen, a prefecture's or a county's people see their own: a prefecture its counties, a
    county its projects and its place among its prefecture's counties."""
    filterset = filtered(request)
    qs = filterset.qs  # validates the form: cleaned_data then holds the valid fields only
    data = filterset.form.cleaned_data if filterset.is_bound else {}
    prefecture = data.get("prefecture")
    county = data.get("county")
    if prefecture is None and county is None:
        prefecture, county = _own_places(request.user)
    if county is not None and prefecture is None:
        prefecture = county.parent if county.parent.level == Level.PREFECTURE else None
    batches = list(data.get("batch") or [])
    batch_label, scope = kpis.scope_labels(
        request.user,
        batches=[b.code for b in batches],
        prefecture=prefecture,
        county=county,
        industry=data.get("industry"),
    )
    return filterset.form, data, qs, batch_label, scope, prefecture, county


def _batch_names(data: dict) -> str:
    """The title's batches: their names (2026年第四季度集中开工), or 全部批次."""
    return "、".join(b.display_name for b in data.get("batch") or []) or _("全部批次")


def _compared(request, data: dict, prefecture, year: int) -> list[dict]:
    """The KPIs of every county of `prefecture` (比一比), over the batches and industry
    chosen: through the policy's "compare" (a county's people see where they stand among
    their prefecture's counties; sums only, never a project's row)."""
    qs = Project.objects.restrict(request.user, "compare").filter(
        prefecture=prefecture, county__isnull=False
    )
    if data.get("batch"):
        qs = qs.filter(batch__in=data["batch"])
    if data.get("industry"):
        qs = qs.filter(industry=data["industry"])
    return kpis.breakdown(qs, "county", year)


def _dashboard_context(request, *, screen: bool = False) -> dict:
    form, data, qs, batch_label, scope, prefecture, county = _scope(request)
    if prefecture is not None:
        qs = qs.filter(prefecture=prefecture)
    if county is not None:
        qs = qs.filter(county=county)
    today = timezone.localdate()
    by_county = prefecture is not None
    summary = kpis.summary(qs, batch=batch_label, scope=scope, by_county=by_county)
    if county is not None:
        units = _compared(request, data, prefecture, summary["year"])
    else:
        units = summary["by_county"] if by_county else summary["by_prefecture"]
    rank = request.GET.get("rank") or "projects"
    if rank not in dict(RANK_CHOICES):
        rank = "projects"
    ranked = sorted(units, key=lambda r: (r[rank] is None, -(r[rank] or 0), r["name"]))
    place = next((i for i, r in enumerate(ranked, 1) if county and r["id"] == county.pk), None)
    # The year of the headline: the trend ends on the same figure.
    year, trend = kpis.monthly_trend(qs, summary["year"])
    return {
        "form": form,
        "summary": summary,
        "scope_label": scope,
        "batch_label": batch_label,
        "batch_names": _batch_names(data),
        "prefecture": prefecture,
        "county": county,
        "by_county": by_county,
        "ranked": ranked,
        "place": place,
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
        # The places as chosen (one's own are the list's scope already).
        "list_query": _drill_query(
            data, prefecture=data.get("prefecture"), county=data.get("county")
        ),
    }


def _drill_query(data: dict, *, prefecture=None, county=None) -> str:
    """Batches and industry (and the place shown, for the project list: the same rows as
    the page counts) carried into a link, ending with "&" when not empty."""
    from urllib.parse import urlencode

    params = [("batch", b.code) for b in data.get("batch") or []]
    if data.get("industry"):
        params.append(("industry", data["industry"].pk))
    if prefecture is not None:
        params.append(("prefecture", prefecture.pk))
    if county is not None:
        params.append(("county", county.pk))
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
def county_choices(request: HttpRequest) -> HttpResponse:
    """The county filter of the chosen prefecture (htmx swaps it in when the prefecture
    changes): the FilterSet's own field, so its choices are the server's rule."""
    _staff(request)
    form = ScopeFilterSet(request.GET or None, Project.objects.none(), request=request).form
    return render(request, "projects/_county_field.html", {"field": form["county"]})


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
        texts.append(_("月度调度表缺报"))
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
        messages.success(request, _("已保存月度调度表。"))
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
    today = timezone.localdate()
    context.update(
        report_month=warn.report_month(today),
        deadline=warn.report_deadline(today),
        owing=services.projects_to_report(request.user, today).count(),
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.import_reports(
                upload.read(), actor=request.user, file_label=upload.name
            )
        except ImportFailed as exc:
            context.update(errors=_error_rows(exc), warnings=exc.warnings)
        else:
            text = _("已导入 %d 个项目的月度调度表。") % result.count
            if result.skipped:
                text += _("另有 %(n)d 个项目未填写数字，未导入：%(codes)s。") % {
                    "n": len(result.skipped),
                    "codes": "、".join(result.skipped[:10])
                    + ("等" if len(result.skipped) > 10 else ""),
                }
            messages.success(request, text)
            return redirect("projects:project_list")
    return render(request, "projects/report_import.html", context)


@login_required
def report_template(request: HttpRequest) -> HttpResponse:
    """The 月度调度表 to fill in: the projects that owe last month's report and the user
    may report on, prefilled (code, name, month, this year's figure so far)."""
    _staff(request)
    if not policy.can_any(request.user, "report", Project):
        raise PermissionDenied
    month, content = services.monthly_sheet(request.user, timezone.localdate())
    return xlsx_response(content, f"月度调度表-{month.year}年{month.month}月.xlsx")


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
