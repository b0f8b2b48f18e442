from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from alianza.access.rules import reader_for
from alianza.access.services import marking_get_or_create
from alianza.access.views import AccessDetailView, AccessListView, RoleRequiredMixin
from alianza.agencies.models import Agency

from . import selectors, services
from .forms import ReportForm
from .models import Report


class ReportListView(AccessListView):
    model = Report
    template_name = "intel/report_list.html"

    def get_base_queryset(self):
        return selectors.report_list(
            reader=self.request.user, search=self.request.GET.get("q", "").strip()
        )


class ReportDetailView(AccessDetailView):
    model = Report
    template_name = "intel/report_detail.html"


class ReportCreateView(RoleRequiredMixin, FormView):
    required_permission = "intel.add_report"
    form_class = ReportForm
    template_name = "intel/report_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "reader": reader_for(self.request.user)}

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        agency = Agency.objects.get(pk=reader_for(self.request.user).agency_id)
        marking = marking_get_or_create(
            originating_agency=agency,
            releasable_to=data.pop("releasable_to"),
            compartments=data.pop("compartments"),
            originator_control=data.pop("originator_control"),
            review_date=data.pop("review_date"),
        )
        try:
            report = services.report_create(actor=self.request.user, marking=marking, **data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        messages.success(self.request, _("Report saved."))
        return redirect("intel:report_detail", pk=report.pk)
