"""Patrol plans are marked; assignments are visible through their plan's marking."""

from alianza.access.querysets import MarkedQuerySet, MarkedViaQuerySet


class PatrolPlanQuerySet(MarkedQuerySet):
    pass


class PatrolAssignmentQuerySet(MarkedViaQuerySet):
    marking_path = "plan__marking"


class PatrolAssignmentOfficerQuerySet(MarkedViaQuerySet):
    marking_path = "assignment__plan__marking"
