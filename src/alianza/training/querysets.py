"""Who may read training records: configuration of the access layer's rules."""

from alianza.access.querysets import RoleScopedQuerySet


class TrainingRecordQuerySet(RoleScopedQuerySet):
    """Enrolments and certifications of one agency's officers: that agency's coordinators,
    supervisors and administrators. (Partner coordinators see joint session rosters through
    the session roster selector, which exposes names and attendance only.)"""

    agency_path = "officer__agency"
    required_roles = (
        "training_coordinator",
        "patrol_supervisor",
        "agency_admin",
        "vetting_officer",
    )
