"""`access_get`: one record on behalf of a person, with one answer for "missing" and "forbidden"."""

from __future__ import annotations

from django.db import models, transaction
from django.http import Http404

from .rules import reader_for

NOT_FOUND_MESSAGE = "Not found."


class RecordNotFound(Http404):
    """Raised for a record that does not exist *or* that the reader may not see."""

    def __init__(self) -> None:
        super().__init__(NOT_FOUND_MESSAGE)


def access_get(user, model: type[models.Model], *, pk, audit_denied: bool = True, **lookup):
    """The record `pk` of `model` if `user` may see it; RecordNotFound otherwise.

    A denied attempt on an existing record is audited (it is what an insider probing for
    records looks like) but answered exactly like a missing one, and audited so that the
    prober's own agency cannot tell the two apart either (see `_audit_denied`).
    """
    try:
        return model.objects.visible_to(user).get(pk=pk, **lookup)
    except (model.DoesNotExist, ValueError, TypeError, models.ObjectDoesNotExist):
        pass
    if audit_denied:
        _audit_denied(user, model, pk)
    raise RecordNotFound()


def _owning_agency_code(record: models.Model) -> str:
    """The code of the agency a record belongs to (its own, or its marking's originator)."""
    agency = getattr(record, "agency", None)
    if agency is None:
        marking = getattr(record, "marking", None)
        agency = marking.originating_agency if marking is not None else None
    return getattr(agency, "code", "") or ""


def _audit_denied(user, model: type[models.Model], pk) -> None:
    """Audit a read that answered "not found", without telling the prober's agency whether the
    record exists.

    Integrity officers see the entries of their agency's people and of their agency's records.
    A record of the prober's own agency gets one entry, `access.denied` (that agency may know
    its own records). Otherwise (another agency's record, or no record) always two entries, so
    that neither what the prober's agency sees (content, hashes) nor the sequence numbers left
    free differ between a hidden record and a missing one:
    - the prober's entry: `access.not_found`, outcome "not found", no owning agency;
    - an entry not filed under the prober's agency: for another agency's record,
      `access.denied` on it, seen only by the owning agency's integrity officers (the prober's
      username, and their user id and agency in the details); for a missing id, a witness no
      agency sees.
    """
    from alianza.audit.models import AuditEvent
    from alianza.audit.services import audit_agency_code, audit_record

    try:
        record = (
            model.objects.unrestricted(reason="classify a denied read for the audit")
            .filter(pk=pk)
            .first()
        )
    except (ValueError, TypeError):
        record = None
    object_type, object_id = model._meta.label_lower, str(pk)[:64]
    prober_agency = audit_agency_code(user)
    username = user.get_username() if getattr(user, "is_authenticated", False) else ""
    reader_id = reader_for(user).user_id
    owner = _owning_agency_code(record) if record is not None else ""
    own_record = bool(owner) and owner == prober_agency
    with transaction.atomic():
        audit_record(
            action="access.denied" if own_record else "access.not_found",
            actor=user,
            object_type=object_type,
            object_id=object_id,
            object_agency_code=owner if own_record else "",
            outcome=AuditEvent.Outcome.DENIED if own_record else AuditEvent.Outcome.NOT_FOUND,
            details={"reader": reader_id},
        )
        if own_record:
            return
        hidden = record is not None and bool(owner)
        audit_record(
            action="access.denied" if hidden else "access.not_found",
            actor=None,
            actor_username=username,
            object_type=object_type,
            object_id=object_id,
            object_agency_code=owner if hidden else "",
            marking_summary=_marking_summary(record) if hidden else "",
            outcome=AuditEvent.Outcome.DENIED if hidden else AuditEvent.Outcome.NOT_FOUND,
            details={"reader": reader_id, "reader_agency": prober_agency},
        )


def _marking_summary(record: models.Model) -> str:
    marking = getattr(record, "marking", None)
    return marking.summary if marking is not None else ""
