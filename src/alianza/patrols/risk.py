"""Risk per (segment, time slot) from recent flow events: the values of the patrol game.

Method (docs/patrols.md has the derivation):

- every visible event of the lookback window on a segment of the sector counts with weight
  ``w = 2 ** (-age_days / half_life_days)`` in the slot its local time of day falls in;
- a segment's *exposure* is the recency-weighted detection effort it had: each day counts
  ``w_d * (baseline_hours + patrol_hours_d) / baseline_hours`` (a segment nobody patrolled
  still has its sensors and towers: one baseline day), so events seen under heavy patrol
  count for less (effort-adjusted rates);
- the rate is the posterior mean of a Gamma-Poisson model whose prior is the sector-wide
  rate of the slot with the weight of ``prior_strength`` baseline days:
  ``risk = (N + k * mu_slot) / (X + k)``, ``mu_slot = (sum N + 0.5) / sum X``. Segments with
  few events shrink toward the sector's rate for that slot instead of to zero.

`estimate_risk` is pure (lists and numbers in, an array out); `risk_inputs` gathers the
events and effort the planner may see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np

from alianza.border.models import Segment

ARIZONA = ZoneInfo("America/Phoenix")
# Kinds that show a crossing (or an attempt); assaults say where it is dangerous, not busy.
CROSSING_KINDS = (
    "seizure",
    "apprehension",
    "turn_back",
    "got_away",
    "sighting",
    "sensor_alert",
    "tunnel",
    "vehicle_stop",
)


@dataclass(frozen=True)
class EventPoint:
    segment_id: str
    occurred_at: dt.datetime  # aware


def estimate_risk(
    *,
    segment_ids: Sequence[str],
    events: Iterable[EventPoint],
    effort_hours: dict[tuple[str, int], float],
    as_of: dt.datetime,
    slot_starts_local: Sequence[float],
    slot_hours: float,
    lookback_days: int,
    half_life_days: float,
    baseline_hours: float,
    prior_strength: float,
    **_ignored,
) -> tuple[np.ndarray, dict]:
    """Risk per (segment, slot), shape (len(segment_ids), len(slot_starts_local)).

    ``effort_hours[(segment_id, days_ago)]`` is the patrol hours on that segment that many
    days before `as_of` (0 = the day before)."""
    index = {sid: i for i, sid in enumerate(segment_ids)}
    num_slots = len(slot_starts_local)
    counts = np.zeros((len(segment_ids), num_slots))
    events = [e for e in events if e.segment_id in index]
    rows = np.array([index[e.segment_id] for e in events], dtype=np.int64)
    stamps = np.array([e.occurred_at.timestamp() for e in events], dtype=np.float64)
    age = (as_of.timestamp() - stamps) / 86400
    # Arizona keeps UTC-7 all year, so the local time of day is one fixed offset away.
    offset = ARIZONA.utcoffset(as_of.replace(tzinfo=None)).total_seconds()
    hour = ((stamps + offset) % 86400) / 3600
    slot = np.full(len(events), -1)
    for h, start in enumerate(slot_starts_local):
        slot[(slot < 0) & ((hour - start) % 24 < slot_hours)] = h
    keep = (age >= 0) & (age <= lookback_days) & (slot >= 0)
    np.add.at(counts, (rows[keep], slot[keep]), 2.0 ** (-age[keep] / half_life_days))
    used = int(keep.sum())
    exposure = np.zeros(len(segment_ids))
    for days_ago in range(lookback_days):
        weight = 2.0 ** (-(days_ago + 0.5) / half_life_days)
        exposure += weight
    for (segment_id, days_ago), hours in effort_hours.items():
        i = index.get(segment_id)
        if i is None or not 0 <= days_ago < lookback_days:
            continue
        exposure[i] += 2.0 ** (-(days_ago + 0.5) / half_life_days) * hours / baseline_hours
    total_exposure = float(exposure.sum()) or 1.0
    prior = (counts.sum(axis=0) + 0.5) / total_exposure  # per slot
    k = prior_strength
    risk = (counts + k * prior[None, :]) / (exposure[:, None] + k)
    details = {
        "events_used": used,
        "weighted_events": round(float(counts.sum()), 6),
        "prior_per_slot": [round(float(p), 9) for p in prior],
    }
    return risk, details


def sector_segments(sector) -> list[Segment]:
    """The loaded 1 km segments inside the sector's km range, west to east."""
    return list(
        Segment.objects.filter(km_end__gt=sector.km_start, km_start__lt=sector.km_end).order_by(
            "index"
        )
    )


