"""Shared set-up for the database benchmarks: a throwaway database, fast bulk loading, timing.

Each benchmark gets its OWN database and never touches the developer's: on SQLite a temporary
ALIANZA_DATA_DIR (deleted at the end), on PostgreSQL a dedicated database (`alianza_bench_*`,
created if missing, dropped at the end). Import this module before anything from Django.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

try:
    import alianza  # noqa: F401
except ImportError:  # package not installed: use the checkout's src/
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

DEFAULT_PG_SERVER = "postgres://postgres@127.0.0.1:5432"


def add_common_arguments(ap: argparse.ArgumentParser) -> None:
    ap.add_argument(
        "--database", choices=("sqlite", "postgres"), default="sqlite", help="(default sqlite)"
    )
    ap.add_argument(
        "--pg-server",
        default=os.environ.get("ALIANZA_BENCH_PG", DEFAULT_PG_SERVER),
        help=f"PostgreSQL server URL without database (default {DEFAULT_PG_SERVER})",
    )
    ap.add_argument("--repeat", type=int, default=0, help="timings per figure (median is shown)")
    ap.add_argument("--keep", action="store_true", help="keep the database (prints where)")


def _pg_admin(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(sql)


@contextlib.contextmanager
def throwaway_database(*, database: str, name: str, pg_server: str, keep: bool = False):
    """Configure Django on a new, empty, migrated database; remove it afterwards."""
    data_dir = Path(tempfile.mkdtemp(prefix=f"alianza-bench-{name}-"))
    os.environ["ALIANZA_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("ALIANZA_SECRET_KEY", "benchmark-only-secret-key-" + "x" * 40)
    os.environ["DJANGO_SETTINGS_MODULE"] = "alianza.config.settings"
    dbname = f"alianza_bench_{name}"
    if database == "postgres":
        _pg_admin(pg_server, f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        _pg_admin(pg_server, f'CREATE DATABASE "{dbname}"')
        os.environ["DATABASE_URL"] = f"{pg_server}/{dbname}"
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    try:
        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        where = connection.settings_dict["NAME"]
        print(
            f"database: {connection.vendor} {where} (migrated in {time.perf_counter() - t0:.1f}s)"
        )
        yield connection
    finally:
        connections.close_all()
        if keep:
            print(
                f"kept: {data_dir}" + (f" and database {dbname}" if database == "postgres" else "")
            )
        else:
            if database == "postgres":
                _pg_admin(pg_server, f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            shutil.rmtree(data_dir, ignore_errors=True)


def bulk_load(
    model,
    field_names: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    total: int,
    batch: int = 20_000,
    label: str = "",
) -> int:
    """Insert `rows` (Python values, in `field_names` order, attnames for foreign keys) fast:
    COPY on PostgreSQL, executemany in one transaction per batch on SQLite. No model save(),
    no signals, no auto_now: the caller supplies every value."""
    from django.db import connection, transaction

    fields = [model._meta.get_field(name) for name in field_names]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    prep: list[Callable[[Any], Any] | None] = []
    for f in fields:
        kind = f.get_internal_type()
        if kind in ("DateTimeField", "DateField", "JSONField"):
            prep.append(lambda v, f=f: f.get_db_prep_save(v, connection))
        else:
            prep.append(None)

    def adapted(row: Sequence[Any]) -> list[Any]:
        return [v if p is None else p(v) for p, v in zip(prep, row, strict=True)]

    label = label or model._meta.label
    done = 0
    t0 = time.perf_counter()
    last = t0
    it = iter(rows)
    while True:
        chunk = [adapted(r) for _, r in zip(range(batch), it, strict=False)]
        if not chunk:
            break
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for r in chunk:
                        copy.write_row(r)
            else:
                marks = ", ".join(["%s"] * len(fields))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", chunk)
        done += len(chunk)
        now = time.perf_counter()
        if now - last > 5 or done == total:
            rate = done / (now - t0)
            print(f"  {label}: {done:,}/{total:,} rows ({rate:,.0f}/s)", flush=True)
            last = now
    return done


def analyze(*models) -> None:
    """Fresh planner statistics (and, on PostgreSQL, the visibility map) after a bulk load."""
    from django.db import connection

    with connection.cursor() as cursor:
        for model in models:
            table = connection.ops.quote_name(model._meta.db_table)
            if connection.vendor == "postgresql":
                cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute("ANALYZE")  # and every small table (markings, their links)


def timings(fn: Callable[[], Any], repeat: int, *, warmup: int = 1) -> list[float]:
    """Wall-clock seconds of `repeat` calls of fn, after `warmup` untimed calls."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def interleaved(fns: dict[str, Callable[[], Any]], repeat: int, *, warmup: int = 1):
    """Like `timings` for several functions, taking turns (a, b, c, a, b, c, ...) so that a
    change in the machine's load during the run hits all of them alike."""
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    out: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            out[name].append(time.perf_counter() - t0)
    return out


def load_note() -> str:
    """The machine's load average and CPU count: figures taken on a busy machine say so."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} CPUs"


def median(xs: Sequence[float]) -> float:
    return statistics.median(xs)


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    rows = [[str(c) for c in r] for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest])

    sep = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), sep, *(line(r) for r in rows)])


def chunks(it: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while True:
        chunk = [x for _, x in zip(range(size), it, strict=False)]
        if not chunk:
            return
        yield chunk
