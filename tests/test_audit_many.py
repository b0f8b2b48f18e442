"""audit_record_many: a batch appended in one go is the same chain as one-by-one appends."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from alianza.audit.chain import CANONICAL_FIELDS, GENESIS_HASH, canonical_bytes, entry_hash
from alianza.audit.models import AuditEvent, AuditHead
from alianza.audit.services import AuditEntry, audit_record, audit_record_many
from alianza.audit.triggers import triggers_suspended
from alianza.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def _rows():
    return list(AuditEvent.objects.unrestricted(reason="test").order_by("seq"))


def _raw(sql: str, params=()):
    with triggers_suspended(connection), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _batch(n: int, **options) -> int:
    return audit_record_many(
        entries=(
            AuditEntry(action="test.batch", object_type="t.obj", object_id=str(i), details={"i": i})
            for i in range(n)
        ),
        actor_username="batcher",
        **options,
    )


def test_a_batch_between_single_entries_forms_one_verified_chain():
    audit_record(action="test.single", actor_username="one")
    assert _batch(7, batch_size=3) == 7  # three bulk inserts: 3 + 3 + 1
    audit_record(action="test.single", actor_username="two")
    rows = _rows()
    assert [r.seq for r in rows] == list(range(1, 10))
    assert [r.action for r in rows] == ["test.single"] + ["test.batch"] * 7 + ["test.single"]
    assert [r.details for r in rows[1:8]] == [{"i": i} for i in range(7)]
    prev = GENESIS_HASH
    for row in rows:  # recomputed here independently of verify_chain
        values = [getattr(row, name) for name in CANONICAL_FIELDS]
        assert row.prev_hash == prev
        prev = entry_hash(prev, canonical_bytes(values))
        assert row.entry_hash == prev
    head = AuditHead.objects.get()
    assert (head.seq, head.entry_hash) == (9, rows[-1].entry_hash)
    result = verify_chain()
    assert result.ok and result.entries == 9


def test_an_empty_batch_appends_nothing():
    audit_record(action="test.single")
    head = AuditHead.objects.get()
    assert _batch(0) == 0
    assert (AuditHead.objects.get().seq, AuditHead.objects.get().entry_hash) == (
        head.seq,
        head.entry_hash,
    )
    assert verify_chain().ok


def test_an_edited_entry_inside_a_batch_is_detected():
    _batch(6)
    _raw("UPDATE audit_auditevent SET details = %s WHERE seq = 4", [json.dumps({"i": 99})])
    result = verify_chain()
    assert not result.ok and result.broken_seq == 4 and "edited" in result.problem
    with pytest.raises(CommandError, match="entry 4"):
        call_command("audit", "verify")


def test_a_deleted_entry_inside_a_batch_is_detected():
    _batch(6)
    _raw("DELETE FROM audit_auditevent WHERE seq = 3")
    result = verify_chain()
    assert not result.ok and result.broken_seq == 3 and "missing" in result.problem


def test_a_truncated_batch_is_detected_by_the_head():
    _batch(6)
    _raw("DELETE FROM audit_auditevent WHERE seq > 4")
    result = verify_chain()
    assert not result.ok and "truncated" in result.problem


def test_a_rolled_back_transaction_takes_the_batch_and_the_head_with_it():
    audit_record(action="test.single")
    before = AuditHead.objects.get().seq

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        _batch(5)
        raise Boom
    assert AuditHead.objects.get().seq == before
    assert AuditEvent.objects.unrestricted(reason="test").count() == before
    audit_record(action="test.after")
    assert verify_chain().ok


def test_entries_name_their_object_like_audit_record(world):
    from world_flows import make_flow_event

    event = make_flow_event(agency=world.us, case_reference="BATCH-OBJ", releasable_to=[world.mx])
    audit_record_many(entries=[AuditEntry(action="test.obj", obj=event)], actor_username="sys")
    single = audit_record(action="test.obj", obj=event, actor_username="sys")
    batch = AuditEvent.objects.unrestricted(reason="test").get(seq=single.seq - 1)
    fields = ("object_type", "object_id", "object_agency_code", "marking_summary")
    assert [getattr(batch, f) for f in fields] == [getattr(single, f) for f in fields]
    assert batch.object_agency_code == "USBP" and "REL MXFP" in batch.marking_summary
    assert verify_chain().ok
