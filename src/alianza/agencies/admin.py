"""Django admin for reference data, limited to an agency administrator's own agency."""

from django.contrib import admin
from django.db import transaction

from alianza.access.rules import reader_for
from alianza.audit.services import audit_record

from .models import Agency, Unit


class OwnAgencyAdmin(admin.ModelAdmin):
    agency_field = "agency"

    def _allowed(self, request) -> bool:
        reader = reader_for(request.user)
        return reader.may_read_anything and request.user.groups.filter(name="agency_admin").exists()

    def has_module_permission(self, request):
        return self._allowed(request) or request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request) and (
            obj is None
            or getattr(obj, f"{self.agency_field}_id") == reader_for(request.user).agency_id
        )

    has_add_permission = has_change_permission

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser and not self._allowed(request):
            return queryset
        return queryset.filter(**{f"{self.agency_field}_id": reader_for(request.user).agency_id})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        agency_id = reader_for(request.user).agency_id
        if db_field.name == "agency":
            kwargs["queryset"] = Agency.objects.filter(pk=agency_id)
        elif db_field.name == "parent":
            kwargs["queryset"] = Unit.objects.filter(agency_id=agency_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if getattr(obj, f"{self.agency_field}_id") != reader_for(request.user).agency_id:
            raise PermissionError("agency administrators edit their own agency only")
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(
                action=f"{obj._meta.model_name}.{'update' if change else 'create'}",
                actor=request.user,
                obj=obj,
                details={"via": "admin", "fields": sorted(form.changed_data)},
            )


@admin.register(Unit)
class UnitAdmin(OwnAgencyAdmin):
    list_display = ["code", "name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_es", "country"]

    def has_module_permission(self, request):
        return request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False
