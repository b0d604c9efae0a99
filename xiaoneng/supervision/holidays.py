"""The holiday schedule: load or delete official days, and recompute the provisional
working-day deadlines a newly loaded year settles."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.core import policy
from xiaoneng.supervision.models import EventAction, Holiday, Item
from xiaoneng.supervision.services.timeline import record_event
from xiaoneng.supervision.workdays import Calendar, add_workdays


@transaction.atomic
def load_holidays(
    days, *, actor, year: int | None = None, schedule: bool = True
) -> tuple[int, int]:
    """Store days (date, is_workday, note) and recompute the provisional deadlines they
    settle. Returns (days stored, deadlines recomputed).

    `schedule`: the days are a year's schedule (the notice, loaded whole): a year neither
    the table nor chinese-calendar knew becomes known, its provisional deadlines final.
    Otherwise the days correct single days of years already known; a day in an unknown
    year is refused, since one day cannot settle a year's deadlines.
    """
    # The calendar is national: only the province's supervisors and admins maintain it.
    policy.require(
        actor,
        "manage_holidays",
        message=_("节假日安排全省通用，只有省级督查人员或管理员可以维护。"),
    )
    days = list(days)
    if not days:
        raise ValidationError(_("没有可载入的日期。"))
    if not schedule:
        calendar = Calendar()
        unknown = sorted(
            {(year or d.year) for d, _w, _n in days if not calendar.knows_year(year or d.year)}
        )
        if unknown:
            raise ValidationError(
                _(
                    "%(years)s 年的放假安排尚未载入，单日添加不能确定该年的工作日：请先载入全年安排。"
                )
                % {"years": "、".join(map(str, unknown))}
            )
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
        row.save(actor=actor)
        stored += 1
    return stored, recompute_provisional(actor=actor)


def recompute_provisional(*, actor) -> int:
    """Recompute every provisional working-day deadline; clear the flag where now known.
    Items whose deadline and flag stay as they were are left alone (no timeline noise)."""
    calendar = Calendar()
    changed = []
    for item in Item.objects.filter(deadline_provisional=True).select_for_update():
        old = item.deadline
        if item.deadline_basis != "workdays" or item.deadline_count is None:
            provisional = not _year_known(item.deadline, calendar)
        else:
            item.deadline, provisional = add_workdays(
                item.assigned_on, item.deadline_count, calendar
            )
        if item.deadline == old and provisional:
            continue
        item.deadline_provisional = provisional
        changed.append((item, old))
    for item, old in changed:
        item._audit_action = "recompute_deadline"
        item.save(update_fields=["deadline", "deadline_provisional", "updated_at"], actor=actor)
        record_event(
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
