"""The database triggers that make the audit table append-only (created by a migration)."""

from __future__ import annotations

import contextlib

TABLE = "audit_auditevent"

_SQLITE_CREATE = [
    f"""CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
]
_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
]
_POSTGRES_CREATE = [
    """CREATE OR REPLACE FUNCTION alianza_audit_refuse_change() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql""",
    f"""CREATE OR REPLACE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION alianza_audit_refuse_change()""",
]
_POSTGRES_DROP = [f"DROP TRIGGER IF EXISTS audit_event_append_only ON {TABLE}"]


def _statements(vendor: str, *, create: bool) -> list[str]:
    if vendor == "sqlite":
        return _SQLITE_CREATE if create else _SQLITE_DROP
    if vendor == "postgresql":
        return _POSTGRES_CREATE if create else _POSTGRES_DROP
    raise RuntimeError(f"no append-only triggers for database vendor {vendor!r}")


def triggers_create(connection) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, create=True):
            cursor.execute(sql)


def triggers_drop(connection) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, create=False):
            cursor.execute(sql)


@contextlib.contextmanager
def triggers_suspended(connection):
    """For tests that tamper with the log on purpose (and test-database teardown) only."""
    triggers_drop(connection)
    try:
        yield
    finally:
        triggers_create(connection)
