"""Importing flow events from CSV through the product's importer (`alianza import-events`)
against a bare bulk insert of the same rows into the same tables, measured in the same run.

    .venv/bin/python benchmarks/flows_import.py [--rows N] [--database sqlite|postgres]
        [--profile N] [--pg-database NAME]

The rows: n events reported by USBP in the Tucson Sector over two years, most of them within a
few kilometres of the line around the Nogales, Sasabe and Naco ports (points are taken on the
bundled boundary at a chainage near a corridor and moved up to ~8 km north or south of it).
Kinds, directions and items follow the shape of the real sector (apprehensions, turn-backs and
got-aways northbound; marijuana in pounds, methamphetamine and fentanyl in kg or pills; cash
going south, USD or MXN, converted with a daily rate table). All rows are valid.

  import    `call_command("import-events", file, agency="USBP", releasable_to="MXFP")`: the
            command a user runs (reads the file, validates every row and locates every point
            in one vectorised call, then `flow_events_import_create`: events and items
            bulk-inserted in chunks, one audit entry per event appended with
            `audit_record_many`, all or nothing, one transaction).
  baseline  the same rows, already parsed and snapped (segment, km marker, side, distance
            computed beforehand with the vectorised locator, not timed), inserted into the same
            tables in one transaction: COPY on PostgreSQL, executemany on SQLite. Events get
            their ids up front so items can be inserted the same way.

Both write the same table contents: the script compares a fingerprint of every stored event
and item (external id, kind, direction, time, lon/lat, segment, km, side, distance, marking,
texts, quantities) after each run. Runs alternate (baseline, import, baseline, ...), the tables
being emptied in between; every figure is the median of --repeat runs (default 1: at 10^6 rows
the import takes a long time). `--profile N` adds a cProfile of the importer on N rows.

PostgreSQL: by default a throwaway database `alianza_bench_flows_import` (dropped at the end);
`--pg-database NAME` uses an existing database of yours instead, whose public schema is emptied
before and after (every table in it is dropped).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import csv
import datetime as dt
import hashlib
import io
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import _django
import numpy as np

SEED = 20260301
DAYS = 730  # two years of events, ending 30 days before the run
KINDS = (  # (kind, weight, direction weights north/south/unknown)
    ("apprehension", 0.34, (0.97, 0.01, 0.02)),
    ("turn_back", 0.10, (0.95, 0.0, 0.05)),
    ("got_away", 0.16, (0.98, 0.0, 0.02)),
    ("sighting", 0.13, (0.70, 0.05, 0.25)),
    ("sensor_alert", 0.12, (0.50, 0.10, 0.40)),
    ("seizure", 0.10, (0.80, 0.20, 0.0)),
    ("vehicle_stop", 0.045, (0.60, 0.30, 0.10)),
    ("assault", 0.004, (0.0, 0.0, 1.0)),
    ("tunnel", 0.001, (1.0, 0.0, 0.0)),
)
DIRECTIONS = ("northbound", "southbound", "unknown")
# Where: (anchor place of the corridor, share of events, spread of the km marker in km).
HOTSPOTS = (("POE-DECONCINI", 0.55, 6.0), ("POE-SASABE", 0.2, 9.0), ("POE-NACO", 0.15, 7.0))
SECTOR_SHARE = 0.10  # the rest: anywhere in the Tucson Sector
NARRATIVES = (
    "Group observed crossing the fence west of the port; agents responded on foot.",
    "Sensor activation near the wash; camera confirmed {n} subjects heading north.",
    "Traffic stop on the frontage road; K-9 alerted on the rear compartment.",
    "Grupo observado cruzando la barda al poniente de la garita; se dio aviso.",
    "Footprints cut at the drag road at first light, followed to the wash.",
    "",
)
DRUGS = (  # (category, unit, share of drug seizures, typical quantity)
    ("marijuana", "lb", 0.55, 60.0),
    ("methamphetamine", "kg", 0.18, 4.0),
    ("fentanyl", "pills", 0.12, 3000.0),
    ("fentanyl", "kg", 0.05, 1.5),
    ("cocaine", "kg", 0.06, 3.0),
    ("heroin", "g", 0.04, 600.0),
)
CSV_HEADER = (
    "external_id", "kind", "direction", "occurred_at", "lon", "lat", "case_reference",
    "narrative", "drug_category", "drug_quantity", "drug_unit", "currency_amount", "currency",
)  # fmt: skip


# ---------------------------------------------------------------- database of our own


@contextlib.contextmanager
def own_database(*, database: str, name: str, pg_server: str, pg_database: str, keep: bool):
    """Like `_django.throwaway_database`, with an optional existing PostgreSQL database whose
    public schema is emptied before and after (for engineers given one database of their own)."""
    if database != "postgres" or not pg_database:
        with _django.throwaway_database(
            database=database, name=name, pg_server=pg_server, keep=keep
        ) as connection:
            yield connection
        return
    import psycopg

    url = f"{pg_server}/{pg_database}"

    def reset() -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
            conn.execute("CREATE SCHEMA public")

    reset()
    data_dir = Path(tempfile.mkdtemp(prefix=f"alianza-bench-{name}-"))
    os.environ["ALIANZA_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("ALIANZA_SECRET_KEY", "benchmark-only-secret-key-" + "x" * 40)
    os.environ["DJANGO_SETTINGS_MODULE"] = "alianza.config.settings"
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    try:
        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"database: postgresql {pg_database} (migrated in {time.perf_counter() - t0:.1f}s)")
        yield connection
    finally:
        connections.close_all()
        if keep:
            print(f"kept: {data_dir} and the tables in {pg_database}")
        else:
            reset()
            shutil.rmtree(data_dir, ignore_errors=True)
            print(f"emptied database {pg_database} (schema public dropped and recreated)")


def add_arguments(ap: argparse.ArgumentParser) -> None:
    _django.add_common_arguments(ap)
    ap.add_argument(
        "--pg-database",
        default="",
        help="use this existing PostgreSQL database (its public schema is dropped before and "
        "after) instead of a throwaway alianza_bench_* database",
    )


# ---------------------------------------------------------------- the world and the rows


def build_border(usbp) -> dict[str, float]:
    """Segments, Tucson Sector, corridors and places; returns the anchors' km markers."""
    from alianza.border.locating import default_locator
    from alianza.border.models import Place, Sector
    from alianza.border.services import border_nogales_load

    border_nogales_load(agency=usbp)
    locator = default_locator()
    anchors = {
        p.code: locator.locate(p.lon, p.lat).km_marker
        for p in Place.objects.filter(code__in=[h[0] for h in HOTSPOTS])
    }
    sector = Sector.objects.get(code="TCA")
    anchors["sector"] = (sector.km_start, sector.km_end)
    return anchors


