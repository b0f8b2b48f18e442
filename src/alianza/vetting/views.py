from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from alianza.access.getters import access_get
from alianza.access.views import AccessListView, RoleRequiredMixin
from alianza.agencies.models import Officer
from alianza.audit.services import audit_record

from . import selectors, services
from .forms import AllegationCloseForm, AllegationForm, CheckResultForm
from .models import IntegrityAllegation, VettingCase, VettingProgramme
from .status import STATE_LABELS, State, vetting_status


def _form_errors(request, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        for text in errors:
            messages.error(request, f"{field}: {text}")


class RosterView(RoleRequiredMixin, TemplateView):
    """Vetting status and expiry of the task force's officers: all the partner sees."""

    required_permission = "vetting.view_vetting_status"
    template_name = "vetting/roster.html"

    def get_context_data(self, **kwargs):
        state = self.request.GET.get("state", "")
        agency = self.request.GET.get("agency", "")
        rows = selectors.vetting_roster(reader=self.request.user, agency_code=agency, state=state)
        audit_record(
            action="vetting.roster",
            actor=self.request.user,
            details={"state": state, "agency": agency},
        )
        page = Paginator(rows, 50).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            page_obj=page,
            rows=page.object_list,
            state=state,
            agency=agency,
            states=[(s.value, STATE_LABELS[s]) for s in State],
            **kwargs,
        )


class OfficerVettingView(RoleRequiredMixin, TemplateView):
    """An officer's cases with results and restricted notes: own agency's vetting officers."""

    required_permission = "vetting.view_vettingcase"
    template_name = "vetting/officer.html"

    def get_context_data(self, **kwargs):
        officer = access_get(self.request.user, Officer, pk=self.kwargs["pk"])
        cases = selectors.vetting_case_list(reader=self.request.user, officer_id=officer.pk)
        audit_record(action="vetting_case.view", actor=self.request.user, obj=officer)
        for view in cases:
            view.form = CheckResultForm(programme=view.case.programme, prefix=f"case{view.case.pk}")
        return super().get_context_data(
            officer=officer,
            cases=cases,
            status=vetting_status(officer.pk),
            programmes=VettingProgramme.objects.filter(subject_agency=officer.agency, active=True),
            **kwargs,
        )


class CaseOpenView(RoleRequiredMixin, View):
    required_permission = "vetting.add_vettingcase"

    def post(self, request, pk):
        officer = access_get(request.user, Officer, pk=pk)
        programme = VettingProgramme.objects.filter(pk=request.POST.get("programme")).first()
        if programme is None:
            messages.error(request, _("Choose a programme."))
        else:
            try:
                services.vetting_case_open(actor=request.user, officer=officer, programme=programme)
            except ValidationError as error:
                _form_errors(request, error)
        return redirect("vetting:officer", pk=officer.pk)


class CheckResultCreateView(RoleRequiredMixin, View):
    required_permission = "vetting.add_checkresult"

    def post(self, request, pk):
        case = access_get(request.user, VettingCase, pk=pk)
        form = CheckResultForm(request.POST, programme=case.programme, prefix=f"case{case.pk}")
        if form.is_valid():
            try:
                services.check_result_record(actor=request.user, case=case, **form.cleaned_data)
                messages.success(request, _("Result recorded."))
            except ValidationError as error:
                _form_errors(request, error)
        else:
            for field, errors in form.errors.items():
                messages.error(request, f"{field}: {' '.join(errors)}")
        return redirect("vetting:officer", pk=case.officer_id)


class CaseApproveView(RoleRequiredMixin, View):
    required_permission = "vetting.add_caseapproval"

    def post(self, request, pk):
        case = access_get(request.user, VettingCase, pk=pk)
        try:
            services.vetting_case_approve(actor=request.user, case=case)
            messages.success(request, _("Approval recorded."))
        except ValidationError as error:
            _form_errors(request, error)
        return redirect("vetting:officer", pk=case.officer_id)


class AllegationListView(AccessListView):
    model = IntegrityAllegation
    required_permission = "vetting.view_integrityallegation"
    template_name = "vetting/allegation_list.html"

    def get_base_queryset(self):
        return selectors.allegation_list(
            reader=self.request.user, status=self.request.GET.get("status", "")
        )


class AllegationCreateView(RoleRequiredMixin, FormView):
    """Anyone may file; the allegation goes to the integrity officers of the officer's agency."""

    form_class = AllegationForm
    template_name = "vetting/allegation_form.html"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "officers": selectors.allegation_subjects(reader=self.request.user),
        }

    def form_valid(self, form):
        services.allegation_file(actor=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("The allegation was sent to the integrity officers."))
        return redirect("home")


class AllegationCloseView(RoleRequiredMixin, View):
    required_permission = "vetting.change_integrityallegation"

    def post(self, request, pk):
        allegation = access_get(request.user, IntegrityAllegation, pk=pk)
        form = AllegationCloseForm(request.POST)
        if form.is_valid():
            try:
                services.allegation_close(
                    actor=request.user,
                    allegation=allegation,
                    substantiated=form.cleaned_data["outcome"] == "substantiated",
                    resolution=form.cleaned_data["resolution"],
                )
                messages.success(request, _("Allegation closed."))
            except ValidationError as error:
                _form_errors(request, error)
        else:
            messages.error(request, _("Choose an outcome and write the resolution."))
        return redirect("vetting:allegation_list")
