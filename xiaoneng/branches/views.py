"""Pages of 机关–社区联建: the branches, a branch's page (its pairings and activities), and
recording pairings and activities."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.accounts.models import User
from xiaoneng.branches import services
from xiaoneng.branches.filters import ActivityFilterSet
from xiaoneng.branches.forms import ActivityForm, EndPairingForm, PairingForm
from xiaoneng.branches.models import ActivityPhoto, BranchActivity, BranchPairing, is_community
from xiaoneng.core import policy
from xiaoneng.core.audit import history_for
from xiaoneng.core.converters import parse_id
from xiaoneng.core.forms import refused_on
from xiaoneng.units.models import PartyBranch

ACTIVITIES_SHOWN = 100


def staff_only(user) -> None:
    """The module's pages are the staff's: whoever may see some branch (residents not)."""
    if not policy.can_any(user, "view", PartyBranch):
        raise PermissionDenied


def _activities(user):
    return (
        BranchActivity.objects.restrict(user, "view")
        .prefetch_related("branches__unit")
        .order_by("-date", "-id")
    )


@login_required
def branch_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    staff_only(user)
    branches = (
        PartyBranch.objects.restrict(user, "view")
        .select_related("unit", "secretary")
        .annotate(member_count=Count("members", filter=Q(members__deleted_at__isnull=True)))
        .order_by("unit__sort_key", "name")
    )
    page = Paginator(branches, 100).get_page(request.GET.get("page"))
    pairings = (
        BranchPairing.objects.restrict(user, "view")
        .select_related("organ_branch__unit", "community_branch__unit")
        .filter(pk__in=services.open_pairings().values("pk"))
    )
    return render(
        request,
        "branches/branch_list.html",
        {
            "page": page,
            "pairings": pairings,
            "can_pair": policy.can_any(user, "pair", PartyBranch),
            "can_record": policy.can_any(user, "record_activity", PartyBranch),
        },
    )


def _link_or_name(user, branch: PartyBranch) -> dict:
    return {"branch": branch, "linked": policy.can(user, "view", branch)}


@login_required
def branch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A branch: its unit, secretary, members; its pairings, each with the activities both
    branches held together; its other activities."""
    user = request.user
    staff_only(user)
    branch = get_object_or_404(
        PartyBranch.objects.restrict(user, "view").select_related("unit", "secretary"), pk=pk
    )
    members = (
        User.objects.restrict(user, "view")
        .filter(party_branch=branch, is_active=True)
        .prefetch_related("roles")
        .order_by("username")
    )
    pairings = list(
        BranchPairing.objects.restrict(user, "view")
        .filter(Q(organ_branch=branch) | Q(community_branch=branch))
        .select_related("organ_branch__unit", "community_branch__unit")
        .order_by("ended_on", "-started_on")
    )
    activities = list(_activities(user).filter(branches=branch)[:ACTIVITIES_SHOWN])
    joint_ids: set[int] = set()
    sections = []
    for pairing in pairings:
        partner = (
            pairing.community_branch
            if pairing.organ_branch_id == branch.pk
            else pairing.organ_branch
        )
        joint = [a for a in activities if partner.pk in {b.pk for b in a.branches.all()}]
        joint_ids.update(a.pk for a in joint)
        sections.append(
            {
                "pairing": pairing,
                "partner": _link_or_name(user, partner),
                "activities": joint,
                "can_change": pairing.ended_on is None and policy.can(user, "change", pairing),
            }
        )
    return render(
        request,
        "branches/branch_detail.html",
        {
            "branch": branch,
            "members": members,
            "sections": sections,
            "others": [a for a in activities if a.pk not in joint_ids],
            "can_record": policy.can(user, "record_activity", branch),
            "can_pair": policy.can(user, "pair", branch),
            "end_form": EndPairingForm(),
        },
    )


