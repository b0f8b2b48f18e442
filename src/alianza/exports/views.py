from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.generic import FormView

from alianza.access.getters import RecordNotFound, access_get
from alianza.access.rules import reader_for
from alianza.access.views import RoleRequiredMixin
from alianza.intel.models import Report
from alianza.search.selectors import report_search

from . import render, services
from .forms import ExportForm, TraceForm


def _download(record, data: bytes) -> HttpResponse:
    content_type = "application/pdf" if record.format == "pdf" else "text/csv; charset=utf-8"
    response = HttpResponse(data, content_type=content_type)
    filename = f"{record.export_id}.{record.format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ReportExportView(RoleRequiredMixin, FormView):
    """Export one report the reader may see, for a named recipient of a chosen agency."""

    form_class = ExportForm
    template_name = "exports/export_form.html"
    allow_omit = False
    query = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.reports = [access_get(request.user, Report, pk=kwargs["pk"])]
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "allow_omit": self.allow_omit}

    def get_initial(self):
        return {"recipient_agency": reader_for(self.request.user).agency_id}

    def get_context_data(self, **kwargs):
        kwargs.setdefault("refused", [])
        return super().get_context_data(reports=self.reports, **kwargs)

    def form_valid(self, form):
        if not self.reports:
            form.add_error(None, _("No reports found."))
            return self.form_invalid(form)
        data = form.cleaned_data
        try:
            record, content = services.export_create(
                actor=self.request.user,
                recipient=data["recipient"],
                recipient_agency=data["recipient_agency"],
                reports=self.reports,
                fmt=data["format"],
                query=self.query,
                omit_refused=data.get("omit_refused", False),
            )
        except services.ExportRefused as error:
            form.add_error(None, error.messages)
            refused = [(report, services.refusal_text(reason)) for report, reason in error.refused]
            return self.render_to_response(self.get_context_data(form=form, refused=refused))
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        return _download(record, content)


class ResultsExportView(ReportExportView):
    """Export the search results for `q` (only what the reader may see). A result that may not
    go to the recipient refuses the whole export and is named to the exporter, who may then
    choose to leave such results out (see docs/intel.md)."""

    allow_omit = True

    def dispatch(self, request, *args, **kwargs):
        self.query = request.GET.get("q", "").strip()[:200]
        if request.user.is_authenticated:
            self.reports = list(
                report_search(reader=request.user, q=self.query)[: services.MAX_REPORTS]
            )
        return super(ReportExportView, self).dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(q=self.query, **kwargs)


class TraceView(RoleRequiredMixin, FormView):
    """Integrity officers: which recipient's copy did a leaked text come from?"""

    form_class = TraceForm
    template_name = "exports/trace.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not reader_for(request.user).has_role(
            "integrity_officer"
        ):
            raise RecordNotFound()
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        text = form.cleaned_data.get("text") or ""
        upload = form.cleaned_data.get("file")
        if upload is not None:
            data = upload.read()
            text += "\n" + (
                render.extract_pdf_text(data)
                if data[:5] == b"%PDF-"
                else data.decode("utf-8", errors="replace")
            )
        result = services.leak_trace(actor=self.request.user, text=text)
        return self.render_to_response(self.get_context_data(form=form, result=result))
