from alianza.access.querysets import RoleScopedQuerySet


class ExportRecordQuerySet(RoleScopedQuerySet):
    """Integrity officers see the exports made by their own agency's people."""

    agency_path = "actor_agency"
    required_roles = ("integrity_officer",)