def exchange_rates(start: dt.date, days: int) -> None:
    """A daily MXN rate (about 0.055 USD per peso) from before the first event."""
    from alianza.flows.models import ExchangeRate

    rng = np.random.default_rng(SEED + 9)
    walk = 0.055 + np.cumsum(rng.normal(0, 0.0002, days + 10))
    ExchangeRate.objects.bulk_create(
        ExchangeRate(
            date=start - dt.timedelta(days=10) + dt.timedelta(days=i),
            currency="MXN",
            usd_per_unit=Decimal(f"{max(v, 0.03):.8f}"),
        )
        for i, v in enumerate(walk)
    )


def event_columns(n: int, *, anchors, end: dt.datetime, seed: int, first: int = 0):
    """Vectorised event attributes for events first..first+n-1 (deterministic per seed and
    index range): kind, direction, epoch seconds, lon, lat."""
    from alianza.border.geometry import to_lonlat, to_xy
    from alianza.border.segmenting import bundled_segmentation

    rng = np.random.default_rng([seed, first])
    kind_p = np.array([k[1] for k in KINDS])
    kind = rng.choice(len(KINDS), size=n, p=kind_p / kind_p.sum())
    dir_p = np.array([k[2] for k in KINDS])
    u = rng.random(n)
    cum = np.cumsum(dir_p[kind], axis=1)
    direction = (u[:, None] > cum).sum(axis=1).clip(0, 2)
    # Time: two years, more at night (local time is UTC-7: 18:00-06:00 local = 01:00-13:00 UTC).
    start = end - dt.timedelta(days=DAYS)
    day = rng.integers(0, DAYS, n)
    night = rng.random(n) < 0.7
    hour_utc = np.where(night, (rng.integers(0, 12, n) + 1) % 24, rng.integers(13, 25, n) % 24)
    seconds = day * 86400 + hour_utc * 3600 + rng.integers(0, 3600, n)
    epoch = start.timestamp() + seconds
    # Where: a chainage near one of the hotspots (or anywhere in the sector), then a point
    # moved north or south of the line.
    seg = bundled_segmentation()
    lo, hi = anchors["sector"]
    shares = np.array([h[1] for h in HOTSPOTS] + [SECTOR_SHARE])
    which = rng.choice(len(shares), size=n, p=shares / shares.sum())
    km = rng.uniform(lo, hi, n)
    for i, (code, _share, spread) in enumerate(HOTSPOTS):
        mask = which == i
        km[mask] = anchors[code] + rng.normal(0, spread, mask.sum())
    km = np.clip(km, lo, hi)
    lon0 = np.interp(km * 1000, seg.chainage_m, seg.coords[:, 0])
    lat0 = np.interp(km * 1000, seg.chainage_m, seg.coords[:, 1])
    x, y = to_xy(lons=lon0, lats=lat0)
    north = rng.random(n) < 0.7  # more reports on the US side
    dist = np.minimum(rng.exponential(1500.0, n), 8000.0) + 20.0
    y = y + np.where(north, dist, -dist)
    x = x + rng.normal(0, 200.0, n)
    lon, lat = to_lonlat(xs=x, ys=y)
    return kind, direction, epoch, np.round(lon, 6), np.round(lat, 6)


