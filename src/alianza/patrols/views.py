import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from alianza.access.views import RoleRequiredMixin
from alianza.audit.services import audit_record
from alianza.border.models import Segment
from alianza.operations.selectors import operation_list

from . import selectors, services
from .forms import AssignmentEditForm, PlanGenerateForm
from .models import PatrolAssignment


def _errors(error: ValidationError) -> list[str]:
    return [m for messages_ in error.message_dict.values() for m in messages_]


def _supervised_operations(user):
    from alianza.access.rules import reader_for

    reader = reader_for(user)
    return operation_list(reader=user).filter(lead_agencies__id=reader.agency_id)


class PlanListView(RoleRequiredMixin, TemplateView):
    required_permission = "patrols.view_patrolplan"
    template_name = "patrols/plan_list.html"

    def get_context_data(self, **kwargs):
        plans = selectors.plan_list(reader=self.request.user)[:200]
        audit_record(
            action="patrolplan.list", actor=self.request.user, object_type="patrols.patrolplan"
        )
        return super().get_context_data(plans=plans, **kwargs)


class PlanGenerateView(RoleRequiredMixin, View):
    required_permission = "patrols.add_patrolplan"
    template_name = "patrols/plan_generate.html"

    def _form(self, data=None):
        return PlanGenerateForm(
            data,
            operations=_supervised_operations(self.request.user),
            initial={"date": timezone.localdate(), "shift": "night"},
        )

    def get(self, request):
        return render(request, self.template_name, {"form": self._form()})

    def post(self, request):
        form = self._form(request.POST)
        same_shift = []
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                plan = services.plan_generate(actor=request.user, **data)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
                # The plans already drawn for this shift, to open, publish or withdraw.
                same_shift = selectors.plan_list(reader=request.user).filter(
                    operation=data["operation"],
                    sector=data["sector"],
                    date=data["date"],
                    shift=data["shift"],
                )
            else:
                messages.success(request, _("Plan generated as a draft."))
                return redirect("patrols:plan_detail", pk=plan.pk)
        return render(request, self.template_name, {"form": form, "same_shift": same_shift})


class PlanDetailView(RoleRequiredMixin, TemplateView):
    required_permission = "patrols.view_patrolplan"
    template_name = "patrols/plan_detail.html"

    def get_context_data(self, **kwargs):
        plan = selectors.plan_get(reader=self.request.user, pk=self.kwargs["pk"])
        audit_record(action="patrolplan.view", actor=self.request.user, obj=plan)
        assignments = selectors.plan_assignments(reader=self.request.user, plan=plan)
        overlaps = selectors.plan_overlaps(plan, assignments)
        slots = []
        for slot in plan.inputs["slots"]:
            start = dt.datetime.fromisoformat(slot["start"])
            end = dt.datetime.fromisoformat(slot["end"])
            here = [a for a in assignments if a.starts_at == start and a.ends_at == end]
            # West to east, the two halves of a mirrored pair next to each other.
            here.sort(key=lambda a: (a.first_segment.index, min(a.pk, a.mirror_id or a.pk), a.side))
            slots.append(
                {
                    "start": start,
                    "end": end,
                    "assignments": here,
                    "overlaps": [o for o in overlaps if o.starts_at == start],
                }
            )
        placed = {a.pk for slot in slots for a in slot["assignments"]}
        other = [a for a in assignments if a.pk not in placed]
        overlapping = {a.pk for o in overlaps for a in o.assignments}
        comparison = selectors.coverage_comparison(reader=self.request.user, plan=plan)
        shortfalls = []
        names = services.qualification_names()
        for agency, counts in plan.inputs.get("crew_shortfall", {}).items():
            reasons = services.shortfall_reasons(
                services.shortfall_shown(counts),
                rest_hours=plan.inputs.get("rest_hours"),
                names=names,
            )
            shortfalls.append(
                _("No %(agency)s crew in this plan: %(reasons)s.")
                % {"agency": agency, "reasons": reasons}
                if reasons
                else _("No %(agency)s crew in this plan: none of its officers is a member.")
                % {"agency": agency}
            )
        return super().get_context_data(
            plan=plan,
            shortfalls=shortfalls,
            assignments=assignments,
            slots=slots,
            other=other,
            overlapping=overlapping,
            comparison=comparison,
            result=plan.solver_result,
            **kwargs,
        )


class AssignmentEditView(RoleRequiredMixin, View):
    required_permission = "patrols.change_patrolassignment"
    template_name = "patrols/assignment_edit.html"

    def _assignment(self, pk) -> PatrolAssignment:
        assignment = selectors.assignment_get(reader=self.request.user, pk=pk)
        return assignment

    def _form(self, assignment, data=None):
        crew = [r.officer_id for r in assignment.crew_rows]
        return AssignmentEditForm(
            data,
            officers=selectors.crew_choices(reader=self.request.user, assignment=assignment),
            segments=selectors.plan_segments(assignment.plan),
            initial={
                "officers": crew,
                "first_segment": assignment.first_segment.segment_id,
                "last_segment": assignment.last_segment.segment_id,
                "starts_at": timezone.localtime(assignment.starts_at).strftime("%Y-%m-%dT%H:%M"),
                "ends_at": timezone.localtime(assignment.ends_at).strftime("%Y-%m-%dT%H:%M"),
                "vehicle": assignment.vehicle,
            },
        )

    def get(self, request, pk):
        assignment = self._assignment(pk)
        return render(
            request,
            self.template_name,
            {"form": self._form(assignment), "assignment": assignment},
        )

    def post(self, request, pk):
        assignment = self._assignment(pk)
        form = self._form(assignment, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            segments = {
                s.segment_id: s
                for s in Segment.objects.filter(
                    segment_id__in=[data["first_segment"], data["last_segment"]]
                )
            }
            try:
                services.assignment_edit(
                    actor=request.user,
                    assignment=assignment,
                    officers=list(data["officers"]),
                    first_segment=segments[data["first_segment"]],
                    last_segment=segments[data["last_segment"]],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    vehicle=data["vehicle"],
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Assignment changed."))
                return redirect("patrols:plan_detail", pk=assignment.plan_id)
        return render(request, self.template_name, {"form": form, "assignment": assignment})


class _PlanActionView(RoleRequiredMixin, View):
    required_permission = "patrols.change_patrolplan"
    service = None
    done = ""

    def post(self, request, pk):
        plan = selectors.plan_get(reader=request.user, pk=pk)
        try:
            type(self).service(actor=request.user, plan=plan)
        except ValidationError as error:
            for message in _errors(error):
                messages.error(request, message)
        else:
            messages.success(request, self.done)
        return redirect("patrols:plan_detail", pk=plan.pk)


class PlanPublishView(_PlanActionView):
    service = services.plan_publish

    @property
    def done(self):
        return _("Plan published: each officer now sees their own assignment.")


class PlanWithdrawView(_PlanActionView):
    service = services.plan_withdraw

    @property
    def done(self):
        return _("Plan withdrawn.")


class MyPatrolsView(RoleRequiredMixin, TemplateView):
    template_name = "patrols/my_patrols.html"

    def get_context_data(self, **kwargs):
        audit_record(
            action="patrolassignment.mine",
            actor=self.request.user,
            object_type="patrols.patrolassignment",
        )
        return super().get_context_data(
            mine=selectors.my_assignments(reader=self.request.user, upcoming_only=True), **kwargs
        )
