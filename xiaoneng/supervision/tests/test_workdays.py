import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse

from xiaoneng.conftest import make_user
from xiaoneng.core.policy import SYSTEM
from xiaoneng.supervision import holidays
from xiaoneng.supervision.models import Holiday, Item
from xiaoneng.supervision.workdays import Calendar, Due, add_workdays, due, parse_schedule

D = dt.date


@pytest.mark.django_db
def test_it_counts_working_days_across_the_2022_national_day_holiday():
    assert add_workdays(D(2022, 9, 29), 10) == (D(2022, 10, 18), False)


@pytest.mark.django_db
def test_it_counts_the_2024_spring_festival_make_up_days():
    # 2024-02-04 (Sunday) and 2024-02-18 (Sunday) were make-up workdays; 02-10..02-17 off.
    assert add_workdays(D(2024, 2, 2), 1) == (D(2024, 2, 4), False)
    assert add_workdays(D(2024, 2, 8), 1) == (D(2024, 2, 9), False)
    assert add_workdays(D(2024, 2, 9), 1) == (D(2024, 2, 18), False)
    assert add_workdays(D(2024, 2, 9), 2) == (D(2024, 2, 19), False)


@pytest.mark.django_db
def test_it_marks_a_deadline_in_an_unknown_year_provisional():
    due, provisional = add_workdays(D(2026, 12, 28), 10)
    # weekends only: 12-29,30,31, 01-01 (Fri), 01-04..08, 01-11
    assert due == D(2027, 1, 11)
    assert provisional is True


@pytest.mark.django_db
def test_it_recomputes_provisional_deadlines_when_the_year_is_loaded(
    make_item, province_supervisor
):
    item = make_item(assigned_on=D(2026, 12, 28), deadline=None, deadline_workdays=10)
    assert item.deadline == D(2027, 1, 11) and item.deadline_provisional
    other = make_item(assigned_on=D(2026, 1, 5), deadline=None, deadline_workdays=5)
    assert not other.deadline_provisional
    days, errors = parse_schedule(
        "2027-01-01 休 元旦\n2027-01-04~2027-01-05 休 假想的补休\n2027-01-09 班 调休"
    )
    assert errors == []
    stored, recomputed = holidays.load_holidays(days, actor=province_supervisor, year=2027)
    assert (stored, recomputed) == (4, 1)
    item.refresh_from_db()
    # 12-29,30,31 (3), 01-06,07,08 (6), 01-09 Sat workday (7), 01-11,12,13 (10)
    assert item.deadline == D(2027, 1, 13)
    assert item.deadline_provisional is False
    assert item.events.filter(action="deadline").exists()


@pytest.mark.django_db
def test_it_reports_schedule_lines_it_cannot_read():
    _days, errors = parse_schedule("2027-13-01 休\n2027-01-02 玩")
    assert len(errors) == 2 and "第 1 行" in errors[0] and "第 2 行" in errors[1]


@pytest.mark.django_db
def test_it_shows_the_provisional_warning_on_the_item_page(
    make_item, client_for, province_supervisor
):
    item = make_item(assigned_on=D(2026, 12, 28), deadline=None, deadline_workdays=10)
    page = client_for(province_supervisor).get(f"/supervision/{item.pk}/").content.decode()
    assert "暂只扣除周末" in page
    assert Item.objects.filter(deadline_provisional=True).count() == 1


@pytest.mark.django_db
def test_a_table_row_in_a_year_the_package_knows_overrides_that_day_only():
    # 2025 is chinese-calendar's: 2025-09-29 + 10 working days crosses National Day.
    assert add_workdays(D(2025, 9, 29), 10) == (D(2025, 10, 20), False)
    Holiday.objects.create(date=D(2025, 12, 31), year=2025, note="假想的放假", actor=SYSTEM)
    # The other days of 2025 still come from the package…
    assert add_workdays(D(2025, 9, 29), 10) == (D(2025, 10, 20), False)
    # …and the table's day counts: 12-31 off, 2026-01-01..03 off, 01-04 (Sunday) worked.
    assert add_workdays(D(2025, 12, 30), 1) == (D(2026, 1, 4), False)
    assert add_workdays(D(2025, 12, 29), 1) == (D(2025, 12, 30), False)


