"""The demo's live feed: simulated position reports along the published patrol plans, kept up
to "now" so the live map shows units on patrol hours and days after the demo was loaded.

Every published assignment of the demo's joint operation is driven by one vehicle (or crew),
a tracked unit reporting a fix every minute (less often at a small --scale) while it drives
back and forth along its window of segments, a few hundred metres inside its own side of the
line. It falls silent for the last TRANSIT minutes of each window (it drives to its next
window), longer than the effort's maximum gap, so the jump to the next window never counts as
kilometres patrolled. USBP does not share "USBP Truck 3" with the partner agency: the Mexican
supervisor's live map never shows it.

A window's whole track is drawn from a generator seeded with the assignment's id, so it is the
same however often, and at whatever moments, it is topped up: `positions_top_up(now=...)` adds
the fixes due between each unit's last stored fix and `now` (never one after it), through
`positions_ingest` (the audited path a device uses), and re-derives the patrol effort of the
days it touched. Calling it twice at the same `now` adds nothing.

Three ways to run it: the demo loader calls it (so loading again on a later day catches up),
`alianza demo-feed` calls it every minute (or once, with --once, for cron), and
`start_live_feed()` runs it in a background thread beside a development server.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from alianza.agencies.models import Officer
from alianza.border.geometry import to_lonlat, to_xy
from alianza.border.segmenting import Segmentation, bundled_segmentation
from alianza.config.clock import display_zone
from alianza.operations.models import JointOperation
from alianza.patrols.models import PatrolAssignment, PatrolPlan
from alianza.positions.effort import positions_effort_derive
from alianza.positions.models import PositionReport, TrackedUnit
from alianza.positions.services import positions_ingest, tracked_unit_register
from alianza.positions.tracks import DEFAULT_MAX_GAP

logger = logging.getLogger(__name__)

OPERATION = "OP-NOGALES-WEST"
SUPERVISORS = {"USBP": "us.supervisor", "MXFP": "mx.supervisor"}  # they report the tracks
UNSHARED = {"USBP Truck 3"}
TRANSIT = dt.timedelta(minutes=20)
# The feed catches up at most this far back (a demo reloaded a month later gets a week).
CATCH_UP = dt.timedelta(days=7)
# A running feed re-derives the touched days' effort at most this often (each derivation
# replaces a whole day's effort and writes an audit entry per agency).
EFFORT_EVERY = dt.timedelta(minutes=15)
BATCH = 5_000
LIVE, HISTORY = 0, 1  # the two passes over a window: this week's, and the same a week earlier


@dataclass(frozen=True)
class Track:
    """One window's fixes: seconds after `start`, positions and reported speeds."""

    start: dt.datetime
    seconds: np.ndarray
    lons: np.ndarray
    lats: np.ndarray
    speeds: np.ndarray

    def rows(self, *, unit: str, operation: str, after=None, until=None) -> list[dict]:
        """The fixes in (after, until] as `positions_ingest` reports."""
        keep = np.ones(len(self.seconds), dtype=bool)
        if after is not None:
            keep &= self.seconds > (after - self.start).total_seconds()
        if until is not None:
            keep &= self.seconds <= (until - self.start).total_seconds()
        return [
            {
                "unit": unit,
                "time": self.start + dt.timedelta(seconds=float(self.seconds[i])),
                "lon": float(self.lons[i]),
                "lat": float(self.lats[i]),
                "accuracy_m": 8,
                "speed_kmh": int(self.speeds[i]),
                "operation": operation,
            }
            for i in np.flatnonzero(keep)
        ]


@dataclass(frozen=True)
class TopUp:
    accepted: int = 0
    units: int = 0
    days: list[dt.date] = field(default_factory=list)


def fix_interval(scale: float) -> float:
    """Seconds between two fixes of one unit: a minute at full scale, at most ten minutes."""
    return float(min(600, max(60, round(60 / max(scale, 0.01)))))


