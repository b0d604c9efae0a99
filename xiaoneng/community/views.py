"""Pages of 社区共治: the matter list and a matter's page (seconds, discussion, decision,
handling, rating, reports), raising a matter, the deliberations (议事会) and their decisions,
the groups that lead matters (办理力量), the moderation queue, and the public board.

Every page reads through the policy (`restrict(user, "view")`: a matter out of sight is a
404) and every change goes through community.services, which refuses what is not allowed
(403) or not possible now (the reason shown in Chinese, nothing changed)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Prefetch, Q, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.accounts import privacy
from xiaoneng.community import board as public_board
from xiaoneng.community import conf, services
from xiaoneng.community.filters import STAGES, MatterFilterSet, ReportFilterSet, visible_matters
from xiaoneng.community.forms import (
    CloseForm,
    CommentForm,
    DecisionForm,
    DeliberationEditForm,
    DeliberationForm,
    GroupForm,
    KeepForm,
    LeadForm,
    MatterForm,
    ProgressForm,
    RateForm,
    ReasonForm,
    ReplyForm,
    ReportForm,
    candidate_label,
)
from xiaoneng.community.models import (
    LATE_STATUSES,
    SECONDABLE,
    Comment,
    Decision,
    Deliberation,
    Group,
    Matter,
    MatterStatus,
    Photo,
    Progress,
    Rating,
    RatingValue,
    Report,
    Second,
    overdue_q,
)
from xiaoneng.community.nav import module_nav
from xiaoneng.core import policy
from xiaoneng.core.audit import history_for
from xiaoneng.core.converters import parse_id
from xiaoneng.core.forms import refused_on
from xiaoneng.supervision.models import Item
from xiaoneng.supervision.workdays import Calendar
from xiaoneng.units.models import Unit

ELDER_COOKIE = "community_elder"


def _may_see_any(user) -> None:
    """The module's pages are for whoever may see some community's matters."""
    if not policy.can_any(user, "view", Matter):
        raise PermissionDenied(_("只有社区居民和相关工作人员可以查看社区议事。"))


def _home_community(user, action: str) -> Unit:
    """The one community the user acts in (raising: theirs; running: the one they staff)."""
    community = Unit.objects.restrict(user, action).first()
    if community is None:
        if action == "raise_matter":
            raise PermissionDenied(_("只有本社区的居民和工作人员可以提出议题。"))
        raise PermissionDenied(_("只有社区工作人员可以进行此操作。"))
    return community


def _render(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    """A page of the module, with its own menu."""
    return render(request, template, {**module_nav(request.user), **context}, status=status)


def overdue_workdays(matter: Matter, today: dt.date, calendar: Calendar) -> int:
    """超期 N 个工作日 (0: not overdue)."""
    if not matter.is_overdue(today):
        return 0
    return max(calendar.workdays_between(matter.deadline, today), 1)


# --- The list ----------------------------------------------------------------------------


@login_required
def matter_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _may_see_any(user)
    today = timezone.localdate()
    qs = visible_matters(user).select_related("community", "lead_group", "item")
    filterset = MatterFilterSet(request.GET or None, queryset=qs, request=request)
    rows = filterset.qs.annotate(
        late=Case(
            When(overdue_q(today), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("late", "deadline", "-created_at", "-id")
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    calendar = Calendar()
    mine = set(
        Second.objects.filter(resident=user.pk, matter__in=[m.pk for m in page]).values_list(
            "matter_id", flat=True
        )
    )
    for m in page:
        m.late_days = overdue_workdays(m, today, calendar)
        m.seconded_by_me = m.pk in mine
    runs = policy.can_any(user, "run_community", Unit)
    data = filterset.form.cleaned_data if filterset.is_bound and filterset.form.is_valid() else {}
    return _render(
        request,
        "community/matter_list.html",
        {
            "page": page,
            "form": filterset.form,
            "stages": STAGES,
            "stage": data.get("stage") or "",
            "mine": data.get("mine"),
            "seconded": data.get("seconded"),
            "is_resident": policy.can_any(user, "second", Matter),
            "can_raise": policy.can_any(user, "raise_matter", Unit),
            "runs": runs,
            "above": not runs and user.is_staff_member,
            "threshold": conf.second_threshold(),
            "home": Unit.objects.restrict(user, "raise_matter").first(),
        },
    )


# --- Raising a matter --------------------------------------------------------------------


@login_required
def matter_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    community = _home_community(user, "raise_matter")
    form = MatterForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            matter = services.raise_matter(actor=user, community=community, **form.cleaned_data)
        except ValidationError as exc:
            refused_on(form, exc)
        else:
            messages.success(
                request,
                _("议题已提出。本社区居民可以附议，附议满 %d 人即列入议事。")
                % conf.second_threshold(),
            )
            return redirect("community:matter_detail", matter.pk)
    return _render(
        request,
        "community/matter_form.html",
        {"form": form, "community": community},
        status=400 if form.is_bound else 200,
    )


# --- A matter's page ---------------------------------------------------------------------


def _visible_matter(request: HttpRequest, pk: int) -> Matter:
    """The matter, if the user may see it (and, hidden, is its raiser or its staff)."""
    return get_object_or_404(
        visible_matters(request.user).select_related(
            "community", "raised_by", "lead_user", "lead_group", "item", "merged_into"
        ),
        pk=pk,
    )


def _reason(label, key: str) -> ReasonForm:
    """A blank reason form (a report, a hiding) with ids of its own on the page."""
    return ReasonForm(label=label, auto_id=f"id_{key}_%s")


def _thread(user, matter: Matter, manages: bool, can_report: bool, bound: dict):
    """The discussion: top-level comments (oldest first) with their replies, the official
    answer first; each with what the user may do on it."""
    rows = list(
        Comment.objects.filter(matter=matter).select_related("author").order_by("created_at", "id")
    )
    top = [c for c in rows if c.reply_to_id is None]
    by_parent: dict[int, list[Comment]] = {}
    for c in rows:
        if c.reply_to_id is not None:
            by_parent.setdefault(c.reply_to_id, []).append(c)
    official = None
    for c in rows:
        c.hidden_for_me = services.hidden_from(user, c)
        c.may_mark = manages and c.reply_to_id is not None and not c.is_official and not c.is_hidden
        c.may_hide = manages and not c.is_hidden
        c.may_report = can_report and not c.is_hidden and c.author_id != user.pk
        c.reply_list = by_parent.get(c.pk, [])
        c.report_form = _reason(_("举报理由"), f"c{c.pk}") if c.may_report else None
        c.report_hidden = [("comment", c.pk)]
        c.hide_form = _reason(_("隐藏原因"), f"hc{c.pk}") if c.may_hide else None
        if c.is_official and not c.hidden_for_me:
            official = c
    for c in top:
        c.reply_form = bound.get(("reply", c.pk)) or ReplyForm(prefix=f"r{c.pk}")
    if official is not None:
        top.sort(key=lambda c: 0 if c.pk in (official.pk, official.reply_to_id) else 1)
    return top, official


def _detail(request: HttpRequest, matter: Matter, *, bound: dict | None = None, status=200):
    """The matter's page; `bound`: a form posted with errors, by its name."""
    bound = bound or {}
    user = request.user
    today = timezone.localdate()
    manages = policy.can(user, "manage", matter)
    handles = policy.can(user, "handle", matter)
    can_report = policy.can(user, "report", matter)
    hidden = services.hidden_from(user, matter)
    seconded = Second.objects.filter(matter=matter, resident=user.pk).exists()
    can_second = (
        policy.can(user, "second", matter)
        and matter.status in SECONDABLE
        and matter.raised_by_id != user.pk
        and not matter.is_hidden
    )
    comments, official = _thread(user, matter, manages, can_report, bound)
    posts = list(
        Progress.objects.filter(matter=matter)
        .select_related("author")
        .prefetch_related(Prefetch("photos", queryset=Photo.objects.order_by("id")))
    )
    for p in posts:
        p.hidden_for_me = services.hidden_from(user, p)
        p.may_hide = manages and not p.is_hidden
        p.may_report = can_report and not p.is_hidden and p.author_id != user.pk
        p.report_form = _reason(_("举报理由"), f"p{p.pk}") if p.may_report else None
        p.report_hidden = [("progress", p.pk)]
        p.hide_form = _reason(_("隐藏原因"), f"hp{p.pk}") if p.may_hide else None
    decisions = list(
        Decision.objects.filter(matter=matter)
        .exclude(decision="")
        .select_related("deliberation", "merge_into")
        .order_by("decided_at", "id")
    )
    seen_meetings = set(
        Deliberation.objects.restrict(user, "view")
        .filter(pk__in=[d.deliberation_id for d in decisions])
        .values_list("pk", flat=True)
    )
    for d in decisions:
        d.meeting_seen = d.deliberation_id in seen_meetings
    ratings = list(Rating.objects.filter(matter=matter))
    my_rating = next((r for r in ratings if r.resident_id == user.pk), None)
    solved = matter.is_solved()
    can_rate = solved and policy.can(user, "rate", matter)
    item = matter.item
    item_seen = item is not None and Item.objects.restrict(user, "view").filter(pk=item.pk).exists()
    photos = list(matter.photos.filter(progress__isnull=True).order_by("id"))
    forms_ = {
        "comment": bound.get("comment") or CommentForm(),
        "report": _reason(_("举报理由"), "m"),
    }
    if manages:
        if matter.status in (MatterStatus.ADOPTED, MatterStatus.HANDLING):
            forms_["lead"] = bound.get("lead") or LeadForm(matter=matter)
        if matter.status == MatterStatus.HANDLING:
            forms_["close"] = bound.get("close") or CloseForm()
        forms_["hide"] = _reason(_("隐藏原因"), "hm")
    if handles and matter.status == MatterStatus.HANDLING:
        forms_["progress"] = bound.get("progress") or ProgressForm(matter=matter)
    if can_rate:
        forms_["rate"] = bound.get("rate") or RateForm(
            initial={"comment": my_rating.comment if my_rating else ""}
        )
    return _render(
        request,
        "community/matter_detail.html",
        {
            "matter": matter,
            "hidden": hidden,
            "manages": manages,
            "handles": handles,
            "can_report": can_report,
            "can_comment": policy.can(user, "comment", matter) and not matter.is_hidden,
            "can_second": can_second,
            "seconded": seconded,
            "secondable": matter.status in SECONDABLE,
            "threshold": conf.second_threshold(),
            "comments": comments,
            "official": official,
            "posts": posts,
            "photos": photos,
            "steps": list(matter.steps.all()),
            "decisions": decisions,
            "late_days": overdue_workdays(matter, today, Calendar()),
            "satisfaction": public_board.satisfaction(ratings),
            "my_rating": my_rating,
            "can_rate": can_rate,
            "rating_choices": RatingValue.choices,
            "solved": solved,
            "item": item,
            "item_seen": item_seen,
            "f": forms_,
            "history": history_for(matter)[:30] if manages else None,
        },
        status=status,
    )


