"""Tracked units belong to their agency; positions carry their own marking."""

from alianza.access.querysets import AgencyScopedQuerySet, MarkedQuerySet


class TrackedUnitQuerySet(AgencyScopedQuerySet):
    pass


class PositionReportQuerySet(MarkedQuerySet):
    pass


class LatestPositionQuerySet(MarkedQuerySet):
    pass
