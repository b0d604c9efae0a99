from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.accounts import services
from xiaoneng.accounts.forms import UserForm, UserImportForm
from xiaoneng.accounts.models import User
from xiaoneng.core.audit import history_for
from xiaoneng.core.xlsx import ImportFailed, write_xlsx, xlsx_response


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("core:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.request.user.must_change_password:
            self.request.user.must_change_password = False
            self.request.user.save()
        messages.success(self.request, _("密码已修改。"))
        return response


def _managed_users(request):
    if not request.user.has_role(*services.MANAGER_ROLES):
        raise PermissionDenied
    return User.objects.visible_to(request.user)


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    users = _managed_users(request).select_related("unit").prefetch_related("roles")
    q = request.GET.get("q", "").strip()
    if q:
        users = users.filter(
            Q(username__icontains=q) | Q(name__icontains=q) | Q(unit__name__icontains=q)
        )
    page = Paginator(users.order_by("unit__path", "username"), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page, "q": q})


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(_managed_users(request).select_related("unit"), pk=pk)
    return render(
        request, "accounts/user_detail.html", {"person": user, "history": history_for(user)[:50]}
    )


@login_required
def user_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    editing = get_object_or_404(_managed_users(request), pk=pk) if pk else None
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
    form = UserForm(request.POST or None, initial=initial, actor=request.user, editing=editing)
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
        except ValidationError as exc:
            for field, errors in getattr(exc, "error_dict", {None: exc.error_list}).items():
                form.add_error(field if field in form.fields else None, errors)
    return render(request, "accounts/user_form.html", {"form": form, "editing": editing})


@login_required
@require_POST
def user_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(_managed_users(request), pk=pk)
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
    person = get_object_or_404(_managed_users(request), pk=pk)
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
    content = write_xlsx(
        ["用户名", "姓名", "单位编码", "角色", "手机号"],
        [["zhangsan", "张三", request.user.unit.code, "承办人", "13800000000"]],
        sheet="人员",
    )
    return xlsx_response(content, "人员导入模板.xlsx")
