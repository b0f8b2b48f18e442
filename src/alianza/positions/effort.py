"""Patrol effort per segment and side, derived from the stored position reports and written
through `flows.effort.patrol_effort_replace` (source "positions"), which feeds the
effort-adjusted hotspots (crossings per patrol hour).

Per agency and local day, one call replaces that agency's position-derived effort. Each row is
the effort of one tracked unit on one segment and side, marked with the combination of the
markings of that unit's reports of the day (`marking_combine`: the agencies all of them are
releasable to, the union of their compartments), so effort is never seen by someone who could
not see the track it came from, and one unit that is not shared does not hide the others.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from alianza.access.models import Marking
from alianza.access.services import marking_combine, marking_default
from alianza.agencies.models import Agency, Unit
from alianza.border.geometry import to_xy
from alianza.config.clock import display_zone
from alianza.flows.effort import EffortRow, patrol_effort_replace
from alianza.flows.models import PatrolEffort

from .models import PositionReport
from .tracks import DEFAULT_MAX_GAP, Fix, track_effort


@dataclass(frozen=True)
class EffortSummary:
    day: dt.date
    agency: str
    rows: int
    hours: float
    kilometres: float


def _day_start(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=zone).astimezone(dt.UTC)


def position_days() -> list[dt.date]:
    """Every local day from the first stored report to the last."""
    times = PositionReport.objects.unrestricted(reason="span of the stored reports").order_by(
        "time"
    )
    first = times.values_list("time", flat=True).first()
    last = times.reverse().values_list("time", flat=True).first()
    if first is None:
        return []
    zone = display_zone()
    start, end = first.astimezone(zone).date(), last.astimezone(zone).date()
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def positions_effort_derive(
    *,
    actor,
    days: list[dt.date] | None = None,
    max_gap: dt.timedelta = DEFAULT_MAX_GAP,
) -> list[EffortSummary]:
    """Derive and store the effort of `days` (every day with reports when None)."""
    days = sorted(set(days)) if days is not None else position_days()
    if not days:
        return []
    zone = display_zone()
    window_start = _day_start(days[0], zone) - max_gap
    window_end = _day_start(days[-1] + dt.timedelta(days=1), zone)
    rows = (
        PositionReport.objects.unrestricted(reason="derive patrol effort (system)")
        .filter(time__gte=window_start, time__lt=window_end)
        .order_by("unit_id", "time")
        .values_list(
            "unit_id",
            "unit__agency_id",
            "unit__unit_id",
            "time",
            "lon",
            "lat",
            "segment__segment_id",
            "side",
            "marking_id",
        )
    )
    tracks: dict[int, list] = defaultdict(list)
    unit_info: dict[int, tuple[int, int | None]] = {}
    for (
        unit_id,
        agency_id,
        org_unit_id,
        time,
        lon,
        lat,
        segment_id,
        side,
        marking_id,
    ) in rows.iterator(chunk_size=5000):
        tracks[unit_id].append((Fix(time, lon, lat, segment_id, side), marking_id))
        unit_info[unit_id] = (agency_id, org_unit_id)

    wanted = set(days)
    # (day, agency) -> {(segment, side, org unit, markings of the unit's day): [hours, km]}.
    effort: dict[tuple[dt.date, int], dict] = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0]))
    used: dict[tuple[dt.date, int], set[int]] = defaultdict(set)
    agencies_seen: set[int] = set()
    for unit_id, entries in tracks.items():
        agency_id, org_unit_id = unit_info[unit_id]
        agencies_seen.add(agency_id)
        # The markings of this unit's fixes of each day (those that could open an interval).
        unit_markings: dict[dt.date, set[int]] = defaultdict(set)
        for fix, marking_id in entries:
            day = fix.time.astimezone(zone).date()
            if day in wanted:
                unit_markings[day].add(marking_id)
                used[(day, agency_id)].add(marking_id)
        fixes = [fix for fix, _m in entries]
        xs, ys = to_xy(lons=[f.lon for f in fixes], lats=[f.lat for f in fixes])
        per_key = track_effort(fixes, zone=zone, max_gap=max_gap, days=wanted, xy=(xs, ys))
        for (day, segment_id, side), (hours, km) in per_key.items():
            marking_key = tuple(sorted(unit_markings[day]))
            entry = effort[(day, agency_id)][(segment_id, side, org_unit_id, marking_key)]
            entry[0] += hours
            entry[1] += km

    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=agencies_seen)}
    org_units = {
        u.pk: u
        for u in Unit.objects.filter(
            pk__in={info[1] for info in unit_info.values() if info[1] is not None}
        )
    }
    markings = {
        m.pk: m for m in Marking.objects.filter(pk__in={m for ids in used.values() for m in ids})
    }
    combined: dict[tuple[int, ...], Marking] = {}

    def combine(marking_key: tuple[int, ...]) -> Marking | None:
        if not marking_key:
            return None
        if marking_key not in combined:
            combined[marking_key] = marking_combine([markings[m] for m in marking_key])
        return combined[marking_key]

    # Agencies that had position-derived effort on these days but no reports now get cleared.
    previous = set(
        PatrolEffort.objects.unrestricted(reason="days to re-derive (system)")
        .filter(source=PatrolEffort.Source.POSITIONS, day__in=days)
        .values_list("day", "agency_id")
        .distinct()
    )
    summaries = []
    for day in days:
        for agency_id in sorted(agencies_seen | {a for d, a in previous if d == day}):
            key = (day, agency_id)
            cells = effort.get(key, {})
            if not cells and key not in previous and key not in used:
                continue
            agency = agencies.get(agency_id) or Agency.objects.get(pk=agency_id)
            # The call's marking covers rows without their own (none here) and the audit entry.
            marking_ids = used.get(key)
            marking = (
                combine(tuple(sorted(marking_ids)))
                if marking_ids
                else marking_default(originating_agency=agency)
            )
            effort_rows = [
                EffortRow(
                    segment_id=segment_id,
                    side=side,
                    hours=round(hours, 4),
                    kilometres=round(km, 3),
                    unit=org_units.get(org_unit_id),
                    marking=combine(marking_key),
                )
                for (segment_id, side, org_unit_id, marking_key), (hours, km) in sorted(
                    cells.items(),
                    key=lambda item: (item[0][0], item[0][1], item[0][2] or 0, item[0][3]),
                )
            ]
            patrol_effort_replace(
                actor=actor,
                agency=agency,
                day=day,
                source=PatrolEffort.Source.POSITIONS,
                rows=effort_rows,
                marking=marking,
            )
            summaries.append(
                EffortSummary(
                    day=day,
                    agency=agency.code,
                    rows=len(effort_rows),
                    hours=round(sum(r.hours for r in effort_rows), 3),
                    kilometres=round(sum(r.kilometres for r in effort_rows), 3),
                )
            )
    return summaries
