"""The demo loader and the `alianza` command line."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from alianza.agencies.models import Officer
from alianza.audit.verify import verify_chain
from alianza.intel.models import Report


@pytest.mark.django_db
def test_demo_loads_idempotently_with_a_login_for_every_role(capsys):
    call_command("demo", "--no-serve", "--scale", "0.05", verbosity=0)
    out = capsys.readouterr().out
    officers = Officer.objects.unrestricted(reason="test").count()
    reports = Report.objects.unrestricted(reason="test").count()
    call_command("demo", "--no-serve", "--scale", "0.05", verbosity=0)
    assert Officer.objects.unrestricted(reason="test").count() == officers
    assert Report.objects.unrestricted(reason="test").count() == reports
    for prefix in ("us", "mx"):
        for role in ("analyst", "agent", "supervisor", "training", "vetting", "integrity", "admin"):
            assert f"{prefix}.{role}" in out
    assert "Nogales-Sonora-2026" in out
    assert verify_chain().ok


@pytest.mark.django_db
def test_demo_users_see_different_pictures():
    from django.contrib.auth import get_user_model

    call_command("demo", "--no-serve", "--scale", "0.05", verbosity=0)
    users = get_user_model().objects
    us = set(
        Report.objects.visible_to(users.get(username="us.analyst")).values_list("pk", flat=True)
    )
    mx = set(
        Report.objects.visible_to(users.get(username="mx.analyst")).values_list("pk", flat=True)
    )
    assert us and mx and us != mx


def test_alianza_entry_point_runs_management_commands(tmp_path):
    env = {**os.environ, "ALIANZA_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    for command in (["alianza"], [sys.executable, "-m", "alianza"]):
        if command == ["alianza"]:
            command = [os.path.join(os.path.dirname(sys.executable), "alianza")]
        result = subprocess.run(
            [*command, "help", "audit"], env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stderr
        assert "verify" in result.stdout


def test_data_dir_is_movable_and_sqlite_uses_wal(tmp_path):
    env = {**os.environ, "ALIANZA_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    code = (
        "import django;django.setup();from django.db import connection;"
        "c=connection.cursor();c.execute('PRAGMA journal_mode');print(c.fetchone()[0])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**env, "DJANGO_SETTINGS_MODULE": "alianza.config.settings"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "wal"
    assert (tmp_path / "alianza.sqlite3").exists()
