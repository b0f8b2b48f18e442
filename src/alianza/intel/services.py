"""State changes of intelligence reports."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from alianza.access.getters import RecordNotFound
from alianza.access.models import Marking
from alianza.access.querysets import system_access
from alianza.access.rules import reader_for
from alianza.agencies.models import Agency, Officer
from alianza.audit.services import audit_record

from .models import Report


def _author_for(actor) -> tuple[Officer | None, Agency | None]:
    reader = reader_for(actor)
    if not reader.may_read_anything:
        return None, None
    officer = Officer._base_manager.select_related("agency").get(pk=reader.officer_id)
    return officer, officer.agency


@transaction.atomic
def report_create(
    *,
    actor,
    title: str,
    body: str,
    language: str,
    basis_for_entry: str,
    marking: Marking,
    handling: str = Report.Handling.INTERNAL_ONLY,
    source_reliability: str = "F",
    information_credibility: str = "6",
    agency: Agency | None = None,
) -> Report:
    """Create a report as `actor` (an analyst), or as the system for `agency` when actor is None."""
    if actor is not None:
        if not actor.has_perm("intel.add_report"):
            raise RecordNotFound()
        author, agency = _author_for(actor)
        if author is None:
            raise RecordNotFound()
    else:
        author = None
    if agency is None:
        raise ValidationError({"agency": _("A report needs an originating agency.")})
    if marking.originating_agency_id != agency.pk:
        raise ValidationError(
            {"marking": _("The marking's originating agency must be the report's agency.")}
        )
    report = Report(
        title=title,
        body=body,
        language=language,
        basis_for_entry=basis_for_entry,
        marking=marking,
        handling=handling,
        source_reliability=source_reliability,
        information_credibility=information_credibility,
        agency=agency,
        author=author,
    )
    with system_access(reason="model validation of a new report"):
        report.full_clean()
    report.save()
    if actor is not None and not Report.objects.visible_to(actor).filter(pk=report.pk).exists():
        raise ValidationError({"marking": _("You would not be able to see this report.")})
    audit_record(
        action="report.create", actor=actor, actor_username="" if actor else "system", obj=report
    )
    return report
