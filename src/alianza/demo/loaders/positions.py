"""Simulated position reports along the demo's published patrol plans, then the patrol effort
derived from them.

Two passes, with the track model of `alianza.demo.live`: the same plans one week earlier
(history, so the effort-adjusted hotspots have patrol hours to divide by), loaded once; and
this week's windows up to `ctx.now` (so the live map shows units on patrol when the demo is
loaded during a shift). Loading again on a later day tops the tracks up to that day's now,
as `alianza demo-feed` does while the demo runs; at the same now it adds nothing. Each
window's track is seeded by its assignment's id: the same plans give the same tracks.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from alianza.border.segmenting import bundled_segmentation
from alianza.positions.effort import positions_effort_derive
from alianza.positions.models import PositionReport

from .. import live
from .base import DemoContext

HISTORY = live.CATCH_UP  # the history pass moves this week's windows one week back


def _history(ctx: DemoContext, operation, reporters) -> live.TopUp:
    """This week's windows one week earlier, up to the first of them (and `ctx.now`)."""
    assignments = [a for a in live.demo_assignments(operation) if a.agency_id in reporters]
    if not assignments:
        return live.TopUp()
    first = min(a.starts_at for a in assignments)
    opens, closes = live.operation_span(operation)
    until = min(first, ctx.now, closes)
    live.demo_units(assignments)
    segmentation = bundled_segmentation()
    interval = live.fix_interval(ctx.scale)
    rows: dict[int, list[dict]] = defaultdict(list)
    for assignment in ctx.progress(assignments, description="patrol tracks, last week"):
        track = live.window_track(
            assignment,
            interval=interval,
            segmentation=segmentation,
            shift=-HISTORY,
            kind=live.HISTORY,
        )
        rows[assignment.agency_id] += track.rows(
            unit=live.unit_code(assignment),
            operation=operation.code,
            after=opens - dt.timedelta(seconds=1),
            until=until - dt.timedelta(seconds=1),
        )
    rows = {agency: r for agency, r in rows.items() if r}
    return live.demo_ingest(rows, reporters) if rows else live.TopUp()


def load(ctx: DemoContext) -> None:
    operation = live.demo_operation()
    if operation is None:
        return
    reporters = live.demo_reporters(operation)
    stored = PositionReport.objects.unrestricted(reason="demo idempotence check").filter(
        operation=operation
    )
    history = live.TopUp()
    if not stored.exists():
        history = _history(ctx, operation, reporters)
    current = live.positions_top_up(now=ctx.now, scale=ctx.scale, derive_effort=False)
    days = sorted(set(history.days) | set(current.days))
    if days:
        positions_effort_derive(actor=None, days=days)
    ctx.state["position_reports"] = history.accepted + current.accepted
    ctx.state["tracked_units"] = stored.values("unit_id").distinct().count()