def csv_rows(n: int, *, anchors, end: dt.datetime, seed: int = SEED, chunk: int = 100_000):
    """The CSV rows (lists of strings, CSV_HEADER order), generated chunk by chunk."""
    rng = np.random.default_rng(seed + 1)
    drug_p = np.array([d[2] for d in DRUGS])
    for first in range(0, n, chunk):
        m = min(chunk, n - first)
        kind, direction, epoch, lon, lat = event_columns(
            m, anchors=anchors, end=end, seed=seed, first=first
        )
        drug_pick = rng.choice(len(DRUGS), size=m, p=drug_p / drug_p.sum())
        drug_qty = rng.lognormal(0, 0.8, m)
        cash = rng.random(m)
        amounts = np.round(rng.lognormal(8.5, 1.0, m), 2)
        narrative = rng.integers(0, len(NARRATIVES), m)
        for j in range(m):
            i = first + j
            k = KINDS[kind[j]][0]
            when = dt.datetime.fromtimestamp(float(epoch[j]), dt.UTC) - dt.timedelta(hours=7)
            row = [
                f"TCA-{i:09d}",
                k,
                DIRECTIONS[direction[j]],
                when.strftime("%Y-%m-%dT%H:%M:%S-07:00"),
                f"{lon[j]:.6f}",
                f"{lat[j]:.6f}",
                f"NOG-{when.year}-{i % 100_000:05d}" if k in ("seizure", "apprehension") else "",
                NARRATIVES[narrative[j]].format(n=1 + i % 7),
                "",
                "",
                "",
                "",
                "",
            ]
            if k == "seizure":
                if direction[j] == 1 or cash[j] < 0.1:  # southbound: cash (and guns)
                    row[11] = f"{amounts[j]:.2f}"
                    row[12] = "MXN" if cash[j] < 0.03 else "USD"
                else:
                    category, unit, _share, typical = DRUGS[drug_pick[j]]
                    qty = typical * drug_qty[j]
                    row[8], row[10] = category, unit
                    row[9] = f"{round(qty)}" if unit == "pills" else f"{qty:.2f}"
            yield row


