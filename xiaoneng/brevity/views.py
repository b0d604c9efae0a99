"""Pages of 会风文风: meetings, documents, a unit's breaches, the analyzer, statistics."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import ExpressionWrapper, F, IntegerField, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xiaoneng.brevity import rules, services, stats
from xiaoneng.brevity.filters import DocumentFilterSet, MeetingFilterSet
from xiaoneng.brevity.forms import (
    AnalyzeForm,
    DocumentForm,
    DocumentUploadForm,
    MeetingForm,
    SpeechFormSet,
)
from xiaoneng.brevity.models import OVER_Q, Document, Meeting, Speech
from xiaoneng.brevity.reading import Refused, analyze_file, read_upload
from xiaoneng.core import policy
from xiaoneng.core.audit import history_for
from xiaoneng.core.converters import parse_id, year_and_month
from xiaoneng.core.forms import refused_on
from xiaoneng.units.models import Unit


def staff_only(user) -> None:
    """The module's pages are the staff's (residents see nothing of it)."""
    if not policy.can_any(user, "view", Meeting):
        raise PermissionDenied


def _chosen_unit(request: HttpRequest) -> Unit:
    """The unit named by ?unit= among those the user sees; their own unit by default."""
    unit_id = parse_id(request.GET.get("unit"))
    if unit_id is None:
        if request.user.unit is None:
            raise PermissionDenied
        return request.user.unit
    unit = Unit.objects.restrict(request.user, "view").filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    return unit


def _speeches():
    return Prefetch("speeches", queryset=Speech.objects.order_by("sort", "id"))


# What a reader takes in at a glance: the rule, whose speech, and by how many minutes.
SHORT_RULES = {
    "main_speech": gettext_lazy("主要讲话"),
    "group_discussion": gettext_lazy("分组讨论"),
    "meeting_length": gettext_lazy("会议时长"),
}


def _shown(breaches: list[rules.Breach]) -> list[dict]:
    """The breaches of one meeting as the pages show them, each with its excess in minutes."""
    return [
        {
            "rule": b.rule,
            "label": b.label,
            "short": SHORT_RULES.get(b.rule, b.label),
            "limit": b.limit,
            "actual": b.actual,
            "over": b.actual - b.limit,
            "speaker": b.speaker,
        }
        for b in breaches
    ]


# 字数 over the limit (negative when within): the documents' pages say by how much.
EXCESS = ExpressionWrapper(F("chars") - F("limit"), output_field=IntegerField())


# --- Meetings ---------------------------------------------------------------------------------


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    """Attention first: the meetings that break a rule, then the rest, newest first."""
    staff_only(request.user)
    qs = Meeting.objects.restrict(request.user, "view").with_rules().select_related("organiser")
    filterset = MeetingFilterSet(request.GET or None, queryset=qs, request=request)
    ordered = filterset.qs.prefetch_related(_speeches()).order_by(
        F("in_breach").desc(), "-date", "-id"
    )
    page = Paginator(ordered, 50).get_page(request.GET.get("page"))
    rows = [(m, _shown(rules.breaches(m, list(m.speeches.all())))) for m in page]
    return render(
        request,
        "brevity/meeting_list.html",
        {
            "page": page,
            "rows": rows,
            "breach_count": filterset.qs.filter(in_breach=True).count(),
            "form": filterset.form,
            "can_record": policy.can_any(request.user, "change", Meeting),
        },
    )


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    staff_only(request.user)
    meeting = get_object_or_404(
        Meeting.objects.restrict(request.user, "view")
        .select_related("organiser", "recorded_by")
        .prefetch_related(_speeches()),
        pk=pk,
    )
    speeches = list(meeting.speeches.all())
    return render(
        request,
        "brevity/meeting_detail.html",
        {
            "meeting": meeting,
            "speeches": speeches,
            "breaches": _shown(rules.breaches(meeting, speeches)),
            "limits": {
                "length": rules.duration_limit(meeting.kind),
                "main_speech": rules.main_speech_limit(),
            },
            "can_change": policy.can(request.user, "change", meeting),
            "history": history_for(meeting)[:30],
        },
    )


@login_required
def meeting_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    staff_only(request.user)
    meeting = None
    if pk is not None:
        meeting = get_object_or_404(Meeting.objects.restrict(request.user, "change"), pk=pk)
    elif not policy.can_any(request.user, "change", Meeting):
        raise PermissionDenied
    initial_speeches = []
    initial = {}
    if meeting is not None:
        initial_speeches = [
            {"speaker": s.speaker, "role": s.role, "minutes": s.minutes}
            for s in meeting.speeches.order_by("sort", "id")
        ]
    else:
        initial = {"organiser": request.user.unit_id, "date": timezone.localdate()}
    form = MeetingForm(request.POST or None, instance=meeting, initial=initial, user=request.user)
    speeches = SpeechFormSet(request.POST or None, initial=initial_speeches, prefix="speeches")
    if request.method == "POST" and form.is_valid() and speeches.is_valid():
        rows = speeches.rows()
        try:
            saved = services.save_meeting(
                Meeting.objects.get(pk=meeting.pk) if meeting else None,
                actor=request.user,
                speeches=[{k: v for k, v in r.items() if k != "form"} for r in rows],
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _meeting_refused(form, rows, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("brevity:meeting_detail", saved.pk)
    return render(
        request,
        "brevity/meeting_form.html",
        {"form": form, "speeches": speeches, "meeting": meeting},
    )


def _meeting_refused(form, rows: list[dict], exc: ValidationError) -> None:
    """The service's refusal on the page: a speech's error under that speech's row."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    others = {}
    for key, errors in exc.error_dict.items():
        parts = key.split(".")
        if parts[0] == "speeches" and len(parts) == 3 and int(parts[1]) < len(rows):
            rows[int(parts[1])]["form"].add_error(parts[2], errors)
            form.add_error(None, errors)  # also at the top: the rows are below the fold
        else:
            others[key] = errors
    if others:
        refused_on(form, ValidationError(others))