def window_track(
    assignment: PatrolAssignment,
    *,
    interval: float,
    segmentation: Segmentation,
    shift: dt.timedelta = dt.timedelta(0),
    kind: int = LIVE,
) -> Track:
    """The whole track of one assignment's window (moved by `shift`), seeded by its id: the
    drive (speed, starting point, distance from the line) does not depend on `interval`."""
    start = assignment.starts_at + shift
    duration = (assignment.ends_at - TRANSIT - assignment.starts_at).total_seconds()
    grid = np.arange(0.0, max(duration, 0.0), interval)
    drive = np.random.default_rng([assignment.pk, kind])
    speed = drive.uniform(8.0, 25.0)  # km/h, along the line
    low = min(assignment.first_segment.km_start, assignment.last_segment.km_start)
    high = max(assignment.first_segment.km_end, assignment.last_segment.km_end)
    span = max(high - low, 0.2)
    setoff = drive.uniform(0, 2 * span)
    inland = drive.uniform(150.0, 900.0)
    noise = np.random.default_rng([assignment.pk, kind, round(interval)])
    n = len(grid)
    # Fixes come about `interval` apart (interval >= 60 s, so the jitter keeps them in order).
    seconds = np.round(np.clip(grid + noise.uniform(-10, 10, n), 0, max(duration, 0.0)))
    phase = np.mod(setoff + speed * seconds / 3600.0, 2 * span)
    km = low + np.where(phase <= span, phase, 2 * span - phase)
    lon0 = np.interp(km * 1000, segmentation.chainage_m, segmentation.coords[:, 0])
    lat0 = np.interp(km * 1000, segmentation.chainage_m, segmentation.coords[:, 1])
    x, y = to_xy(lons=lon0, lats=lat0)
    offset = np.abs(inland + noise.normal(0, 30.0, n))
    y = y + (offset if assignment.side == "US" else -offset)
    lons, lats = to_lonlat(xs=x + noise.normal(0, 15.0, n), ys=y)
    speeds = np.clip(np.round(speed + noise.normal(0, 4.0, n)), 0, None).astype(int)
    return Track(start, seconds, np.round(lons, 6), np.round(lats, 6), speeds)


def unit_code(assignment: PatrolAssignment) -> str:
    return (assignment.vehicle or f"{assignment.agency.code} {assignment.unit_type}")[:32]


def demo_operation() -> JointOperation | None:
    return JointOperation.objects.unrestricted(reason="demo").filter(code=OPERATION).first()


def demo_reporters(operation: JointOperation) -> dict[int, object]:
    """{agency id: the supervisor's user} of the operation's lead agencies."""
    officers = (
        Officer.objects.unrestricted(reason="demo")
        .filter(
            agency__in=operation.lead_agencies.all(),
            user__username__in=SUPERVISORS.values(),
        )
        .select_related("user", "agency")
    )
    return {
        o.agency_id: o.user for o in officers if SUPERVISORS.get(o.agency.code) == o.user.username
    }


def demo_assignments(operation: JointOperation, *, starts_before=None, ends_after=None):
    assignments = (
        PatrolAssignment.objects.unrestricted(reason="demo")
        .filter(plan__operation=operation, plan__status=PatrolPlan.Status.PUBLISHED)
        .select_related("agency", "unit", "first_segment", "last_segment")
        .order_by("starts_at", "pk")
    )
    if starts_before is not None:
        assignments = assignments.filter(starts_at__lt=starts_before)
    if ends_after is not None:
        assignments = assignments.filter(ends_at__gt=ends_after)
    return list(assignments)


def demo_units(assignments) -> dict[tuple[int, str], TrackedUnit]:
    """The tracked unit of every assignment, registering (through the service) those missing."""
    wanted = {(a.agency_id, unit_code(a)): a for a in assignments}
    units = {
        (u.agency_id, u.code): u
        for u in TrackedUnit.objects.unrestricted(reason="demo").filter(
            agency_id__in={k[0] for k in wanted}, code__in={k[1] for k in wanted}
        )
    }
    for key, assignment in wanted.items():
        if key not in units:
            units[key] = tracked_unit_register(
                actor=None,
                agency=assignment.agency,
                code=key[1],
                kind="vehicle" if assignment.vehicle else "officer",
                label=assignment.unit_type,
                unit=assignment.unit,
                shared=key[1] not in UNSHARED,
            )
    return units


def operation_span(operation: JointOperation) -> tuple[dt.datetime, dt.datetime]:
    """The times `positions_ingest` accepts for the operation (its UTC dates, one day after)."""
    first = dt.datetime.combine(operation.starts_on, dt.time.min, tzinfo=dt.UTC)
    last = dt.datetime.combine(operation.ends_on + dt.timedelta(days=2), dt.time.min, tzinfo=dt.UTC)
    return first, last - dt.timedelta(seconds=1)


def demo_ingest(rows: dict[int, list[dict]], reporters: dict) -> TopUp:
    """Store each agency's rows (in batches, as its supervisor) and name the touched days."""
    zone = display_zone()
    accepted, units, days = 0, set(), set()
    for agency_id, agency_rows in rows.items():
        for first in range(0, len(agency_rows), BATCH):
            batch = agency_rows[first : first + BATCH]
            result = positions_ingest(actor=reporters[agency_id], reports=batch)
            accepted += result.accepted
            units.update((agency_id, code) for code in result.units)
            times = [r["time"] for r in batch]
            days.update(t.astimezone(zone).date() for t in times)
            # An interval from the unit's previous fix may open on the day before.
            days.add((min(times) - DEFAULT_MAX_GAP).astimezone(zone).date())
    return TopUp(accepted=accepted, units=len(units), days=sorted(days))