@login_required
def matter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _may_see_any(request.user)
    return _detail(request, _visible_matter(request, pk))


def _simple(request, matter: Matter, action, done: str) -> HttpResponse:
    """A one-button action: its refusal as a message, then back to the matter."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("community:matter_detail", matter.pk)


@login_required
@require_POST
def matter_second(request: HttpRequest, pk: int) -> HttpResponse:
    matter = _visible_matter(request, pk)
    policy.require(request.user, "second", matter, _("只能附议本社区的议题。"))
    return _simple(
        request,
        matter,
        lambda: services.second(matter, actor=request.user),
        _("已附议，谢谢您的支持。"),
    )


@login_required
@require_POST
def matter_unsecond(request: HttpRequest, pk: int) -> HttpResponse:
    matter = _visible_matter(request, pk)
    policy.require(request.user, "second", matter, _("只能附议本社区的议题。"))
    return _simple(
        request,
        matter,
        lambda: services.withdraw_second(matter, actor=request.user),
        _("已撤回附议。"),
    )


@login_required
@require_POST
def matter_put_on_list(request: HttpRequest, pk: int) -> HttpResponse:
    matter = _visible_matter(request, pk)
    policy.require(request.user, "manage", matter, _("只有本社区工作人员可以将议题列入议事。"))
    return _simple(
        request,
        matter,
        lambda: services.list_for_deliberation(matter, actor=request.user),
        _("已列入议事。"),
    )


def _form_action(request, matter: Matter, name: str, form, run, done: str) -> HttpResponse:
    """A form's action on the matter: done → back to the matter; refused → the page again
    with the form and its reason (400), nothing changed."""
    if form.is_valid():
        try:
            run(form.cleaned_data)
        except ValidationError as exc:
            refused_on(form, exc)
        else:
            messages.success(request, done)
            return redirect("community:matter_detail", matter.pk)
    return _detail(request, matter, bound={name: form}, status=400)


def _reason_action(request, matter: Matter, form, run, done: str) -> HttpResponse:
    """A report or a hiding (one reason): done or refused, the reason said in a message on
    the matter's page (nothing changed when refused)."""
    if form.is_valid():
        try:
            run(form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, done)
    else:
        messages.error(
            request,
            "；".join(
                f"{form.fields[k].label}：{'；'.join(v)}" if k in form.fields else "；".join(v)
                for k, v in form.errors.items()
            ),
        )
    return redirect("community:matter_detail", matter.pk)


