"""Position reports ingested through the API (`POST /api/positions/batch`) against a bare bulk
insert of the same rows into the same table, measured in the same run.

    .venv/bin/python benchmarks/positions_ingest.py [--rows N] [--batch B]
        [--database sqlite|postgres] [--pg-database NAME] [--repeat R]

The rows: 40 tracked units (vehicles) of USBP in the joint operation OP-BENCH, each reporting
a fix every 30 s while driving along the line near Nogales, a few hundred metres inside the
U.S. side; n rows in all, ending a minute before the run, sent in batches of B (default 1,000)
in time order, the units interleaved as a gateway would forward them. All rows are valid.

  api       `django.test.Client().post("/api/positions/batch", json)` for every batch, logged in
            as a vetted patrol agent of the operation: middleware, JSON parsing, the schema,
            `positions_ingest` (validation of every row, one vectorised locate per batch,
            duplicate check, bulk insert, latest-position upsert, one audit entry per batch).
            The JSON bodies are encoded before timing.
  service   `positions_ingest(actor=..., reports=batch)` directly (the API minus HTTP).
  baseline  the same rows, validated, located and marked beforehand (not timed), inserted into
            `positions_positionreport` in one COPY (PostgreSQL) / executemany (SQLite).

After every run the script checks that the stored rows (unit, time, lat, lon, segment, side,
marking, accuracy, speed) are identical whichever way they came in (a fingerprint), then empties
the position tables. Runs take turns (baseline, service, api, baseline, ...); each figure is
the median of --repeat runs (default 3 below 10^5 rows, else 1).

PostgreSQL: a throwaway database `alianza_bench_positions` by default, or `--pg-database NAME`
(an existing database of yours whose public schema is dropped and recreated before and after).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import statistics
import sys
import time
from pathlib import Path

import _django
import numpy as np
from flows_import import own_database

SEED = 20261128
UNITS = 40
INTERVAL_S = 30


def build_world():
    """Agencies, the Nogales segments, a joint operation and a vetted patrol agent in it."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from django.utils import timezone

    from alianza.agencies.models import Agency
    from alianza.border.services import border_segments_load
    from alianza.operations.services import operation_create
    from alianza.positions.services import tracked_unit_register
    from alianza.vetting.services import vetting_programmes_load

    from world import make_user, vet_officer

    us = Agency.objects.create(code="USBP", name_en="USBP", name_es="USBP", country="US")
    mx = Agency.objects.create(code="MXFP", name_en="MXFP", name_es="MXFP", country="MX")
    vetting_programmes_load()
    border_segments_load(km_range=(600.0, 800.0))
    today = timezone.localdate()
    operation = operation_create(
        actor=None,
        code="OP-BENCH",
        name="Benchmark",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=30),
        lead_agencies=[us, mx],
        origin=us,
    )
    agent = make_user(
        agency=us,
        username="bench.agent",
        roles=["patrol_agent"],
        compartments=[operation.compartment],
    )
    vet_officer(agent.officer)
    for n in range(UNITS):
        tracked_unit_register(actor=None, agency=us, code=f"USBP-T{n:02d}", kind="vehicle")
    return agent


def make_rows(n: int) -> list[dict]:
    """n valid reports, time order, units interleaved (deterministic for a given n)."""
    from alianza.border.geometry import to_lonlat, to_xy
    from alianza.border.segmenting import bundled_segmentation

    rng = np.random.default_rng(SEED)
    seg = bundled_segmentation()
    per_unit = -(-n // UNITS)
    end = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(minutes=1)
    start = end - dt.timedelta(seconds=INTERVAL_S * per_unit)
    rows = []
    for k in range(per_unit):
        when = start + dt.timedelta(seconds=INTERVAL_S * k)
        rows.extend({"unit": f"USBP-T{u:02d}", "time": when, "k": k} for u in range(UNITS))
    rows = rows[:n]
    base_km = rng.uniform(660.0, 720.0, UNITS)
    speed = rng.uniform(10.0, 30.0, UNITS)
    unit_index = np.array([int(r["unit"][-2:]) for r in rows])
    steps = np.array([r["k"] for r in rows])
    km = base_km[unit_index] + np.sin(steps * INTERVAL_S * speed[unit_index] / 3600.0 / 5.0) * 5.0
    lon0 = np.interp(km * 1000, seg.chainage_m, seg.coords[:, 0])
    lat0 = np.interp(km * 1000, seg.chainage_m, seg.coords[:, 1])
    x, y = to_xy(lons=lon0, lats=lat0)
    y = y + rng.uniform(200.0, 1500.0, len(rows))
    lon, lat = to_lonlat(xs=x, ys=y)
    speeds = rng.integers(0, 60, len(rows))
    for i, row in enumerate(rows):
        del row["k"]
        row.update(
            lon=round(float(lon[i]), 6),
            lat=round(float(lat[i]), 6),
            accuracy_m=5,
            speed_kmh=int(speeds[i]),
            operation="OP-BENCH",
        )
    return rows


def baseline_rows(rows: list[dict]) -> list[tuple]:
    """The rows as stored: located, unit, segment and marking resolved (not timed)."""
    from alianza.access.services import marking_get_or_create
    from alianza.border.locating import default_locator
    from alianza.border.models import Segment
    from alianza.operations.models import JointOperation
    from alianza.positions.models import TrackedUnit

    where = default_locator().locate_many(
        np.array([r["lon"] for r in rows]), np.array([r["lat"] for r in rows])
    )
    segments = dict(Segment.objects.values_list("segment_id", "pk"))
    units = {
        u.code: u for u in TrackedUnit.objects.unrestricted(reason="benchmark").select_related()
    }
    operation = JointOperation.objects.unrestricted(reason="benchmark").get(code="OP-BENCH")
    marking = marking_get_or_create(
        originating_agency=operation.marking.originating_agency,
        releasable_to=list(operation.lead_agencies.all()),
        compartments=[operation.compartment],
    )
    return [
        (
            units[r["unit"]].pk,
            operation.pk,
            r["time"],
            r["lat"],
            r["lon"],
            r["accuracy_m"],
            r["speed_kmh"],
            None,
            segments[str(where.segment_id[i])],
            str(where.side[i]),
            marking.pk,
        )
        for i, r in enumerate(rows)
    ]


FIELDS = (
    "unit_id", "operation_id", "time", "lat", "lon", "accuracy_m", "speed_kmh", "heading",
    "segment_id", "side", "marking_id",
)  # fmt: skip


def empty_tables(connection) -> None:
    from alianza.positions.models import LatestPosition, PositionReport

    tables = [m._meta.db_table for m in (LatestPosition, PositionReport)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)}")
            cursor.execute(f"VACUUM ANALYZE {', '.join(tables)}")
        else:
            for t in tables:
                cursor.execute(f"DELETE FROM {t}")