@login_required
@require_POST
def meeting_delete(request: HttpRequest, pk: int) -> HttpResponse:
    staff_only(request.user)
    meeting = get_object_or_404(Meeting.objects.restrict(request.user, "change"), pk=pk)
    services.delete_meeting(meeting, actor=request.user)
    messages.success(request, _("已删除。"))
    return redirect("brevity:meeting_list")


# --- Documents --------------------------------------------------------------------------------


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    """Attention first: the documents over their limit, then the rest, newest first."""
    staff_only(request.user)
    qs = Document.objects.restrict(request.user, "view").select_related("unit")
    filterset = DocumentFilterSet(request.GET or None, queryset=qs, request=request)
    ordered = (
        filterset.qs.alias(over_first=OVER_Q)
        .annotate(excess=EXCESS)
        .order_by(F("over_first").desc(), "-date", "-id")
    )
    page = Paginator(ordered, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "brevity/document_list.html",
        {
            "page": page,
            "over_count": filterset.qs.over().count(),
            "form": filterset.form,
            "can_record": policy.can_any(request.user, "change", Document),
        },
    )


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    staff_only(request.user)
    document = get_object_or_404(
        Document.objects.restrict(request.user, "view").select_related("unit", "recorded_by"),
        pk=pk,
    )
    return render(
        request,
        "brevity/document_detail.html",
        {
            "document": document,
            "excess": document.chars - document.limit,
            "can_change": policy.can(request.user, "change", document),
            "history": history_for(document)[:30],
        },
    )


