from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from alianza.access.getters import access_get
from alianza.access.rules import reader_for
from alianza.access.views import AccessDetailView, AccessListView, RoleRequiredMixin

from . import selectors, services
from .forms import OfficerCreateForm, OfficerForm
from .models import Agency, Officer


class OfficerListView(AccessListView):
    model = Officer
    template_name = "agencies/officer_list.html"

    def get_base_queryset(self):
        return selectors.officer_list(
            reader=self.request.user, search=self.request.GET.get("q", "").strip()
        )


class OfficerDetailView(AccessDetailView):
    model = Officer
    template_name = "agencies/officer_detail.html"


class _OfficerFormMixin(RoleRequiredMixin):
    required_permission = "agencies.manage_officers"

    def _apply_errors(self, form, error: ValidationError):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return self.form_invalid(form)


class OfficerCreateView(_OfficerFormMixin, FormView):
    form_class = OfficerCreateForm
    template_name = "agencies/officer_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["agency"] = Agency.objects.get(pk=reader_for(self.request.user).agency_id)
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            officer = services.officer_create(
                actor=self.request.user,
                agency=Agency.objects.get(pk=reader_for(self.request.user).agency_id),
                username=data.pop("username") or None,
                roles=data.pop("roles"),
                **data,
            )
        except ValidationError as error:
            return self._apply_errors(form, error)
        messages.success(self.request, _("Officer %(name)s created.") % {"name": officer})
        return redirect("agencies:officer_detail", pk=officer.pk)


class OfficerUpdateView(_OfficerFormMixin, FormView):
    form_class = OfficerForm
    template_name = "agencies/officer_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.officer = access_get(request.user, Officer, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["agency"] = self.officer.agency
        kwargs["instance"] = Officer(
            **{f.attname: getattr(self.officer, f.attname) for f in Officer._meta.concrete_fields}
        )
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(officer=self.officer, **kwargs)

    def form_valid(self, form):
        try:
            services.officer_update(
                actor=self.request.user, officer=self.officer, **form.cleaned_data
            )
        except ValidationError as error:
            return self._apply_errors(form, error)
        messages.success(self.request, _("Changes saved."))
        return redirect("agencies:officer_detail", pk=self.officer.pk)