@login_required
@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    matter = _visible_matter(request, pk)
    policy.require(request.user, "comment", matter, _("只有本社区的居民和工作人员可以参与讨论。"))
    # A reply's form carries the prefix r<comment id> (one per comment on the page).
    prefix = next(
        (k[: -len("-text")] for k in request.POST if k[:1] == "r" and k.endswith("-text")), None
    )
    if prefix is None:
        form = CommentForm(request.POST)
        return _form_action(
            request,
            matter,
            "comment",
            form,
            lambda data: services.comment(matter, actor=request.user, text=data["text"]),
            _("已发表。"),
        )
    form = ReplyForm(request.POST, prefix=prefix)
    parent_id = parse_id(prefix[1:])
    parent = Comment.objects.filter(matter=matter, pk=parent_id).first() if parent_id else None
    if parent is None or parent.reply_to_id is not None:
        # Not a top-level comment of this matter: no reply box to show the refusal in.
        messages.error(request, _("只能回复一级评论，不能回复回复。"))
        return redirect("community:matter_detail", matter.pk)
    return _form_action(
        request,
        matter,
        ("reply", parent.pk),
        form,
        lambda data: services.comment(
            matter, actor=request.user, text=data["text"], reply_to=parent
        ),
        _("已回复。"),
    )