@login_required
def document_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    staff_only(request.user)
    document = None
    if pk is not None:
        document = get_object_or_404(Document.objects.restrict(request.user, "change"), pk=pk)
    elif not policy.can_any(request.user, "change", Document):
        raise PermissionDenied
    initial = {} if document else {"unit": request.user.unit_id, "date": timezone.localdate()}
    form = DocumentForm(request.POST or None, instance=document, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_document(
                Document.objects.get(pk=document.pk) if document else None,
                actor=request.user,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            refused_on(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("brevity:document_detail", saved.pk)
    return render(request, "brevity/document_form.html", {"form": form, "document": document})


@login_required
def document_upload(request: HttpRequest) -> HttpResponse:
    """Register a document by uploading it: the analyzer fills 字数, the kind and the title."""
    staff_only(request.user)
    if not policy.can_any(request.user, "change", Document):
        raise PermissionDenied
    form = DocumentUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            document, _report = services.register_upload(
                actor=request.user,
                data=read_upload(upload),
                filename=upload.name,
                unit=data["unit"],
                single_task=data["single_task"],
                kind=data["kind"],
                title=data["title"],
                date=data["date"],
            )
        except Refused as exc:
            form.add_error("file", str(exc))
        except ValidationError as exc:
            refused_on(form, exc)
        else:
            messages.success(
                request,
                _("已登记：%(chars)d 字，限额 %(limit)d 字。")
                % {"chars": document.chars, "limit": document.limit},
            )
            return redirect("brevity:document_detail", document.pk)
    return render(request, "brevity/document_upload.html", {"form": form})


@login_required
@require_POST
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    staff_only(request.user)
    document = get_object_or_404(Document.objects.restrict(request.user, "change"), pk=pk)
    services.delete_document(document, actor=request.user)
    messages.success(request, _("已删除。"))
    return redirect("brevity:document_list")


# --- A unit's breaches ------------------------------------------------------------------------


@login_required
def breach_list(request: HttpRequest) -> HttpResponse:
    """The meetings and documents of a unit's subtree that broke a rule, with the rule."""
    staff_only(request.user)
    unit = _chosen_unit(request)
    meetings = (
        Meeting.objects.restrict(request.user, "view")
        .filter(organiser__path__startswith=unit.path)
        .in_breach()
        .select_related("organiser")
        .prefetch_related(_speeches())
        .order_by("-date", "-id")
    )
    documents = (
        Document.objects.restrict(request.user, "view")
        .filter(unit__path__startswith=unit.path)
        .over()
        .annotate(excess=EXCESS)
        .select_related("unit")
        .order_by("-date", "-id")
    )
    meeting_page = Paginator(meetings, 50).get_page(request.GET.get("page"))
    rows = [(m, _shown(rules.breaches(m, list(m.speeches.all())))) for m in meeting_page]
    return render(
        request,
        "brevity/breach_list.html",
        {"unit": unit, "rows": rows, "page": meeting_page, "documents": documents[:200]},
    )


# --- The analyzer -----------------------------------------------------------------------------


@login_required
def analyze(request: HttpRequest) -> HttpResponse:
    """Upload a document: 字数, kind, limit, over or not, padding. Nothing is stored."""
    policy.require(request.user, "analyze_documents")
    form = AnalyzeForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        unit = request.user.unit
        try:
            report = analyze_file(
                read_upload(upload),
                upload.name,
                kind=form.cleaned_data["kind"] or None,
                single_task=form.cleaned_data["single_task"],
                level=unit.level if unit is not None else None,
            )
        except Refused as exc:
            form.add_error("file", str(exc))
    return render(request, "brevity/analyze.html", {"form": form, "report": report})


# --- Statistics -------------------------------------------------------------------------------

FIRST_YEAR = 2000  # the earliest year the statistics page takes


@login_required
def stats_page(request: HttpRequest) -> HttpResponse:
    staff_only(request.user)
    unit = _chosen_unit(request)
    year, month, errors = year_and_month(request.GET, FIRST_YEAR)
    data = stats.unit_stats(unit, year)
    for row in [*data["rows"], data["total"]]:
        row["shown"] = row["months"][month] if month else row["year"]
    viewer = request.user.unit
    up = None
    if viewer is not None and unit.pk != viewer.pk and unit.parent_id is not None:
        up = Unit.objects.restrict(request.user, "view").filter(pk=unit.parent_id).first()
    return render(
        request,
        "brevity/stats.html",
        {
            "data": data,
            "unit": unit,
            "up": up,
            "year": year,
            "month": month,
            "errors": errors,
            "years": range(timezone.localdate().year, timezone.localdate().year - 6, -1),
            "months": range(1, 13),
        },
    )