def positions_top_up(*, now: dt.datetime, scale: float = 1.0, derive_effort: bool = True) -> TopUp:
    """Add the demo's fixes due between each unit's last stored fix (at most CATCH_UP ago) and
    `now`, for every published assignment whose window overlaps that span; derive the effort
    of the touched days unless `derive_effort` is false. Nothing after `now`; idempotent."""
    operation = demo_operation()
    if operation is None:
        return TopUp()
    reporters = demo_reporters(operation)
    floor = now - CATCH_UP
    assignments = [
        a
        for a in demo_assignments(operation, starts_before=now, ends_after=floor + TRANSIT)
        if a.agency_id in reporters
    ]
    if not assignments:
        return TopUp()
    known = {
        (u.agency_id, u.code): u.pk
        for u in TrackedUnit.objects.unrestricted(reason="demo").filter(
            agency_id__in=list(reporters), code__in={unit_code(a) for a in assignments}
        )
    }
    last = dict(
        PositionReport.objects.unrestricted(reason="the demo feed's last fix of each unit")
        .filter(unit_id__in=known.values(), time__gt=floor, time__lte=now)
        .values("unit_id")
        .annotate(last=Max("time"))
        .values_list("unit_id", "last")
    )
    opens, closes = operation_span(operation)
    until = min(now, closes)
    due = []
    for assignment in assignments:
        unit_pk = known.get((assignment.agency_id, unit_code(assignment)))
        after = max(last.get(unit_pk, floor), floor, opens - dt.timedelta(seconds=1))
        if assignment.ends_at - TRANSIT > after and assignment.starts_at < until:
            due.append((assignment, after))
    if not due:
        return TopUp()
    segmentation = bundled_segmentation()
    interval = fix_interval(scale)
    with transaction.atomic():
        demo_units([a for a, _after in due])
        rows: dict[int, list[dict]] = defaultdict(list)
        for assignment, after in due:
            track = window_track(assignment, interval=interval, segmentation=segmentation)
            rows[assignment.agency_id] += track.rows(
                unit=unit_code(assignment), operation=operation.code, after=after, until=until
            )
        rows = {agency: r for agency, r in rows.items() if r}
        if not rows:
            return TopUp()
        result = demo_ingest(rows, reporters)
        if derive_effort and result.days:
            positions_effort_derive(actor=None, days=result.days)
    return result


class LiveFeed:
    """Tops the demo's tracks up on every `step`; derives the effort of the days touched since
    the last derivation at most every `effort_every` (and on `flush`)."""

    def __init__(self, *, scale: float = 1.0, effort_every: dt.timedelta = EFFORT_EVERY):
        self.scale = scale
        self.effort_every = effort_every
        self.pending: set[dt.date] = set()
        self.derived_at: dt.datetime | None = None

    def step(self, now: dt.datetime | None = None) -> TopUp:
        now = now or timezone.now()
        result = positions_top_up(now=now, scale=self.scale, derive_effort=False)
        self.pending.update(result.days)
        if self.derived_at is None or now - self.derived_at >= self.effort_every:
            self.flush(now)
        return result

    def flush(self, now: dt.datetime | None = None) -> None:
        if self.pending:
            positions_effort_derive(actor=None, days=sorted(self.pending))
            self.pending.clear()
        self.derived_at = now or timezone.now()


class LiveFeedThread(threading.Thread):
    """A daemon thread running a `LiveFeed` every `interval_seconds` until `stop()`; each round
    closes its database connection, so none is left open between rounds."""

    def __init__(self, interval_seconds: float = 60, *, scale: float = 1.0):
        super().__init__(name="alianza-demo-feed", daemon=True)
        self.interval_seconds = interval_seconds
        self.feed = LiveFeed(scale=scale)
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                self.feed.step()
            except Exception:  # a round that failed is logged; the next one tries again
                logger.exception("The demo's live feed failed to top up the positions.")
            finally:
                connection.close()
            self.stopping.wait(self.interval_seconds)

    def stop(self, timeout: float | None = None) -> None:
        self.stopping.set()
        self.join(timeout)


def start_live_feed(interval_seconds: float = 60, *, scale: float = 1.0) -> LiveFeedThread:
    """Start topping the demo's positions up every `interval_seconds` in a daemon thread (for
    `alianza demo` while it serves); `thread.stop()` ends it."""
    thread = LiveFeedThread(interval_seconds, scale=scale)
    thread.start()
    return thread
