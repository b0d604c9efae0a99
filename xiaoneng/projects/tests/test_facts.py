"""A project's started / in statistics / completed: one definition (models.with_facts), which
the KPIs, alerts, the ledger, the monthly reports, the list and the API agree on."""

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from xiaoneng.core.policy import SYSTEM
from xiaoneng.projects import alerts, kpis, services
from xiaoneng.projects.models import Project, Status, stage_of
from xiaoneng.projects.parsing import add_months

from .conftest import HEADERS, ledger_row, xlsx

D = Decimal
START = dt.date(2022, 3, 15)


def test_a_monthly_report_does_not_start_a_project(batch, county_a):
    """The bug: a report with an amount set 已开工 without an actual start date; the project
    then failed its own check and re-importing the unchanged ledger reported one change."""
    content = xlsx(HEADERS, [ledger_row("P1")])  # no actual start
    assert services.import_projects(content, batch=batch, actor=SYSTEM).created == 1
    project = Project.objects.get()
    last_month = add_months(timezone.localdate().replace(day=1), -1)
    services.save_report(
        project,
        actor=SYSTEM,
        year=last_month.year,
        month=last_month.month,
        completed_this_month=D("100"),
    )
    project.refresh_from_db()
    typed = {name: getattr(project, name) for name in services.EDITABLE_FIELDS}
    assert services.check_project(typed, actor=SYSTEM) == {}  # passes its own check
    facts = Project.objects.with_facts().get()
    assert (facts.is_started, facts.stage) == (False, Status.NOT_STARTED)
    assert project.status == Status.NOT_STARTED
    again = services.import_projects(content, batch=batch, actor=SYSTEM)
    assert (again.updated, again.unchanged) == (0, 1)


def test_every_reader_agrees_on_the_facts(
    make_project, county_a, client_for, province_supervisor, province
):
    """Every combination of typed values: the SQL (with_facts), the Python twin (stage_of),
    the KPIs, the list filter and the API give the same answers."""
    combos = itertools.product([None, START], [False, True], [Status.NOT_STARTED, *Project_DONE])
    expected = {}
    for n, (start, in_stats, status) in enumerate(combos):
        code = f"F{n}"
        make_project(
            code,
            county=county_a,
            actual_start=start,
            in_stats=in_stats,
            status=status,
            planned_start=dt.date(2022, 1, 1),
        )
        expected[code] = stage_of({"actual_start": start, "in_stats": in_stats, "status": status})
    rows = {p.code: p for p in Project.objects.with_facts()}
    for code, stage in expected.items():
        row = rows[code]
        assert row.stage == stage
        assert row.get_stage_display() == Project.objects.get(code=code).get_stage_display()
        assert row.is_started == (row.actual_start is not None) == row.started
        assert row.is_in_stats == row.in_stats
        assert row.is_completed == (row.status in Project_DONE)

    data = kpis.summary(Project.objects.all())
    assert data["started"] == sum(r.is_started for r in rows.values())
    assert data["in_stats"] == sum(r.is_in_stats for r in rows.values())

    api = client_for(province_supervisor).get("/api/projects/?page_size=100").json()
    results = api["results"] if isinstance(api, dict) else api
    assert {r["code"]: r["status"] for r in results} == expected

    client = client_for(province_supervisor)
    for stage in Status.values:
        page = client.get("/projects/list/", {"status": stage}).content.decode()
        for code, its_stage in expected.items():
            assert (f">{code} 项目{code}<" in page) == (its_stage == stage), (stage, code)

    # Alerts: completed projects never warn; a late start is one without an actual start.
    today = dt.date(2023, 6, 20)
    warned = {p.code for p in alerts.annotate(Project.objects.all(), today) if p.start_level}
    assert warned == {c for c, r in rows.items() if not r.is_started and not r.is_completed}


Project_DONE = (Status.COMPLETED, Status.IN_PRODUCTION)