@login_required
@require_POST
def matter_report(request: HttpRequest, pk: int) -> HttpResponse:
    """举报: the matter, or one of its comments or progress posts (by id in the form)."""
    matter = _visible_matter(request, pk)
    policy.require(request.user, "report", matter, _("只有本社区居民可以举报。"))
    form = ReportForm(request.POST)

    def run(data):
        comment = progress = None
        if data.get("comment"):
            comment = Comment.objects.filter(matter=matter, pk=data["comment"]).first()
            if comment is None:
                raise ValidationError(_("要举报的评论不存在或不属于该议题。"))
        if data.get("progress"):
            progress = Progress.objects.filter(matter=matter, pk=data["progress"]).first()
            if progress is None:
                raise ValidationError(_("要举报的进展不存在或不属于该议题。"))
        services.report(
            matter, actor=request.user, reason=data["reason"], comment=comment, progress=progress
        )

    return _reason_action(request, matter, form, run, _("已收到您的举报，社区工作人员会尽快处理。"))


@login_required
@require_POST
def matter_lead(request: HttpRequest, pk: int) -> HttpResponse:
    matter = _visible_matter(request, pk)
    policy.require(request.user, "manage", matter, _("只有本社区工作人员可以确定牵头人。"))
    form = LeadForm(request.POST, matter=matter)

    def run(data):
        services.assign_lead(
            matter,
            actor=request.user,
            lead_user=data.get("lead_user"),
            lead_group=data.get("lead_group"),
            steps=data.get("steps", ""),
            deadline_workdays=data.get("deadline_workdays"),
        )

    return _form_action(request, matter, "lead", form, run, _("已确定牵头。"))