def fingerprint(connection) -> tuple[int, str]:
    h = hashlib.sha256()
    k = 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT u.code, p.time, p.lat, p.lon, s.segment_id, p.side, p.marking_id,"
            " p.accuracy_m, p.speed_kmh, p.operation_id FROM positions_positionreport p"
            " JOIN positions_trackedunit u ON u.id = p.unit_id"
            " JOIN border_segment s ON s.id = p.segment_id ORDER BY u.code, p.time"
        )
        while rows := cursor.fetchmany(50_000):
            for r in rows:
                when = r[1] if isinstance(r[1], dt.datetime) else dt.datetime.fromisoformat(r[1])
                when = (when if when.tzinfo else when.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
                h.update(repr((r[0], when.isoformat(), f"{r[2]:.6f}", f"{r[3]:.6f}", *r[4:]))
                         .encode())  # fmt: skip
            k += len(rows)
    return k, h.hexdigest()[:16]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    _django.add_common_arguments(ap)
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--batch", type=int, default=1_000, help="reports per API request")
    ap.add_argument("--pg-database", default="", help="an existing database of yours (emptied)")
    args = ap.parse_args()
    n = args.rows
    repeat = args.repeat or (3 if n < 100_000 else 1)
    with own_database(
        database=args.database,
        name="positions",
        pg_server=args.pg_server,
        pg_database=args.pg_database,
        keep=args.keep,
    ) as connection:
        from django.test import Client

        from alianza.audit.verify import verify_chain
        from alianza.positions.services import positions_ingest

        agent = build_world()
        rows = make_rows(n)
        batches = [rows[i : i + args.batch] for i in range(0, n, args.batch)]
        bodies = [
            json.dumps({"reports": [{**r, "time": r["time"].isoformat()} for r in b]}).encode()
            for b in batches
        ]
        stored = baseline_rows(rows)
        client = Client(HTTP_HOST="localhost")
        client.force_login(agent)

        def run_baseline():
            _django.bulk_load(
                __import__("alianza.positions.models", fromlist=["x"]).PositionReport,
                FIELDS,
                stored,
                total=n,
                batch=n,
                label="baseline",
            )

        def run_service():
            for batch in batches:
                assert positions_ingest(actor=agent, reports=batch).accepted == len(batch)

        def run_api():
            for body in bodies:
                response = client.post(
                    "/api/positions/batch", data=body, content_type="application/json"
                )
                assert response.status_code == 200, response.content[:500]

        runs = {"baseline": run_baseline, "service": run_service, "api": run_api}
        times: dict[str, list[float]] = {k: [] for k in runs}
        prints = set()
        for r in range(repeat):
            for name, fn in runs.items():
                empty_tables(connection)
                t0 = time.perf_counter()
                fn()
                elapsed = time.perf_counter() - t0
                times[name].append(elapsed)
                fp = fingerprint(connection)
                prints.add(fp)
                print(f"  run {r + 1} {name}: {elapsed:.2f} s ({n / elapsed:,.0f} reports/s); "
                      f"stored {fp[0]:,} #{fp[1]}; {_django.load_note()}", flush=True)  # fmt: skip
        assert len(prints) == 1 and next(iter(prints))[0] == n, prints
        chain = verify_chain()
        empty_tables(connection)

    print()
    print(f"Position ingest, {connection.vendor}, n={n:,} reports of {UNITS} units in batches "
          f"of {args.batch:,}; median of {repeat}")  # fmt: skip
    b = statistics.median(times["baseline"])
    table = [("bare bulk insert (baseline)", f"{b:.2f}", f"{n / b:,.0f}", "1.00")]
    for name, label in (
        ("service", "positions_ingest (service)"),
        ("api", "POST /api/positions/batch"),
    ):
        t = statistics.median(times[name])
        table.append((label, f"{t:.2f}", f"{n / t:,.0f}", f"{t / b:.1f}"))
    print(_django.table(["", "seconds", "reports/s", "ratio"], table))
    print("every way stored identical rows (fingerprint of every report matches); "
          f"audit chain verifies: {getattr(chain, 'ok', chain)}")  # fmt: skip


if __name__ == "__main__":
    main()
