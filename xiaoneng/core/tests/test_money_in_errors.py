"""Money in a refusal reads as on the page (issue 12 item 10): 12,345.60 万元, not
12345.6000."""

import datetime as dt
from decimal import Decimal

from xiaoneng.core.policy import SYSTEM
from xiaoneng.projects.models import Batch, Industry, Project
from xiaoneng.projects.services import check_report, ensure_default_industries


def test_a_report_over_the_total_investment_names_it_as_the_page_does(prefecture):
    ensure_default_industries(actor=SYSTEM)
    batch = Batch.objects.create(code="2022Q2", ceremony_date=dt.date(2022, 6, 8), actor=SYSTEM)
    project = Project.objects.create(
        code="2022Q2-0001", name="水库项目", batch=batch, prefecture=prefecture,
        industry=Industry.objects.first(), total_investment=Decimal("12345.6"),
        annual_plan=Decimal("5000"), actor=SYSTEM,
    )  # fmt: skip
    today = dt.date(2022, 12, 5)
    _month, _ytd, errors = check_report(
        project, year=2022, month=11, completed_this_month=None,
        completed_ytd=Decimal("20000"), today=today, neighbours=(None, None),
    )  # fmt: skip
    assert errors["completed_ytd"] == "本年累计不能大于总投资 12,345.60 万元"