@login_required
@require_POST
def matter_progress(request: HttpRequest, pk: int) -> HttpResponse:
    matter = _visible_matter(request, pk)
    policy.require(
        request.user, "handle", matter, _("只有本社区工作人员或牵头人可以发布办理进展。")
    )
    form = ProgressForm(request.POST, request.FILES, matter=matter)

    def run(data):
        services.post_progress(
            matter,
            actor=request.user,
            text=data["text"],
            photos=data.get("photos") or (),
            steps_done=list(data.get("steps_done") or ()),
        )

    return _form_action(request, matter, "progress", form, run, _("已发布办理进展。"))


@login_required
@require_POST
def matter_close(request: HttpRequest, pk: int) -> HttpResponse:
    matter = _visible_matter(request, pk)
    policy.require(request.user, "manage", matter, _("只有本社区工作人员可以办结议题。"))
    form = CloseForm(request.POST)
    return _form_action(
        request,
        matter,
        "close",
        form,
        lambda data: services.close_matter(matter, actor=request.user, result=data["result"]),
        _("已办结。提出人和附议人可以评价办理结果。"),
    )


@login_required
@require_POST
def matter_rate(request: HttpRequest, pk: int) -> HttpResponse:
    matter = _visible_matter(request, pk)
    policy.require(request.user, "rate", matter, _("只有议题的提出人和附议人可以评价。"))
    form = RateForm(request.POST)
    return _form_action(
        request,
        matter,
        "rate",
        form,
        lambda data: services.rate(
            matter, actor=request.user, rating=data["rating"], comment=data.get("comment", "")
        ),
        _("谢谢您的评价。"),
    )


HIDEABLE = {"matter": Matter, "comment": Comment, "progress": Progress}


