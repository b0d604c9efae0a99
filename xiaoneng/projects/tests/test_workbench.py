"""The project panels of the workbench: each counter equals the rows of the list it links
to (read from the list page itself), and the KPIs are the dashboard's."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from xiaoneng.conftest import make_user
from xiaoneng.core.policy import SYSTEM
from xiaoneng.projects import services
from xiaoneng.projects.workbench import panels

TODAY = dt.date(2022, 9, 20)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)


@pytest.fixture
def ledger(make_project, county_a, county_b):
    started = dt.date(2022, 6, 8)
    # Owes August (due 9-10, so missing now) and July (missing); started in June.
    make_project("W1", county=county_a, actual_start=started, leader_in_charge="张三")
    w2 = make_project("W2", county=county_a, actual_start=started, leader_in_charge="张三、李四")
    services.save_report(w2, actor=SYSTEM, year=2022, month=8, completed_ytd=Decimal("400"),
                         today=TODAY)  # fmt: skip
    make_project("W3", county=county_a, leader_in_charge="张三丰")  # not 张三's
    make_project("W4", county=county_a, planned_start=dt.date(2022, 3, 1))  # late start: red
    make_project("W5", county=county_b, actual_start=started, leader_in_charge="张三")


def _rows_of(client, url: str) -> int:
    page = client.get(url).content.decode()
    return int(re.search(r"共 (\d+) 个项目", page)[1])


def _counters(user) -> dict:
    return {c.label: c for panel in panels(user) for c in panel.counters}


def _assert_counters_are_their_lists(user, client) -> dict:
    counters = _counters(user)
    assert counters
    for counter in counters.values():
        assert counter.count == _rows_of(client, counter.url), counter
    return counters


def test_a_reporter_sees_the_months_reports_due_and_missing(
    ledger, county_a, client_for, monkeypatch
):
    reporter = make_user("xs_tb", county_a, "reporter")
    # 20 September: August's deadline (the 10th) has passed: W1's August is missing.
    counters = _assert_counters_are_their_lists(reporter, client_for(reporter))
    assert list(counters) == ["月度调度表缺报"]
    missing = counters["月度调度表缺报"]
    assert missing.count == 1 and "8月" in missing.hint and "9月10日" in missing.hint
    assert missing.tone != "danger"  # red is the red light's alone
    assert {p.title for p in panels(reporter)} == {"月度调度表"}  # no KPIs for a reporter
    # 5 September: August is still due (W1), and W1's July is missing (W2 reported August).
    monkeypatch.setattr(timezone, "localdate", lambda *args: dt.date(2022, 9, 5))
    counters = _assert_counters_are_their_lists(reporter, client_for(reporter))
    due = counters["8月月度调度表待报"]
    assert due.count == 1 and due.hint == "截止日9月10日"
    assert counters["月度调度表缺报"].count == 1


def test_a_leader_finds_the_projects_he_leads_by_his_name(ledger, county_a, client_for):
    leader = make_user("xs_ld", county_a, "leader", name="张三")
    counters = _assert_counters_are_their_lists(leader, client_for(leader))
    led = counters["我包保的项目"]
    assert led.count == 2  # W1 and W2; not 张三丰's W3, not W5 outside his county
    assert "张三" in led.hint


def test_a_supervisor_sees_the_kpis_of_the_scope_as_the_dashboard(
    ledger, province_supervisor, client_for
):
    client = client_for(province_supervisor)
    counters = _assert_counters_are_their_lists(province_supervisor, client)
    assert counters["红灯项目"].count >= 1
    assert "我包保的项目" not in counters  # 王效能 leads none
    (panel,) = [p for p in panels(province_supervisor) if p.template]
    dashboard = client.get("/projects/").context
    for key in ("start_rate", "in_stats_rate", "completion_rate", "projects"):
        assert panel.context["summary"][key] == dashboard["summary"][key], key
    home = client.get("/").content.decode()
    assert "开工率" in home and "红灯项目" in home


def test_a_handler_gets_no_project_panel(ledger, handler_a):
    assert panels(handler_a) == []
