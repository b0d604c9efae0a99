"""Working days (工作日) of mainland China.

Which days are worked comes from, in order:
1. the Holiday table, for the days it lists (the State Council's schedule an admin loaded,
   or a single day corrected; it wins when both know a day);
2. the `chinese-calendar` package, for the other days of the years it knows (2004–2026 in 1.11);
3. weekends, for the other days of a year whose schedule was loaded into the table;
4. otherwise weekends only — and the result is marked *provisional*. When that year's
   schedule is loaded, `holidays.load_holidays` recomputes provisional deadlines.
"""

import datetime as dt
import functools
from dataclasses import dataclass, field

import chinese_calendar
from chinese_calendar.constants import holidays as PACKAGE_HOLIDAYS
from chinese_calendar.constants import workdays as PACKAGE_WORKDAYS


@dataclass
class Calendar:
    """Answers is_workday(day) with a per-instance cache of the Holiday table by year."""

    _table: dict[int, dict[dt.date, bool]] = field(default_factory=dict)
    provisional_years: set[int] = field(default_factory=set)

    _loaded: dict[int, bool] = field(default_factory=dict)
    _totals: dict[int, list[int]] = field(default_factory=dict)  # running workdays by day

    def _year_table(self, year: int) -> dict[dt.date, bool]:
        if year not in self._table:
            from xiaoneng.supervision.models import Holiday

            rows = Holiday.objects.filter(year=year).values_list("date", "is_workday")
            self._loaded[year] = bool(rows)
            self._table[year] = dict(rows)
            # A schedule filed under the previous year can reach into this one (New Year).
            self._table[year].update(
                Holiday.objects.filter(date__year=year).values_list("date", "is_workday")
            )
        return self._table[year]

    def knows_year(self, year: int) -> bool:
        """Whether the year's schedule is known: the package has it, or it was loaded."""
        self._year_table(year)
        return self._loaded[year] or _package_knows(year)

    def is_workday(self, day: dt.date) -> bool:
        table = self._year_table(day.year)
        if day in table:
            return table[day]
        if _package_knows(day.year):
            # chinese_calendar.is_workday's own rule, read from its tables directly: its
            # function checks the year's range on every call (most of a list page's time).
            return day in PACKAGE_WORKDAYS or (day.weekday() < 5 and day not in PACKAGE_HOLIDAYS)
        if not self._loaded[day.year]:
            self.provisional_years.add(day.year)
        return day.weekday() < 5

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """The working days after `start` up to and including `end` (0 if end <= start).
        Counted from running totals per year, built once per year and instance: a page's
        rows cost a few subtractions each, not a walk over their days."""
        if end <= start:
            return 0
        first = self._year_totals(start.year)
        count = -first[start.timetuple().tm_yday - 1]
        for year in range(start.year, end.year):
            count += self._year_totals(year)[-1]
        return count + self._year_totals(end.year)[end.timetuple().tm_yday - 1]

    def _year_totals(self, year: int) -> list[int]:
        if year not in self._totals:
            day, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
            running, totals = 0, []
            while day <= end:
                running += self.is_workday(day)
                totals.append(running)
                day += dt.timedelta(days=1)
            self._totals[year] = totals
        return self._totals[year]


@dataclass(frozen=True)
class Due:
    """How an open item stands against its deadline, in working days (the text beside a
    deadline: "超期 N 个工作日", "剩余 N 个工作日", "今日到期")."""

    overdue: bool
    workdays: int
    today: bool = False


def due(deadline: dt.date | None, light: str, on: dt.date, calendar: Calendar) -> Due | None:
    """The one rule for the working days beside a deadline. Whether the item is overdue is
    its light's (red: lights.py), never decided again here; this counts the days:
    overdue by the working days after the deadline up to `on` (a deadline missed on a
    weekend is overdue by 0 working days until Monday), remaining the working days after
    `on` up to the deadline. None for a closed item or one without a deadline."""
    if deadline is None or light == "none":
        return None
    if light == "red":
        return Due(overdue=True, workdays=calendar.workdays_between(deadline, on))
    return Due(
        overdue=False, workdays=calendar.workdays_between(on, deadline), today=deadline == on
    )


@functools.cache
def _package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def add_workdays(
    start: dt.date, count: int, calendar: Calendar | None = None
) -> tuple[dt.date, bool]:
    """The `count`-th working day after `start` (start itself not counted), and whether
    the answer is provisional (some day on the way fell in a year nobody knows)."""
    cal = calendar or Calendar()
    cal.provisional_years = set()
    day = start
    remaining = count
    while remaining > 0:
        day += dt.timedelta(days=1)
        if cal.is_workday(day):
            remaining -= 1
    return day, bool(cal.provisional_years)


def compute_deadline(
    assigned_on: dt.date, basis: str, count: int | None, date: dt.date | None
) -> tuple[dt.date | None, bool]:
    """(deadline, provisional) for a basis: "date" (given), "days" (natural) or "workdays"."""
    if basis == "workdays" and count is not None:
        return add_workdays(assigned_on, count)
    if basis == "days" and count is not None:
        return assigned_on + dt.timedelta(days=count), False
    return date, False


def parse_schedule(text: str) -> tuple[list[tuple[dt.date, bool, str]], list[str]]:
    """Lines of a State Council notice, one day or range a line:

        2027-01-01 休 元旦
        2027-02-06~2027-02-12 休 春节
        2027-02-14 班 春节调休

    "休"/"假"/"holiday" marks days off, "班"/"上班"/"workday" make-up workdays.
    Commas, tabs and spaces all separate. Returns (days, errors with line numbers).
    """
    days: list[tuple[dt.date, bool, str]] = []
    errors: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().replace("，", ",").replace(",", " ").replace("\t", " ")
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) < 2:
            errors.append(f"第 {number} 行：应为“日期 休/班 说明”")
            continue
        span, mark, note = parts[0], parts[1], " ".join(parts[2:])
        if mark in ("休", "假", "放假", "holiday", "off"):
            workday = False
        elif mark in ("班", "上班", "调休上班", "workday", "work"):
            workday = True
        else:
            errors.append(f"第 {number} 行：“{mark}”应为“休”或“班”")
            continue
        try:
            if "~" in span or "至" in span:
                first, last = span.replace("至", "~").split("~", 1)
                begin, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
            else:
                begin = end = dt.date.fromisoformat(span)
        except ValueError:
            errors.append(f"第 {number} 行：日期“{span}”应写作 2027-01-01 或 2027-02-06~2027-02-12")
            continue
        if end < begin or (end - begin).days > 31:
            errors.append(f"第 {number} 行：日期范围“{span}”不正确")
            continue
        day = begin
        while day <= end:
            days.append((day, workday, note))
            day += dt.timedelta(days=1)
    return days, errors
