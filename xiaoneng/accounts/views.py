from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.accounts import privacy, services
from xiaoneng.accounts.filters import UserFilterSet
from xiaoneng.accounts.forms import UserForm, UserImportForm
from xiaoneng.accounts.ledgers import USERS
from xiaoneng.accounts.models import ApiToken, User
from xiaoneng.core import policy
from xiaoneng.core.audit import history_for
from xiaoneng.core.converters import parse_id
from xiaoneng.core.versioning import StaleEdit, version_of
from xiaoneng.core.xlsx import ImportFailed, xlsx_response
from xiaoneng.units.models import Unit


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("core:home")

    def form_valid(self, form):
        # Django's form_valid would save the user itself, without the actor: one service
        # call sets the password and ends a forced reset, in one audited save.
        services.change_own_password(
            form.user, form.cleaned_data["new_password1"], actor=self.request.user
        )
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, _("密码已修改。"))
        return HttpResponseRedirect(self.get_success_url())


def _managed_users(request):
    """The people pages are for those who manage people somewhere (core.policy
    "manage_users"); they list the people the user sees."""
    if not policy.can_any(request.user, "manage_users", Unit):
        raise PermissionDenied(_("只有单位管理员或效能办可以管理人员。"))
    return User.objects.restrict(request.user, "view")


def _manageable_user(request, pk: int) -> User:
    """A person the user may change (edit, reset, deactivate): outside the scope 404, inside
    it but beyond the user's power (a peer's or a superior's account) 403 with the reason."""
    person = get_object_or_404(_managed_users(request).select_related("unit"), pk=pk)
    services.check_manages(request.user, person)
    return person


def _listed_users(request):
    """The people list's filters over the people the user manages: the page and its export
    give the same rows for the same query string. An invalid filter is named on the page
    (core/_filter_errors.html) and left out."""
    users = _managed_users(request).select_related("unit").prefetch_related("roles")
    filterset = UserFilterSet(request.GET or None, queryset=users, request=request)
    return filterset, filterset.qs.order_by("unit__sort_key", "username")


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    filterset, users = _listed_users(request)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    data = filterset.form.cleaned_data if filterset.is_bound else {}  # the valid filters
    q = (data.get("q") or "").strip()
    return render(
        request, "accounts/user_list.html", {"page": page, "q": q, "form": filterset.form}
    )


@login_required
def user_export(request: HttpRequest) -> HttpResponse:
    """The people listed, as the users ledger (it imports back unchanged)."""
    filterset, users = _listed_users(request)
    if filterset.is_bound and not filterset.is_valid():
        # A file cannot say that a filter was left out: back to the list, which names it.
        messages.error(request, _("筛选条件有误，未导出；请修改后再导出。"))
        return redirect(f"{reverse('accounts:user_list')}?{request.GET.urlencode()}")
    # Residents' phones as the user may see them (accounts.privacy); a masked one imported
    # back changes nothing (services._check_rows).
    return xlsx_response(USERS.export(privacy.as_seen_by(request.user, users)), "人员.xlsx")


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(_managed_users(request).select_related("unit"), pk=pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "person": user,
            "can_manage": policy.can(request.user, "change", user),
            "tokens": ApiToken.objects.filter(user=user).count(),
            "history": privacy.masked_history(history_for(user)[:50], request.user, user),
        },
    )


