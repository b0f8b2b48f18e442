import decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from alianza.access.getters import access_get
from alianza.access.rules import reader_for
from alianza.access.views import RoleRequiredMixin
from alianza.agencies.models import Agency, Officer
from alianza.audit.services import audit_record

from . import readiness, selectors, services
from .models import Enrolment, Qualification, TrainingSession


class CourseListView(RoleRequiredMixin, TemplateView):
    template_name = "training/course_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            courses=selectors.course_list(), sessions=selectors.session_list()[:30], **kwargs
        )


class SessionDetailView(RoleRequiredMixin, TemplateView):
    template_name = "training/session_detail.html"

    def get_context_data(self, **kwargs):
        session = get_object_or_404(selectors.session_list(), pk=self.kwargs["pk"])
        reader = reader_for(self.request.user)
        context = {
            "session": session,
            "roster": selectors.session_roster(reader=reader, session=session),
        }
        if reader.has_role("training_coordinator"):
            context["candidates"] = selectors.enrolment_candidates(
                reader=reader, session=session, search=self.request.GET.get("q", "")
            )
        audit_record(
            action="training_session.view",
            actor=self.request.user,
            object_type="training.trainingsession",
            object_id=str(session.pk),
        )
        return super().get_context_data(**context, **kwargs)


def _messages_from(request, error: ValidationError) -> None:
    for _field, errors in error.message_dict.items():
        for text in errors:
            messages.error(request, text)


class EnrolView(RoleRequiredMixin, View):
    required_permission = "training.add_enrolment"

    def post(self, request, pk):
        session = get_object_or_404(TrainingSession, pk=pk)
        enrolled = 0
        for officer_id in request.POST.getlist("officer"):
            officer = access_get(request.user, Officer, pk=officer_id)
            try:
                services.enrolment_create(actor=request.user, session=session, officer=officer)
                enrolled += 1
            except ValidationError as error:
                messages.error(
                    request,
                    f"{officer.full_name}: " + " ".join(error.message_dict.get("officer", [])),
                )
        if enrolled:
            messages.success(
                request,
                ngettext("%(count)s officer enrolled.", "%(count)s officers enrolled.", enrolled)
                % {"count": enrolled},
            )
        return redirect("training:session_detail", pk=session.pk)


class AssessView(RoleRequiredMixin, View):
    required_permission = "training.change_enrolment"

    def post(self, request, pk):
        enrolment = access_get(request.user, Enrolment, pk=pk)
        try:
            score_text = request.POST.get("score", "").strip()
            score = decimal.Decimal(score_text) if score_text else None
        except decimal.InvalidOperation:
            messages.error(request, _("The score must be a number."))
            return redirect("training:session_detail", pk=enrolment.session_id)
        try:
            services.enrolment_assess(
                actor=request.user,
                enrolment=enrolment,
                attended=request.POST.get("attended") == "on",
                score=score,
                passed=request.POST.get("passed") == "on",
            )
            messages.success(
                request, _("Result recorded for %(name)s.") % {"name": enrolment.officer.full_name}
            )
        except ValidationError as error:
            _messages_from(request, error)
        return redirect("training:session_detail", pk=enrolment.session_id)


class ReadinessView(RoleRequiredMixin, TemplateView):
    """Readiness per unit and role, who lapses next, and the forecast chart."""

    required_permission = "vetting.view_vetting_status"
    template_name = "training/readiness.html"

    def get_context_data(self, **kwargs):
        reader = reader_for(self.request.user)
        qualification = self.request.GET.get("qualification", "joint_patrol")
        try:
            target = max(1, int(self.request.GET.get("target", "300")))
        except ValueError:
            target = 300
        agency = Agency.objects.get(pk=reader.agency_id)
        result = readiness.forecast(agency=agency, target=target, qualification=qualification)
        chart = readiness.forecast_chart(
            result,
            title=_("%(agency)s officers ready for joint patrols") % {"agency": agency.code},
            labels={"observed": _("observed"), "projected": _("projected"), "target": _("target")},
        )
        audit_record(
            action="training.readiness",
            actor=self.request.user,
            details={"qualification": qualification, "target": target},
        )
        return super().get_context_data(
            tables=readiness.readiness_tables(reader=reader, qualification=qualification),
            forecast=result,
            chart=chart,
            qualification=qualification,
            qualifications=Qualification.objects.all(),
            **kwargs,
        )
