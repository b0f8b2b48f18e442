from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from alianza.access.models import Compartment
from alianza.access.rules import reader_for
from alianza.agencies.models import Agency, Officer
from alianza.audit.services import audit_record
from alianza.intel.models import Report


@login_required
def home(request):
    """What this user may see, counted through the access layer (never from the raw tables)."""
    reader = reader_for(request.user)
    context = {"reader": reader}
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
