"""Simulated position reports along the demo's published patrol plans, then the patrol effort
derived from them.

Every assignment's vehicle (or crew) becomes a tracked unit reporting a fix every minute (less
often at a small --scale) while it drives back and forth along its window of segments, a few
hundred metres inside its own side of the line. Two passes: the same plans one week earlier
(history, so the effort-adjusted hotspots have patrol hours to divide by), and the part of
this week's windows that has already begun (so the live map shows units on patrol when the
demo is loaded during a shift). A unit falls silent for the last TRANSIT minutes of each window
(it drives to its next window), longer than the effort's maximum gap, so the jump to the next
window never counts as kilometres patrolled. USBP does not share "USBP Truck 3" with the
partner agency: the Mexican supervisor's live map never shows it. Seeded: the same seed gives
the same tracks.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import numpy as np
from django.utils import timezone

from alianza.agencies.models import Officer
from alianza.border.geometry import to_lonlat, to_xy
from alianza.border.segmenting import bundled_segmentation
from alianza.operations.models import JointOperation
from alianza.patrols.models import PatrolAssignment, PatrolPlan
from alianza.positions.effort import display_zone, positions_effort_derive
from alianza.positions.models import PositionReport
from alianza.positions.services import positions_ingest, tracked_unit_register

from .base import DemoContext

BATCH = 5_000
HISTORY = dt.timedelta(days=7)
SUPERVISORS = {"USBP": "us.supervisor", "MXFP": "mx.supervisor"}  # they report the tracks
UNSHARED = {"USBP Truck 3"}
TRANSIT = dt.timedelta(minutes=20)


def _user(username):
    officer = Officer.objects.unrestricted(reason="demo").filter(user__username=username).first()
    return officer.user if officer else None


def _unit_for(assignment, units):
    code = (assignment.vehicle or f"{assignment.agency.code} {assignment.unit_type}")[:32]
    key = (assignment.agency_id, code)
    if key not in units:
        units[key] = tracked_unit_register(
            actor=None,
            agency=assignment.agency,
            code=code,
            kind="vehicle" if assignment.vehicle else "officer",
            label=assignment.unit_type,
            unit=assignment.unit,
            shared=code not in UNSHARED,
        )
    return units[key]


def _track(rng, *, start, end, interval, km_low, km_high, side, segmentation):
    """Fix times and lon/lat of one unit driving back and forth on [km_low, km_high]."""
    seconds = np.arange(0.0, (end - start).total_seconds(), interval)
    if len(seconds) < 2:
        return [], np.array([]), np.array([])
    seconds = np.clip(seconds + rng.uniform(-10, 10, len(seconds)), 0, None)
    seconds = np.unique(np.round(seconds))
    span = max(km_high - km_low, 0.2)
    speed = rng.uniform(8.0, 25.0)  # km/h, along the line
    travelled = rng.uniform(0, 2 * span) + speed * seconds / 3600.0
    phase = np.mod(travelled, 2 * span)
    km = km_low + np.where(phase <= span, phase, 2 * span - phase)
    lon0 = np.interp(km * 1000, segmentation.chainage_m, segmentation.coords[:, 0])
    lat0 = np.interp(km * 1000, segmentation.chainage_m, segmentation.coords[:, 1])
    x, y = to_xy(lons=lon0, lats=lat0)
    offset = rng.uniform(150.0, 900.0) + rng.normal(0, 30.0, len(seconds))
    y = y + (np.abs(offset) if side == "US" else -np.abs(offset))
    lon, lat = to_lonlat(xs=x + rng.normal(0, 15.0, len(seconds)), ys=y)
    times = [start + dt.timedelta(seconds=float(s)) for s in seconds]
    return times, np.round(lon, 6), np.round(lat, 6)


def load(ctx: DemoContext) -> None:
    operation = (
        JointOperation.objects.unrestricted(reason="demo").filter(code="OP-NOGALES-WEST").first()
    )
    if operation is None:
        return
    if (
        PositionReport.objects.unrestricted(reason="demo idempotence check")
        .filter(operation=operation)
        .exists()
    ):
        return
    reporters = {}
    for agency in operation.lead_agencies.all():
        user = _user(SUPERVISORS.get(agency.code, ""))
        if user is not None:
            reporters[agency.pk] = user
    assignments = list(
        PatrolAssignment.objects.unrestricted(reason="demo")
        .filter(plan__operation=operation, plan__status=PatrolPlan.Status.PUBLISHED)
        .select_related("agency", "unit", "first_segment", "last_segment")
        .order_by("starts_at", "pk")
    )
    if not assignments:
        return
    rng = np.random.default_rng(ctx.rng.randrange(2**31))
    segmentation = bundled_segmentation()
    interval = float(min(600, max(60, round(60 / max(ctx.scale, 0.01)))))
    now = timezone.now()
    units: dict = {}
    rows: dict[int, list[dict]] = defaultdict(list)
    for assignment in ctx.progress(assignments, description="patrol tracks"):
        if assignment.agency_id not in reporters:
            continue
        unit = _unit_for(assignment, units)
        low = min(assignment.first_segment.km_start, assignment.last_segment.km_start)
        high = max(assignment.first_segment.km_end, assignment.last_segment.km_end)
        for shift in (-HISTORY, dt.timedelta(0)):
            start = assignment.starts_at + shift
            end = min(assignment.ends_at - TRANSIT + shift, now)
            if end <= start:
                continue
            times, lons, lats = _track(
                rng,
                start=start,
                end=end,
                interval=interval,
                km_low=low,
                km_high=high,
                side=assignment.side,
                segmentation=segmentation,
            )
            speeds = rng.integers(0, 40, len(times))
            for i, when in enumerate(times):
                rows[assignment.agency_id].append(
                    {
                        "unit": unit.code,
                        "time": when,
                        "lon": float(lons[i]),
                        "lat": float(lats[i]),
                        "accuracy_m": 8,
                        "speed_kmh": int(speeds[i]),
                        "operation": operation.code,
                    }
                )
    days = set()
    zone = display_zone()
    stored = 0
    for agency_id, agency_rows in rows.items():
        for first in range(0, len(agency_rows), BATCH):
            batch = agency_rows[first : first + BATCH]
            stored += positions_ingest(actor=reporters[agency_id], reports=batch).accepted
            days.update(r["time"].astimezone(zone).date() for r in batch)
    if days:
        positions_effort_derive(actor=None, days=sorted(days))
    ctx.state["position_reports"] = stored
    ctx.state["tracked_units"] = len(units)
