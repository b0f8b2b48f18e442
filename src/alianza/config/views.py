from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from alianza.access.models import Compartment
from alianza.access.rules import reader_for
from alianza.agencies.models import Agency, Officer
from alianza.audit.services import audit_record
from alianza.intel.models import Report
from alianza.vetting.models import VettingProgramme
from alianza.vetting.status import State, vetting_programme_statuses, vetting_status


def _programme_names(programme_ids) -> str:
    spanish = (get_language() or "en").startswith("es")
    names = [
        programme.name_es if spanish else programme.name_en
        for programme in VettingProgramme.objects.filter(pk__in=list(programme_ids))
    ]
    return ", ".join(names)


def shared_access_notice(reader) -> str:
    """Why a reader who is not cleared for shared records cannot see them, from their vetting
    status alone: which programme expired (and when), was denied or is missing; a suspension
    says only that it is pending review, never what the allegation is. Empty when cleared."""
    if not reader.may_read_anything or reader.cleared_for_shared:
        return ""
    status = vetting_status(reader.officer_id)
    if status.state == State.SUSPENDED:
        return _(
            "You cannot see records shared by the partner agency: your access is suspended "
            "pending review. Contact your vetting officer."
        )
    per_programme = vetting_programme_statuses(reader.officer_id)
    # The programmes that block: those in the officer's (worst) state, else those not cleared.
    blocking = [pk for pk, programme in per_programme.items() if programme.state == status.state]
    blocking = blocking or [pk for pk, programme in per_programme.items() if not programme.cleared]
    values = {
        "programme": _programme_names(blocking),
        "date": date_format(status.expires_on, "DATE_FORMAT") if status.expires_on else "",
    }
    if status.state == State.EXPIRED:
        return (
            _(
                "You cannot see records shared by the partner agency: your vetting "
                "(%(programme)s) expired on %(date)s. Contact your vetting officer."
            )
            % values
        )
    if status.state == State.DENIED:
        return (
            _(
                "You cannot see records shared by the partner agency: your vetting "
                "(%(programme)s) was not approved. Contact your vetting officer."
            )
            % values
        )
    if status.state == State.IN_PROGRESS:
        return (
            _(
                "You cannot see records shared by the partner agency until your vetting "
                "(%(programme)s) is complete. Contact your vetting officer."
            )
            % values
        )
    return (
        _(
            "You cannot see records shared by the partner agency: you have not been vetted "
            "(%(programme)s). Contact your vetting officer."
        )
        % values
    )


@login_required
def home(request):
    """What this user may see, counted through the access layer (never from the raw tables)."""
    reader = reader_for(request.user)
    context = {"reader": reader, "shared_access_notice": shared_access_notice(reader)}
    if reader.may_read_anything:
        reports = Report.objects.visible_to(reader)
        context.update(
            agency=Agency.objects.get(pk=reader.agency_id),
            report_count=reports.count(),
            partner_report_count=reports.exclude(agency_id=reader.agency_id).count(),
            officer_count=Officer.objects.visible_to(reader).count(),
            compartments=Compartment.objects.filter(pk__in=reader.compartment_ids),
            recent_reports=reports.select_related("agency", "marking")[:8],
        )
        audit_record(action="home.view", actor=request.user)
    return render(request, "home.html", context)
