"""`access_get`: one record on behalf of a person, with one answer for "missing" and "forbidden"."""

from __future__ import annotations

from django.db import models
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
    records looks like) but answered exactly like a missing one.
    """
    try:
        return model.objects.visible_to(user).get(pk=pk, **lookup)
    except (model.DoesNotExist, ValueError, TypeError, models.ObjectDoesNotExist):
        pass
    if audit_denied:
        _audit_denied(user, model, pk)
    raise RecordNotFound()


def _audit_denied(user, model: type[models.Model], pk) -> None:
    from alianza.audit.services import audit_record

    try:
        exists = (
            model.objects.unrestricted(reason="classify a denied read for the audit")
            .filter(pk=pk)
            .exists()
        )
    except (ValueError, TypeError):
        exists = False
    audit_record(
        action="access.denied",
        actor=user,
        object_type=model._meta.label_lower,
        object_id=str(pk)[:64],
        outcome="denied" if exists else "not_found",
        details={"reader": reader_for(user).user_id},
    )
