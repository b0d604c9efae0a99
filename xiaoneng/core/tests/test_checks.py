"""System checks: per-app thresholds (core/thresholds.py) and the several-servers warnings."""

from decimal import Decimal

import pytest

from xiaoneng.core import checks
from xiaoneng.projects import conf as projects_conf
from xiaoneng.supervision import conf as supervision_conf


def _ids(messages) -> list[str]:
    return [m.id for m in messages]


def test_the_default_thresholds_pass():
    assert checks.check_thresholds(None) == []


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("XIAONENG_LIGHT_YELLOW_DAYS", -1, "must not be below 0"),
        ("XIAONENG_LIGHT_BEHIND_POINTS", 101, "must not be above 100"),
        ("XIAONENG_URGE_ESCALATE_AFTER", 0, "must not be below 1"),
        ("XIAONENG_PLAN_DAYS", -10, "must not be below 1"),
        ("XIAONENG_PROJECTS_REPORT_DUE_DAY", 0, "must not be below 1"),
        ("XIAONENG_PROJECTS_REPORT_DUE_DAY", 32, "must not be above 31"),
        ("XIAONENG_PROJECTS_SCREEN_REFRESH_SECONDS", 0, "must not be below 1"),
        ("XIAONENG_PROJECTS_START_YELLOW_MONTHS", -1, "must not be below 0"),
        ("XIAONENG_PROJECTS_PACE_RED_POINTS", 130, "must not be above 100"),
        ("XIAONENG_PROJECTS_TOTAL_BRACKETS_YI", (Decimal(-1), Decimal(5)), "below 0"),
        ("XIAONENG_PROJECTS_TOTAL_BRACKETS_YI", (Decimal(20), Decimal(10)), "must rise"),
        ("XIAONENG_PROJECTS_ANNUAL_BRACKETS_YI", (Decimal(1), Decimal(1)), "must rise"),
        ("XIAONENG_PROJECTS_ANNUAL_BRACKETS_YI", (), "at least one"),
    ],
)
def test_a_threshold_out_of_range_is_an_error(settings, name, value, says):
    setattr(settings, name, value)
    [error] = checks.check_thresholds(None)
    assert error.id == "xiaoneng.E004"
    assert name in error.msg and says in error.msg


@pytest.mark.parametrize("pair", ["START", "STATS", "PACE"])
def test_a_yellow_limit_beyond_the_red_one_is_an_error(settings, pair):
    setattr(settings, f"XIAONENG_PROJECTS_{pair}_YELLOW_MONTHS", 5)
    setattr(settings, f"XIAONENG_PROJECTS_{pair}_RED_MONTHS", 2)
    setattr(settings, f"XIAONENG_PROJECTS_{pair}_YELLOW_POINTS", 50)
    setattr(settings, f"XIAONENG_PROJECTS_{pair}_RED_POINTS", 20)
    [error] = checks.check_thresholds(None)
    assert (
        f"{pair}_YELLOW" in error.msg and "the yellow limit must not pass the red one" in error.msg
    )


def test_a_value_that_does_not_parse_is_an_error_not_a_crash(monkeypatch):
    monkeypatch.setenv("XIAONENG_PLAN_DAYS", "ten")
    monkeypatch.setenv("XIAONENG_PROJECTS_TOTAL_BRACKETS_YI", "10,twenty")
    messages = sorted(e.msg for e in checks.check_thresholds(None))
    assert messages == [
        "XIAONENG_PLAN_DAYS='ten': expected a whole number",
        "XIAONENG_PROJECTS_TOTAL_BRACKETS_YI='10,twenty': "
        "expected numbers separated by commas, e.g. 10,20,30",
    ]


def test_thresholds_are_read_one_way(settings, monkeypatch):
    """The environment, unless a Django setting of the same name overrides it; at each use."""
    monkeypatch.setenv("XIAONENG_PLAN_DAYS", "12")
    monkeypatch.setenv("XIAONENG_PROJECTS_TOTAL_BRACKETS_YI", "1, 2.5")
    assert supervision_conf.plan_days() == 12
    assert projects_conf.get("TOTAL_BRACKETS_YI") == (Decimal(1), Decimal("2.5"))
    settings.XIAONENG_PLAN_DAYS = 7
    settings.XIAONENG_PROJECTS_REPORT_DUE_DAY = 15
    assert supervision_conf.plan_days() == 7
    assert projects_conf.get("REPORT_DUE_DAY") == 15


@pytest.fixture
def several_servers(settings, monkeypatch, tmp_path):
    settings.DATABASE_URL = "postgres://app@db/xiaoneng"
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "uploads"
    monkeypatch.delenv("XIAONENG_SECRET_KEY", raising=False)
    monkeypatch.delenv("XIAONENG_MEDIA_ROOT", raising=False)
    return settings


def test_a_shared_database_without_a_shared_key_or_uploads_warns(several_servers):
    assert _ids(checks.check_several_servers(None)) == ["xiaoneng.W004", "xiaoneng.W005"]


def test_a_shared_key_and_a_chosen_upload_directory_satisfy_it(several_servers, monkeypatch):
    monkeypatch.setenv("XIAONENG_SECRET_KEY", "x" * 50)
    monkeypatch.setenv("XIAONENG_MEDIA_ROOT", "/mnt/shared/uploads")
    assert checks.check_several_servers(None) == []


def test_uploads_outside_the_data_directory_do_not_warn(several_servers, tmp_path):
    several_servers.DATA_DIR = tmp_path / "var"
    assert _ids(checks.check_several_servers(None)) == ["xiaoneng.W004"]


def test_the_embedded_sqlite_setup_does_not_warn(settings, monkeypatch):
    settings.DATABASE_URL = ""
    monkeypatch.delenv("XIAONENG_SECRET_KEY", raising=False)
    assert checks.check_several_servers(None) == []


def test_the_several_server_checks_run_under_check_deploy():
    from django.core.checks.registry import registry

    assert checks.check_several_servers in registry.get_checks(include_deployment_checks=True)
    assert checks.check_several_servers not in registry.get_checks()
    assert checks.check_thresholds in registry.get_checks()
