from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from alianza.access.models import Compartment
from alianza.access.rules import reader_for
from alianza.agencies.models import Agency, Officer
from alianza.audit.services import audit_record
from alianza.intel.models import Report
from alianza.vetting.selectors import shared_access_notice


@login_required
def home(request):
    """What this user may see, counted through the access layer (never from the raw tables)."""
    reader = reader_for(request.user)
    notice = shared_access_notice(reader)
    context = {"reader": reader, "shared_access_notice": notice}
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
        # The notice reads the officer's own vetting outcome: recorded with the page view.
        audit_record(
            action="home.view",
            actor=request.user,
            details={"shared_access_notice": bool(notice)},
        )
    return render(request, "home.html", context)
