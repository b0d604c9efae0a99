import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from xiaoneng.accounts.models import User
from xiaoneng.core.models import ChangeLog
from xiaoneng.env import ConfigError, env_bool, env_int, env_list
from xiaoneng.units.models import PartyBranch, Unit


def run_cli(*args, env=None, stdin=None):
    full_env = {**os.environ, **(env or {})}
    full_env.pop("DJANGO_SETTINGS_MODULE", None)
    full_env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by conftest for Playwright only
    return subprocess.run(
        [sys.executable, "-m", "xiaoneng", *args],
        env=full_env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_env_helpers_parse_and_refuse(monkeypatch):
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "12")
    monkeypatch.setenv("X_LIST", "a.example, b.example ,")
    assert env_bool("X_BOOL") is True
    assert env_int("X_INT", 0) == 12
    assert env_list("X_LIST", []) == ["a.example", "b.example"]
    monkeypatch.setenv("X_BOOL", "maybe")
    with pytest.raises(ConfigError, match="X_BOOL"):
        env_bool("X_BOOL")


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        "XIAONENG_DATA_DIR": str(tmp_path),
        "XIAONENG_SECRET_KEY": "k" * 20 + "-production-secret-key-of-sufficient-length-0123456789",
        "XIAONENG_HTTPS": "true",
        "XIAONENG_ALLOWED_HOSTS": "xiaoneng.yn.gov.cn",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
        # issue 11: with DATABASE_URL, an upload directory chosen for the servers (xiaoneng.W005)
        "XIAONENG_MEDIA_ROOT": str(tmp_path / "shared-uploads"),
    }
    result = run_cli("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr + result.stdout
    debug = run_cli("check", "--deploy", env={**env, "XIAONENG_DEBUG": "true"})
    assert debug.returncode != 0 and "xiaoneng.E001" in debug.stderr


def test_sqlite_runs_in_wal_mode_in_the_data_directory(tmp_path):
    result = run_cli(
        "shell",
        "-c",
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]); "
        "print(connection.settings_dict['NAME'])",
        env={"XIAONENG_DATA_DIR": str(tmp_path), "DATABASE_URL": ""},
    )
    assert result.returncode == 0, result.stderr
    mode, name = result.stdout.split()[-2:]
    assert mode == "wal" and name == str(tmp_path / "xiaoneng.sqlite3")
    assert (tmp_path / "secret_key").exists()


def test_the_demo_twice_creates_no_duplicates(db, capsys):
    call_command("demo", "--no-serve")
    counts = (
        Unit.objects.count(),
        User.objects.count(),
        PartyBranch.objects.count(),
        ChangeLog.objects.count(),
    )
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8000/" in out and "sheng_xn" in out and "yx_jm" in out
    call_command("demo", "--no-serve")
    assert (
        Unit.objects.count(),
        User.objects.count(),
        PartyBranch.objects.count(),
        ChangeLog.objects.count(),
    ) == counts
    assert Unit.objects.filter(level="prefecture").count() == 16
    assert Unit.objects.filter(level="county").count() == 129
    assert Unit.objects.get(code="530112007001").parent.name == "永昌街道"
    offices = Unit.objects.filter(parent__code="530000", level="province")
    assert sorted(offices.values_list("kind", flat=True)) == [
        "congress",
        "cppcc",
        "government",
        "party_committee",
    ]
    # One account per role.
    roles = {code for u in User.objects.all() for code in u.role_codes}
    assert roles == {
        "supervisor",
        "unit_admin",
        "handler",
        "leader",
        "reporter",
        "viewer",
        "resident",
    }
    # Every leader belongs to a party branch.
    assert all(u.party_branch_id for u in User.objects.filter(roles__code="leader"))