@login_required
@require_POST
def content_hide(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """隐藏: a matter, a comment or a progress post, with a reason."""
    model = HIDEABLE.get(kind)
    if model is None:
        raise Http404
    if model is Matter:
        row = matter = _visible_matter(request, pk)
    else:
        row = get_object_or_404(model.objects.restrict(request.user, "view"), pk=pk)
        matter = _visible_matter(request, row.matter_id)
    policy.require(request.user, "manage", matter, _("只有本社区工作人员可以隐藏内容。"))
    form = ReasonForm(request.POST, label=_("隐藏原因"))
    return _reason_action(
        request,
        matter,
        form,
        lambda data: services.hide(row, actor=request.user, reason=data["reason"]),
        _("已隐藏。"),
    )


@login_required
@require_POST
def comment_official(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.restrict(request.user, "view"), pk=pk)
    matter = _visible_matter(request, comment.matter_id)
    policy.require(request.user, "manage", matter, _("只有本社区工作人员可以标记官方答复。"))
    return _simple(
        request,
        matter,
        lambda: services.mark_official(comment, actor=request.user),
        _("已设为官方答复。"),
    )


@login_required
def photo_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A matter's photo for those who see the matter (not when hidden from them)."""
    photo = get_object_or_404(
        Photo.objects.restrict(request.user, "view").select_related("matter", "progress"), pk=pk
    )
    matter = _visible_matter(request, photo.matter_id)
    if services.hidden_from(request.user, matter) or (
        photo.progress is not None and services.hidden_from(request.user, photo.progress)
    ):
        raise Http404
    return FileResponse(photo.file.open("rb"), content_type=photo.content_type)


@login_required
@require_POST
def photo_public(request: HttpRequest, pk: int) -> HttpResponse:
    photo = get_object_or_404(Photo.objects.restrict(request.user, "view"), pk=pk)
    matter = _visible_matter(request, photo.matter_id)
    policy.require(request.user, "manage", matter, _("只有本社区工作人员可以设置照片是否公开。"))
    public = request.POST.get("public") == "1"
    return _simple(
        request,
        matter,
        lambda: services.set_photo_public(photo, actor=request.user, public=public),
        _("照片已在公示栏公开。") if public else _("照片已不在公示栏显示。"),
    )


# --- The lead and contact pickers' search ------------------------------------------------

PEOPLE_LIMIT = 20


@login_required
def people(request: HttpRequest) -> HttpResponse:
    """The lead and contact pickers' search (forms.CandidatePicker): the lead candidates of
    `community` (its members and its street's) matching `q` — a name, a user name, or four
    or more digits of a phone — for the community's own staff. Anyone else is refused; a
    community the user does not run has no candidates to them."""
    if not policy.can_any(request.user, "run_community", Unit):
        raise PermissionDenied
    community = (
        Unit.objects.restrict(request.user, "run_community")
        .filter(pk=parse_id(request.GET.get("community")))
        .first()
    )
    candidates = services.User.objects.none()
    if community is not None:
        candidates = services.lead_candidates(community).select_related("unit")
        candidates = candidates.prefetch_related("roles")  # shown_phone asks each one's
    for word in request.GET.get("q", "").split()[:3]:
        word = word[:40]
        match = Q(name__contains=word) | Q(username__icontains=word)
        if word.isascii() and word.isdigit() and len(word) >= 4:
            match |= Q(phone__contains=word)
        candidates = candidates.filter(match)
    found = list(candidates.order_by("name", "username")[: PEOPLE_LIMIT + 1])
    results = [
        {
            "value": str(p.pk),
            "name": p.name,
            "label": candidate_label(p, privacy.shown_phone(request.user, p)),
        }
        for p in found[:PEOPLE_LIMIT]
    ]
    return JsonResponse(
        {"results": results, "more": len(found) > PEOPLE_LIMIT},
        json_dumps_params={"ensure_ascii": False},
    )


# --- Deliberations (议事会) ----------------------------------------------------------------


@login_required
def deliberation_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not policy.can_any(user, "view", Deliberation):
        raise PermissionDenied(_("只有社区居民和相关工作人员可以查看议事会。"))
    rows = (
        Deliberation.objects.restrict(user, "view")
        .select_related("community")
        .prefetch_related(Prefetch("decisions", queryset=Decision.objects.select_related("matter")))
        .order_by("-date", "-id")
    )
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    listed = visible_matters(user).filter(status=MatterStatus.LISTED).select_related("community")
    return _render(
        request,
        "community/deliberation_list.html",
        {
            "page": page,
            "listed": listed[:50],
            "listed_count": listed.count(),
            "can_create": policy.can_any(user, "run_community", Unit),
        },
    )


@login_required
def deliberation_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    community = _home_community(user, "run_community")
    form = DeliberationForm(
        request.POST or None, community=community, initial={"date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.create_deliberation(
                actor=user, community=community, **form.cleaned_data
            )
        except ValidationError as exc:
            refused_on(form, exc)
        else:
            messages.success(request, _("议事会已登记。会后可在此记录纪要和各议题的决定。"))
            return redirect("community:deliberation_detail", meeting.pk)
    return _render(
        request,
        "community/deliberation_form.html",
        {"form": form, "community": community},
        status=400 if form.is_bound else 200,
    )


def _meeting(request: HttpRequest, pk: int) -> Deliberation:
    return get_object_or_404(
        Deliberation.objects.restrict(request.user, "view").select_related("community"), pk=pk
    )


def _meeting_page(request, meeting: Deliberation, *, bound: dict | None = None, status=200):
    bound = bound or {}
    user = request.user
    manages = policy.can(user, "manage", meeting)
    seen = set(visible_matters(user).filter(deliberations=meeting).values_list("pk", flat=True))
    agenda = list(meeting.decisions.select_related("matter", "merge_into").order_by("id"))
    for d in agenda:
        d.matter_seen = d.matter_id in seen
        d.form = None
        if manages and not d.decision and d.matter.status in services.DECIDABLE:
            d.form = bound.get(d.matter_id) or DecisionForm(matter=d.matter)
    return _render(
        request,
        "community/deliberation_detail.html",
        {
            "meeting": meeting,
            "agenda": agenda,
            "manages": manages,
            "edit_form": bound.get("edit")
            or (DeliberationEditForm(deliberation=meeting) if manages else None),
            "history": history_for(meeting)[:30] if manages else None,
        },
        status=status,
    )


@login_required
def deliberation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_page(request, _meeting(request, pk))


@login_required
@require_POST
def deliberation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    policy.require(request.user, "manage", meeting, _("只有本社区工作人员可以修改议事会。"))
    form = DeliberationEditForm(request.POST, deliberation=meeting)
    if form.is_valid():
        try:
            services.update_deliberation(meeting, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            refused_on(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("community:deliberation_detail", meeting.pk)
    return _meeting_page(request, meeting, bound={"edit": form}, status=400)


@login_required
@require_POST
def deliberation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The council's decision on one matter of the agenda (its id posted with the form)."""
    meeting = _meeting(request, pk)
    policy.require(request.user, "manage", meeting, _("只有本社区工作人员可以记录议事会的决定。"))
    matter_id = None
    for key in request.POST:
        if key.endswith("-matter"):
            matter_id = parse_id(request.POST.get(key, ""))
    matter = (
        meeting.decisions.filter(matter_id=matter_id).select_related("matter").first()
        if matter_id
        else None
    )
    if matter is None:
        messages.error(request, _("请在议程中选择要决定的议题。"))
        return redirect("community:deliberation_detail", meeting.pk)
    form = DecisionForm(request.POST, matter=matter.matter)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.decide(
                meeting,
                actor=request.user,
                matter=matter.matter,
                decision=data["decision"],
                votes_for=data["votes_for"],
                votes_against=data["votes_against"],
                votes_abstain=data["votes_abstain"],
                reason=data.get("reason", ""),
                merge_into=data.get("merge_into"),
            )
        except ValidationError as exc:
            refused_on(form, exc)
        else:
            messages.success(request, _("已记录对“%s”的决定。") % matter.matter.title)
            return redirect(
                reverse("community:deliberation_detail", args=[meeting.pk])
                + f"#agenda-{matter.matter_id}"
            )
    return _meeting_page(request, meeting, bound={matter.matter_id: form}, status=400)


# --- Groups (办理力量) ---------------------------------------------------------------------


@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not policy.can_any(user, "view", Group):
        raise PermissionDenied(_("只有社区居民和相关工作人员可以查看办理力量。"))
    groups = (
        Group.objects.restrict(user, "view")
        .select_related("community", "contact")
        .prefetch_related("contact__roles")  # shown_phone asks each contact's
        .order_by("community__sort_key", "kind", "name")
    )
    community = Unit.objects.restrict(user, "run_community").first()
    form = None
    if community is not None:
        form = GroupForm(request.POST or None, community=community)
        if request.method == "POST" and form.is_valid():
            try:
                services.create_group(actor=user, community=community, **form.cleaned_data)
            except ValidationError as exc:
                refused_on(form, exc)
            else:
                messages.success(request, _("已登记办理力量。"))
                return redirect("community:group_list")
    elif request.method == "POST":
        raise PermissionDenied(_("只有本社区工作人员可以登记办理力量。"))
    page = Paginator(groups, 50).get_page(request.GET.get("page"))
    return _render(
        request,
        "community/group_list.html",
        {"page": page, "form": form, "community": community},
        status=400 if form is not None and form.is_bound else 200,
    )


# --- Moderation (举报处理) -----------------------------------------------------------------


def _report_queue(request, *, bound: dict | None = None, status=200):
    user = request.user
    if not policy.can_any(user, "view", Report):
        raise PermissionDenied(_("只有社区工作人员可以处理举报。"))
    bound = bound or {}
    rows = Report.objects.restrict(user, "view").select_related(
        "matter", "comment", "progress", "reporter", "handled_by"
    )
    params = request.GET.copy()
    if "open" not in params:
        params["open"] = "true"
    filterset = ReportFilterSet(params, queryset=rows, request=request)
    page = Paginator(filterset.qs.order_by("handled_at", "-created_at"), 30).get_page(
        request.GET.get("page")
    )
    for r in page:
        r.hide_form = bound.get(("hide", r.pk)) or ReasonForm(
            label=_("隐藏原因"), prefix=f"h{r.pk}"
        )
        r.keep_form = bound.get(("keep", r.pk)) or KeepForm(prefix=f"k{r.pk}")
        r.row = r.content()
    return _render(
        request,
        "community/report_list.html",
        {"page": page, "form": filterset.form, "open": params.get("open")},
        status=status,
    )


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    return _report_queue(request)


def _report(request, pk: int) -> Report:
    report = get_object_or_404(
        Report.objects.restrict(request.user, "view").select_related("matter"), pk=pk
    )
    policy.require(request.user, "manage", report, _("只有本社区工作人员可以处理举报。"))
    return report


@login_required
@require_POST
def report_hide(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    form = ReasonForm(request.POST, label=_("隐藏原因"), prefix=f"h{report.pk}")
    if form.is_valid():
        try:
            if report.handled_at is not None:
                raise ValidationError(_("该举报已处理：%s") % report.outcome)
            services.hide(report.content(), actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            refused_on(form, exc)
        else:
            messages.success(request, _("已隐藏被举报的内容。"))
            return redirect("community:report_list")
    return _report_queue(request, bound={("hide", report.pk): form}, status=400)


@login_required
@require_POST
def report_keep(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    form = KeepForm(request.POST, prefix=f"k{report.pk}")
    if form.is_valid():
        try:
            services.dismiss_report(
                report, actor=request.user, outcome=form.cleaned_data["outcome"]
            )
        except ValidationError as exc:
            refused_on(form, exc)
        else:
            messages.success(request, _("已保留该内容，举报已处理。"))
            return redirect("community:report_list")
    return _report_queue(request, bound={("keep", report.pk): form}, status=400)


# --- The public board (no login) ---------------------------------------------------------


def board(request: HttpRequest, code: str) -> HttpResponse:
    """The public board. 长辈模式 is a link (?elder=1 / ?elder=0) kept in a cookie: no
    JavaScript needed to read or switch."""
    community = public_board.find_community(code)
    if community is None:
        raise Http404
    today = timezone.localdate()
    data = public_board.board(community, today=today)
    for m in data["open"]:
        m["overdue"] = bool(
            m["deadline"] and m["deadline"] < today and m["status"] in LATE_STATUSES
        )
    asked = request.GET.get("elder")
    elder = asked == "1" if asked in ("0", "1") else request.COOKIES.get(ELDER_COOKIE) == "1"
    response = render(
        request,
        "community/board.html",
        {"board": data, "elder": elder, "secondable": [str(s) for s in SECONDABLE]},
    )
    if asked in ("0", "1"):
        response.set_cookie(
            ELDER_COOKIE, asked, max_age=365 * 24 * 3600, samesite="Lax", httponly=True
        )
    return response


def board_photo(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """A public photo of a shown matter of this community's board; 404 for any other."""
    community = public_board.find_community(code)
    if community is None:
        raise Http404
    photo = public_board.public_photos().filter(matter__community=community, pk=pk).first()
    if photo is None:
        raise Http404
    return FileResponse(photo.file.open("rb"), content_type=photo.content_type)
