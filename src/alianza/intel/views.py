import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from alianza.access.getters import RecordNotFound, access_get
from alianza.access.rules import reader_for
from alianza.access.services import marking_get_or_create
from alianza.access.views import AccessDetailView, AccessListView, RoleRequiredMixin
from alianza.agencies.models import Agency
from alianza.audit.services import audit_record

from . import graph, selectors, services
from .entity_models import Entity, Mention
from .forms import ReportForm, RfiForm, TearlineForm
from .models import Report, RequestForInformation, ReshareRequest, Tearline


class ReportListView(AccessListView):
    model = Report
    template_name = "intel/report_list.html"

    def get_base_queryset(self):
        return selectors.report_list(
            reader=self.request.user, search=self.request.GET.get("q", "").strip()
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            tearlines=selectors.tearline_list_only(reader=self.request.user)[:50],
            past_review=selectors.reports_past_review(reader=self.request.user)[:50],
            **kwargs,
        )


class ReportDetailView(AccessDetailView):
    model = Report
    template_name = "intel/report_detail.html"

    def get_context_data(self, **kwargs):
        reader = reader_for(self.request.user)
        report = self.object
        return super().get_context_data(
            tearlines=selectors.tearlines_of(reader=reader, report=report),
            own_report=report.agency_id == reader.agency_id,
            partner_agencies=Agency.objects.exclude(pk=report.agency_id),
            **kwargs,
        )


class TearlineDetailView(AccessDetailView):
    """Everything a tearline-only reader may know: nothing here names the report."""

    model = Tearline
    template_name = "intel/tearline_detail.html"


class TearlineCreateView(RoleRequiredMixin, FormView):
    required_permission = "intel.add_report"
    form_class = TearlineForm
    template_name = "intel/tearline_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.report = access_get(request.user, Report, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "reader": reader_for(self.request.user)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(report=self.report, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        marking = marking_get_or_create(
            originating_agency=self.report.agency,
            releasable_to=list(data["releasable_to"])
            + list(self.report.marking.releasable_to.all()),
            compartments=self.report.marking.compartments.all(),
            originator_control=self.report.marking.originator_control,
            review_date=self.report.marking.review_date,
        )
        try:
            services.tearline_create(
                actor=self.request.user,
                report=self.report,
                title=data["title"],
                body=data["body"],
                marking=marking,
            )
        except ValidationError as error:
            return _with_errors(self, form, error)
        messages.success(self.request, _("Tearline saved."))
        return redirect("intel:report_detail", pk=self.report.pk)


def _with_errors(view, form, error: ValidationError):
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)
    return view.form_invalid(form)


def _flash(request, error: ValidationError) -> None:
    for errors in error.message_dict.values():
        for text in errors:
            messages.error(request, text)


class ReportReshareView(RoleRequiredMixin, View):
    def post(self, request, pk):
        report = access_get(request.user, Report, pk=pk)
        agencies = Agency.objects.filter(pk__in=request.POST.getlist("agency"))
        try:
            result = services.report_reshare(
                actor=request.user,
                report=report,
                add_agencies=list(agencies),
                justification=request.POST.get("justification", ""),
            )
            if isinstance(result, ReshareRequest):
                messages.success(request, _("Sent to the originating agency for approval."))
            else:
                messages.success(request, _("The report was shared."))
        except ValidationError as error:
            _flash(request, error)
        return redirect("intel:report_detail", pk=report.pk)


class ReportRevalidateView(RoleRequiredMixin, View):
    required_permission = "intel.change_report"

    def post(self, request, pk):
        report = access_get(request.user, Report, pk=pk)
        try:
            review_date = dt.date.fromisoformat(request.POST.get("review_date", ""))
            services.report_revalidate(actor=request.user, report=report, review_date=review_date)
            messages.success(request, _("The report was revalidated."))
        except ValueError:
            messages.error(request, _("Enter the new review date."))
        except ValidationError as error:
            _flash(request, error)
        return redirect("intel:report_detail", pk=report.pk)


class ReportTranslateView(RoleRequiredMixin, View):
    """An analyst who may read the report records its translation (draft or reviewed)."""

    required_permission = "intel.change_report"

    def post(self, request, pk):
        report = access_get(request.user, Report, pk=pk)
        try:
            services.report_translate(
                actor=request.user,
                report=report,
                title=request.POST.get("translated_title", ""),
                body=request.POST.get("translated_body", ""),
                status=request.POST.get("translation_status", Report.TranslationStatus.DRAFT),
            )
            messages.success(request, _("Translation saved."))
        except ValidationError as error:
            _flash(request, error)
        return redirect("intel:report_detail", pk=report.pk)


class ReshareRequestListView(AccessListView):
    model = ReshareRequest
    template_name = "intel/reshare_list.html"

    def get_base_queryset(self):
        return selectors.reshare_request_list(reader=self.request.user)


