"""Fixtures of the project module: a batch, a ledger builder and small projects."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import Workbook

from xiaoneng.core.policy import SYSTEM
from xiaoneng.projects.models import Batch, Industry, Project
from xiaoneng.projects.services import ensure_default_industries, set_opening_figure

HEADERS = [
    "项目编号", "项目名称", "州市", "县市区", "行业类别", "总投资(万元)", "年度计划投资(万元)",
    "计划开工时间", "实际开工时间", "是否入库", "入库时间", "累计完成投资(万元)", "项目业主", "包保领导",
]  # fmt: skip


def xlsx(headers, rows) -> bytes:
    """A real .xlsx built with openpyxl (dates stay Excel date cells)."""
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ledger_row(code, name="项目", prefecture="昆明市", county="西山区", industry="交通", **kw):
    values = {
        "总投资(万元)": 1000,
        "年度计划投资(万元)": 500,
        "计划开工时间": "2022-03",
        "实际开工时间": None,
        "是否入库": "否",
        "入库时间": None,
        "累计完成投资(万元)": 0,
        "项目业主": "业主公司",
        "包保领导": "张三",
        **kw,
    }
    return [code, name, prefecture, county, industry, *(values[h] for h in HEADERS[5:])]


@pytest.fixture
def batch(db) -> Batch:
    # Transactional (browser) tests flush the catalogue the migration seeded.
    ensure_default_industries(actor=SYSTEM)
    return Batch.objects.create(code="2022Q2", ceremony_date=dt.date(2022, 6, 8), actor=SYSTEM)


@pytest.fixture
def make_project(batch, prefecture):
    def _make(code, *, county=None, unit=None, industry="交通", **kw):
        values = {
            "name": f"项目{code}",
            "batch": batch,
            "prefecture": unit or prefecture,
            "county": county,
            "industry": Industry.objects.get(name=industry),
            "total_investment": Decimal("1000"),
            "annual_plan": Decimal("500"),
            **kw,
        }
        completed = values.pop("completed_ytd", None)
        project = Project.objects.create(code=code, actor=SYSTEM, **values)
        if completed is not None:
            # As the import and the edit form do: the figure is the opening report of this
            # month (completed investment has one source, the reports).
            today = timezone.localdate()
            if project.completed_year not in (None, today.year):
                today = dt.date(project.completed_year, 12, 1)
            set_opening_figure(project, completed, actor=SYSTEM, today=today)
            project.save(actor=SYSTEM)
        return project

    return _make
