"""The data migrations of issue 11: a stored status back in line with the typed facts, and
a ledger figure without reports turned into an opening report."""

import importlib
from decimal import Decimal

from django.db import connection
from django.db.migrations.loader import MigrationLoader

from xiaoneng.core.policy import SYSTEM
from xiaoneng.projects.models import MonthlyReport, Project, Status

status_migration = importlib.import_module(
    "xiaoneng.projects.migrations.0005_status_follows_typed_facts"
)
opening_migration = importlib.import_module(
    "xiaoneng.projects.migrations.0007_ledger_figures_as_opening_reports"
)


def test_it_repairs_the_status_and_turns_ledger_figures_into_opening_reports(
    make_project, county_a
):
    project = make_project("A1", county=county_a)  # not started
    reported = make_project("A2", county=county_a)
    MonthlyReport.objects.create(
        project=reported, year=2025, month=3, completed_this_month=1, completed_ytd=1, actor=SYSTEM
    )
    # As a report left it before: 已开工 without a start date, a figure of last year.
    Project.objects.filter(pk__in=[project.pk, reported.pk]).update(
        status=Status.STARTED, completed_ytd=Decimal("700"), completed_year=2025
    )
    # The migrations' own (historical) models, as `migrate` gives them: plain models, whose
    # saves the change log does not record.
    state = MigrationLoader(connection).project_state().apps
    status_migration.forwards(state, None)
    opening_migration.forwards(state, None)
    project.refresh_from_db()
    assert project.status == Status.NOT_STARTED
    opening = MonthlyReport.objects.get(project=project)
    assert (opening.is_opening, opening.year, opening.month) == (True, 2025, 12)
    assert opening.completed_ytd == opening.completed_this_month == Decimal("700")
    assert MonthlyReport.objects.filter(project=reported).count() == 1  # has reports: kept
