"""Who may read vetting records: configuration of the access layer's role-scoped rule."""

from alianza.access.querysets import RoleScopedQuerySet

VETTING_READERS = ("vetting_officer", "integrity_officer")


class VettingCaseQuerySet(RoleScopedQuerySet):
    agency_path = "officer__agency"
    required_roles = VETTING_READERS


class CaseChildQuerySet(RoleScopedQuerySet):
    """Check results (with restricted notes) and approvals."""

    agency_path = "case__officer__agency"
    required_roles = VETTING_READERS


class AllegationQuerySet(RoleScopedQuerySet):
    agency_path = "officer__agency"
    required_roles = ("integrity_officer",)