def write_csv(path: Path, rows) -> int:
    count = 0
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(CSV_HEADER)
        for row in rows:
            out.writerow(row)
            count += 1
    return count


# ---------------------------------------------------------------- the baseline rows


def stored_rows(path: Path, *, agency_id: int, marking_id: int):
    """What the importer stores for each CSV row, computed the fast way (not timed):
    events (in FlowEvent column order, without id) and items, as Python values."""
    from alianza.border.locating import default_locator
    from alianza.border.models import Segment
    from alianza.flows.models import KG_PER_UNIT, ExchangeRate

    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        next(reader)
        raw = list(reader)
    lons = np.array([float(r[4]) for r in raw])
    lats = np.array([float(r[5]) for r in raw])
    where = default_locator().locate_many(lons, lats)
    pk_by_segment = dict(Segment.objects.values_list("segment_id", "pk"))
    rates = sorted(ExchangeRate.objects.filter(currency="MXN").values_list("date", "usd_per_unit"))
    rate_dates = [d for d, _ in rates]
    now = dt.datetime.now(dt.UTC)
    events, drugs, cash = [], [], []
    import bisect

    for i, r in enumerate(raw):
        when = dt.datetime.fromisoformat(r[3]).astimezone(dt.UTC)
        events.append(
            (
                r[1], r[2], when, float(r[4]), float(r[5]),
                pk_by_segment[str(where.segment_id[i])],
                round(float(where.km_marker[i]), 3),
                str(where.side[i]),
                round(float(where.distance_m[i]), 1),
                agency_id, None, r[6], r[7], r[0], None, marking_id, now, now,
            )
        )  # fmt: skip
        if r[9]:
            qty = Decimal(r[9])
            if r[10] == "pills":
                kg, pills = Decimal("0"), int(qty)
            else:
                kg = (qty * KG_PER_UNIT[r[10]]).quantize(Decimal("0.0001"), ROUND_HALF_UP)
                pills = 0
            drugs.append((i, r[8], qty, r[10], kg, pills))
        if r[11]:
            amount = Decimal(r[11])
            if r[12] == "USD":
                cash.append((i, amount, "USD", amount, None))
            else:
                k = bisect.bisect_right(rate_dates, when.date()) - 1
                date, rate = rates[k]
                usd = (amount * rate).quantize(Decimal("0.01"), ROUND_HALF_UP)
                cash.append((i, amount, "MXN", usd, date))
    return events, drugs, cash


EVENT_FIELDS = (
    "kind", "direction", "occurred_at", "lon", "lat", "segment_id", "km_marker", "side",
    "distance_m", "agency_id", "unit_id", "case_reference", "narrative", "external_id",
    "crossing", "marking_id", "created_at", "updated_at",
)  # fmt: skip
DRUG_FIELDS = ("event_id", "category", "quantity", "unit", "weight_kg", "pills")
CASH_FIELDS = ("event_id", "amount", "currency", "usd_amount", "rate_date")


