"""The opt-in session clock: `ALIANZA_TEST_TODAY` runs the whole test session at another date
(started by tests/conftest.py as it is imported, before any test module, the test database or a
fixture; stopped when pytest ends). The state lives here, not in conftest.py, because a test that
imports `conftest` by name gets a second copy of it: the clock must move once only."""

import datetime as dt
import os
import re
import zoneinfo

_travel = None
target = None  # the instant the session started at, when shifted


def session_clock_target(value, *, now, zone):
    """The instant `ALIANZA_TEST_TODAY=value` travels to, from the real `now` (aware)."""
    value = value.strip()
    if offset := re.fullmatch(r"([+-]\d+)d", value):
        return now + dt.timedelta(days=int(offset.group(1)))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        local = now.astimezone(zone)
        day = dt.date.fromisoformat(value)
        return dt.datetime.combine(day, local.time(), tzinfo=zone)
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(f"ALIANZA_TEST_TODAY={value!r}: give a date, ±Nd or an aware time")
    return moment


def session_clock_start(zone_name="America/Phoenix"):
    """Travel (ticking) to ALIANZA_TEST_TODAY, once; nothing when the variable is unset."""
    global _travel, target
    value = os.environ.get("ALIANZA_TEST_TODAY", "").strip()
    if not value or _travel is not None:
        return
    import time_machine

    zone = zoneinfo.ZoneInfo(zone_name)
    target = session_clock_target(value, now=dt.datetime.now(dt.UTC), zone=zone)
    _travel = time_machine.travel(target, tick=True)
    _travel.start()


def session_clock_stop():
    global _travel
    if _travel is not None:
        _travel.stop()
        _travel = None
