import datetime as dt

import pytest

from xiaoneng.supervision import holidays
from xiaoneng.supervision.models import Item
from xiaoneng.supervision.workdays import add_workdays, parse_schedule

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