def bare_insert(connection, events, drugs, cash) -> None:
    """The same rows into the same tables, one transaction: COPY (PostgreSQL) or
    executemany (SQLite). Ids are taken up front so items reference their events."""
    from django.db import transaction

    from alianza.flows.models import CurrencyItem, DrugItem, FlowEvent

    def insert(cursor, model, fields, rows):
        table = connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(model._meta.get_field(f).column)
                            for f in fields)  # fmt: skip
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row(r)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)

    with transaction.atomic(), connection.cursor() as cursor:
        table = FlowEvent._meta.db_table
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                "nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
                [table, table, len(events)],
            )
            first = cursor.fetchone()[0] - len(events) + 1
        else:
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
            first = cursor.fetchone()[0] + 1
        # Dates as the backend's adapter wants them (aware datetimes pass through on both).
        ev = ((first + i, *e) for i, e in enumerate(events))
        if connection.vendor == "sqlite":
            ev = (
                (r[0], r[1], r[2], r[3].replace(tzinfo=None).isoformat(" "), *r[4:17],
                 r[17].replace(tzinfo=None).isoformat(" "), r[18].replace(tzinfo=None)
                 .isoformat(" "))
                for r in ev
            )  # fmt: skip
            dec = str
        else:
            dec = lambda v: v  # noqa: E731
        insert(cursor, FlowEvent, ("id", *EVENT_FIELDS), list(ev) if
               connection.vendor == "sqlite" else ev)  # fmt: skip
        insert(cursor, DrugItem, DRUG_FIELDS,
               [(first + i, c, dec(q), u, dec(kg), p) for i, c, q, u, kg, p in drugs])  # fmt: skip
        insert(cursor, CurrencyItem, CASH_FIELDS,
               [(first + i, dec(a), c, dec(usd), d) for i, a, c, usd, d in cash])  # fmt: skip


def empty_tables(connection) -> None:
    from alianza.flows.models import CurrencyItem, DrugItem, FlowEvent

    tables = [m._meta.db_table for m in (DrugItem, CurrencyItem, FlowEvent)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")  # ids keep counting
            cursor.execute(f"VACUUM ANALYZE {', '.join(tables)}")
        else:
            for t in tables:
                cursor.execute(f"DELETE FROM {t}")


def fingerprint(connection) -> tuple[int, int, int, str]:
    """(events, drug items, cash items, sha256 of every stored value that comes from the row)."""
    h = hashlib.sha256()
    counts = []
    queries = (
        "SELECT external_id, kind, direction, occurred_at, lon, lat, s.segment_id, km_marker,"
        " side, distance_m, agency_id, marking_id, case_reference, narrative, crossing"
        " FROM flows_flowevent e JOIN border_segment s ON s.id = e.segment_id"
        " ORDER BY external_id",
        "SELECT e.external_id, category, quantity, unit, weight_kg, pills FROM flows_drugitem i"
        " JOIN flows_flowevent e ON e.id = i.event_id ORDER BY e.external_id",
        "SELECT e.external_id, amount, currency, usd_amount, rate_date FROM flows_currencyitem i"
        " JOIN flows_flowevent e ON e.id = i.event_id ORDER BY e.external_id",
    )
    with connection.cursor() as cursor:
        for sql in queries:
            cursor.execute(sql)
            k = 0
            while rows := cursor.fetchmany(50_000):
                for r in rows:
                    h.update(repr(tuple(_norm(v) for v in r)).encode())
                k += len(rows)
            counts.append(k)
    return counts[0], counts[1], counts[2], h.hexdigest()[:16]


def _norm(v):
    if isinstance(v, dt.datetime):
        return (v if v.tzinfo else v.replace(tzinfo=dt.UTC)).astimezone(dt.UTC).isoformat()
    if isinstance(v, (Decimal, float)):
        return f"{Decimal(str(v)):.4f}"
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, str) and len(v) == 10 and v[4] == "-" and v[7] == "-":
        return v  # SQLite date
    return v


# ---------------------------------------------------------------- main


def audit_counts() -> dict[str, int]:
    from django.db.models import Count

    from alianza.audit.models import AuditEvent

    rows = AuditEvent.objects.unrestricted(reason="benchmark check").values("action")
    return dict(rows.annotate(n=Count("id")).values_list("action", "n"))


