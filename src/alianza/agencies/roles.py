"""Roles are Django groups; this table is the single definition of what each role may do."""

from django.utils.translation import gettext_lazy as _

ANALYST = "analyst"
PATROL_AGENT = "patrol_agent"
PATROL_SUPERVISOR = "patrol_supervisor"
TRAINING_COORDINATOR = "training_coordinator"
VETTING_OFFICER = "vetting_officer"
INTEGRITY_OFFICER = "integrity_officer"
AGENCY_ADMIN = "agency_admin"

ROLE_LABELS = {
    ANALYST: _("Analyst"),
    PATROL_AGENT: _("Patrol agent"),
    PATROL_SUPERVISOR: _("Patrol supervisor"),
    TRAINING_COORDINATOR: _("Training coordinator"),
    VETTING_OFFICER: _("Vetting officer"),
    INTEGRITY_OFFICER: _("Integrity officer"),
    AGENCY_ADMIN: _("Agency administrator"),
}

# app_label.codename of each permission a role grants.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    ANALYST: ["intel.add_report", "intel.change_report"],
    PATROL_AGENT: ["positions.add_positionreport"],
    PATROL_SUPERVISOR: [
        "vetting.view_vetting_status",
        "operations.add_membershipchange",
        "operations.add_membershipapproval",
        "operations.view_plannedactivity",
        "operations.add_plannedactivity",
        "operations.view_deconflictionalert",
        "patrols.view_patrolplan",
        "patrols.add_patrolplan",
        "patrols.change_patrolplan",
        "patrols.change_patrolassignment",
        "positions.add_positionreport",
    ],
    TRAINING_COORDINATOR: [
        "vetting.view_vetting_status",
        "training.add_trainingsession",
        "training.add_enrolment",
        "training.change_enrolment",
    ],
    VETTING_OFFICER: [
        "vetting.view_vetting_status",
        "vetting.view_vettingcase",
        "vetting.add_vettingcase",
        "vetting.add_checkresult",
        "vetting.add_caseapproval",
    ],
    INTEGRITY_OFFICER: [
        "audit.view_audit_log",
        "vetting.view_vetting_status",
        "vetting.view_vettingcase",
        "vetting.view_integrityallegation",
        "vetting.change_integrityallegation",
    ],
    AGENCY_ADMIN: [
        "vetting.view_vetting_status",
        "agencies.manage_officers",
        "agencies.view_unit",
        "agencies.add_unit",
        "agencies.change_unit",
        "agencies.view_agency",
    ],
}


def roles_sync(**_kwargs) -> None:
    """Create the role groups and set their permissions (run after every migrate)."""
    from django.contrib.auth.models import Group, Permission

    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:  # an app not yet migrated adds its own on its migrate
                wanted.append(permission)
        group.permissions.set(wanted)