@pytest.mark.django_db
def test_a_single_day_cannot_settle_a_year_nobody_knows(make_item, capsys):
    item = make_item(assigned_on=D(2026, 12, 28), deadline=None, deadline_workdays=10)
    with pytest.raises(CommandError, match="2027 年的放假安排尚未载入"):
        call_command("holidays", "add", "2027-01-04")
    assert not Holiday.objects.exists()
    item.refresh_from_db()
    assert item.deadline_provisional
    # Once the year's schedule is loaded, single days correct it.
    call_command("holidays", "import", str(_schedule_file("2027-01-01 休 元旦")))
    call_command("holidays", "add", "2027-01-04", "--note", "补休")
    assert Holiday.objects.filter(year=2027).count() == 2
    # The loaded schedule made the item's deadline final; a later correction is for new
    # deadlines (12-29,30,31, 01-05..08, 01-11,12,13: 01-01 and 01-04 off).
    item.refresh_from_db()
    assert (item.deadline, item.deadline_provisional) == (D(2027, 1, 12), False)
    assert add_workdays(D(2026, 12, 28), 10) == (D(2027, 1, 13), False)


def _schedule_file(text):
    import tempfile
    from pathlib import Path

    path = Path(tempfile.mkdtemp()) / "schedule.txt"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_loading_a_year_leaves_other_years_provisional_items_alone(make_item, province_supervisor):
    item = make_item(assigned_on=D(2026, 12, 28), deadline=None, deadline_workdays=10)
    events = item.events.count()
    days, _errors = parse_schedule("2028-01-01 休 元旦")
    assert holidays.load_holidays(days, actor=province_supervisor, year=2028) == (1, 0)
    item.refresh_from_db()
    assert item.deadline_provisional and item.events.count() == events


@pytest.mark.django_db
def test_only_the_province_maintains_the_national_calendar(
    province_supervisor, county_a, client_for
):
    days, _errors = parse_schedule("2027-01-01 休 元旦")
    for user in (
        make_user("xs_admin", county_a, "unit_admin"),
        make_user("xs_xn2", county_a, "supervisor"),
    ):
        with pytest.raises(PermissionDenied):
            holidays.load_holidays(days, actor=user, year=2027)
        c = client_for(user)
        page = c.get(reverse("supervision:holiday_list")).content.decode()
        assert "<textarea" not in page and "省级" in page
        r = c.post(reverse("supervision:holiday_list"), {"year": 2027, "text": "2027-01-01 休"})
        assert r.status_code == 403
    assert not Holiday.objects.exists()
    admin = make_user("sheng_admin", province_supervisor.unit, "unit_admin")
    assert holidays.load_holidays(days, actor=admin, year=2027) == (1, 0)


@pytest.mark.django_db
def test_it_counts_the_working_days_between_two_days_as_add_workdays_walks_them():
    """workdays_between is add_workdays' inverse, across National Day, the new year and a
    year the package does not know (weekends only)."""
    calendar = Calendar()
    assert calendar.workdays_between(D(2022, 9, 29), D(2022, 10, 18)) == 10
    for start in (D(2022, 9, 29), D(2025, 12, 20), D(2026, 12, 1)):
        for n in (0, 1, 4, 5, 23, 250, 400):
            end, _provisional = add_workdays(start, n)
            assert calendar.workdays_between(start, end) == n, (start, n)
    assert calendar.workdays_between(D(2022, 10, 18), D(2022, 9, 29)) == 0


@pytest.mark.django_db
def test_a_loaded_holiday_counts_in_the_working_days():
    calendar = Calendar()
    assert calendar.workdays_between(D(2030, 1, 1), D(2030, 1, 4)) == 3  # Wed, Thu, Fri
    Holiday.objects.create(date=D(2030, 1, 3), year=2030, note="测试", actor=SYSTEM)
    assert Calendar().workdays_between(D(2030, 1, 1), D(2030, 1, 4)) == 2


@pytest.mark.django_db
def test_the_text_beside_a_deadline_is_one_rule():
    calendar = Calendar()
    monday = D(2026, 11, 30)
    # Overdue is the light's: the days are counted after the deadline up to today.
    assert due(D(2026, 11, 27), "red", monday, calendar) == Due(overdue=True, workdays=1)
    assert due(D(2026, 11, 29), "red", monday, calendar).workdays == 1  # a Sunday
    late = due(D(2026, 11, 28), "red", D(2026, 11, 29), calendar)  # missed on a weekend
    assert late.overdue and late.workdays == 0
    soon = due(D(2026, 12, 2), "yellow", monday, calendar)
    assert not soon.overdue and soon.workdays == 2 and not soon.today
    assert due(monday, "yellow", monday, calendar).today
    assert due(None, "green", monday, calendar) is None
    assert due(D(2026, 12, 2), "none", monday, calendar) is None  # closed