def check_audit(before: dict[str, int], n: int) -> None:
    """One `flowevent.create` entry per row and one `flowevent.import`, and the chain holds."""
    from alianza.audit.verify import verify_chain

    after = audit_counts()
    created = after.get("flowevent.create", 0) - before.get("flowevent.create", 0)
    imports = after.get("flowevent.import", 0) - before.get("flowevent.import", 0)
    assert (created, imports) == (n, 1), f"audit entries: {created} creates, {imports} imports"
    result = verify_chain()
    assert result.ok, result.problem


def run_import(path: Path) -> str:
    from django.core.management import call_command

    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import-events", str(path), agency="USBP", releasable_to="MXFP", stdout=out, stderr=err
    )
    return out.getvalue().strip()


def profile_import(path: Path, connection, top: int = 25) -> None:
    """cProfile of the importer; prints the big functions and a breakdown of the time."""
    empty_tables(connection)
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    summary = run_import(path)
    prof.disable()
    wall = time.perf_counter() - t0
    print(f"\n-- cProfile of the importer ({summary}): {wall:.1f}s under the profiler")
    stats = pstats.Stats(prof, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    # Breakdown: cumulative time of the functions that matter, as a share of the whole.
    raw = stats.stats  # {(file, line, name): (cc, nc, tt, ct, callers)}
    total = max(ct for (_f, _l, _n), (_cc, _nc, _tt, ct, _c) in raw.items())

    def cum(file_part: str, name: str) -> tuple[float, int]:
        ct = nc = 0
        for (f, _line, fn), (_cc, n, _tt, c, _callers) in raw.items():
            if fn == name and file_part in f:
                ct, nc = max(ct, c), max(nc, n)
        return ct, nc

    parts = [
        ("events_validate (decode, csv, parse, locate)", "flows/importing.py", "events_validate"),
        ("  _parse_row (per row; points located at once)", "flows/importing.py", "_parse_row"),
        ("flow_event_create (service, per row)", "flows/services.py", "flow_event_create"),
        ("  _snap (locate again + Segment query)", "flows/services.py", "_snap"),
        ("  Model.full_clean (FK and unique checks)", "django/db/models/base.py", "full_clean"),
        ("  Model.save", "django/db/models/base.py", "save"),
        ("  _items_create", "flows/services.py", "_items_create"),
        ("  audit_record", "audit/services.py", "audit_record"),
        (
            "flow_events_import_create (bulk service)",
            "flows/services.py",
            "flow_events_import_create",
        ),
        ("  _event_build (checks, items, per row)", "flows/services.py", "_event_build"),
        ("  _events_write (bulk inserts, per chunk)", "flows/services.py", "_events_write"),
        ("  audit_record_many", "audit/services.py", "audit_record_many"),
        ("Locator.locate_many (all calls)", "border/locating.py", "locate_many"),
        ("SQL execute (all queries)", "django/db/backends/utils.py", "_execute"),
    ]
    print(f"-- where the time goes (cumulative, of {total:.1f}s profiled)")
    rows = []
    for label, f, name in parts:
        ct, nc = cum(f, name)
        rows.append((label, f"{nc:,}", f"{ct:.2f}", f"{ct / total:.0%}"))
    print(_django.table(["part", "calls", "seconds", "share"], rows))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=0, help="events (default 10^6 on PostgreSQL, "
                    "10^5 on SQLite)")  # fmt: skip
    ap.add_argument("--quick", action="store_true", help="2,000 rows (smoke run)")
    ap.add_argument("--profile", type=int, default=0, metavar="N",
                    help="also profile the importer on N rows (e.g. 20000)")  # fmt: skip
    ap.add_argument("--no-import", action="store_true", help="only generate and time the "
                    "baseline (the import of 10^6 rows takes long)")  # fmt: skip
    add_arguments(ap)
    args = ap.parse_args()
    n = (
        2_000
        if args.quick
        else args.rows or (1_000_000 if args.database == "postgres" else 100_000)
    )
    repeat = args.repeat or 1
    with own_database(
        database=args.database,
        name="flows_import",
        pg_server=args.pg_server,
        pg_database=args.pg_database,
        keep=args.keep,
    ) as connection:
        run(connection, n=n, repeat=repeat, args=args)


