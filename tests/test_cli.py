"""The `alianza` command line (the demo itself: tests/demo/)."""

from __future__ import annotations

import os
import subprocess
import sys


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