@login_required
def user_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _managed_users(request)
    editing = _manageable_user(request, pk) if pk else None
    initial = {}
    if editing:
        initial = {
            "username": editing.username,
            "name": editing.name,
            "unit": editing.unit,
            "roles": sorted(editing.role_codes),
            "phone": editing.phone,
            "email": editing.email,
        }
    form = UserForm(
        request.POST or None,
        initial=initial,
        actor=request.user,
        editing=editing,
        version=version_of(editing) if editing else None,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if editing is None:
                password = services.generate_password()
                person = services.add_user(
                    actor=request.user, password=password, must_change_password=True, **data
                )
                messages.success(
                    request,
                    _("已创建用户 %(u)s，初始密码：%(p)s（首次登录须修改）")
                    % {"u": person.username, "p": password},
                )
            else:
                data.pop("username")
                person = services.update_user(editing, actor=request.user, **data)
                messages.success(request, _("已保存。"))
            return redirect("accounts:user_detail", person.pk)
        except StaleEdit as exc:
            form.stale(exc)
        except ValidationError as exc:
            by_field = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
            for field, errors in by_field.items():
                form.add_error(field if field in form.fields else None, errors)
    return render(request, "accounts/user_form.html", {"form": form, "editing": editing})


@login_required
@require_POST
def user_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    person = _manageable_user(request, pk)
    password = services.reset_password(person, actor=request.user)
    messages.success(
        request,
        _("已重置 %(u)s 的密码，临时密码：%(p)s（登录后须修改）")
        % {"u": person.username, "p": password},
    )
    return redirect("accounts:user_detail", person.pk)


@login_required
@require_POST
def user_delete(request: HttpRequest, pk: int) -> HttpResponse:
    person = _manageable_user(request, pk)
    try:
        services.deactivate_user(
            person, actor=request.user, comment=request.POST.get("comment", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:user_detail", person.pk)
    messages.success(request, _("已停用并删除 %s（可在回收站恢复）") % person.username)
    return redirect("accounts:user_list")


@login_required
@require_POST
def user_revoke_tokens(request: HttpRequest, pk: int) -> HttpResponse:
    person = _manageable_user(request, pk)
    count = services.revoke_tokens(person, actor=request.user)
    messages.success(
        request,
        _("已撤销 %(u)s 的全部 API 令牌（%(n)d 个）。") % {"u": person.username, "n": count},
    )
    return redirect("accounts:user_detail", person.pk)


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """The user's own API tokens, one per device, each with a button to revoke it."""
    tokens = policy.restrict(ApiToken.objects.all(), request.user, "revoke")
    return render(
        request,
        "accounts/token_list.html",
        {"tokens": tokens, "token_hours": settings.TOKEN_HOURS},
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(
        policy.restrict(ApiToken.objects.all(), request.user, "revoke"), pk=pk
    )
    services.revoke_token(token, actor=request.user)
    messages.success(request, _("已撤销令牌“%s”。") % token)
    return redirect("accounts:token_list")


@login_required
def user_import(request: HttpRequest) -> HttpResponse:
    _managed_users(request)
    form = UserImportForm(request.POST or None, request.FILES or None)
    result = errors = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.import_users(upload, actor=request.user, file_label=upload.name)
        except ImportFailed as exc:
            errors = exc.errors
        except PermissionDenied as exc:
            errors = [str(exc)]
    return render(
        request, "accounts/user_import.html", {"form": form, "result": result, "errors": errors}
    )


@login_required
def user_import_template(request: HttpRequest) -> HttpResponse:
    _managed_users(request)
    example = {
        "username": "zhangsan",
        "name": "张三",
        "unit": request.user.unit.code,
        "roles": "承办人",
        "phone": "13800000000",
    }
    content = USERS.template([[example.get(c.key) for c in USERS.imported()]])
    return xlsx_response(content, "人员导入模板.xlsx")


MEMBERS_LIMIT = 20


@login_required
def members(request: HttpRequest) -> HttpResponse:
    """The person pickers' search (core.widgets.PersonPicker): the active members of one unit
    (`unit`, an id) whom the user may see, matching `q` (user name or name), by name. A unit
    the user may not see has no members to them."""
    if not policy.can_any(request.user, "view", Unit):
        raise PermissionDenied
    unit_id = parse_id(request.GET.get("unit"))
    unit = Unit.objects.restrict(request.user, "view").filter(pk=unit_id).first()
    people = User.objects.none()
    if unit is not None:
        people = User.objects.restrict(request.user, "view").filter(unit=unit, is_active=True)
    for word in request.GET.get("q", "").split()[:3]:
        people = people.filter(Q(username__icontains=word[:40]) | Q(name__contains=word[:40]))
    found = list(people.order_by("name", "username")[: MEMBERS_LIMIT + 1])
    results = [
        {
            "value": p.username,
            "name": p.name,
            "label": f"{p.name}（{p.username}）" if p.name else p.username,
        }
        for p in found[:MEMBERS_LIMIT]
    ]
    return JsonResponse(
        {"results": results, "more": len(found) > MEMBERS_LIMIT},
        json_dumps_params={"ensure_ascii": False},
    )