def run(connection, *, n: int, repeat: int, args) -> None:
    from access_filter import build_world

    from alianza.access.models import Marking
    from alianza.access.services import marking_get_or_create
    from alianza.agencies.models import Agency

    print(_django.load_note())
    build_world()  # agencies USBP and MXFP (and markings, unused here)
    usbp, mxfp = Agency.objects.get(code="USBP"), Agency.objects.get(code="MXFP")
    anchors = build_border(usbp)
    end = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0) - dt.timedelta(days=30)
    exchange_rates((end - dt.timedelta(days=DAYS)).date(), DAYS + 2)
    marking = marking_get_or_create(originating_agency=usbp, releasable_to=[mxfp])
    assert Marking.objects.filter(pk=marking.pk).exists()

    tmp = Path(os.environ["ALIANZA_DATA_DIR"])
    path = tmp / "events.csv"
    t0 = time.perf_counter()
    written = write_csv(path, csv_rows(n, anchors=anchors, end=end))
    print(f"wrote {written:,} rows to {path} ({path.stat().st_size / 1e6:.0f} MB) in "
          f"{time.perf_counter() - t0:.1f}s")  # fmt: skip
    t0 = time.perf_counter()
    events, drugs, cash = stored_rows(path, agency_id=usbp.pk, marking_id=marking.pk)
    print(
        f"baseline rows prepared in {time.perf_counter() - t0:.1f}s (not timed): "
        f"{len(events):,} events, {len(drugs):,} drug items, {len(cash):,} cash items"
    )

    times: dict[str, list[float]] = {"baseline": [], "import": []}
    prints: dict[str, set] = {"baseline": set(), "import": set()}
    for turn in range(repeat):
        for name in ("baseline", "import") if not args.no_import else ("baseline",):
            empty_tables(connection)
            t0 = time.perf_counter()
            if name == "baseline":
                bare_insert(connection, events, drugs, cash)
                summary = f"{len(events):,} events"
            else:
                before = audit_counts()
                summary = run_import(path)
            elapsed = time.perf_counter() - t0
            if name == "import":
                check_audit(before, n)
            times[name].append(elapsed)
            fp = fingerprint(connection)
            prints[name].add(fp)
            print(f"  run {turn + 1} {name}: {elapsed:.2f}s ({n / elapsed:,.0f} rows/s) "
                  f"[{summary}] stored {fp[0]:,}/{fp[1]:,}/{fp[2]:,} #{fp[3]}; "
                  f"{_django.load_note()}", flush=True)  # fmt: skip
    all_prints = prints["baseline"] | prints["import"]
    assert len(all_prints) == 1, f"the importer and the baseline stored different rows: {prints}"
    assert next(iter(all_prints))[0] == n

    print()
    print(f"Flow event import, {connection.vendor}, n={n:,} rows "
          f"({len(drugs):,} drug and {len(cash):,} cash items); median of {repeat}")  # fmt: skip
    print(_django.load_note())
    b = statistics.median(times["baseline"])
    rows = [("bare bulk insert (baseline)", f"{b:.2f}", f"{n / b:,.0f}", "1.00")]
    if times["import"]:
        t = statistics.median(times["import"])
        rows.append(("alianza import-events", f"{t:.2f}", f"{n / t:,.0f}", f"{t / b:.1f}"))
    print(_django.table(["", "seconds", "rows/s", "ratio"], rows))
    print("both stored identical rows (fingerprint of every event and item matches)")
    if times["import"]:
        print(
            "the import wrote one flowevent.create audit entry per row and one "
            "flowevent.import; verify_chain() ok"
        )

    if args.profile:
        small = tmp / "profile.csv"
        write_csv(small, csv_rows(args.profile, anchors=anchors, end=end, seed=SEED + 7))
        profile_import(small, connection)


if __name__ == "__main__":
    main()