def _shareable(
    marking_ids: Iterable[int], *, agency_ids: set[int], compartment_id: int
) -> set[int]:
    """Markings whose records every reader of the plan may already see: allowed to every lead
    agency, in no compartment but the operation's, not ORCON, not past review. Only these feed
    the plan, so the plan's marking (the operation's compartment, both lead agencies) is never
    looser than its inputs'."""
    from django.utils import timezone

    from alianza.access.models import Marking

    today = timezone.localdate()
    keep = set()
    for marking in Marking.objects.filter(pk__in=set(marking_ids)).prefetch_related(
        "releasable_to", "compartments"
    ):
        allowed = {a.pk for a in marking.releasable_to.all()} | {marking.originating_agency_id}
        compartments = {c.pk for c in marking.compartments.all()}
        if (
            agency_ids <= allowed
            and compartments <= {compartment_id}
            and not marking.originator_control
            and (marking.review_date is None or marking.review_date >= today)
        ):
            keep.add(marking.pk)
    return keep


def risk_inputs(
    *,
    reader,
    operation,
    segment_ids: Sequence[str],
    as_of: dt.datetime,
    lookback_days: int,
) -> tuple[list[EventPoint], dict[tuple[str, int], float]]:
    """The recent events and patrol effort on these segments that `reader` may see (every
    record, for the system: `reader` None) and that both lead agencies may see too.
    What is left out counts as nothing (no event, no effort)."""
    from alianza.flows.models import FlowEvent, PatrolEffort

    reason = "risk estimate of a system-generated patrol plan"
    since = as_of - dt.timedelta(days=lookback_days)
    agency_ids = set(operation.lead_agencies.values_list("pk", flat=True))
    event_rows = (
        FlowEvent.objects.visible_to(reader)
        if reader is not None
        else FlowEvent.objects.unrestricted(reason=reason)
    ).filter(
        segment__segment_id__in=list(segment_ids),
        occurred_at__gte=since,
        occurred_at__lt=as_of,
        kind__in=CROSSING_KINDS,
    )
    rows = list(event_rows.values_list("segment__segment_id", "occurred_at", "marking_id"))
    ok = _shareable(
        {m for _, _, m in rows}, agency_ids=agency_ids, compartment_id=operation.compartment_id
    )
    events = [EventPoint(segment_id=sid, occurred_at=when) for sid, when, m in rows if m in ok]
    last_day = (as_of.astimezone(ARIZONA) - dt.timedelta(days=1)).date()
    effort_rows = (
        PatrolEffort.objects.visible_to(reader)
        if reader is not None
        else PatrolEffort.objects.unrestricted(reason=reason)
    ).filter(
        segment__segment_id__in=list(segment_ids),
        day__gt=last_day - dt.timedelta(days=lookback_days),
        day__lte=last_day,
    )
    rows = list(effort_rows.values_list("segment__segment_id", "day", "hours", "marking_id"))
    ok = _shareable(
        {m for *_, m in rows}, agency_ids=agency_ids, compartment_id=operation.compartment_id
    )
    effort: dict[tuple[str, int], float] = {}
    for sid, day, hours, marking_id in rows:
        if marking_id in ok:
            key = (sid, (last_day - day).days)
            effort[key] = effort.get(key, 0.0) + float(hours)
    return events, effort
