"""The holiday schedule: load or delete official days, and recompute the provisional
working-day deadlines a newly loaded year settles."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.supervision.models import EventAction, Holiday, Item
from xiaoneng.supervision.services import _event
from xiaoneng.supervision.workdays import Calendar, add_workdays


@transaction.atomic
def load_holidays(days, *, actor, year: int | None = None) -> tuple[int, int]:
    """Store a year's schedule (date, is_workday, note) and recompute the provisional
    deadlines it settles. Returns (days stored, deadlines recomputed)."""
    if actor is not None and not actor.has_role("supervisor", "unit_admin"):
        raise PermissionDenied(_("只有督查人员或单位管理员可以维护节假日安排。"))
    days = list(days)
    if not days:
        raise ValidationError(_("没有可载入的日期。"))
    years = set()
    stored = 0
    for day, is_workday, note in days:
        y = year or day.year
        years.add(y)
        row = Holiday.all_objects.filter(date=day).first() or Holiday(date=day)
        row.is_workday = is_workday
        row.note = note[:100]
        row.year = y
        row.deleted_at = None
        row.save()
        stored += 1
    return stored, recompute_provisional(actor=actor)


@transaction.atomic
def delete_holiday(day: Holiday, *, actor) -> int:
    if actor is not None and not actor.has_role("supervisor", "unit_admin"):
        raise PermissionDenied
    day.delete()
    return 0


def recompute_provisional(*, actor=None) -> int:
    """Recompute every provisional working-day deadline; clear the flag where now known."""
    calendar = Calendar()
    changed = []
    for item in Item.objects.filter(deadline_provisional=True).select_for_update():
        if item.deadline_basis != "workdays" or item.deadline_count is None:
            item.deadline_provisional = not _year_known(item.deadline, calendar)
            changed.append((item, item.deadline))
            continue
        due, provisional = add_workdays(item.assigned_on, item.deadline_count, calendar)
        changed.append((item, item.deadline))
        item.deadline = due
        item.deadline_provisional = provisional
    for item, old in changed:
        item._audit_action = "recompute_deadline"
        item.save(update_fields=["deadline", "deadline_provisional", "updated_at"])
        _event(
            item,
            EventAction.DEADLINE,
            actor=actor,
            comment=_("节假日安排已载入，时限由 %(old)s 重算为 %(new)s%(mark)s")
            % {
                "old": old,
                "new": item.deadline,
                "mark": _("（仍为暂定）") if item.deadline_provisional else "",
            },
        )
    return len(changed)


def _year_known(day: dt.date | None, calendar: Calendar) -> bool:
    if day is None:
        return True
    calendar.provisional_years = set()
    calendar.is_workday(day)
    return not calendar.provisional_years
