"""The audit log: one unbroken hash chain, append-only in the database, every tampering found."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from alianza.audit.models import AuditEvent, AuditHead
from alianza.audit.services import audit_record
from alianza.audit.triggers import triggers_suspended
from alianza.audit.verify import verify_chain


def _events(n: int = 5):
    for i in range(n):
        audit_record(action="test.event", actor_username=f"tester{i}", details={"i": i})


def _raw(sql: str, params=()):
    with triggers_suspended(connection), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _verify_fails_at(seq: int, word: str):
    result = verify_chain()
    assert not result.ok
    assert result.broken_seq == seq, result
    assert word in result.problem
    with pytest.raises(CommandError, match=f"entry {seq}"):
        call_command("audit", "verify")


@pytest.mark.django_db
class TestChain:
    def test_entries_link_into_one_chain(self):
        _events(5)
        rows = list(AuditEvent.objects.unrestricted(reason="test").order_by("seq"))
        assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
        assert all(b.prev_hash == a.entry_hash for a, b in zip(rows, rows[1:], strict=False))
        result = verify_chain()
        assert result.ok and result.entries == 5 and result.head_hash == rows[-1].entry_hash

    def test_verify_command_exits_zero_when_intact(self, capsys):
        _events(3)
        call_command("audit", "verify")
        assert "audit chain intact: 3 entries" in capsys.readouterr().out

    def test_edited_entry_is_detected(self):
        _events(5)
        _raw("UPDATE audit_auditevent SET action = 'report.view' WHERE seq = 3")
        _verify_fails_at(3, "edited")

    def test_edited_details_are_detected(self):
        _events(5)
        _raw("UPDATE audit_auditevent SET details = %s WHERE seq = 2", [json.dumps({"i": 99})])
        _verify_fails_at(2, "edited")

    def test_deleted_entry_is_detected(self):
        _events(5)
        _raw("DELETE FROM audit_auditevent WHERE seq = 3")
        _verify_fails_at(3, "missing")

    def test_reordered_entries_are_detected(self):
        _events(5)
        # Swap the contents of entries 2 and 4 while keeping their sequence numbers.
        _raw("UPDATE audit_auditevent SET seq = -2 WHERE seq = 2")
        _raw("UPDATE audit_auditevent SET seq = 2 WHERE seq = 4")
        _raw("UPDATE audit_auditevent SET seq = 4 WHERE seq = -2")
        _verify_fails_at(2, "reordered")

    def test_rehashed_entry_is_detected_by_the_next_link(self):
        _events(5)
        # A forger who recomputes entry 3's own hash still breaks entry 4's link.
        from alianza.audit.chain import CANONICAL_FIELDS, canonical_bytes, entry_hash

        row = AuditEvent.objects.unrestricted(reason="test").get(seq=3)
        row.action = "forged"
        new_hash = entry_hash(
            row.prev_hash, canonical_bytes([getattr(row, f) for f in CANONICAL_FIELDS])
        )
        _raw(
            "UPDATE audit_auditevent SET action = 'forged', entry_hash = %s WHERE seq = 3",
            [new_hash],
        )
        _verify_fails_at(4, "reordered or replaced")

    def test_truncated_tail_is_detected(self):
        _events(5)
        _raw("DELETE FROM audit_auditevent WHERE seq >= 4")
        _verify_fails_at(4, "truncated")

    def test_truncation_with_forged_head_is_caught_by_a_checkpoint(self, tmp_path, settings):
        settings.ALIANZA_AUDIT_SIGNING_KEY = tmp_path / "key.pem"
        _events(5)
        checkpoint = tmp_path / "cp.json"
        call_command("audit", "checkpoint", "--output", str(checkpoint))
        head = AuditEvent.objects.unrestricted(reason="test").get(seq=3)
        _raw("DELETE FROM audit_auditevent WHERE seq >= 4")
        _raw("UPDATE audit_audithead SET seq = 3, entry_hash = %s", [head.entry_hash])
        assert verify_chain().ok  # the chain alone cannot tell...
        with pytest.raises(CommandError, match="truncated"):  # ...the witness can
            call_command("audit", "verify", "--checkpoint", str(checkpoint))

    def test_rewritten_history_fails_the_checkpoint(self, tmp_path, settings):
        settings.ALIANZA_AUDIT_SIGNING_KEY = tmp_path / "key.pem"
        _events(3)
        checkpoint = tmp_path / "cp.json"
        call_command("audit", "checkpoint", "--output", str(checkpoint))
        _raw("DELETE FROM audit_auditevent")
        _raw("DELETE FROM audit_audithead")
        _events(4)  # a whole new, internally consistent chain
        assert verify_chain().ok
        with pytest.raises(CommandError, match="rewritten"):
            call_command("audit", "verify", "--checkpoint", str(checkpoint))

    def test_checkpoint_extended_by_later_entries_verifies(self, tmp_path, settings, capsys):
        settings.ALIANZA_AUDIT_SIGNING_KEY = tmp_path / "key.pem"
        _events(3)
        checkpoint = tmp_path / "cp.json"
        call_command("audit", "checkpoint", "--output", str(checkpoint))
        _events(2)
        call_command("audit", "verify", "--checkpoint", str(checkpoint))
        assert "checkpoint at entry 3 is extended by the log" in capsys.readouterr().out

    def test_forged_checkpoint_signature_is_refused(self, tmp_path, settings):
        settings.ALIANZA_AUDIT_SIGNING_KEY = tmp_path / "key.pem"
        _events(3)
        checkpoint = tmp_path / "cp.json"
        call_command("audit", "checkpoint", "--output", str(checkpoint))
        data = json.loads(checkpoint.read_text())
        data["seq"] = 2
        checkpoint.write_text(json.dumps(data))
        with pytest.raises(CommandError, match="signature"):
            call_command("audit", "verify", "--checkpoint", str(checkpoint))

    def test_checkpoint_from_another_key_is_refused(self, tmp_path, settings):
        settings.ALIANZA_AUDIT_SIGNING_KEY = tmp_path / "key.pem"
        _events(2)
        checkpoint = tmp_path / "cp.json"
        call_command("audit", "checkpoint", "--output", str(checkpoint))
        settings.ALIANZA_AUDIT_SIGNING_KEY = tmp_path / "other.pem"
        with pytest.raises(CommandError, match="signature"):
            call_command("audit", "verify", "--checkpoint", str(checkpoint))


@pytest.mark.django_db
class TestAppendOnly:
    def test_database_refuses_update(self):
        _events(1)
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("UPDATE audit_auditevent SET action = 'x'")

    def test_database_refuses_delete(self):
        _events(1)
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM audit_auditevent")

    def test_orm_update_is_refused_too(self):
        _events(1)
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.unrestricted(reason="test").update(action="x")


@pytest.mark.django_db
def test_state_change_and_its_audit_entry_roll_back_together(world):
    from alianza.agencies.services import officer_create

    before_events = AuditEvent.objects.unrestricted(reason="test").count()
    before_head = AuditHead.objects.get().seq

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        officer_create(
            actor=None,
            agency=world.us,
            badge_number="ROLLBACK-1",
            given_name="Roll",
            family_name="Back",
        )
        raise Boom

    from alianza.agencies.models import Officer

    assert (
        not Officer.objects.unrestricted(reason="test").filter(badge_number="ROLLBACK-1").exists()
    )
    assert AuditEvent.objects.unrestricted(reason="test").count() == before_events
    assert AuditHead.objects.get().seq == before_head
    assert verify_chain().ok


@pytest.mark.django_db
def test_failed_validation_writes_neither_row_nor_audit(world):
    from django.core.exceptions import ValidationError

    from alianza.agencies.services import officer_create

    before = AuditEvent.objects.unrestricted(reason="test").count()
    with pytest.raises(ValidationError):
        officer_create(
            actor=None, agency=world.us, badge_number="", given_name="X", family_name="Y"
        )
    assert AuditEvent.objects.unrestricted(reason="test").count() == before


@pytest.mark.django_db
def test_request_context_is_recorded(world, client):
    client.force_login(world.user("us_analyst"))
    response = client.get(
        f"/intel/reports/{world.reports['us_shared'].pk}/", REMOTE_ADDR="10.1.2.3"
    )
    event = AuditEvent.objects.unrestricted(reason="test").filter(action="report.view").get()
    assert event.request_id == response["X-Request-ID"]
    assert event.client_address == "10.1.2.3"
    assert event.actor_username == "us.analyst" and event.agency_code == "USBP"
    assert event.marking_summary == "USBP REL MXFP"
    assert event.object_agency_code == "USBP"


@pytest.mark.django_db
def test_denied_read_is_audited_but_answers_404(world, client):
    client.force_login(world.user("mx_analyst"))
    response = client.get(f"/intel/reports/{world.reports['us_internal'].pk}/")
    assert response.status_code == 404
    event = AuditEvent.objects.unrestricted(reason="test").filter(action="access.denied").get()
    assert event.outcome == "denied" and event.actor_username == "mx.analyst"


@pytest.mark.django_db
def test_viewing_the_audit_page_is_itself_audited(world, client):
    from conftest import login_verified

    login_verified(client, world.user("us_integrity"))
    assert client.get("/audit/?action=report").status_code == 200
    assert (
        AuditEvent.objects.unrestricted(reason="test")
        .filter(action="audit.view", actor_username="us.integrity")
        .exists()
    )


@pytest.mark.django_db
def test_audit_page_filters(world, client):
    from conftest import login_verified

    login_verified(client, world.user("us_integrity"))
    client.get(f"/intel/reports/{world.reports['us_shared'].pk}/")  # an audited read
    body = client.get("/audit/?action=officer.create").content.decode()
    assert "officer.create" in body and "report.create</td>" not in body
