"""The holiday table page: the year's holidays and working weekends, and the form that loads
a year's schedule from the State Council's notice."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from xiaoneng.core import policy
from xiaoneng.supervision import holidays
from xiaoneng.supervision.forms import ScheduleForm
from xiaoneng.supervision.models import Holiday
from xiaoneng.supervision.views import staff_only
from xiaoneng.supervision.workdays import parse_schedule


@login_required
def holiday_list(request: HttpRequest) -> HttpResponse:
    """The holiday table, and the form that loads a year's schedule from the notice."""
    staff_only(request.user)
    can_edit = policy.can(request.user, "manage_holidays")
    form = ScheduleForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            days, errors = parse_schedule(form.cleaned_data["text"])
            if errors:
                for e in errors:
                    form.add_error("text", e)
            else:
                try:
                    stored, recomputed = holidays.load_holidays(
                        days, actor=request.user, year=form.cleaned_data["year"]
                    )
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    messages.success(
                        request,
                        _("已载入 %(n)d 天；重算暂定时限 %(r)d 项。")
                        % {"n": stored, "r": recomputed},
                    )
                    return redirect("supervision:holiday_list")
    rows = Holiday.objects.restrict(request.user, "view").order_by("-year", "date")
    years = sorted({h.year for h in rows}, reverse=True)
    return render(
        request,
        "supervision/holiday_list.html",
        {"rows": rows, "years": years, "form": form, "can_edit": can_edit},
    )
