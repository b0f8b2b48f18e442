"""Appending to the audit log. The only writer of AuditEvent rows."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .chain import CANONICAL_FIELDS, canonical_bytes, entry_hash
from .context import current_request
from .models import AuditEvent, AuditHead


def _actor_fields(actor) -> tuple[int | None, str, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, "", ""
    from alianza.agencies.models import Officer

    agency_code = (
        Officer._base_manager.filter(user_id=actor.pk)
        .values_list("agency__code", flat=True)
        .first()
    )
    return actor.pk, actor.get_username(), agency_code or ""


def audit_agency_code(actor) -> str:
    """The agency code an entry by `actor` is filed under (whose integrity officers see it)."""
    return _actor_fields(actor)[2]


def _object_fields(obj: models.Model | None) -> tuple[str, str, str, str]:
    if obj is None:
        return "", "", "", ""
    marking = getattr(obj, "marking", None)
    summary = marking.summary if marking is not None else ""
    agency = getattr(obj, "agency", None) or (marking.originating_agency if marking else None)
    return obj._meta.label_lower, str(obj.pk), summary, getattr(agency, "code", "") or ""


def audit_record(
    *,
    action: str,
    actor=None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_agency_code: str = "",
    marking_summary: str = "",
    outcome: str = AuditEvent.Outcome.SUCCESS,
    details: dict[str, Any] | None = None,
    actor_username: str = "",
) -> AuditEvent:
    """Append one entry to the chain, inside the caller's transaction when there is one.

    Appenders serialise on the AuditHead row (SELECT ... FOR UPDATE on PostgreSQL; SQLite's
    IMMEDIATE transactions hold the database write lock), so concurrent appends form one chain.
    """
    actor_id, username, agency_code = _actor_fields(actor)
    obj_type, obj_id, obj_marking, obj_agency = _object_fields(obj)
    context = current_request.get()
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        event = AuditEvent(
            seq=head.seq + 1,
            time=timezone.now(),
            actor_id=actor_id,
            actor_username=username or actor_username,
            agency_code=agency_code,
            action=action,
            object_type=object_type or obj_type,
            object_id=str(object_id or obj_id),
            object_agency_code=object_agency_code or obj_agency,
            marking_summary=marking_summary or obj_marking,
            request_id=context.request_id,
            client_address=context.client_address,
            outcome=str(outcome),
            # Stored as its JSON round-trip so the verifier recomputes the same bytes.
            details=json.loads(json.dumps(details or {}, default=str)),
            prev_hash=head.entry_hash,
        )
        content = canonical_bytes([getattr(event, name) for name in CANONICAL_FIELDS])
        event.entry_hash = entry_hash(head.entry_hash, content)
        event.save(force_insert=True)
        head.seq, head.entry_hash = event.seq, event.entry_hash
        head.save(update_fields=["seq", "entry_hash"])
    return event


@dataclass(frozen=True)
class AuditEntry:
    """One entry for :func:`audit_record_many` (the keyword arguments of :func:`audit_record`
    that vary from entry to entry; the actor is shared)."""

    action: str
    obj: models.Model | None = None
    object_type: str = ""
    object_id: str = ""
    object_agency_code: str = ""
    marking_summary: str = ""
    outcome: str = AuditEvent.Outcome.SUCCESS
    details: dict[str, Any] | None = None


def audit_record_many(
    *,
    entries: Iterable[AuditEntry],
    actor=None,
    actor_username: str = "",
    batch_size: int = 2_000,
) -> int:
    """Append many entries to the chain at once, in order; returns how many were appended.

    The same chain as that many :func:`audit_record` calls (each entry hashes its predecessor,
    the verifier cannot tell the difference) but the chain head is locked, read and written
    once, and the rows are inserted in batches: for imports of thousands of records. All the
    entries share the actor and one time stamp (they are written in one transaction).
    """
    actor_id, username, agency_code = _actor_fields(actor)
    context = current_request.get()
    count = 0
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        seq, prev = head.seq, head.entry_hash
        now = timezone.now()
        batch: list[AuditEvent] = []
        for entry in entries:
            obj_type, obj_id, obj_marking, obj_agency = _object_fields(entry.obj)
            seq += 1
            event = AuditEvent(
                seq=seq,
                time=now,
                actor_id=actor_id,
                actor_username=username or actor_username,
                agency_code=agency_code,
                action=entry.action,
                object_type=entry.object_type or obj_type,
                object_id=str(entry.object_id or obj_id),
                object_agency_code=entry.object_agency_code or obj_agency,
                marking_summary=entry.marking_summary or obj_marking,
                request_id=context.request_id,
                client_address=context.client_address,
                outcome=str(entry.outcome),
                details=json.loads(json.dumps(entry.details or {}, default=str)),
                prev_hash=prev,
            )
            content = canonical_bytes([getattr(event, name) for name in CANONICAL_FIELDS])
            prev = event.entry_hash = entry_hash(prev, content)
            batch.append(event)
            if len(batch) >= batch_size:
                AuditEvent.objects.bulk_create(batch)
                count += len(batch)
                batch = []
        if batch:
            AuditEvent.objects.bulk_create(batch)
            count += len(batch)
        if count:
            head.seq, head.entry_hash = seq, prev
            head.save(update_fields=["seq", "entry_hash"])
    return count
