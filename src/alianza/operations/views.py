from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import FormView

from alianza.access.getters import access_get
from alianza.access.views import AccessDetailView, AccessListView, RoleRequiredMixin
from alianza.agencies.models import Officer

from . import selectors, services
from .models import DeconflictionAlert, JointOperation, MembershipChange, PlannedActivity


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=PlannedActivity.Kind.choices)
    description = forms.CharField(
        label=gettext_lazy("description"), required=False, widget=forms.Textarea
    )
    latitude = forms.FloatField(label=gettext_lazy("latitude"))
    longitude = forms.FloatField(label=gettext_lazy("longitude"))
    radius_m = forms.IntegerField(label=gettext_lazy("radius (m)"), min_value=1)
    starts_at = forms.DateTimeField(
        label=gettext_lazy("starts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    ends_at = forms.DateTimeField(
        label=gettext_lazy("ends at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    contact_phone = forms.CharField(label=gettext_lazy("contact phone"), max_length=32)


class OperationListView(AccessListView):
    model = JointOperation
    template_name = "operations/operation_list.html"

    def get_base_queryset(self):
        return selectors.operation_list(reader=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            changes=selectors.membership_change_list(reader=self.request.user).filter(
                status="pending"
            ),
            **kwargs,
        )


class OperationDetailView(AccessDetailView):
    model = JointOperation
    template_name = "operations/operation_detail.html"


class MembershipRequestView(RoleRequiredMixin, View):
    required_permission = "operations.add_membershipchange"

    def post(self, request, pk):
        operation = access_get(request.user, JointOperation, pk=pk)
        officer = access_get(request.user, Officer, pk=request.POST.get("officer") or 0)
        try:
            services.membership_change_request(
                actor=request.user,
                operation=operation,
                officer=officer,
                action=request.POST.get("action", "add"),
            )
            messages.success(request, _("Sent for approval by each lead agency."))
        except ValidationError as error:
            messages.error(request, " ".join(sum(error.message_dict.values(), [])))
        return redirect("operations:operation_detail", pk=operation.pk)


class MembershipApproveView(RoleRequiredMixin, View):
    required_permission = "operations.add_membershipapproval"

    def post(self, request, pk):
        change = access_get(request.user, MembershipChange, pk=pk)
        try:
            services.membership_change_approve(actor=request.user, change=change)
            messages.success(request, _("Approval recorded."))
        except ValidationError as error:
            messages.error(request, " ".join(sum(error.message_dict.values(), [])))
        return redirect("operations:operation_list")


class ActivityListView(AccessListView):
    model = PlannedActivity
    required_permission = "operations.view_plannedactivity"
    template_name = "operations/activity_list.html"

    def get_base_queryset(self):
        return selectors.activity_list(reader=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            alerts=selectors.alert_list(reader=self.request.user)[:50], **kwargs
        )


class ActivityCreateView(RoleRequiredMixin, FormView):
    required_permission = "operations.add_plannedactivity"
    form_class = ActivityForm
    template_name = "operations/activity_form.html"

    def form_valid(self, form):
        try:
            _activity, alerts = services.activity_register(
                actor=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        if alerts:
            messages.warning(
                self.request,
                ngettext(
                    "%(count)s overlapping activity: see the deconfliction alert.",
                    "%(count)s overlapping activities: see the deconfliction alerts.",
                    len(alerts),
                )
                % {"count": len(alerts)},
            )
        else:
            messages.success(self.request, _("Activity registered; no overlap found."))
        return redirect("operations:activity_list")


class AlertDetailView(AccessDetailView):
    """Whom to call, where and when: never the other activity's details."""

    model = DeconflictionAlert
    required_permission = "operations.view_deconflictionalert"
    template_name = "operations/alert_detail.html"
