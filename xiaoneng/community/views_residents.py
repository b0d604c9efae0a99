"""Pages of joining a community: the public sign-up (a phone at 360 px, large type), and for
the community's own staff (policy Unit "run_community") the invitation codes and the
residents (add one, import a sheet)."""

from typing import cast

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.community import residents
from xiaoneng.community.forms_residents import (
    InvitationForm,
    JoinForm,
    ResidentForm,
    ResidentImportForm,
)
from xiaoneng.community.models import Invitation
from xiaoneng.community.nav import module_nav
from xiaoneng.core import policy, throttle
from xiaoneng.core.forms import refused_on
from xiaoneng.core.xlsx import ImportFailed, xlsx_response
from xiaoneng.units.models import Unit

# The backend that checked nothing here: the sign-up itself vouches for the new resident.
SIGN_UP_BACKEND = "django.contrib.auth.backends.ModelBackend"
PER_PAGE = 50


def after_joining() -> str:
    """Where a new resident goes: their community's matters (the home page until that page
    exists)."""
    try:
        return reverse("community:matter_list")
    except NoReverseMatch:
        return "/"


def join(request: HttpRequest) -> HttpResponse:
    """The public sign-up: invitation code, name, phone, password twice."""
    initial = {"code": residents.normalize_code(request.GET.get("code", ""))[:16]}
    form = JoinForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = residents.sign_up_from(throttle.client_of(request), data)
        except residents.TooManyTries as exc:
            form.add_error(None, exc.message)
            status = 429
        except ValidationError as exc:
            refused_on(form, exc)
        else:
            login(request, user, backend=SIGN_UP_BACKEND)
            community = cast(Unit, user.unit)  # a resident's unit is their community
            messages.success(
                request,
                _("欢迎加入%(community)s。以后请用手机号 %(phone)s 和您设置的密码登录。")
                % {"community": community.name, "phone": user.phone},
            )
            return redirect(after_joining())
    if status == 200 and form.is_bound and form.errors:
        status = 400
    return render(request, "community/residents/join.html", {"form": form}, status=status)


def _run_community(request: HttpRequest) -> Unit:
    """The community the user runs (its staff); anyone else is refused."""
    community = Unit.objects.restrict(request.user, "run_community").first()
    if community is None:
        raise PermissionDenied(_("只有本社区的工作人员可以管理邀请码和居民。"))
    return community


@login_required
def invitations(request: HttpRequest) -> HttpResponse:
    community = _run_community(request)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = residents.create_invitation(
                actor=request.user, community=community, **form.cleaned_data
            )
        except ValidationError as exc:
            refused_on(form, exc)
        else:
            messages.success(
                request,
                _("已生成邀请码 %(code)s，有效期至 %(date)s。")
                % {
                    "code": invitation.code,
                    "date": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d %H:%M"),
                },
            )
            return redirect("community_residents:invitations")
    rows = (
        Invitation.objects.restrict(request.user, "manage")
        .filter(community=community)
        .select_related("created_by")
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    now = timezone.now()
    for invitation in page:
        invitation.state = residents.invitation_state(invitation, now)
        invitation.usable = invitation.refusal(now) is None
    join_url = request.build_absolute_uri(reverse("community_residents:join"))
    return render(
        request,
        "community/residents/invitations.html",
        {
            **module_nav(request.user),
            "community": community,
            "form": form,
            "page": page,
            "join_url": join_url,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation.objects.restrict(request.user, "manage"), pk=pk)
    try:
        residents.revoke_invitation(invitation, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("邀请码 %s 已作废。") % invitation.code)
    return redirect("community_residents:invitations")


@login_required
def resident_list(request: HttpRequest) -> HttpResponse:
    """The community's residents (phone numbers whole: these are its staff), with the form to
    add one."""
    community = _run_community(request)
    form = ResidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person, password = residents.add_resident(
                actor=request.user, community=community, **form.cleaned_data
            )
        except ValidationError as exc:
            refused_on(form, exc)
        else:
            messages.success(
                request,
                _(
                    "已添加居民%(name)s（手机号 %(phone)s），初始密码：%(password)s"
                    "（只显示这一次，请告知本人；用手机号登录，首次登录须修改密码）"
                )
                % {"name": person.name, "phone": person.phone, "password": password},
            )
            return redirect("community_residents:residents")
    people = residents.residents_of(community).prefetch_related("roles")  # for shown_phone
    q = request.GET.get("q", "").strip()[:40]
    if q:
        people = people.filter(Q(name__contains=q) | Q(phone__contains=q))
    page = Paginator(people, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "community/residents/residents.html",
        {
            **module_nav(request.user),
            "community": community,
            "form": form,
            "page": page,
            "q": q,
            "can_open_people": policy.can_any(request.user, "manage_users", Unit),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def resident_import(request: HttpRequest) -> HttpResponse:
    community = _run_community(request)
    form = ResidentImportForm(request.POST or None, request.FILES or None)
    result = errors = None
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = residents.import_residents(
                actor=request.user, community=community, upload=upload, file_label=upload.name
            )
        except ImportFailed as exc:
            errors, warnings = exc.errors, exc.warnings
    return render(
        request,
        "community/residents/import.html",
        {
            **module_nav(request.user),
            "community": community,
            "form": form,
            "result": result,
            "errors": errors,
            "warnings": warnings,
        },
        status=400 if errors or (form.is_bound and form.errors) else 200,
    )


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    _run_community(request)
    return xlsx_response(residents.template_xlsx(), "居民导入模板.xlsx")
