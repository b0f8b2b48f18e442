"""Roster import: row-level errors, nothing half-written, idempotent re-import."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from alianza.agencies.models import Officer
from alianza.agencies.roster_import import roster_import
from alianza.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

GOOD = (
    "badge_number,given_name,family_name,unit_code,rank,languages,email\n"
    "MX-9001,Ana,Durazo,NOG,Agente,es;en,ana@example.mx\n"
    "MX-9002,Luis,Encinas,,Suboficial,es,\n"
)


def _count(**filters):
    return Officer.objects.unrestricted(reason="test").filter(**filters).count()


def test_good_file_imports_and_reimport_is_idempotent(world):
    report = roster_import(actor=None, agency=world.mx, data=GOOD.encode())
    assert report.ok and (report.created, report.updated) == (2, 0)
    officer = Officer.objects.unrestricted(reason="test").get(badge_number="MX-9001")
    assert officer.unit.code == "NOG" and officer.languages == ["en", "es"]
    again = roster_import(actor=None, agency=world.mx, data=GOOD.encode())
    assert (again.created, again.updated) == (0, 2)
    assert _count(badge_number__startswith="MX-900") == 2


@pytest.mark.parametrize(
    ("content", "line", "field", "words"),
    [
        ("given_name,family_name\nA,B\n", 1, "badge_number", "missing"),
        ("badge_number,given_name,family_name,shoe_size\nX,A,B,9\n", 1, "shoe_size", "Unknown"),
        ("badge_number,given_name,family_name\nX1,,B\n", 2, "given_name", "required"),
        ("badge_number,given_name,family_name,unit_code\nX1,A,B,ZZZ\n", 2, "unit_code", "No unit"),
        ("badge_number,given_name,family_name,languages\nX1,A,B,fr\n", 2, "languages", "fr"),
        ("badge_number,given_name,family_name,email\nX1,A,B,not-an-email\n", 2, "email", "valid"),
        ("badge_number,given_name,family_name\nX1,A,B\nX1,C,D\n", 3, "badge_number", "line 2"),
        ("badge_number,given_name,family_name,roles\nX1,A,B,analyst\n", 2, "roles", "username"),
        ("badge_number,given_name,family_name,roles\nX1,A,B,wizard\n", 2, "roles", "wizard"),
    ],
)
def test_each_malformed_row_is_reported_and_nothing_is_written(world, content, line, field, words):
    before = AuditEvent.objects.unrestricted(reason="test").count()
    report = roster_import(actor=None, agency=world.mx, data=content.encode())
    assert not report.ok and not report.written
    assert any(e.line == line and e.field == field and words in e.message for e in report.errors), (
        report.errors
    )
    assert _count(badge_number__startswith="X1") == 0
    assert AuditEvent.objects.unrestricted(reason="test").count() == before


def test_undecodable_file_names_the_line(world):
    data = "badge_number,given_name,family_name\nX1,José,B\n".encode("latin-1")
    report = roster_import(actor=None, agency=world.mx, data=data)
    assert report.errors[0].field == "encoding" and report.errors[0].line == 2


def test_all_or_nothing_writes_none_when_one_row_is_bad(world):
    content = GOOD + "MX-9003,,Falta\n"
    report = roster_import(actor=None, agency=world.mx, data=content.encode())
    assert [(e.line, e.field) for e in report.errors] == [(4, "given_name")]
    assert _count(badge_number__startswith="MX-900") == 0


def test_good_rows_mode_writes_the_good_and_reports_the_rest(world):
    content = GOOD + "MX-9003,,Falta\n"
    report = roster_import(actor=None, agency=world.mx, data=content.encode(), all_or_nothing=False)
    assert report.written and report.created == 2 and len(report.errors) == 1
    assert _count(badge_number__startswith="MX-900") == 2


def test_command_enrols_into_a_session_and_reports_ineligible_rows(world, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(GOOD)
    # New officers are not vetted: the HR-100 session requires it, so every row fails.
    with pytest.raises(CommandError, match="2 errors; nothing written"):
        call_command(
            "import-roster",
            str(path),
            "--agency",
            "MXFP",
            "--session",
            str(world.sessions["hr"].pk),
            verbosity=0,
        )
    assert _count(badge_number__startswith="MX-900") == 0
    call_command("import-roster", str(path), "--agency", "MXFP", verbosity=0)
    assert _count(badge_number__startswith="MX-900") == 2