class ReshareDecideView(RoleRequiredMixin, View):
    required_permission = "intel.change_report"

    def post(self, request, pk):
        reshare = access_get(request.user, ReshareRequest, pk=pk)
        try:
            services.reshare_decide(
                actor=request.user,
                request=reshare,
                approve=request.POST.get("decision") == "approve",
            )
            messages.success(request, _("Decision recorded."))
        except ValidationError as error:
            _flash(request, error)
        return redirect("intel:reshare_list")


class RfiListView(AccessListView):
    model = RequestForInformation
    template_name = "intel/rfi_list.html"

    def get_base_queryset(self):
        return selectors.rfi_list(
            reader=self.request.user, status=self.request.GET.get("status", "")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            turnaround=selectors.rfi_turnaround(reader=self.request.user), **kwargs
        )


class RfiDetailView(AccessDetailView):
    model = RequestForInformation
    template_name = "intel/rfi_detail.html"

    def get_context_data(self, **kwargs):
        reader = reader_for(self.request.user)
        rfi = self.object
        # The answering report only if the reader may see it (else not even its number).
        answer_report = (
            Report.objects.visible_to(reader)
            .select_related("agency")
            .filter(pk=rfi.answer_report_id)
            .first()
            if rfi.answer_report_id is not None
            else None
        )
        return super().get_context_data(
            is_requested=rfi.requested_agency_id == reader.agency_id,
            is_requester=rfi.requesting_agency_id == reader.agency_id,
            answer_report=answer_report,
            **kwargs,
        )


class RfiCreateView(RoleRequiredMixin, FormView):
    form_class = RfiForm
    template_name = "intel/rfi_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "reader": reader_for(self.request.user)}

    def form_valid(self, form):
        try:
            rfi = services.rfi_create(actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            return _with_errors(self, form, error)
        messages.success(self.request, _("Request sent."))
        return redirect("intel:rfi_detail", pk=rfi.pk)


class RfiAnswerView(RoleRequiredMixin, View):
    def post(self, request, pk):
        rfi = access_get(request.user, RequestForInformation, pk=pk)
        report = None
        number = request.POST.get("answer_report", "").strip()
        if number:
            try:
                report = selectors.report_get_by_number(user=request.user, number=number)
            except RecordNotFound:
                # The same words whether it does not exist or the answerer may not see it.
                messages.error(request, selectors.report_not_found_message(number))
                return redirect("intel:rfi_detail", pk=rfi.pk)
        try:
            services.rfi_answer(
                actor=request.user,
                rfi=rfi,
                answer_report=report,
                answer_text=request.POST.get("answer_text", ""),
            )
            messages.success(request, _("Answer sent."))
        except ValidationError as error:
            _flash(request, error)
        return redirect("intel:rfi_detail", pk=rfi.pk)


class RfiStatusView(RoleRequiredMixin, View):
    def post(self, request, pk):
        rfi = access_get(request.user, RequestForInformation, pk=pk)
        try:
            services.rfi_set_status(
                actor=request.user, rfi=rfi, status=request.POST.get("status", "")
            )
        except ValidationError as error:
            _flash(request, error)
        return redirect("intel:rfi_detail", pk=rfi.pk)


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


class EntityListView(AccessListView):
    model = Entity
    template_name = "intel/entity_list.html"

    def get_base_queryset(self):
        search = self.request.GET.get("q", "").strip()
        return selectors.entity_list(reader=self.request.user, search=search)


class EntityDetailView(AccessDetailView):
    model = Entity
    template_name = "intel/entity_detail.html"
    audit_action = "graph.neighbours"

    def get_context_data(self, **kwargs):
        reader = reader_for(self.request.user)
        mentions = (
            Mention.objects.visible_to(reader).filter(entity=self.object).select_related("report")
        )
        labelled = selectors.entities_labelled(
            Entity.objects.visible_to(reader).filter(pk=self.object.pk), reader=reader
        ).first()
        return super().get_context_data(
            mentions=mentions,
            display_label=labelled.display_label if labelled else self.object.label,
            neighbours=graph.neighbours(reader=reader, entity=self.object),
            **kwargs,
        )


class PathView(RoleRequiredMixin, TemplateView):
    template_name = "intel/path.html"

    def get_context_data(self, **kwargs):
        reader = reader_for(self.request.user)
        visible = Entity.objects.visible_to(reader)
        context = {"entities": selectors.entity_list(reader=reader)[:500], "path": None}
        source_id, target_id = self.request.GET.get("source"), self.request.GET.get("target")
        if source_id and target_id:
            source = visible.filter(pk=source_id).first()
            target = visible.filter(pk=target_id).first()
            context["path"] = (
                graph.shortest_path(reader=reader, start=source, goal=target)
                if source and target
                else []
            )
            audit_record(
                action="graph.path",
                actor=self.request.user,
                details={"source": source_id, "target": target_id, "found": bool(context["path"])},
            )
        return super().get_context_data(**context, **kwargs)