@login_required
def pairing_create(request: HttpRequest) -> HttpResponse:
    staff_only(request.user)
    if not policy.can_any(request.user, "pair", PartyBranch):
        raise PermissionDenied(_("只有单位管理员或效能办可以登记结对。"))
    initial = {}
    if branch_id := parse_id(request.GET.get("branch")):
        branch = services.pairing_branches(request.user).filter(pk=branch_id).first()
        if branch is not None:
            side = "community_branch" if is_community(branch.unit) else "organ_branch"
            initial[side] = branch.pk
    form = PairingForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            pairing = services.create_pairing(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            refused_on(form, exc)
        else:
            messages.success(request, _("已登记结对。"))
            return redirect("branches:branch_detail", pairing.organ_branch_id)
    return render(request, "branches/pairing_form.html", {"form": form})


@login_required
@require_POST
def pairing_end(request: HttpRequest, pk: int) -> HttpResponse:
    staff_only(request.user)
    pairing = get_object_or_404(BranchPairing.objects.restrict(request.user, "change"), pk=pk)
    back = request.POST.get("branch")
    target = parse_id(back) if back else None
    if target not in pairing.branch_ids():
        target = pairing.organ_branch_id
    form = EndPairingForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("branches:branch_detail", target)
    try:
        services.end_pairing(
            pairing,
            actor=request.user,
            ended_on=form.cleaned_data["ended_on"],
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("结对已结束。"))
    return redirect("branches:branch_detail", target)


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    staff_only(user)
    filterset = ActivityFilterSet(request.GET or None, queryset=_activities(user), request=request)
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "branches/activity_list.html",
        {
            "page": page,
            "form": filterset.form,
            "can_record": policy.can_any(user, "record_activity", PartyBranch),
        },
    )


def _activity_form(request, activity: BranchActivity | None, initial: dict):
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        instance=activity,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if activity is None:
                activity = services.record_activity(actor=request.user, **data)
            else:
                activity = services.update_activity(activity, actor=request.user, **data)
        except ValidationError as exc:
            refused_on(form, exc)
        except PermissionDenied as exc:
            form.add_error("branches", str(exc))
        else:
            messages.success(request, _("已保存。"))
            return redirect("branches:activity_detail", activity.pk)
    return render(request, "branches/activity_form.html", {"form": form, "activity": activity})


@login_required
def activity_create(request: HttpRequest) -> HttpResponse:
    staff_only(request.user)
    if not policy.can_any(request.user, "record_activity", PartyBranch):
        raise PermissionDenied(_("您不能登记党支部活动。"))
    initial = {}
    branch_id = parse_id(request.GET.get("branch"))
    if branch_id and services.activity_branches(request.user).filter(pk=branch_id).exists():
        initial["branches"] = [branch_id]
    return _activity_form(request, None, initial)


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    staff_only(user)
    activity = get_object_or_404(_activities(user), pk=pk)
    return render(
        request,
        "branches/activity_detail.html",
        {
            "activity": activity,
            "branches": [_link_or_name(user, b) for b in activity.branches.all()],
            "photos": activity.photos.all(),
            "can_change": policy.can(user, "change", activity),
            "history": history_for(activity)[:50],
        },
    )


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    staff_only(request.user)
    activity = get_object_or_404(BranchActivity.objects.restrict(request.user, "change"), pk=pk)
    return _activity_form(request, activity, {})


@login_required
@require_POST
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    staff_only(request.user)
    activity = get_object_or_404(BranchActivity.objects.restrict(request.user, "change"), pk=pk)
    services.delete_activity(activity, actor=request.user, comment=request.POST.get("comment", ""))
    messages.success(request, _("已删除（可在回收站恢复）。"))
    return redirect("branches:activity_list")


@login_required
def photo_download(request: HttpRequest, pk: int) -> HttpResponse:
    staff_only(request.user)
    photo = get_object_or_404(ActivityPhoto.objects.restrict(request.user, "view"), pk=pk)
    return FileResponse(
        photo.file.open("rb"),
        as_attachment=True,
        filename=photo.name,
        content_type=photo.content_type,
    )
